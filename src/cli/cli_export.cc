// actlog export: every matching event of an organisation, streamed as JSON Lines or CSV.
#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "cli/cli_commands.h"
#include "cli/cli_common.h"
#include "core/export_format.h"

namespace actlog::cli {

namespace {

struct ExportFlags {
  std::string data_dir = "./data";
  std::string store_url;
  std::string catalog_file;
  QueryFlags filters;
  std::string format = "jsonl";
  std::string output;
};

int RunExportCommand(const ExportFlags& flags) {
  StatusOr<Catalog> catalog = LoadCatalog(flags.catalog_file, "open");
  if (!catalog.ok()) return FailWith(catalog.status());
  StatusOr<EventQuery> query = BuildQuery(flags.filters, kMaxQueryLimit, "");
  if (!query.ok()) return FailWith(query.status());
  StatusOr<std::unique_ptr<Store>> store = OpenExistingStore(flags.data_dir, flags.store_url);
  if (!store.ok()) return FailWith(store.status());
  StatusOr<std::unique_ptr<Output>> out = Output::Open(flags.output);
  if (!out.ok()) return FailWith(out.status());

  ExportFormat format = ParseExportFormat(flags.format).value_or(ExportFormat::kJsonl);
  std::string chunk;
  AppendExportHeader(format, &chunk);
  for (;;) {
    StatusOr<QueryPage> page = (*store)->Query(*query);
    if (!page.ok()) return FailWith(page.status());
    for (const StoredEvent& stored : page->events) {
      AppendExportEvent(stored.event, *catalog, format, &chunk);
    }
    (*out)->Write(chunk);
    chunk.clear();
    if (!page->next_cursor) break;
    query->cursor = *page->next_cursor;
  }
  Status closed = (*out)->Close();
  if (!closed.ok()) return FailWith(closed);
  return kExitOk;
}

}  // namespace

Command RegisterExportCommand(CLI::App* app) {
  auto flags = std::make_shared<ExportFlags>();
  CLI::App* cmd = app->add_subcommand(
      "export",
      "Stream every matching event, oldest first, as JSON Lines or CSV (RFC 4180; cells "
      "starting with = + - @ get a leading ' against spreadsheet formula injection)");
  cmd->add_option("--data", flags->data_dir, "Data directory")->capture_default_str();
  AddStoreFlag(cmd, &flags->store_url);
  AddQueryFlags(cmd, &flags->filters, Order::kAsc);
  cmd->add_option("--format", flags->format, "jsonl or csv")
      ->capture_default_str()
      ->check(CLI::IsMember({"jsonl", "csv"}));
  cmd->add_option("--output", flags->output, "Write here instead of stdout");
  cmd->add_option("--catalog", flags->catalog_file, "Catalog file (for descriptions)");
  return Command{cmd, [flags] { return RunExportCommand(*flags); }};
}

}  // namespace actlog::cli
