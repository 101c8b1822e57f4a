// tlog-checkpoint note bodies.
#include <charconv>

#include "actlog/signed_note.h"

namespace actlog::integrity {

namespace {

Status Malformed(std::string message) {
  return InvalidArgument("malformed_checkpoint", std::move(message));
}

bool IsLine(std::string_view s) { return !s.empty() && s.find('\n') == std::string_view::npos; }

}  // namespace

StatusOr<std::string> FormatCheckpoint(const Checkpoint& checkpoint) {
  if (!IsLine(checkpoint.origin)) return Malformed("origin must be one non-empty line");
  std::string text = checkpoint.origin + "\n" + std::to_string(checkpoint.size) + "\n" +
                     HashToBase64(checkpoint.root) + "\n";
  for (const std::string& ext : checkpoint.extensions) {
    if (!IsLine(ext)) return Malformed("extension lines must be single and non-empty");
    text += ext + "\n";
  }
  return text;
}

StatusOr<Checkpoint> ParseCheckpoint(std::string_view text) {
  if (text.empty() || text.back() != '\n') return Malformed("checkpoint must end in '\\n'");
  std::vector<std::string_view> lines;
  for (std::string_view rest = text; !rest.empty();) {
    const std::size_t eol = rest.find('\n');
    lines.push_back(rest.substr(0, eol));
    rest.remove_prefix(eol + 1);
  }
  if (lines.size() < 3) return Malformed("checkpoint needs origin, size and root lines");
  for (std::string_view line : lines) {
    if (line.empty()) return Malformed("checkpoint lines must not be empty");
  }
  Checkpoint cp;
  cp.origin = std::string(lines[0]);
  std::string_view size = lines[1];
  if (size.size() > 1 && size[0] == '0') return Malformed("tree size has leading zeros");
  auto [ptr, ec] = std::from_chars(size.data(), size.data() + size.size(), cp.size);
  if (ec != std::errc() || ptr != size.data() + size.size()) {
    return Malformed("tree size is not a decimal number that fits 64 bits");
  }
  StatusOr<Hash> root = HashFromBase64(lines[2]);
  if (!root.ok()) return Malformed("root hash is not base64 of 32 bytes");
  cp.root = *root;
  for (std::size_t i = 3; i < lines.size(); ++i) cp.extensions.emplace_back(lines[i]);
  return cp;
}

StatusOr<std::string> SignCheckpoint(const Checkpoint& checkpoint, const NoteSigner& signer) {
  StatusOr<std::string> text = FormatCheckpoint(checkpoint);
  if (!text.ok()) return text.status();
  return SignNote(*text, std::span<const NoteSigner>(&signer, 1));
}

StatusOr<Checkpoint> OpenCheckpoint(std::string_view note, std::span<const NoteVerifier> known,
                                    std::string_view origin) {
  StatusOr<VerifiedNote> opened = OpenNote(note, known);
  if (!opened.ok()) return opened.status();
  StatusOr<Checkpoint> cp = ParseCheckpoint(opened->text);
  if (!cp.ok()) return cp.status();
  if (cp->origin != origin) {
    return Status(StatusCode::kPermissionDenied, "wrong_origin",
                  "checkpoint is for " + cp->origin + ", not " + std::string(origin));
  }
  return cp;
}

}  // namespace actlog::integrity
