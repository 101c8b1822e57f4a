// Signed-note syntax: parsing, signing and opening (verifying) notes.
#include "actlog/signed_note.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "integrity/encoding.h"

namespace actlog::integrity {

namespace {

constexpr std::string_view kSigPrefix = "\xE2\x80\x94 ";  // em dash U+2014, space

Status Malformed(std::string message) {
  return InvalidArgument("malformed_note", std::move(message));
}

// Valid UTF-8 with no ASCII control character other than newline.
bool IsValidNoteText(std::string_view s) {
  for (std::size_t pos = 0; pos < s.size();) {
    std::optional<char32_t> c = encoding::DecodeUtf8(s, &pos);
    if (!c || (*c < 0x20 && *c != U'\n')) return false;
  }
  return true;
}

StatusOr<NoteSignature> ParseSignatureLine(std::string_view line) {
  if (!line.starts_with(kSigPrefix)) return Malformed("signature line must start with '— '");
  line.remove_prefix(kSigPrefix.size());
  const std::size_t space = line.find(' ');
  if (space == std::string_view::npos) return Malformed("signature line has no signature");
  std::string_view name = line.substr(0, space);
  std::optional<std::string> raw = encoding::Base64Decode(line.substr(space + 1));
  if (!IsValidKeyName(name)) return Malformed("invalid key name in signature line");
  if (!raw || raw->size() < 5) return Malformed("signature is not base64 of 5 or more bytes");
  NoteSignature sig;
  sig.name = std::string(name);
  for (int i = 0; i < 4; ++i) sig.key_id = sig.key_id << 8 | static_cast<uint8_t>((*raw)[i]);
  sig.signature = raw->substr(4);
  return sig;
}

std::string SignatureLine(const NoteSignature& sig) {
  std::string raw;
  for (int shift = 24; shift >= 0; shift -= 8) {
    raw.push_back(static_cast<char>(sig.key_id >> shift));
  }
  raw += sig.signature;
  return std::string(kSigPrefix) + sig.name + " " + encoding::Base64Encode(raw) + "\n";
}

}  // namespace

StatusOr<ParsedNote> ParseNote(std::string_view note) {
  if (note.size() > kMaxNoteBytes) return Malformed("note is larger than 1 MiB");
  if (!IsValidNoteText(note)) return Malformed("note is not UTF-8 or has control characters");
  // The text ends at the last blank line; the signature block after it ends in '\n'.
  const std::size_t split = note.rfind("\n\n");
  if (split == std::string_view::npos) return Malformed("note has no signature block");
  ParsedNote parsed;
  parsed.text = std::string(note.substr(0, split + 1));
  std::string_view sigs = note.substr(split + 2);
  if (sigs.empty() || sigs.back() != '\n') return Malformed("signature block must end in '\\n'");
  while (!sigs.empty()) {
    const std::size_t eol = sigs.find('\n');
    if (parsed.signatures.size() == kMaxNoteSignatures) {
      return Malformed("note has more than 100 signatures");
    }
    StatusOr<NoteSignature> sig = ParseSignatureLine(sigs.substr(0, eol));
    if (!sig.ok()) return sig.status();
    parsed.signatures.push_back(std::move(*sig));
    sigs.remove_prefix(eol + 1);
  }
  return parsed;
}

StatusOr<std::string> SignNote(std::string_view text, std::span<const NoteSigner> signers) {
  if (text.empty() || text.back() != '\n' || !IsValidNoteText(text)) {
    return Malformed("note text must be UTF-8 without control characters, ending in '\\n'");
  }
  if (signers.empty() || signers.size() > kMaxNoteSignatures) {
    return Malformed("a note needs 1 to 100 signatures");
  }
  std::string note(text);
  note.push_back('\n');
  for (const NoteSigner& signer : signers) {
    note += SignatureLine({signer.name(), signer.key_id(), signer.Sign(text)});
  }
  if (note.size() > kMaxNoteBytes) return Malformed("note is larger than 1 MiB");
  return note;
}

StatusOr<VerifiedNote> OpenNote(std::string_view note, std::span<const NoteVerifier> known) {
  StatusOr<ParsedNote> parsed = ParseNote(note);
  if (!parsed.ok()) return parsed.status();
  using KeyRef = std::pair<std::string_view, uint32_t>;  // views into `known` and `parsed`
  std::multimap<KeyRef, const NoteVerifier*> by_id;
  for (const NoteVerifier& v : known) by_id.emplace(KeyRef(v.name(), v.key_id()), &v);

  VerifiedNote out;
  out.text = std::move(parsed->text);
  std::set<std::pair<std::string, uint32_t>> verified_keys;
  for (NoteSignature& sig : parsed->signatures) {
    const KeyRef key(sig.name, sig.key_id);
    const std::size_t matches = by_id.count(key);
    if (matches == 0) {  // unknown key: keep for the record, merge identical lines
      if (std::find(out.unverified.begin(), out.unverified.end(), sig) == out.unverified.end()) {
        out.unverified.push_back(std::move(sig));
      }
      continue;
    }
    char id_hex[9];
    std::snprintf(id_hex, sizeof(id_hex), "%08x", static_cast<unsigned>(sig.key_id));
    const std::string key_name = sig.name + "+" + id_hex;
    if (matches > 1) {
      return InvalidArgument("ambiguous_key", "several known keys are " + key_name);
    }
    if (!verified_keys.emplace(sig.name, sig.key_id).second) continue;  // one per key
    if (!by_id.find(key)->second->Verify(out.text, sig.signature)) {
      return Status(StatusCode::kDataLoss, "invalid_signature",
                    "signature by known key " + key_name + " does not verify");
    }
    out.verified.push_back(std::move(sig));
  }
  if (out.verified.empty()) {
    return Status(StatusCode::kPermissionDenied, "unverified_note",
                  "note has no signature by a known key");
  }
  return out;
}

}  // namespace actlog::integrity
