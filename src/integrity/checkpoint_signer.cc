// CheckpointSigner: the background thread that keeps every growing org's checkpoint at
// most about one interval behind its tree (checkpointer.h).
#include <cstdio>

#include "integrity/checkpointer.h"

namespace actlog::integrity {

void CheckpointSigner::Start() {
  thread_.Start(interval_, PeriodicThread::FirstRun::kAfterInterval, [this] { RunOnce(); });
}

void CheckpointSigner::Stop() { thread_.Stop(); }

void CheckpointSigner::RunOnce() {
  StatusOr<std::vector<OrgInfo>> orgs = store_->ListOrgs();
  if (!orgs.ok()) {
    std::fprintf(stderr, "checkpoints: cannot list orgs: %s\n", orgs.status().ToString().c_str());
    return;
  }
  for (const OrgInfo& org : *orgs) {
    auto done = signed_.find(org.org);
    if (org.event_count == 0 || (done != signed_.end() && done->second == org.event_count)) {
      continue;
    }
    StatusOr<SignedCheckpoint> latest = checkpointer_->LatestSigned(org.org);
    if (latest.ok()) {
      signed_[org.org] = latest->body.size;
      error_.erase(org.org);
      continue;
    }
    if (latest.status().error_code() == "unsupported") {
      signed_[org.org] = org.event_count;  // a store without a tree: nothing to sign
      continue;
    }
    std::string message = latest.status().ToString();
    auto& last = error_[org.org];
    if (last != message) {
      std::fprintf(stderr, "checkpoints: org %s: %s\n", org.org.c_str(), message.c_str());
      last = message;
    }
  }
}

}  // namespace actlog::integrity
