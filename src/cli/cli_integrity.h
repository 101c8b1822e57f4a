// Pieces the integrity commands (verify, export --bundle, witness) share: reading the
// checkpoint keys people pass on the command line, and the origin of an org's log.
// Single-threaded, like every command.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "actlog/signed_note.h"
#include "actlog/status.h"
#include "cli/cli_remote.h"

namespace actlog::cli {

// A verifier key given as the vkey text itself or as a file holding it (first line).
// InvalidArgument "malformed_key" if neither parses.
StatusOr<integrity::NoteVerifier> ReadVerifierKey(const std::string& text_or_file);

// The verifier of the signer key file `skey_file` (what `actlog serve` signs with);
// nullopt if the file does not exist.
StatusOr<std::optional<integrity::NoteVerifier>> VerifierOfKeyFile(const std::string& skey_file);

// An org's origin under a log key: "<key name>/<org>" (a log signs with a key of its name).
std::string OriginOf(const integrity::NoteVerifier& key, std::string_view org);

// A whole file, or NotFound / Internal naming it.
StatusOr<std::string> ReadWholeFile(const std::string& path);

}  // namespace actlog::cli

namespace actlog {
class Store;
struct EventQuery;
}  // namespace actlog

namespace actlog::cli {

// actlog export --bundle: what it needs besides the event filters.
struct BundleFlags {
  std::string path;            // the bundle file to write
  std::string data_dir;        // where checkpoint.key is by default
  std::string checkpoint_key;  // the server's signer key file; empty = <data_dir>/checkpoint.key
  std::string log_name = "actlog";
  std::string pinned;  // a checkpoint file: add a consistency proof from its size
};

// Writes the bundle of the org's events that `query` matches (integrity/bundle.h),
// against its newest checkpoint (signed now, with the server's key, if the tree grew).
// Events appended after that checkpoint are left out. Returns the exit code.
int WriteBundle(Store& store, EventQuery query, const BundleFlags& flags);

// The remote runner of `export` (main.cc): a bundle over the HTTP API when --bundle is
// given (cli_export_bundle.cc), else RunRemoteExport.
int RunRemoteExportOrBundle(CLI::App* cmd, const RemoteOptions& remote);

}  // namespace actlog::cli
