// CheckpointSigner: the background thread that keeps every growing org's checkpoint at
// most about one interval behind its tree (checkpointer.h).
#include <cstdio>

#include "integrity/checkpointer.h"

namespace actlog::integrity {

void CheckpointSigner::Start() {
  if (thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { Loop(); });
}

void CheckpointSigner::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void CheckpointSigner::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    RunOnce();
    lock.lock();
  }
}

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
