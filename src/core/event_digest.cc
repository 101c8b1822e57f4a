// The canonical bytes behind Event::content_digest: RFC 8785 JSON of the producer's
// object after normalisation (fixed-schema nulls dropped, before/after replaced by the
// computed changes, no defaults filled in). Written directly rather than by building a
// normalised copy of the input and canonicalising it: every key here is a known ASCII
// name, so sorting by UTF-16 code units is the byte order spelled out below, and the
// copy would cost more than the validation around it.
#include <initializer_list>
#include <string>
#include <string_view>

#include "core/event_validate_internal.h"

namespace actlog::internal {
namespace {

class ObjectWriter {
 public:
  explicit ObjectWriter(std::string* out) : out_(out) { out_->push_back('{'); }
  ~ObjectWriter() { out_->push_back('}'); }
  // Appends `"key":`; the caller appends the value. REQUIRES: keys in ascending order.
  std::string* Key(std::string_view key) {
    if (!first_) out_->push_back(',');
    first_ = false;
    out_->push_back('"');
    out_->append(key);
    out_->append("\":");
    return out_;
  }

 private:
  std::string* out_;
  bool first_ = true;
};

// A fixed-schema object with its non-null members, `keys` in ascending order.
void AppendFixed(const Json& obj, std::initializer_list<std::string_view> keys, std::string* out) {
  ObjectWriter w(out);
  for (std::string_view k : keys) {
    const Json* v = obj.Find(k);
    if (v != nullptr && !v->is_null()) AppendCanonicalJson(*v, w.Key(k));
  }
}

}  // namespace

std::string NormalisedCanonical(const EventFields& f, const Json& changes,
                                const std::string& canonical_metadata) {
  std::string out;
  out.reserve(512);
  {
    ObjectWriter w(&out);
    if (f.actor) AppendFixed(*f.actor, {"email", "id", "name", "type"}, w.Key("actor"));
    if (f.changes || f.before) AppendCanonicalJson(changes, w.Key("changes"));
    if (f.code) AppendCanonicalJson(*f.code, w.Key("code"));
    if (f.context) AppendFixed(*f.context, {"ip", "request_id", "user_agent"}, w.Key("context"));
    if (f.id) AppendCanonicalJson(*f.id, w.Key("id"));
    if (f.metadata) {
      w.Key("metadata")->append(canonical_metadata.empty() ? "{}" : canonical_metadata);
    }
    if (f.occurred_at) AppendCanonicalJson(*f.occurred_at, w.Key("occurred_at"));
    if (f.org) AppendCanonicalJson(*f.org, w.Key("org"));
    if (f.outcome) AppendCanonicalJson(*f.outcome, w.Key("outcome"));
    if (f.reason) AppendCanonicalJson(*f.reason, w.Key("reason"));
    if (f.target) AppendFixed(*f.target, {"id", "name", "type"}, w.Key("target"));
  }
  return out;
}

}  // namespace actlog::internal
