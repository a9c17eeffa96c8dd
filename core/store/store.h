// The store: one SQLite file (WAL) holding entities, dated observations,
// runs and their results. Everything a report says is traceable to rows here.
//
// Not thread-safe: one Store per thread. A run's writes happen inside one
// Transaction (see sqlite.h) so a failed run leaves the file as it was.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/status.h"
#include "store/sqlite.h"

namespace vigil::store {

using Attributes = std::vector<std::pair<std::string, std::string>>;

struct Entity {
  std::int64_t id = 0;
  std::string kind;
  std::string key;
  std::string name;
  Attributes attributes;  // sorted by name
};

struct Observation {
  std::uint32_t measure = 0;  // index into Store::MeasureNames()
  std::string as_of;          // ISO date
  std::optional<double> number;
  std::string text;           // a textual value, or why the number is missing
};

// One entity with its observations ordered by measure, then date (oldest first).
struct EntityWithHistory {
  Entity entity;
  std::vector<Observation> observations;
};

struct RunRecord {
  std::int64_t id = 0;
  std::string job;
  std::string as_of;
  std::string started_at;
  std::string finished_at;
  std::string status;
  std::string message;
  std::string rule_packs;  // JSON
  std::string inputs;      // JSON
  std::string outputs;     // JSON
  std::int64_t attempt = 1;  // the how-manieth run of this job for this as_of
  std::string fingerprint;   // of inputs, rules and period
};

// One rule pack file as a run used it: path relative to the pack's folder, exact bytes.
struct PackFile {
  std::string path;
  std::string content;
};

struct StoredResult {
  std::string category;
  double score = 0;
  std::string forced_by;
  std::vector<std::pair<std::string, std::string>> indicator_levels;  // id, level
};

class Store {
 public:
  // Opens or creates the store, enables WAL and migrates the schema.
  static Result<Store> Open(const std::string& path);

  Database& db() { return db_; }
  const std::string& path() const { return path_; }

  // --- Ingest (call inside a transaction) ---------------------------------
  // Inserts or updates an entity; attributes are merged into stored ones.
  Result<std::int64_t> UpsertEntity(std::string_view kind, std::string_view key,
                                    std::string_view name, const Attributes& attributes);
  // The id of a known entity, or nullopt.
  Result<std::optional<std::int64_t>> FindEntity(std::string_view kind, std::string_view key);
  // Observations are written through an ObservationBatch (observation_batch.h).
  // The key of an entity by id ("" if there is none).
  Result<std::string> EntityKey(std::int64_t id);
  // The ids of a measure and a source name, added if new.
  Result<std::int64_t> InternMeasure(std::string_view name);
  Result<std::int64_t> InternSource(std::string_view name);
  Status AddRejection(std::int64_t run_id, std::string_view source, std::string_view file,
                      std::uint64_t line, std::string_view field, std::string_view value,
                      std::string_view reason);

  // --- Reading ---------------------------------------------------------------
  // Calls `visit` for each entity of `kind` (ordered by key) with its history.
  // Streams: one entity in memory at a time (`visit` may move it away).
  // Stops at the first error.
  // With `sources`, only observations from those sources are seen: a job
  // evaluates what its own sources provide, not what a source since removed
  // from it once stored.
  Status ForEachEntity(std::string_view kind,
                       const std::function<Status(EntityWithHistory&)>& visit,
                       const std::vector<std::string>* sources = nullptr);
  // One entity with its history, or nullopt if the store has none by that key.
  Result<std::optional<EntityWithHistory>> LoadEntity(std::string_view kind, std::string_view key,
                                                      const std::vector<std::string>* sources = nullptr);
  const std::vector<std::string>& MeasureNames() const { return measure_names_; }
  Result<std::vector<std::string>> EntityKinds();
  // The attribute names any entity of `kind` has, sorted.
  Result<std::vector<std::string>> AttributeNames(std::string_view kind);
  // Entities of `kind` whose name contains `text` (any case), by key: at most `limit`.
  Result<std::vector<std::pair<std::string, std::string>>> FindByName(std::string_view kind, std::string_view text,
                                                                      int limit);

  // --- Runs --------------------------------------------------------------------
  // Starts a run record (inside the run's transaction); sets its attempt number.
  Result<std::int64_t> BeginRun(std::string_view job, std::string_view as_of,
                                std::string_view started_at, std::string_view fingerprint = {});
  // A succeeded run of `job` for `as_of` with this fingerprint, if any.
  Result<std::optional<std::int64_t>> FindSucceededRun(std::string_view job, std::string_view as_of,
                                                       std::string_view fingerprint);
  Status FinishRun(const RunRecord& run);
  // Records a failed run in its own transaction (after the run's rolled back).
  Status RecordFailedRun(const RunRecord& run);
  Result<std::vector<RunRecord>> ListRuns(int limit);
  Result<std::optional<RunRecord>> GetRun(std::int64_t id);
  // Keeps the files of rule pack `pack` as run `run_id` loaded them, in order
  // (inside the run's transaction; identical files are stored once).
  Status SaveRunPackFiles(std::int64_t run_id, std::string_view pack, const std::vector<PackFile>& files);
  // The files run `run_id` used for `pack`, in load order; empty when the
  // run kept none (runs made before stores kept pack files).
  Result<std::vector<PackFile>> LoadRunPackFiles(std::int64_t run_id, std::string_view pack);
  // The newest succeeded run of `job` before `before_run`, if any.
  Result<std::optional<std::int64_t>> PreviousSucceededRun(std::string_view job,
                                                           std::int64_t before_run);

  // --- Results -----------------------------------------------------------------
  Status AddResult(std::int64_t run_id, std::string_view pack, std::int64_t entity_id,
                   double score, std::string_view category, std::string_view forced_by,
                   std::string_view computed_category = {}, std::string_view override_json = {});
  Status AddIndicatorResult(std::int64_t run_id, std::string_view pack, std::int64_t entity_id,
                            std::string_view indicator, std::string_view level, double points,
                            std::string_view reason, std::string_view evidence_json);
  // A run's results for one pack, keyed by entity key.
  Result<std::unordered_map<std::string, StoredResult>> LoadResults(std::int64_t run_id,
                                                                    std::string_view pack);

 private:
  Store(Database db, std::string path) : db_(std::move(db)), path_(std::move(path)) {}
  Status LoadMeasureNames();
  Result<Statement*> Cached(const char* sql);
  Status VisitEntities(std::string_view kind, const std::string* key,
                       const std::vector<std::string>* sources,
                       const std::function<Status(EntityWithHistory&)>& visit);

  Database db_;
  std::string path_;
  std::unordered_map<std::string, std::int64_t> measure_ids_;
  std::unordered_map<std::string, std::int64_t> source_ids_;
  std::vector<std::string> measure_names_;  // by id (index 0 unused)
  std::unordered_map<const char*, Statement> statements_;
};

}  // namespace vigil::store
