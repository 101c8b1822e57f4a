// The ingest pipeline behind `actlog ingest`: JSON Lines in, durable events out.
//
// Two threads. A reader thread reads lines (LineReader), parses and validates each one
// on its own and groups the valid events into batches; the calling thread appends each
// batch to the store (one durable Append per batch) while the reader already prepares
// the next. A bounded queue of two batches keeps memory constant for any input size.
// A line that fails is rejected alone and reported by line number; if a batch fails with
// id_conflict, that batch is retried event by event so only the conflicting line is
// rejected.
//
// RunIngest is not reentrant on the same reader; the store may be shared.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>

#include "actlog/catalog.h"
#include "actlog/event.h"
#include "actlog/status.h"
#include "actlog/store.h"
#include "cli/line_reader.h"

namespace actlog::cli {

struct IngestOptions {
  std::size_t batch_size = 1000;  // events per Store::Append
  // After each durable Append, write "<line> <org> <seq> <id>\n" per event (duplicates
  // included, with their stored seq) to `ack_out`, in one write per batch. Only complete
  // lines are acknowledgements: if the process is killed mid-write, a torn last line
  // means nothing (its event is durable, but the reader cannot know which it was).
  bool ack = false;
  // Refresh a progress line on `report_out` at most four times a second.
  bool progress = false;
  EventLimits limits;
};

struct IngestSummary {
  uint64_t stored = 0;      // new events
  uint64_t duplicates = 0;  // client ids already stored with the same content
  uint64_t rejected = 0;    // lines that failed (each reported on report_out)
  double seconds = 0;
};

// Reads every line of `reader`, validates against `catalog`, appends to `store`.
// Rejections go to `report_out` as "line 17: actor.email: invalid_format (...)".
// An error status means the run stopped early (unreadable input or a store failure);
// what was appended before stays appended, and `summary` says how far it got.
Status RunIngest(LineReader* reader, Store* store, const Catalog& catalog,
                 const IngestOptions& options, std::FILE* ack_out, std::FILE* report_out,
                 IngestSummary* summary);

// "line 17: actor.email: invalid_format (message); code: unknown_code (...)".
std::string FormatRejection(uint64_t line, const Status& status);

}  // namespace actlog::cli
