// Signed notes against the published vectors of golang.org/x/mod/sumdb/note and the C2SP
// spec examples (tests/data/signed_note/, see its README), plus tampering and limits.
#include "actlog/signed_note.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace actlog::integrity {
namespace {

std::string ReadData(const std::string& name) {
  std::ifstream in(std::string(ACTLOG_TESTDATA_DIR) + "/signed_note/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << name;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string ReadKey(const std::string& name) {
  std::string key = ReadData(name);
  while (!key.empty() && key.back() == '\n') key.pop_back();
  return key;
}

NoteVerifier Peter() { return *NoteVerifier::Parse(ReadKey("PeterNeumann.vkey")); }
NoteVerifier Enoch() { return *NoteVerifier::Parse(ReadKey("EnochRoot.vkey")); }

TEST(NoteKeys, PublishedKeysParseAndPrintBackUnchanged) {
  const std::string vkey = ReadKey("PeterNeumann.vkey");
  const std::string skey = ReadKey("PeterNeumann.skey");
  StatusOr<NoteVerifier> v = NoteVerifier::Parse(vkey);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->name(), "PeterNeumann");
  EXPECT_EQ(v->key_id(), 0xc74f20a3u);
  EXPECT_EQ(v->KeyString(), vkey);
  StatusOr<NoteSigner> s = NoteSigner::Parse(skey);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->key_id(), 0xc74f20a3u);
  EXPECT_EQ(s->KeyString(), skey);
  EXPECT_EQ(s->Verifier().KeyString(), vkey);
  EXPECT_EQ(Enoch().key_id(), 0xaf0cfe78u);
}

// As the reference does: every proper substring and every single-byte change is refused.
void ExpectEveryManglingRefused(const std::string& key, bool is_signer) {
  auto parses = [&](const std::string& k) {
    return is_signer ? NoteSigner::Parse(k).ok() : NoteVerifier::Parse(k).ok();
  };
  ASSERT_TRUE(parses(key));
  for (std::size_t i = 0; i <= key.size(); ++i) {
    for (std::size_t j = i + 1; j <= key.size(); ++j) {
      if (i == 0 && j == key.size()) continue;
      EXPECT_FALSE(parses(key.substr(i, j - i))) << key.substr(i, j - i);
    }
  }
  for (std::size_t i = 0; i < key.size(); ++i) {
    std::string k = key;
    ++k[i];
    EXPECT_FALSE(parses(k)) << k;
  }
}

TEST(NoteKeys, EveryManglingOfAVerifierKeyIsRefused) {
  ExpectEveryManglingRefused(ReadKey("PeterNeumann.vkey"), /*is_signer=*/false);
}

TEST(NoteKeys, EveryManglingOfASignerKeyIsRefused) {
  ExpectEveryManglingRefused(ReadKey("PeterNeumann.skey"), /*is_signer=*/true);
}

TEST(NoteKeys, WrongLengthAndUnknownAlgorithmKeysAreRefused) {
  std::istringstream lines(ReadData("bad.vkeys"));
  int count = 0;
  for (std::string line; std::getline(lines, line); ++count) {
    EXPECT_EQ(NoteVerifier::Parse(line).status().error_code(), "malformed_key") << line;
  }
  EXPECT_EQ(count, 2);
}

TEST(NoteKeys, NamesFollowTheSpecRules) {
  EXPECT_TRUE(IsValidKeyName("example.com/log42"));
  EXPECT_TRUE(IsValidKeyName("r\xC3\xA9sum\xC3\xA9"));
  EXPECT_FALSE(IsValidKeyName(""));
  EXPECT_FALSE(IsValidKeyName("a b"));
  EXPECT_FALSE(IsValidKeyName("a+b"));
  EXPECT_FALSE(IsValidKeyName("a\tb"));
  EXPECT_FALSE(
      IsValidKeyName("a\xC2\xA0"
                     "b"));  // no-break space
  EXPECT_FALSE(
      IsValidKeyName("a\xE2\x80\x83"
                     "b"));  // em space
  EXPECT_FALSE(
      IsValidKeyName("a\xE3\x80\x80"
                     "b"));  // ideographic space
  EXPECT_FALSE(
      IsValidKeyName("a\xFF"
                     "b"));
  EXPECT_FALSE(
      IsValidKeyName("a\xC0\xAF"
                     "b"));  // overlong '/'
  EXPECT_EQ(NoteSigner::FromSeed("a+b", std::vector<uint8_t>(32, 7)).status().error_code(),
            "malformed_key");
  EXPECT_EQ(NoteSigner::FromSeed("ab", std::vector<uint8_t>(31, 7)).status().error_code(),
            "malformed_key");
}

TEST(SignNote, SigningThePublishedTextReproducesThePublishedNote) {
  const NoteSigner peter = *NoteSigner::Parse(ReadKey("PeterNeumann.skey"));
  StatusOr<std::string> note = SignNote(ReadData("text.txt"), std::span(&peter, 1));
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  EXPECT_EQ(*note, ReadData("signed_by_peter.note"));
}

TEST(SignNote, RefusesTextThatCouldNotBeOpened) {
  const NoteSigner peter = *NoteSigner::Parse(ReadKey("PeterNeumann.skey"));
  for (const char* text : {"", "abc", "tab\there\n", "cr\r\n", "\xff\n"}) {
    EXPECT_EQ(SignNote(text, std::span(&peter, 1)).status().error_code(), "malformed_note") << text;
  }
  EXPECT_FALSE(SignNote("no signers\n", {}).ok());
}

TEST(OpenNote, KnownSignaturesVerifyAndUnknownOnesAreSetAside) {
  const std::string note = ReadData("signed_by_peter_and_enoch.note");
  const std::vector<NoteVerifier> peter_only = {Peter()};
  StatusOr<VerifiedNote> n = OpenNote(note, peter_only);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->text, ReadData("text.txt"));
  ASSERT_EQ(n->verified.size(), 1u);
  EXPECT_EQ(n->verified[0].name, "PeterNeumann");
  EXPECT_EQ(n->verified[0].key_id, 0xc74f20a3u);
  EXPECT_EQ(n->verified[0].signature.size(), 64u);
  ASSERT_EQ(n->unverified.size(), 1u);
  EXPECT_EQ(n->unverified[0].name, "EnochRoot");
  EXPECT_EQ(n->unverified[0].key_id, 0xaf0cfe78u);

  const std::vector<NoteVerifier> both = {Peter(), Enoch()};
  n = OpenNote(note, both);
  ASSERT_TRUE(n.ok());
  ASSERT_EQ(n->verified.size(), 2u);
  EXPECT_EQ(n->verified[1].name, "EnochRoot");
  EXPECT_TRUE(n->unverified.empty());
}

TEST(OpenNote, NoKnownSignatureMeansUnverified) {
  StatusOr<VerifiedNote> n = OpenNote(ReadData("signed_by_peter_and_enoch.note"), {});
  EXPECT_EQ(n.status().error_code(), "unverified_note");
  EXPECT_EQ(n.status().code(), StatusCode::kPermissionDenied);
}

TEST(OpenNote, AKeyListedTwiceIsAmbiguousOnlyWhenItSigned) {
  const std::vector<NoteVerifier> list = {Enoch(), Peter(), Enoch()};
  EXPECT_EQ(OpenNote(ReadData("signed_by_peter_and_enoch.note"), list).status().error_code(),
            "ambiguous_key");
  EXPECT_TRUE(OpenNote(ReadData("signed_by_peter.note"), list).ok());
}

TEST(OpenNote, AKnownKeysBadSignatureRejectsTheWholeNote) {
  const std::vector<NoteVerifier> peter_only = {Peter()};
  StatusOr<VerifiedNote> n = OpenNote(ReadData("corrupt_peter_signature.note"), peter_only);
  EXPECT_EQ(n.status().error_code(), "invalid_signature");
  EXPECT_EQ(n.status().code(), StatusCode::kDataLoss);
  // The same signature from a key we do not know is just ignored.
  const std::vector<NoteVerifier> enoch_only = {Enoch()};
  EXPECT_EQ(OpenNote(ReadData("corrupt_peter_signature.note"), enoch_only).status().error_code(),
            "unverified_note");
}

TEST(OpenNote, RepeatedSignaturesAreMerged) {
  const std::vector<NoteVerifier> peter_only = {Peter()};
  StatusOr<VerifiedNote> n = OpenNote(ReadData("repeated_signatures.note"), peter_only);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  ASSERT_EQ(n->verified.size(), 1u);
  ASSERT_EQ(n->unverified.size(), 2u);  // Enoch's, and the corrupted copy of it
  EXPECT_EQ(n->unverified[0].name, "EnochRoot");
  EXPECT_EQ(n->unverified[1].name, "EnochRoot");
  EXPECT_NE(n->unverified[0].signature, n->unverified[1].signature);
}

TEST(OpenNote, EveryMalformedVectorIsRefused) {
  const std::vector<NoteVerifier> peter_only = {Peter()};
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(ACTLOG_TESTDATA_DIR) +
                                                               "/signed_note/malformed")) {
    ++count;
    const std::string name = "malformed/" + entry.path().filename().string();
    EXPECT_EQ(OpenNote(ReadData(name), peter_only).status().error_code(), "malformed_note") << name;
  }
  EXPECT_EQ(count, 7);
}

TEST(OpenNote, MoreThanOneHundredSignaturesIsMalformed) {
  const std::string note = ReadData("signed_by_peter.note");
  const std::string text_and_blank = ReadData("text.txt") + "\n";
  const std::string sig_line = note.substr(text_and_blank.size());
  std::string many = text_and_blank;
  for (int i = 0; i < 100; ++i) many += sig_line;
  const std::vector<NoteVerifier> peter_only = {Peter()};
  EXPECT_TRUE(OpenNote(many, peter_only).ok());
  many += sig_line;
  EXPECT_EQ(OpenNote(many, peter_only).status().error_code(), "malformed_note");
  EXPECT_EQ(OpenNote(many, {}).status().error_code(), "malformed_note");
}

TEST(OpenNote, NotesOverOneMebibyteAreMalformed) {
  const NoteSigner peter = *NoteSigner::Parse(ReadKey("PeterNeumann.skey"));
  const std::string big_text(kMaxNoteBytes, 'a');
  EXPECT_EQ(SignNote(big_text.substr(1) + "\n", std::span(&peter, 1)).status().error_code(),
            "malformed_note");  // text fits, text + signature does not
  const std::string big_note = big_text + "\n\n" + ReadData("signed_by_peter.note");
  EXPECT_EQ(ParseNote(big_note).status().error_code(), "malformed_note");
}

TEST(OpenNote, SignaturesSharingOnlyNameOrOnlyKeyIdAreIgnored) {
  // The spec: verifiers MUST ignore signatures from unknown keys, even if they share a
  // name or key id (but not both) with a known key. Same signature bytes, one field changed.
  const std::vector<NoteVerifier> peter_only = {Peter()};
  const std::string good = ReadData("signed_by_peter.note");
  std::string renamed = good;
  renamed.replace(renamed.find("PeterNeumann"), 12, "PeterNeumanX");
  EXPECT_EQ(OpenNote(renamed, peter_only).status().error_code(), "unverified_note");
  std::string other_id = good;
  other_id.replace(other_id.find("x08g"), 4, "x08h");  // key id c74f20a3 -> c74f21a3
  ASSERT_EQ(ParseNote(other_id)->signatures[0].key_id, 0xc74f21a3u);
  EXPECT_EQ(OpenNote(other_id, peter_only).status().error_code(), "unverified_note");
}

TEST(OpenNote, NoTruncationOrByteFlipOfASignedNoteVerifies) {
  const std::string good = ReadData("signed_by_peter.note");
  const std::vector<NoteVerifier> peter_only = {Peter()};
  ASSERT_TRUE(OpenNote(good, peter_only).ok());
  for (std::size_t len = 0; len < good.size(); ++len) {
    EXPECT_FALSE(OpenNote(good.substr(0, len), peter_only).ok()) << len;
  }
  for (std::size_t i = 0; i < good.size(); ++i) {
    for (uint8_t mask : {0x01, 0x20, 0x80}) {
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ mask);
      EXPECT_FALSE(OpenNote(bad, peter_only).ok()) << "byte " << i << " mask " << int{mask};
    }
  }
}

TEST(ParseNote, SpecExampleSplitsAtTheLastBlankLine) {
  StatusOr<ParsedNote> n = ParseNote(ReadData("c2sp_signed_note_example.note"));
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->text,
            "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\n"
            "ed \xC3\xA8 subito sera.\n");
  ASSERT_EQ(n->signatures.size(), 1u);
  EXPECT_EQ(n->signatures[0].name, "quasimodo.example/salvatore");
  EXPECT_EQ(n->signatures[0].key_id, 0x367ba04bu);
  EXPECT_EQ(n->signatures[0].signature.size(), 64u);
}

}  // namespace
}  // namespace actlog::integrity
