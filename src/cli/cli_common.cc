#include "cli/cli_common.h"

#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <utility>

#include "actlog/event.h"

namespace actlog::cli {

void PrintError(std::string_view message) {
  std::fprintf(stderr, "actlog: %.*s\n", static_cast<int>(message.size()), message.data());
}

int FailWith(const Status& status) {
  PrintError(status.ToString());
  return kExitUsage;
}

StatusOr<std::unique_ptr<Store>> OpenExistingStore(const std::string& data_dir,
                                                   const std::string& store_url,
                                                   const Catalog* catalog) {
  if (!store_url.empty()) {
    StoreOptions options;
    options.data_dir = data_dir;
    options.url = store_url;
    options.catalog = catalog;
    return OpenStore(options);
  }
  struct stat st;
  if (::stat(data_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Status(StatusCode::kNotFound, "no_data_dir",
                  "no data directory at '" + data_dir + "' (ingest something first)");
  }
  StoreOptions options;
  options.data_dir = data_dir;
  options.catalog = catalog;
  return OpenRocksStore(options);
}

void AddStoreFlag(CLI::App* cmd, std::string* store_url) {
  cmd->add_option("--store", *store_url,
                  "Store URL: postgres://… or postgresql://… for the PostgreSQL store; "
                  "default: the embedded store in --data");
}

StatusOr<Catalog> LoadCatalog(const std::string& file, const std::string& mode) {
  CatalogMode catalog_mode;
  if (mode == "strict") {
    catalog_mode = CatalogMode::kStrict;
  } else if (mode == "open") {
    catalog_mode = CatalogMode::kOpen;
  } else {
    return InvalidArgument("invalid_flag", "--catalog-mode must be strict or open");
  }
  Catalog catalog = Catalog::BuiltIn(catalog_mode);
  if (!file.empty()) ACTLOG_RETURN_IF_ERROR(catalog.LoadFile(file));
  return catalog;
}

StatusOr<int64_t> ParseTimeFlag(std::string_view text) {
  bool bare_date = text.size() == 10 && text[4] == '-' && text[7] == '-';
  if (bare_date) return ParseTimestamp(std::string(text) + "T00:00:00Z");
  return ParseTimestamp(text);
}

void AddQueryFlags(CLI::App* cmd, QueryFlags* flags, Order default_order) {
  cmd->add_option("--org", flags->org, "Organisation whose log to read")->required();
  cmd->add_option("--code", flags->codes,
                  "Event code, exact or prefix (org.member:* or org.member); repeatable, "
                  "any of them matches");
  cmd->add_option("--actor", flags->actor, "Actor id");
  cmd->add_option("--actor-type", flags->actor_type, "Actor type")
      ->check(CLI::IsMember({"user", "api_key", "system"}));
  cmd->add_option("--actor-email", flags->actor_email, "Actor email (exact)");
  cmd->add_option("--target-type", flags->target_type, "Target type, e.g. org.member");
  cmd->add_option("--target-id", flags->target_id, "Target id");
  cmd->add_option("--outcome", flags->outcome, "Outcome")
      ->check(CLI::IsMember({"success", "failure"}));
  cmd->add_option("--from", flags->from,
                  "Occurred at or after (RFC 3339, or YYYY-MM-DD = midnight UTC)");
  cmd->add_option("--to", flags->to,
                  "Occurred before (RFC 3339, or YYYY-MM-DD = midnight UTC; exclusive)");
  cmd->add_option("--text", flags->text, "Case-insensitive text anywhere in the event");
  cmd->add_option("--search", flags->search,
                  "GitHub-style search string, e.g. 'code:org.member:* -outcome:success'");
  flags->order = default_order == Order::kDesc ? "desc" : "asc";
  cmd->add_option("--order", flags->order, "Order by occurred_at")
      ->capture_default_str()
      ->check(CLI::IsMember({"desc", "asc"}));
}

namespace {

void AddFilter(std::vector<FieldFilter>* filters, QueryField field, const std::string& value) {
  if (!value.empty()) filters->push_back(FieldFilter{field, value});
}

}  // namespace

StatusOr<EventQuery> BuildQuery(const QueryFlags& flags, int limit, const std::string& cursor) {
  EventQuery query;
  query.org = flags.org;
  for (const std::string& code : flags.codes) AddFilter(&query.include, QueryField::kCode, code);
  AddFilter(&query.include, QueryField::kActor, flags.actor);
  AddFilter(&query.include, QueryField::kActorType, flags.actor_type);
  AddFilter(&query.include, QueryField::kActorEmail, flags.actor_email);
  AddFilter(&query.include, QueryField::kTargetType, flags.target_type);
  AddFilter(&query.include, QueryField::kTargetId, flags.target_id);
  AddFilter(&query.include, QueryField::kOutcome, flags.outcome);
  if (!flags.from.empty()) {
    StatusOr<int64_t> from = ParseTimeFlag(flags.from);
    if (!from.ok()) return InvalidArgument("invalid_flag", "--from: " + from.status().message());
    query.from_us = *from;
  }
  if (!flags.to.empty()) {
    StatusOr<int64_t> to = ParseTimeFlag(flags.to);
    if (!to.ok()) return InvalidArgument("invalid_flag", "--to: " + to.status().message());
    query.to_us = *to;
  }
  query.text = flags.text;
  if (!flags.search.empty()) ACTLOG_RETURN_IF_ERROR(ParseSearchString(flags.search, &query));
  query.order = flags.order == "asc" ? Order::kAsc : Order::kDesc;
  query.limit = limit;
  query.cursor = cursor;
  ACTLOG_RETURN_IF_ERROR(ValidateQuery(query));
  return query;
}

StatusOr<std::unique_ptr<Output>> Output::Open(const std::string& path) {
  if (path.empty() || path == "-") {
    static char buffer[1 << 16];
    std::setvbuf(stdout, buffer, _IOFBF, sizeof(buffer));
    return std::unique_ptr<Output>(new Output(stdout, false, "stdout"));
  }
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) {
    return InvalidArgument("io_error", "cannot open " + path + ": " + std::strerror(errno));
  }
  return std::unique_ptr<Output>(new Output(file, true, path));
}

Output::Output(std::FILE* file, bool owned, std::string name)
    : file_(file), owned_(owned), name_(std::move(name)) {}

Output::~Output() {
  if (owned_ && file_ != nullptr) std::fclose(file_);
}

void Output::Write(std::string_view bytes) {
  if (failed_ || bytes.empty()) return;
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) failed_ = true;
}

Status Output::Close() {
  bool ok = !failed_ && std::fflush(file_) == 0 && !std::ferror(file_);
  if (owned_) {
    ok = (std::fclose(file_) == 0) && ok;
    file_ = nullptr;
  }
  if (!ok) return InvalidArgument("io_error", "writing " + name_ + " failed");
  return Status::Ok();
}

}  // namespace actlog::cli
