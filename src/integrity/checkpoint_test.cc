// tlog-checkpoint bodies: the spec's example, strict parsing, and signed round trips.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "actlog/signed_note.h"

namespace actlog::integrity {
namespace {

std::string ReadData(const std::string& name) {
  std::ifstream in(std::string(ACTLOG_TESTDATA_DIR) + "/signed_note/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

NoteSigner TestSigner(const std::string& name, uint8_t fill) {
  return *NoteSigner::FromSeed(name, std::vector<uint8_t>(32, fill));
}

TEST(Checkpoint, SpecExampleParses) {
  StatusOr<ParsedNote> note = ParseNote(ReadData("c2sp_checkpoint_example.note"));
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  StatusOr<Checkpoint> cp = ParseCheckpoint(note->text);
  ASSERT_TRUE(cp.ok()) << cp.status().ToString();
  EXPECT_EQ(cp->origin, "example.com/behind-the-sofa");
  EXPECT_EQ(cp->size, 20852163u);
  EXPECT_EQ(HashToBase64(cp->root), "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=");
  EXPECT_TRUE(cp->extensions.empty());
  EXPECT_EQ(*FormatCheckpoint(*cp), note->text);
  ASSERT_EQ(note->signatures.size(), 1u);
  EXPECT_EQ(note->signatures[0].name, "example.com/behind-the-sofa");
  // Its key is not published, so it cannot be opened.
  EXPECT_EQ(
      OpenCheckpoint(ReadData("c2sp_checkpoint_example.note"), {}, "example.com/behind-the-sofa")
          .status()
          .error_code(),
      "unverified_note");
}

TEST(Checkpoint, FormatsAndParsesExtensionsAndTheEmptyTree) {
  Checkpoint cp{"example.com/log", 0, EmptyRootHash(), {"ext one", "ext two"}};
  StatusOr<std::string> text = FormatCheckpoint(cp);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text,
            "example.com/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\next one\next two\n");
  EXPECT_EQ(*ParseCheckpoint(*text), cp);
}

TEST(Checkpoint, RefusesAnythingButTheCanonicalForm) {
  const std::string root = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
  const std::vector<std::string> bad_texts = {
      "",
      "log\n5\n" + root,
      "log\n5\n",
      "\n5\n" + root + "\n",
      "log\n05\n" + root + "\n",
      "log\n-5\n" + root + "\n",
      "log\n+5\n" + root + "\n",
      "log\n5 \n" + root + "\n",
      "log\n\n" + root + "\n",
      "log\nfive\n" + root + "\n",
      "log\n18446744073709551616\n" + root + "\n",
      "log\n5\n" + root.substr(0, root.size() - 1) + "\n",
      "log\n5\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFV=\n",  // non-zero pad bits
      "log\n5\nAAAA\n",
      "log\n5\n" + root + "\n\n",
      "log\n5\n" + root + "\nx\n\ny\n"};
  for (const std::string& bad : bad_texts) {
    EXPECT_EQ(ParseCheckpoint(bad).status().error_code(), "malformed_checkpoint") << bad;
  }
  EXPECT_EQ(ParseCheckpoint("log\n18446744073709551615\n" + root + "\n")->size,
            18446744073709551615u);
  EXPECT_FALSE(FormatCheckpoint({"", 1, EmptyRootHash(), {}}).ok());
  EXPECT_FALSE(FormatCheckpoint({"two\nlines", 1, EmptyRootHash(), {}}).ok());
  EXPECT_FALSE(FormatCheckpoint({"log", 1, EmptyRootHash(), {""}}).ok());
}

TEST(Checkpoint, SignedCheckpointOpensOnlyForItsOriginAndKey) {
  const NoteSigner log_key = TestSigner("actlog.example/acme", 1);
  IncrementalTree tree;
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(tree.Append("event " + std::to_string(i)).ok());
  const Checkpoint cp{"actlog.example/acme", tree.size(), tree.Root(), {}};
  StatusOr<std::string> note = SignCheckpoint(cp, log_key);
  ASSERT_TRUE(note.ok()) << note.status().ToString();

  const std::vector<NoteVerifier> trusted = {log_key.Verifier()};
  StatusOr<Checkpoint> opened = OpenCheckpoint(*note, trusted, "actlog.example/acme");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, cp);

  EXPECT_EQ(OpenCheckpoint(*note, trusted, "actlog.example/other").status().error_code(),
            "wrong_origin");
  // Same name, different key: unknown, so the note is unverified.
  const std::vector<NoteVerifier> impostor = {TestSigner("actlog.example/acme", 2).Verifier()};
  EXPECT_EQ(OpenCheckpoint(*note, impostor, "actlog.example/acme").status().error_code(),
            "unverified_note");
  // Changing the size or the root breaks the signature.
  std::string grown = *note;
  grown.replace(grown.find("\n10\n"), 4, "\n11\n");
  EXPECT_EQ(OpenCheckpoint(grown, trusted, "actlog.example/acme").status().error_code(),
            "invalid_signature");
}

TEST(Checkpoint, WitnessCosignaturesFromUnknownKeysAreIgnored) {
  const NoteSigner log_key = TestSigner("actlog.example/acme", 1);
  const NoteSigner witness = TestSigner("witness.example", 3);
  const std::string text = *FormatCheckpoint({"actlog.example/acme", 3, LeafHash("x"), {}});
  const std::vector<NoteSigner> signers = {log_key, witness};
  StatusOr<std::string> note = SignNote(text, signers);
  ASSERT_TRUE(note.ok());
  const std::vector<NoteVerifier> log_only = {log_key.Verifier()};
  EXPECT_TRUE(OpenCheckpoint(*note, log_only, "actlog.example/acme").ok());
  const std::vector<NoteVerifier> both = {log_key.Verifier(), witness.Verifier()};
  StatusOr<VerifiedNote> opened = OpenNote(*note, both);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->verified.size(), 2u);
}

TEST(NoteSigner, GeneratedKeysRoundTripThroughTheirStrings) {
  StatusOr<NoteSigner> a = NoteSigner::Generate("actlog.example/acme");
  StatusOr<NoteSigner> b = NoteSigner::Generate("actlog.example/acme");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->KeyString(), b->KeyString());
  StatusOr<NoteSigner> again = NoteSigner::Parse(a->KeyString());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->Sign("hello\n"), a->Sign("hello\n"));
  StatusOr<NoteVerifier> v = NoteVerifier::Parse(a->Verifier().KeyString());
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->Verify("hello\n", a->Sign("hello\n")));
  EXPECT_FALSE(v->Verify("hello!\n", a->Sign("hello\n")));
  EXPECT_FALSE(v->Verify("hello\n", b->Sign("hello\n")));
  EXPECT_FALSE(v->Verify("hello\n", a->Sign("hello\n").substr(1)));
}

}  // namespace
}  // namespace actlog::integrity
