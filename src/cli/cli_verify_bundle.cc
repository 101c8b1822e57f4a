// actlog verify BUNDLE --key VKEY [--pinned CHECKPOINT]: checks an export bundle offline
// (integrity/bundle.h): the checkpoint's signature, every event's leaf and inclusion, the
// event count, and consistency with the pinned checkpoint. Stops at the first failure,
// which it names. Output (stdout), one line:
//   <bundle>: ok, org <org>, <n> events included in the checkpoint of size <s> [, …pinned…]
//   <bundle>: FAILED (<code>) [seq <seq> [id <id>]:] <message>
#include <cstdio>
#include <fstream>
#include <string>

#include "cli/cli_common.h"
#include "cli/cli_integrity.h"
#include "cli/cli_verify.h"
#include "integrity/bundle.h"

namespace actlog::cli {

int RunVerifyBundle(const VerifyFlags& flags) {
  if (flags.key.empty()) {
    PrintError("verifying a bundle needs --key VKEY (the log's public key, GET /v1/public-key)");
    return kExitUsage;
  }
  StatusOr<integrity::NoteVerifier> key = ReadVerifierKey(flags.key);
  if (!key.ok()) return FailWith(key.status());
  std::optional<std::string> pinned;
  if (!flags.pinned.empty()) {
    StatusOr<std::string> text = ReadWholeFile(flags.pinned);
    if (!text.ok()) return FailWith(text.status());
    pinned = *text;
  }
  std::ifstream in(flags.bundle, std::ios::binary);
  if (!in) return FailWith(NotFound("cannot read bundle " + flags.bundle));

  integrity::BundleVerifier verifier(*key, pinned);
  std::string line;
  while (std::getline(in, line) && verifier.Line(line)) {
  }
  if (in.bad()) return FailWith(Internal("cannot read bundle " + flags.bundle));
  bool ok = verifier.failure() ? false : verifier.Finish();
  if (!ok) {
    const integrity::BundleFailure& f = *verifier.failure();
    std::string what;
    if (f.seq) what = "seq " + std::to_string(*f.seq) + (f.id.empty() ? "" : " id " + f.id) + ": ";
    std::printf("%s: FAILED (%s) %s%s\n", flags.bundle.c_str(), f.code.c_str(), what.c_str(),
                f.message.c_str());
  } else {
    std::string pinned_text;
    if (verifier.pinned_checked()) pinned_text = ", consistent with the pinned checkpoint";
    std::printf("%s: ok, org %s, %llu events included in the checkpoint of size %llu (%s)%s\n",
                flags.bundle.c_str(), verifier.org().c_str(),
                static_cast<unsigned long long>(verifier.events()),
                static_cast<unsigned long long>(verifier.checkpoint().size),
                verifier.checkpoint().origin.c_str(), pinned_text.c_str());
  }
  if (std::fflush(stdout) != 0) return FailWith(Internal("cannot write to stdout"));
  return ok ? kExitOk : kExitRejected;
}

}  // namespace actlog::cli
