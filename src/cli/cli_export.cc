// actlog export: every matching event of an organisation, streamed as JSON Lines or CSV.
#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "cli/cli_commands.h"
#include "cli/cli_common.h"
#include "cli/cli_integrity.h"
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
  BundleFlags bundle;  // bundle.path set: write an export bundle instead
};

int RunExportCommand(const ExportFlags& flags) {
  StatusOr<Catalog> catalog = LoadCatalog(flags.catalog_file, "open");
  if (!catalog.ok()) return FailWith(catalog.status());
  StatusOr<EventQuery> query = BuildQuery(flags.filters, kMaxQueryLimit, "");
  if (!query.ok()) return FailWith(query.status());
  StatusOr<std::unique_ptr<Store>> store =
      OpenExistingStore(flags.data_dir, flags.store_url, &*catalog);
  if (!store.ok()) return FailWith(store.status());
  if (!flags.bundle.path.empty()) {
    BundleFlags bundle = flags.bundle;
    bundle.data_dir = flags.data_dir;
    return WriteBundle(**store, *query, bundle);
  }
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
  cmd->add_option("--catalog", flags->catalog_file, "Catalog file (descriptions, personal fields)");
  cmd->add_option("--bundle", flags->bundle.path,
                  "Write an export bundle here instead (events, signed checkpoint, proofs; "
                  "check it with actlog verify FILE --key VKEY)");
  cmd->add_option("--checkpoint-key", flags->bundle.checkpoint_key,
                  "With --bundle: the server's signer key file (default <data>/checkpoint.key)");
  cmd->add_option("--log-name", flags->bundle.log_name,
                  "With --bundle: the log's name, as actlog serve --log-name")
      ->capture_default_str();
  cmd->add_option("--pinned", flags->bundle.pinned,
                  "With --bundle: a checkpoint file the reader trusts; adds the consistency "
                  "proof from it");
  return Command{cmd, [flags] { return RunExportCommand(*flags); }};
}

}  // namespace actlog::cli
