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

Status BadKey(const std::string& path, const std::string& why) {
  return InvalidArgument("invalid_checkpoint_key", "checkpoint key " + path + ": " + why);
}

}  // namespace

StatusOr<NoteSigner> LoadOrCreateCheckpointKey(const std::string& path, std::string_view log_name) {
  std::ifstream in(path, std::ios::binary);
  if (in) {
    std::stringstream text;
    text << in.rdbuf();
    std::string skey = text.str();
    while (!skey.empty() && (skey.back() == '\n' || skey.back() == '\r')) skey.pop_back();
    StatusOr<NoteSigner> signer = NoteSigner::Parse(skey);
    if (!signer.ok())
      return BadKey(path, "not a signed-note signer key: " + signer.status().message());
    if (signer->name() != log_name) {
      return BadKey(path, "the key is named " + signer->name() + ", the log " +
                              std::string(log_name) + " (a log signs with a key of its name)");
    }
    return signer;
  }
  if (!IsValidKeyName(log_name)) {
    return BadKey(path, "log name \"" + std::string(log_name) + "\" cannot name a key");
  }
  StatusOr<NoteSigner> signer = NoteSigner::Generate(log_name);
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

StatusOr<std::unique_ptr<Checkpointer>> Checkpointer::Open(Store* store, const Clock* clock,
                                                           const std::string& key_file,
                                                           std::string_view log_name) {
  StatusOr<NoteSigner> signer = LoadOrCreateCheckpointKey(key_file, log_name);
  if (!signer.ok()) return signer.status();
  return std::unique_ptr<Checkpointer>(
      new Checkpointer(store, clock, std::move(signer).value(), std::string(log_name)));
}

std::string Checkpointer::Origin(std::string_view org) const {
  return log_name_ + "/" + std::string(org);
}

StatusOr<std::string> Checkpointer::Latest(std::string_view org) {
  StatusOr<SignedCheckpoint> latest = LatestSigned(org);
  if (!latest.ok()) return latest.status();
  return std::move(latest->note);
}

StatusOr<std::optional<SignedCheckpoint>> Checkpointer::LastKept(std::string_view org) {
  StatusOr<std::string> kept = store_->LatestCheckpoint(org);
  if (!kept.ok()) {
    if (kept.status().code() == StatusCode::kNotFound) return std::optional<SignedCheckpoint>();
    return kept.status();
  }
  auto cached = last_opened_.find(org);
  if (cached != last_opened_.end() && cached->second.note == *kept) {
    return std::optional<SignedCheckpoint>(cached->second);
  }
  std::vector<NoteVerifier> mine = {signer_.Verifier()};
  StatusOr<Checkpoint> opened = OpenCheckpoint(*kept, mine, Origin(org));
  if (!opened.ok()) return opened.status();
  SignedCheckpoint last{std::move(kept).value(), std::move(opened).value()};
  last_opened_[std::string(org)] = last;
  return std::optional<SignedCheckpoint>(std::move(last));
}

StatusOr<SignedCheckpoint> Checkpointer::SignExtension(std::string_view org,
                                                       const std::optional<SignedCheckpoint>& last,
                                                       const TreeHead& head) {
  Checkpoint next{Origin(org), head.size, AsHash(head.root), {}};
  if (last) {
    const Checkpoint& prev = last->body;
    if (head.size < prev.size) {
      return DataLoss("the tree of org " + std::string(org) +
                      " is smaller than its last checkpoint");
    }
    StatusOr<std::vector<std::string>> proof = store_->ConsistencyProof(org, prev.size, head.size);
    if (!proof.ok()) return proof.status();
    std::vector<Hash> hashes;
    for (const std::string& h : *proof) hashes.push_back(AsHash(h));
    Status consistent = VerifyConsistency(prev.size, head.size, prev.root, next.root, hashes);
    if (!consistent.ok()) {
      return DataLoss("the tree of org " + std::string(org) +
                      " does not extend its last checkpoint: " + consistent.message());
    }
  }
  StatusOr<std::string> note = SignCheckpoint(next, signer_);
  if (!note.ok()) return note.status();
  return SignedCheckpoint{std::move(note).value(), std::move(next)};
}

StatusOr<SignedCheckpoint> Checkpointer::LatestSigned(std::string_view org) {
  std::lock_guard<std::mutex> lock(mu_);
  StatusOr<std::optional<SignedCheckpoint>> last = LastKept(org);
  if (!last.ok()) return last.status();
  StatusOr<TreeHead> head = store_->GetTreeHead(org);
  if (!head.ok()) return head.status();
  int64_t now = clock_->NowMicros();
  auto signed_at = last_signed_us_.find(org);
  bool recent =
      signed_at != last_signed_us_.end() && now - signed_at->second < kMinCheckpointIntervalMicros;
  if (*last && ((*last)->body.size == head->size || recent)) return **last;

  StatusOr<SignedCheckpoint> next = SignExtension(org, *last, *head);
  if (!next.ok()) return next.status();
  Status put = store_->PutCheckpoint(org, next->body.size, next->note);
  if (put.code() == StatusCode::kAlreadyExists) {
    // Another server on the same store signed this size first: serve the kept one.
    StatusOr<std::optional<SignedCheckpoint>> kept = LastKept(org);
    if (!kept.ok()) return kept.status();
    if (*kept) return **kept;
  }
  ACTLOG_RETURN_IF_ERROR(put);
  last_signed_us_[std::string(org)] = now;
  last_opened_[std::string(org)] = *next;
  return next;
}

}  // namespace actlog::integrity
