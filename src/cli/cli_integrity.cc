// Key and file helpers of the integrity commands (cli_integrity.h).
#include "cli/cli_integrity.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace actlog::cli {

StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return NotFound("no file " + path);
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) return Internal("cannot read " + path);
  return text.str();
}

namespace {

std::string FirstLine(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

StatusOr<integrity::NoteVerifier> ReadVerifierKey(const std::string& text_or_file) {
  StatusOr<std::string> file = ReadWholeFile(text_or_file);
  std::string vkey = file.ok() ? FirstLine(*file) : text_or_file;
  StatusOr<integrity::NoteVerifier> verifier = integrity::NoteVerifier::Parse(vkey);
  if (!verifier.ok()) {
    return InvalidArgument("malformed_key",
                           "--key " + text_or_file +
                               " is neither a verifier key nor a file holding one (" +
                               verifier.status().message() + ")");
  }
  return verifier;
}

StatusOr<std::optional<integrity::NoteVerifier>> VerifierOfKeyFile(const std::string& skey_file) {
  StatusOr<std::string> file = ReadWholeFile(skey_file);
  if (!file.ok()) {
    if (file.status().code() == StatusCode::kNotFound) {
      return std::optional<integrity::NoteVerifier>();
    }
    return file.status();
  }
  StatusOr<integrity::NoteSigner> signer = integrity::NoteSigner::Parse(FirstLine(*file));
  if (!signer.ok()) {
    return InvalidArgument("malformed_key",
                           "checkpoint key " + skey_file + ": " + signer.status().message());
  }
  return std::optional<integrity::NoteVerifier>(signer->Verifier());
}

std::string OriginOf(const integrity::NoteVerifier& key, std::string_view org) {
  return key.name() + "/" + std::string(org);
}

}  // namespace actlog::cli
