// Checkpointer: the key file, and signing checkpoints that never contradict earlier ones.
#include "integrity/checkpointer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace actlog::integrity {
namespace {

Hash AsHash(const std::string& bytes) {
  Hash h{};
  std::memcpy(h.data(), bytes.data(), std::min(bytes.size(), h.size()));
  return h;
}

StatusOr<NoteSigner> LoadOrCreateKey(const std::string& path, std::string_view name) {
  std::ifstream in(path, std::ios::binary);
  if (in) {
    std::stringstream text;
    text << in.rdbuf();
    std::string skey = text.str();
    while (!skey.empty() && (skey.back() == '\n' || skey.back() == '\r')) skey.pop_back();
    return NoteSigner::Parse(skey);
  }
  StatusOr<NoteSigner> signer = NoteSigner::Generate(name);
  if (!signer.ok()) return signer.status();
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Internal("cannot create " + path + ": " + std::strerror(errno));
  std::string text = signer->KeyString() + "\n";
  bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                 ::fsync(fd) == 0;
  ::close(fd);
  if (!written) return Internal("cannot write " + path);
  return signer;
}

}  // namespace

StatusOr<std::unique_ptr<Checkpointer>> Checkpointer::Open(Store* store, const Clock* clock,
                                                           const std::string& key_file,
                                                           std::string_view log_name) {
  StatusOr<NoteSigner> signer = LoadOrCreateKey(key_file, log_name);
  if (!signer.ok()) return signer.status();
  return std::unique_ptr<Checkpointer>(
      new Checkpointer(store, clock, std::move(signer).value(), std::string(log_name)));
}

std::string Checkpointer::Origin(std::string_view org) const {
  return log_name_ + "/" + std::string(org);
}

StatusOr<std::string> Checkpointer::Latest(std::string_view org) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<NoteVerifier> mine = {signer_.Verifier()};
  std::optional<Checkpoint> last;
  StatusOr<std::string> kept = store_->LatestCheckpoint(org);
  if (kept.ok()) {
    StatusOr<Checkpoint> opened = OpenCheckpoint(*kept, mine, Origin(org));
    if (!opened.ok()) return opened.status();
    last = *opened;
  } else if (kept.status().code() != StatusCode::kNotFound) {
    return kept.status();
  }
  StatusOr<TreeHead> head = store_->GetTreeHead(org);
  if (!head.ok()) return head.status();
  int64_t now = clock_->NowMicros();
  auto signed_at = last_signed_us_.find(org);
  bool recent = signed_at != last_signed_us_.end() &&
                now - signed_at->second < kMinCheckpointIntervalMicros;
  if (last && (head->size == last->size || recent)) return *kept;

  Checkpoint next{Origin(org), head->size, AsHash(head->root), {}};
  if (last) {
    if (head->size < last->size) {
      return DataLoss("the tree of org " + std::string(org) + " is smaller than its last checkpoint");
    }
    StatusOr<std::vector<std::string>> proof =
        store_->ConsistencyProof(org, last->size, head->size);
    if (!proof.ok()) return proof.status();
    std::vector<Hash> hashes;
    for (const std::string& h : *proof) hashes.push_back(AsHash(h));
    Status consistent = VerifyConsistency(last->size, head->size, last->root, next.root, hashes);
    if (!consistent.ok()) {
      return DataLoss("the tree of org " + std::string(org) +
                      " does not extend its last checkpoint: " + consistent.message());
    }
  }
  StatusOr<std::string> note = SignCheckpoint(next, signer_);
  if (!note.ok()) return note.status();
  ACTLOG_RETURN_IF_ERROR(store_->PutCheckpoint(org, next.size, *note));
  last_signed_us_[std::string(org)] = now;
  return note;
}

}  // namespace actlog::integrity
