// actlog verify's flags, shared by its two modes: a data directory (cli_verify.cc) and an
// export bundle (cli_verify_bundle.cc).
#pragma once

#include <string>

namespace actlog::cli {

struct VerifyFlags {
  std::string bundle;  // positional: a bundle file; empty = check --data
  std::string data_dir = "./data";
  std::string org;
  std::string key;             // verifier key text or file
  std::string checkpoint_key;  // the server's signer key file (data mode, without --key)
  std::string pinned;          // bundle mode: a trusted checkpoint file
};

// actlog verify BUNDLE --key VKEY [--pinned CHECKPOINT]: exit 0 ok, 1 a check failed,
// 2 unreadable input.
int RunVerifyBundle(const VerifyFlags& flags);

}  // namespace actlog::cli
