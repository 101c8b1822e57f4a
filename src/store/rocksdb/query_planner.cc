#include "store/rocksdb/query_planner.h"

#include <algorithm>
#include <map>
#include <memory>
#include <span>
#include <vector>

#include "privacy/blind_index.h"
#include "store/rocksdb/cursor.h"
#include "store/rocksdb/index_entries.h"
#include "store/rocksdb/index_stream.h"
#include "store/rocksdb/keys.h"
#include "store/rocksdb/rocks_status.h"

namespace actlog::store {
namespace {

// Releases the snapshot when the call ends.
class SnapshotGuard {
 public:
  explicit SnapshotGuard(rocksdb::DB* db) : db_(db), snapshot_(db->GetSnapshot()) {}
  ~SnapshotGuard() { db_->ReleaseSnapshot(snapshot_); }
  const rocksdb::Snapshot* get() const { return snapshot_; }

 private:
  rocksdb::DB* db_;
  const rocksdb::Snapshot* snapshot_;
};

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The index terms of one field's filters, or nullopt if one of them has no stream
// (outcome=success, actor_type=user): the field is then checked on the fetched events
// instead.
StatusOr<std::optional<std::vector<IndexTerm>>> FieldTerms(
    const QueryContext& ctx, const EventQuery& query, std::span<const FieldFilter* const> filters) {
  std::vector<IndexTerm> terms;
  auto add = [&terms](IndexTerm term) {
    if (std::find(terms.begin(), terms.end(), term) == terms.end()) terms.push_back(term);
  };
  for (const FieldFilter* f : filters) {
    FilterSource source = SourceForFilter(*f, ctx.secret);
    if (source.term) {
      add(std::move(*source.term));
    } else if (source.code_prefix) {
      if (ctx.codes == nullptr) return Internal("code-prefix filter without the org's codes");
      StatusOr<std::vector<std::string>> codes =
          ctx.codes->CodesMatching(query.org, *source.code_prefix);
      if (!codes.ok()) return codes.status();
      for (std::string& code : *codes) add({IndexKind::kCode, std::move(code)});
    } else {
      return std::optional<std::vector<IndexTerm>>();
    }
  }
  return std::optional<std::vector<IndexTerm>>(std::move(terms));
}

// One filter field: the filters on it (OR), keyed by field and searchable path.
using FieldGroups = std::map<std::pair<QueryField, std::string>, std::vector<const FieldFilter*>>;

FieldGroups GroupByField(const std::vector<FieldFilter>& filters) {
  FieldGroups groups;
  for (const FieldFilter& f : filters) groups[{f.field, f.path}].push_back(&f);
  return groups;
}

StatusOr<std::unique_ptr<PositionStream>> BuildPlan(const QueryContext& ctx,
                                                    const rocksdb::Snapshot* snapshot,
                                                    const EventQuery& query, ScanBudget* budget) {
  StreamBounds bounds{query.from_us, query.to_us};
  auto stream_for = [&](const IndexTerm& term) {
    return NewIteratorStream(ctx.db, ctx.index_cf, snapshot,
                             IndexPrefix(query.org, term.kind, term.value), bounds,
                             query.order, budget);
  };
  // One stream per field; every searchable path is a field of its own. A code prefix
  // matching no code of the org gives an empty union: no events.
  std::vector<std::unique_ptr<PositionStream>> fields;
  for (const auto& [field, filters] : GroupByField(query.include)) {
    StatusOr<std::optional<std::vector<IndexTerm>>> terms = FieldTerms(ctx, query, filters);
    if (!terms.ok()) return terms.status();
    if (!terms->has_value()) continue;  // checked on the events (PostFilter)
    if ((*terms)->size() == 1) {
      fields.push_back(stream_for((**terms)[0]));
      continue;
    }
    std::vector<std::unique_ptr<PositionStream>> values;
    for (const IndexTerm& term : **terms) values.push_back(stream_for(term));
    fields.push_back(NewUnionStream(std::move(values), query.order));
  }
  if (fields.empty()) return stream_for({IndexKind::kTime, ""});
  if (fields.size() == 1) return std::move(fields[0]);
  return NewIntersectStream(std::move(fields), query.order, budget);
}

// Text is checked on the canonical bytes before the event is decoded (most candidates
// of a text search fail there); the rest on the decoded event: positive fields that
// read no stream (outcome=success, actor_type=user), and negative filters — code,
// outcome and actor type on the event's fields (prefixes, success and user have no
// index terms), the others on its terms.
class PostFilter {
 public:
  PostFilter(const EventQuery& query, std::string_view secret, const Catalog* catalog)
      : needle_(AsciiLower(query.text)), secret_(secret), catalog_(catalog) {
    for (const auto& [field, filters] : GroupByField(query.include)) {
      bool streamless = std::any_of(filters.begin(), filters.end(), [&](const FieldFilter* f) {
        FilterSource source = SourceForFilter(*f, secret);
        return !source.term && !source.code_prefix;
      });
      if (streamless) required_.push_back(filters);
    }
    for (const FieldFilter& f : query.exclude) {
      if (f.field == QueryField::kCode || f.field == QueryField::kOutcome ||
          f.field == QueryField::kActorType) {
        excluded_fields_.push_back(f);
      } else {
        excluded_.push_back(*SourceForFilter(f, secret).term);
      }
    }
  }
  bool TextMatches(std::string_view canonical) const {
    return needle_.empty() || AsciiLower(canonical).find(needle_) != std::string::npos;
  }
  bool NotExcluded(const Event& event) const {
    for (const std::vector<const FieldFilter*>& any_of : required_) {
      if (std::none_of(any_of.begin(), any_of.end(),
                       [&](const FieldFilter* f) { return MatchesOnEvent(event, *f); })) {
        return false;
      }
    }
    for (const FieldFilter& f : excluded_fields_) {
      if (MatchesOnEvent(event, f)) return false;
    }
    if (excluded_.empty()) return true;
    std::vector<IndexTerm> terms = catalog_ != nullptr
                                       ? IndexTermsFor(event, *catalog_, secret_)
                                       : IndexTermsFor(event, secret_);
    for (const IndexTerm& ex : excluded_) {
      if (std::find(terms.begin(), terms.end(), ex) != terms.end()) return false;
    }
    return true;
  }

 private:
  std::string needle_;
  std::string_view secret_;
  const Catalog* catalog_;
  std::vector<std::vector<const FieldFilter*>> required_;  // each: one must match
  std::vector<FieldFilter> excluded_fields_;  // code, outcome and actor type
  std::vector<IndexTerm> excluded_;
};

// The event read at `seq` (its stored bytes in `value`) if it passes the post-filters,
// nullopt if it does not.
StatusOr<std::optional<StoredEvent>> OpenIfMatching(const QueryContext& ctx,
                                                    const rocksdb::Snapshot* snapshot,
                                                    std::string value, const PostFilter& filter) {
  // Text is matched on the stored bytes first; only an event with sealed values that
  // fails there is opened and matched again on what readers see (its plain values).
  bool text_matched = filter.TextMatches(value);
  if (!text_matched && value.find("\"sealed:v1:") == std::string::npos) {
    return std::optional<StoredEvent>();
  }
  StatusOr<StoredEvent> stored = Internal("event not read");
  if (ctx.open) {
    stored = ctx.open(std::move(value), snapshot);
  } else {
    StatusOr<Event> event = DecodeEvent(value);
    if (!event.ok()) return event.status();
    stored = StoredEvent{std::move(value), std::move(event).value()};
  }
  if (!stored.ok()) return stored.status();
  if (!text_matched && !filter.TextMatches(CanonicalJson(EventToJson(stored->event)))) {
    return std::optional<StoredEvent>();
  }
  // On the opened event: a negative blind-index filter needs the plain value.
  if (!filter.NotExcluded(stored->event)) return std::optional<StoredEvent>();
  return std::optional<StoredEvent>(std::move(stored).value());
}

// Reads the events at `candidates` with one MultiGet at the snapshot (keys in ascending
// order, as it wants them; index order is by time, not seq) and appends those that pass
// the post-filters to *events, in the order of `candidates`.
Status FetchMatching(const QueryContext& ctx, const rocksdb::Snapshot* snapshot,
                     std::string_view org, const std::vector<Position>& candidates,
                     const PostFilter& filter, std::vector<StoredEvent>* events) {
  const size_t n = candidates.size();
  std::vector<size_t> by_seq(n);  // by_seq[k]: the candidate with the k-th smallest seq
  for (size_t i = 0; i < n; ++i) by_seq[i] = i;
  std::sort(by_seq.begin(), by_seq.end(),
            [&](size_t a, size_t b) { return candidates[a].seq < candidates[b].seq; });
  std::vector<std::string> keys(n);
  std::vector<rocksdb::Slice> slices(n);
  std::vector<size_t> slot(n);  // slot[i]: where candidate i's key, value and status are
  for (size_t k = 0; k < n; ++k) {
    keys[k] = EventKey(org, candidates[by_seq[k]].seq);
    slices[k] = keys[k];
    slot[by_seq[k]] = k;
  }
  std::vector<rocksdb::PinnableSlice> values(n);
  std::vector<rocksdb::Status> statuses(n);
  rocksdb::ReadOptions read;
  read.snapshot = snapshot;
  ctx.db->MultiGet(read, ctx.events_cf, n, slices.data(), values.data(), statuses.data(),
                   /*sorted_input=*/true);
  for (size_t i = 0; i < n; ++i) {
    const rocksdb::Status& s = statuses[slot[i]];
    if (s.IsNotFound()) {
      return DataLoss("index entry without event, seq " + std::to_string(candidates[i].seq));
    }
    if (!s.ok()) return FromRocks(s, "reading event");
    auto stored = OpenIfMatching(ctx, snapshot, values[slot[i]].ToString(), filter);
    if (!stored.ok()) return stored.status();
    if (stored->has_value()) events->push_back(std::move(**stored));
  }
  return Status::Ok();
}

}  // namespace

StatusOr<QueryPage> RunQuery(const QueryContext& ctx, const EventQuery& query) {
  Position start = query.order == Order::kAsc ? Position::Min() : Position::Max();
  if (!query.cursor.empty()) {
    StatusOr<Position> resume = DecodeCursor(query);
    if (!resume.ok()) return resume.status();
    start = *resume;
  }
  const Catalog none;  // without a catalog no personal path is searchable
  ACTLOG_RETURN_IF_ERROR(privacy::CheckSearchable(query, ctx.catalog ? *ctx.catalog : none));
  SnapshotGuard snapshot(ctx.db);
  ScanBudget budget{0, ctx.scan_budget};
  StatusOr<std::unique_ptr<PositionStream>> plan = BuildPlan(ctx, snapshot.get(), query, &budget);
  if (!plan.ok()) return plan.status();
  std::unique_ptr<PositionStream> stream = std::move(plan).value();
  PostFilter filter(query, ctx.secret, ctx.catalog);
  size_t limit = static_cast<size_t>(std::max(1, query.limit));

  QueryPage page;
  std::optional<Position> resume;
  // Candidates are read a batch at a time, each batch at most as many as the page still
  // lacks: no candidate is read that reading them one by one would not have read, so
  // the budget counts the same index steps and the next page starts at the same one.
  std::vector<Position> batch;
  stream->Seek(start);
  while (stream->Valid()) {
    batch.clear();
    while (stream->Valid() && batch.size() < limit - page.events.size() && !budget.Spent()) {
      batch.push_back(stream->Current());
      stream->Next();
    }
    if (!batch.empty()) {
      ACTLOG_RETURN_IF_ERROR(
          FetchMatching(ctx, snapshot.get(), query.org, batch, filter, &page.events));
    }
    if (stream->Valid() && (page.events.size() == limit || budget.Spent())) {
      resume = stream->Current();  // the next candidate: the next page starts here
      break;
    }
  }
  ACTLOG_RETURN_IF_ERROR(stream->status());
  if (!resume && !stream->Valid()) resume = stream->Interrupted();
  if (resume) page.next_cursor = EncodeCursor(query, *resume);
  page.scanned = budget.used;
  return page;
}

}  // namespace actlog::store
