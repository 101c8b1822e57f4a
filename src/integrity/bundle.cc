// Export bundles: writing the lines and verifying them (bundle.h).
#include "integrity/bundle.h"

#include <cmath>

#include "actlog/event.h"
#include "integrity/encoding.h"

namespace actlog::integrity {
namespace {

Json Base64Array(std::span<const std::string> items) {
  Json::Array out;
  for (const std::string& item : items) out.push_back(Json::String(encoding::Base64Encode(item)));
  return Json::MakeArray(std::move(out));
}

std::string Line(const Json& object) { return CanonicalJson(object) + "\n"; }

Json Number(uint64_t n) { return Json::Number(static_cast<double>(n)); }

// A whole number in [0, 2^53], or nullopt.
std::optional<uint64_t> Count(const Json* value) {
  if (value == nullptr || !value->is_number()) return std::nullopt;
  double d = value->as_number();
  if (d < 0 || d > 9007199254740992.0 || std::floor(d) != d) return std::nullopt;
  return static_cast<uint64_t>(d);
}

const std::string* Text(const Json& object, std::string_view key) {
  const Json* v = object.Find(key);
  return v != nullptr && v->is_string() ? &v->as_string() : nullptr;
}

std::optional<std::vector<Hash>> Hashes(const Json* value) {
  if (value == nullptr || !value->is_array() || value->as_array().size() > kMaxProofHashes) {
    return std::nullopt;
  }
  std::vector<Hash> out;
  for (const Json& item : value->as_array()) {
    if (!item.is_string()) return std::nullopt;
    StatusOr<Hash> h = HashFromBase64(item.as_string());
    if (!h.ok()) return std::nullopt;
    out.push_back(*h);
  }
  return out;
}

}  // namespace

std::string BundleHeaderLine(std::string_view org, std::string_view checkpoint_note) {
  Json o = Json::MakeObject();
  o.Set("type", Json::String("header"));
  o.Set("format", Json::String(std::string(kBundleFormat)));
  o.Set("org", Json::String(std::string(org)));
  o.Set("checkpoint", Json::String(std::string(checkpoint_note)));
  return Line(o);
}

std::string BundleConsistencyLine(uint64_t from, uint64_t to, std::span<const std::string> hashes) {
  Json o = Json::MakeObject();
  o.Set("type", Json::String("consistency"));
  o.Set("from", Number(from));
  o.Set("to", Number(to));
  o.Set("hashes", Base64Array(hashes));
  return Line(o);
}

std::string BundleEventLine(uint64_t seq, std::string_view leaf,
                            std::span<const std::string> proof) {
  Json o = Json::MakeObject();
  o.Set("type", Json::String("event"));
  o.Set("seq", Number(seq));
  o.Set("leaf", Json::String(encoding::Base64Encode(leaf)));
  o.Set("proof", Base64Array(proof));
  return Line(o);
}

std::string BundleEndLine(uint64_t events) {
  Json o = Json::MakeObject();
  o.Set("type", Json::String("end"));
  o.Set("events", Number(events));
  return Line(o);
}

bool BundleVerifier::Fail(std::string code, std::string message, std::optional<uint64_t> seq,
                          std::string id) {
  if (!failure_) failure_ = BundleFailure{std::move(code), std::move(message), seq, std::move(id)};
  return false;
}

bool BundleVerifier::Line(std::string_view text) {
  if (failure_) return false;
  ++line_number_;
  std::string where = "line " + std::to_string(line_number_);
  if (end_seen_) return Fail("malformed_bundle", where + ": a line after the end line");
  StatusOr<Json> line = ParseJson(text);
  if (!line.ok() || !line->is_object()) {
    return Fail("malformed_bundle", where + ": not a JSON object");
  }
  const std::string* type = Text(*line, "type");
  if (type == nullptr) return Fail("malformed_bundle", where + ": no \"type\"");
  if (!header_seen_ && *type != "header") {
    return Fail("malformed_bundle", "the bundle does not start with its header line");
  }
  if (*type == "header") {
    if (header_seen_) return Fail("malformed_bundle", where + ": a second header");
    return Header(*line);
  }
  if (*type == "consistency") {
    if (events_ > 0) return Fail("malformed_bundle", where + ": consistency after events");
    return Consistency(*line);
  }
  if (*type == "event") return CheckPinned() && Event(*line);
  if (*type == "end") {
    std::optional<uint64_t> count = Count(line->Find("events"));
    if (!count) return Fail("malformed_bundle", where + ": the end line has no event count");
    end_seen_ = true;
    if (*count != events_) {
      return Fail("truncated", "the bundle holds " + std::to_string(events_) +
                                   " events, its end line says " + std::to_string(*count) +
                                   " (events removed or added)");
    }
    return CheckPinned();
  }
  return Fail("malformed_bundle", where + ": unknown type \"" + *type + "\"");
}

bool BundleVerifier::Header(const Json& line) {
  header_seen_ = true;
  const std::string* format = Text(line, "format");
  const std::string* org = Text(line, "org");
  const std::string* note = Text(line, "checkpoint");
  if (format == nullptr || *format != kBundleFormat) {
    return Fail("malformed_bundle", "not an " + std::string(kBundleFormat) + " bundle");
  }
  if (org == nullptr || note == nullptr) {
    return Fail("malformed_bundle", "the header lacks its org or checkpoint");
  }
  org_ = *org;
  std::vector<NoteVerifier> known = {key_};
  std::string origin = key_.name() + "/" + org_;
  StatusOr<Checkpoint> cp = OpenCheckpoint(*note, known, origin);
  if (!cp.ok()) {
    return Fail("bad_checkpoint", "the bundle's checkpoint does not verify as " + origin +
                                      " with key " + key_.KeyString() + ": " +
                                      cp.status().ToString());
  }
  checkpoint_ = *cp;
  if (pinned_note_) {
    StatusOr<Checkpoint> pinned = OpenCheckpoint(*pinned_note_, known, origin);
    if (!pinned.ok()) {
      return Fail("bad_checkpoint", "the pinned checkpoint does not verify as " + origin + ": " +
                                        pinned.status().ToString());
    }
    pinned_ = *pinned;
  }
  return true;
}

bool BundleVerifier::Consistency(const Json& line) {
  std::optional<uint64_t> from = Count(line.Find("from")), to = Count(line.Find("to"));
  std::optional<std::vector<Hash>> hashes = Hashes(line.Find("hashes"));
  if (!from || !to || !hashes) {
    return Fail("malformed_bundle", "line " + std::to_string(line_number_) +
                                        ": a consistency line needs from, to and base64 hashes");
  }
  links_.push_back({*from, *to, std::move(*hashes)});
  return true;
}

bool BundleVerifier::CheckPinned() {
  if (pinned_checked_ || !pinned_) return true;
  pinned_checked_ = true;
  const Checkpoint& p = *pinned_;
  const Checkpoint& c = checkpoint_;
  std::string sizes =
      " (pinned size " + std::to_string(p.size) + ", bundle size " + std::to_string(c.size) + ")";
  if (p.size == c.size) {
    if (p.root == c.root) return true;
    return Fail("pinned_mismatch",
                "the bundle's checkpoint and the pinned one sign the same size with different "
                "roots: the log forked" +
                    sizes);
  }
  uint64_t lo = std::min(p.size, c.size), hi = std::max(p.size, c.size);
  const Hash& lo_root = p.size < c.size ? p.root : c.root;
  const Hash& hi_root = p.size < c.size ? c.root : p.root;
  for (const Link& link : links_) {
    if (link.from != lo || link.to != hi) continue;
    Status ok = VerifyConsistency(lo, hi, lo_root, hi_root, link.hashes);
    if (ok.ok()) return true;
    return Fail("inconsistent",
                "the bundle's checkpoint is not consistent with the pinned one (history was "
                "rewritten or forked)" +
                    sizes + ": " + ok.message());
  }
  return Fail("missing_consistency",
              "the bundle carries no consistency proof between the pinned checkpoint and its "
              "own" +
                  sizes + "; export it with --pinned");
}

bool BundleVerifier::Event(const Json& line) {
  std::optional<uint64_t> seq = Count(line.Find("seq"));
  const std::string* leaf_b64 = Text(line, "leaf");
  std::optional<std::vector<Hash>> proof = Hashes(line.Find("proof"));
  std::string where = "line " + std::to_string(line_number_);
  if (!seq) return Fail("malformed_bundle", where + ": an event line without its seq");
  std::optional<std::string> leaf =
      leaf_b64 != nullptr ? encoding::Base64Decode(*leaf_b64) : std::nullopt;
  if (!leaf || !proof) {
    return Fail("bad_event", "its leaf or proof is not valid base64", seq);
  }
  ++events_;
  StatusOr<actlog::Event> event = DecodeEvent(*leaf);
  std::string id = event.ok() ? event->id : "";
  if (!seen_.insert(*seq).second) return Fail("bad_event", "appears twice in the bundle", seq, id);
  if (!event.ok()) {
    return Fail("bad_event", "its leaf is not an event: " + event.status().message(), seq);
  }
  if (event->org != org_ || event->seq != *seq) {
    return Fail("bad_event",
                "its leaf is event seq " + std::to_string(event->seq) + " of org " + event->org +
                    ", not seq " + std::to_string(*seq) + " of org " + org_ +
                    " (moved or reordered)",
                seq, id);
  }
  if (*seq >= checkpoint_.size) {
    return Fail(
        "not_included",
        "is beyond the checkpoint's tree of " + std::to_string(checkpoint_.size) + " events", seq,
        id);
  }
  Status included =
      VerifyInclusion(LeafHash(*leaf), *seq, checkpoint_.size, *proof, checkpoint_.root);
  if (!included.ok()) {
    return Fail("not_included",
                "is not in the checkpointed tree: its content or proof was changed (" +
                    included.message() + ")",
                seq, id);
  }
  return true;
}

bool BundleVerifier::Finish() {
  if (failure_) return false;
  if (!header_seen_) return Fail("malformed_bundle", "the bundle is empty");
  if (!end_seen_) {
    return Fail("truncated", "the bundle ends after " + std::to_string(events_) +
                                 " events without its end line (cut off)");
  }
  return true;
}

}  // namespace actlog::integrity
