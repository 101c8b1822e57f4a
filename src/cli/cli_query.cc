// actlog query: one page (or, with --all, every page) of an organisation's log, as a
// table for people or as the API's JSON list.
#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>

#include "actlog/json.h"
#include "cli/cli_commands.h"
#include "cli/cli_common.h"
#include "cli/cli_format.h"

namespace actlog::cli {

namespace {

struct QueryCommandFlags {
  std::string data_dir = "./data";
  std::string store_url;
  std::string catalog_file;
  QueryFlags filters;
  int limit = 50;
  std::string cursor;
  bool all = false;
  std::string format = "table";
};

// Writes the events of each page as they arrive, in the chosen format.
class PagePrinter {
 public:
  PagePrinter(Output* out, const Catalog& catalog, bool json)
      : out_(out), catalog_(catalog), json_(json), table_(EventTableColumns()) {
    if (json_) out_->Write("{\"data\":[");
  }

  void Print(const QueryPage& page) {
    std::string chunk;
    for (const StoredEvent& stored : page.events) {
      if (json_) {
        if (count_ > 0) chunk.push_back(',');
        AppendCanonicalJson(EventToJson(stored.event), &chunk);
      } else {
        table_.AddRow(EventTableRow(stored.event, catalog_));
      }
      ++count_;
    }
    if (!json_ && !page.events.empty()) chunk = table_.Flush();
    out_->Write(chunk);
  }

  void Finish(const std::optional<std::string>& next_cursor) {
    std::string tail;
    if (json_) {
      tail = "],\"next_cursor\":";
      if (next_cursor) {
        AppendJsonString(*next_cursor, &tail);
      } else {
        tail += "null";
      }
      tail += "}\n";
    } else {
      if (count_ == 0) tail = "no events\n";
      if (next_cursor) tail += "more: --cursor " + *next_cursor + "\n";
    }
    out_->Write(tail);
  }

 private:
  Output* out_;
  const Catalog& catalog_;
  bool json_;
  Table table_;
  uint64_t count_ = 0;
};

int RunQueryCommand(const QueryCommandFlags& flags) {
  StatusOr<Catalog> catalog = LoadCatalog(flags.catalog_file, "open");
  if (!catalog.ok()) return FailWith(catalog.status());
  StatusOr<EventQuery> query = BuildQuery(flags.filters, flags.limit, flags.cursor);
  if (!query.ok()) return FailWith(query.status());
  StatusOr<std::unique_ptr<Store>> store =
      OpenExistingStore(flags.data_dir, flags.store_url, &*catalog);
  if (!store.ok()) return FailWith(store.status());
  StatusOr<std::unique_ptr<Output>> out = Output::Open("");
  if (!out.ok()) return FailWith(out.status());

  PagePrinter printer(out->get(), *catalog, flags.format == "json");
  std::optional<std::string> next_cursor;
  for (;;) {
    StatusOr<QueryPage> page = (*store)->Query(*query);
    if (!page.ok()) return FailWith(page.status());
    printer.Print(*page);
    next_cursor = page->next_cursor;
    if (!flags.all || !next_cursor) break;
    query->cursor = *next_cursor;
  }
  printer.Finish(next_cursor);
  Status closed = (*out)->Close();
  if (!closed.ok()) return FailWith(closed);
  return kExitOk;
}

}  // namespace

Command RegisterQueryCommand(CLI::App* app) {
  auto flags = std::make_shared<QueryCommandFlags>();
  CLI::App* cmd = app->add_subcommand(
      "query", "Show an organisation's events, newest first, filtered; one page at a time");
  cmd->add_option("--data", flags->data_dir, "Data directory")->capture_default_str();
  AddStoreFlag(cmd, &flags->store_url);
  AddQueryFlags(cmd, &flags->filters, Order::kDesc);
  cmd->add_option("--limit", flags->limit, "Events per page (1..200)")
      ->capture_default_str()
      ->check(CLI::Range(1, kMaxQueryLimit));
  cmd->add_option("--cursor", flags->cursor, "Continue after a previous page (next_cursor)");
  cmd->add_flag("--all", flags->all, "Follow cursors to the last page");
  cmd->add_option("--format", flags->format, "table or json (the API's list shape)")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "json"}));
  cmd->add_option("--catalog", flags->catalog_file, "Catalog file (descriptions, personal fields)");
  return Command{cmd, [flags] { return RunQueryCommand(*flags); }};
}

}  // namespace actlog::cli
