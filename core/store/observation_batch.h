// A run's observations, collected in memory while the plugins read and written
// to the store in one pass in key order when ingest ends.
//
// Why: plugins emit values file by file (all schools for one year, then the
// next year), but the store keys observations by entity first. Inserting them
// as they come puts each value at a random place in a B-tree of millions of
// rows; sorting first turns that into one sequential pass (appends, for a new
// store). Sorting also brings a key's repeats within the run together, so a
// second, different value for the same key is found and reported here.
//
// Memory: 40 bytes per observation (strings are interned), up to the caller's
// limit: the run writes a batch out early when it reaches max_rows (see
// run_job.cc), so a file of any size is read in bounded memory.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "base/string_hash.h"
#include "store/store.h"

namespace vigil::store {

// The same key read twice in one run with different values: the first stays.
struct BatchConflict {
  std::int64_t entity_id = 0;
  std::string measure, as_of, source, file;
  std::uint64_t line = 0;
  std::string value;  // the value refused
  std::string kept;   // the value read first, which is stored
};

class ObservationBatch {
 public:
  // 16 million rows: at most about 640 MB, reserved on first use (pages are
  // only resident once written), so England-scale runs (~10 million values)
  // write the store in one pass.
  static constexpr std::size_t kDefaultMaxRows = 16'000'000;

  explicit ObservationBatch(std::size_t max_rows = kDefaultMaxRows) : max_rows_(max_rows) {}
  std::size_t max_rows() const { return max_rows_; }
  bool full() const { return rows_.size() >= max_rows_; }

  Status Add(std::int64_t entity_id, std::string_view measure, std::string_view as_of,
             std::string_view source, const std::optional<double>& number, std::string_view text,
             std::string_view file, std::uint64_t line);
  std::size_t size() const { return rows_.size(); }
  // Forgets rows added after the first `size` (a source that failed).
  void Truncate(std::size_t size);
  // Writes the rows from position `from` on into `store`, inside the caller's
  // transaction, sorted by the store's key, and drops them from the batch;
  // returns the conflicts, in the order they were read. A key written by an
  // earlier call in this run is checked against the stored value, so a
  // conflict is found whichever part of the batch each value was in.
  // `progress(done, total)` is called now and then.
  Result<std::vector<BatchConflict>> WriteTo(Store& store, std::int64_t run_id, std::size_t from = 0,
                                             const std::function<void(std::size_t, std::size_t)>& progress = {});

 private:
  // Strings stored once, numbered in order of first appearance.
  class Interner {
   public:
    // Remembers the last text asked for: sources, files and dates repeat
    // from one value to the next, so most calls skip the hash lookup.
    std::uint32_t Id(std::string_view text);
    const std::string& Text(std::uint32_t id) const { return texts_[id]; }
    std::size_t size() const { return texts_.size(); }
    void Clear();

   private:
    std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> ids_;
    std::vector<std::string> texts_;
    std::uint32_t last_ = 0;
    bool has_last_ = false;
  };

  struct Row {
    std::uint32_t entity;
    std::uint32_t measure;  // interned here; the store's id while writing
    std::uint32_t date;     // interned here; the date's rank while writing
    std::uint32_t text;     // 0: no text
    std::uint32_t line;
    std::uint32_t seq;      // read order, which decides the first of a repeated key
    std::uint16_t source;   // interned here; the store's id while writing
    std::uint16_t file;
    bool has_number;
    double number;
  };

  std::string Shown(const Row& row) const;

  std::size_t max_rows_;
  Interner measures_, dates_, sources_, texts_, files_;
  std::vector<Row> rows_;
  std::vector<bool> written_sources_;  // by store id: some rows of this source already written this run
};

}  // namespace vigil::store
