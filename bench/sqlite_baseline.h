// The ingest baseline: the rows Vigil stored, inserted again into the same
// schema by the simplest loop SQLite allows (one prepared statement, one
// transaction), with none of Vigil's work (no plugins, no parsing, no checks).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace vigil::bench {

struct Row {
  std::int64_t entity, measure, source, run;
  std::string as_of;
  std::optional<double> number;
  std::optional<std::string> text;
};

// Every observation of `store`, in the order the files give them (source by
// source, then date, then school) or, with `sorted`, in the store's key order.
Result<std::vector<Row>> ReadObservations(const std::filesystem::path& store, bool sorted);

// Creates a new store at `path` (Vigil's schema and settings), inserts `rows`
// and commits; returns the seconds the inserts and the commit took.
Result<double> InsertMinimalLoop(const std::vector<Row>& rows, const std::filesystem::path& path);

}  // namespace vigil::bench
