// actlog ingest: JSON Lines from a file or stdin into the embedded store.
#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

#include "cli/cli_commands.h"
#include "cli/cli_common.h"
#include "cli/ingest_pipeline.h"
#include "cli/line_reader.h"

namespace actlog::cli {

namespace {

struct IngestFlags {
  std::string data_dir = "./data";
  std::string store_url;
  std::string input = "-";
  std::string catalog_file;
  std::string catalog_mode = "strict";
  std::size_t batch = 1000;
  bool ack = false;
};

int RunIngestCommand(const IngestFlags& flags) {
  StatusOr<Catalog> catalog = LoadCatalog(flags.catalog_file, flags.catalog_mode);
  if (!catalog.ok()) return FailWith(catalog.status());

  int fd = STDIN_FILENO;
  if (flags.input != "-") {
    fd = ::open(flags.input.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      PrintError("cannot open " + flags.input + ": " + std::strerror(errno));
      return kExitUsage;
    }
  }
  StoreOptions store_options;
  store_options.data_dir = flags.data_dir;
  store_options.url = flags.store_url;
  store_options.catalog = &*catalog;  // its personal fields are sealed too
  StatusOr<std::unique_ptr<Store>> store = OpenStore(store_options);
  if (!store.ok()) return FailWith(store.status());

  IngestOptions options;
  options.batch_size = flags.batch;
  options.ack = flags.ack;
  options.progress = ::isatty(STDERR_FILENO) == 1;
  LineReader reader(fd, options.limits.max_body_bytes);
  IngestSummary summary;
  Status status = RunIngest(&reader, store->get(), *catalog, options, stdout, stderr, &summary);
  if (fd != STDIN_FILENO) ::close(fd);
  std::fflush(stdout);

  uint64_t accepted = summary.stored + summary.duplicates;
  std::fprintf(stderr, "stored %llu, duplicates %llu, rejected %llu (%.0f events/s)\n",
               static_cast<unsigned long long>(summary.stored),
               static_cast<unsigned long long>(summary.duplicates),
               static_cast<unsigned long long>(summary.rejected),
               summary.seconds > 0 ? accepted / summary.seconds : 0.0);
  if (!status.ok()) return FailWith(status);
  return summary.rejected > 0 ? kExitRejected : kExitOk;
}

}  // namespace

Command RegisterIngestCommand(CLI::App* app) {
  auto flags = std::make_shared<IngestFlags>();
  CLI::App* cmd = app->add_subcommand(
      "ingest",
      "Store events from JSON Lines (one producer event per line; blank lines skipped). "
      "Exit 0: all stored; 1: some lines rejected; 2: usage, input or store error.");
  cmd->add_option("--data", flags->data_dir, "Data directory (created if missing)")
      ->capture_default_str();
  AddStoreFlag(cmd, &flags->store_url);
  cmd->add_option("file", flags->input, "Input file; '-' or absent reads stdin")
      ->capture_default_str();
  cmd->add_option("--catalog", flags->catalog_file, "Catalog file with extra event codes");
  cmd->add_option("--catalog-mode", flags->catalog_mode,
                  "strict: only catalog codes; open: any well-formed code")
      ->capture_default_str()
      ->check(CLI::IsMember({"strict", "open"}));
  cmd->add_option("--batch", flags->batch, "Events per durable append")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  cmd->add_flag("--ack", flags->ack,
                "After each durable append print '<line> <org> <seq> <id>' per event");
  return Command{cmd, [flags] { return RunIngestCommand(*flags); }};
}

}  // namespace actlog::cli
