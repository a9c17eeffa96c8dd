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
  std::string fingerprint;   // of inputs, rules, job settings and period
  std::string settings;      // JSON: the job settings the run used ('' before schema v6)
  std::int64_t previous_run = 0;  // the run its changes compare with; 0 when none
  std::string rule_warnings = "[]";  // JSON: what the rules read that the data lacks
};

// A run of a job for a period, as a comparison names it.
struct PeriodRun {
  std::int64_t id = 0;
  std::string as_of;
};

// One rule pack file as a run used it: path relative to the pack's folder, exact bytes.
struct PackFile {
  std::string path;
  std::string content;
};

// One result of a past run as stored, for rendering its reports again.
struct StoredOutcome {
  std::string key;
  std::string shown;  // JSON: the entity's name, attributes and report columns as reported
  double score = 0;
  std::string category;
  std::string forced_by;
  std::string computed_category;
  std::string override_json;  // '' when none
  struct Indicator {
    std::string id;
    std::string level;
    double points = 0;
    std::string reason;
    std::string evidence_json;
    std::string thresholds_json = "[]";  // the thresholds it read
  };
  std::vector<Indicator> indicators;  // by indicator id
};

// A rejected row: where it is, which field, what value, and why.
struct RejectedRow {
  std::string source;
  std::string file;
  std::uint64_t line = 0;
  std::string field;
  std::string value;
  std::string reason;
};

struct StoredIndicator {
  std::string id;
  std::string level;
  double points = 0;
};

struct StoredResult {
  std::string category;
  double score = 0;
  std::string forced_by;
  std::string computed_category;  // before any override
  std::string override_json;      // '' when no override was in force
  std::string group;              // the value of the attribute asked for, if any
  std::vector<StoredIndicator> indicators;  // by id
};

// How many entities a run put in each category, for one period of a job.
struct PeriodCount {
  std::string as_of;
  std::int64_t run_id = 0;
  std::string group;     // the value of the attribute asked for, or ""
  std::string category;
  std::size_t count = 0;
};

// One entity's category in one earlier period.
struct PastCategory {
  std::string key;
  std::string as_of;
  std::int64_t run_id = 0;
  std::string category;
  double score = 0;
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
  // The latest succeeded run of `job` for `as_of`, if it has this fingerprint.
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
  // What "changes since the previous run" compares with: among the runs of
  // `job` before `before_run`, the latest succeeded one of the latest period
  // before `as_of`. A catch-up run for a later period does not count, and a
  // second attempt at a period compares with the period before, as the first did.
  Result<std::optional<PeriodRun>> PreviousPeriodRun(std::string_view job, std::string_view as_of,
                                                     std::int64_t before_run);
  // The run `latest` shows: the newest period's latest succeeded run of `job`, if any.
  Result<std::optional<std::int64_t>> LatestSucceededRun(std::string_view job);
  // The run of `job` just before `before_run` (any status), if any.
  Result<std::optional<RunRecord>> RunBefore(std::string_view job, std::int64_t before_run);

  // --- Results -----------------------------------------------------------------
  Status AddResult(std::int64_t run_id, std::string_view pack, std::int64_t entity_id,
                   double score, std::string_view category, std::string_view forced_by,
                   std::string_view computed_category = {}, std::string_view override_json = {},
                   std::string_view shown_json = {});
  Status AddIndicatorResult(std::int64_t run_id, std::string_view pack, std::int64_t entity_id,
                            std::string_view indicator, std::string_view level, double points,
                            std::string_view reason, std::string_view evidence_json,
                            std::string_view thresholds_json = "[]");
  // A run's results for one pack, keyed by entity key. With `group_attribute`,
  // each result's `group` is that attribute of the entity (as stored now).
  Result<std::unordered_map<std::string, StoredResult>> LoadResults(std::int64_t run_id,
                                                                    std::string_view pack,
                                                                    std::string_view group_attribute = {});
  // A run's results for one pack with their indicators, by entity key.
  Result<std::vector<StoredOutcome>> LoadOutcomes(std::int64_t run_id, std::string_view pack);
  // A run's rejected rows in the order they were found: the first `limit`
  // of them, and how many there are in all.
  Result<std::vector<RejectedRow>> LoadRejections(std::int64_t run_id, std::size_t limit);
  Result<std::uint64_t> CountRejections(std::int64_t run_id);

  // --- History across periods ----------------------------------------------
  // Both read, for each period (as_of) of `job` before `before_as_of`, the
  // latest succeeded run made before `before_run`: the report of run N says
  // what the ledger held when N ran, however many runs came later.
  //
  // The count of entities in each category of `pack` in each such run, by
  // the value of `group_attribute` when one is given; oldest period first.
  Result<std::vector<PeriodCount>> PeriodCounts(std::string_view job, std::string_view pack,
                                                std::int64_t before_run, std::string_view before_as_of,
                                                std::string_view group_attribute = {});
  // Each entity's category and score in each such run; by key, then period.
  Result<std::vector<PastCategory>> PastCategories(std::string_view job, std::string_view pack,
                                                   std::int64_t before_run, std::string_view before_as_of);

 private:
  Store(Database db, std::string path) : db_(std::move(db)), path_(std::move(path)) {}
  Status LoadMeasureNames();
  // The columns of `runs` that ReadRun reads, in its order.
  static const char* const kRunColumns;
  static RunRecord ReadRun(const Statement& s);
  // The one id a "SELECT max(id) …" statement gives, if any.
  static Result<std::optional<std::int64_t>> OptionalId(Statement& stmt);
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
