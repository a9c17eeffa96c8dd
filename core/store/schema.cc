#include "store/schema.h"

#include <array>

#include <fmt/format.h>

namespace vigil::store {
namespace {

// Each entry upgrades version i to i+1. Append only: never edit a shipped one.
constexpr std::array<const char*, kSchemaVersion> kMigrations = {
    // 0 -> 1: the first schema.
    R"sql(
CREATE TABLE entities(
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  attributes TEXT NOT NULL DEFAULT '{}',   -- JSON object of strings
  UNIQUE(kind, key));

-- Measure and source names are interned: observations hold small ids.
CREATE TABLE measures(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE sources(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);

-- One dated fact. The key makes re-ingesting a file idempotent; run_id is
-- the run that stored the current value.
CREATE TABLE observations(
  entity_id INTEGER NOT NULL REFERENCES entities(id),
  measure_id INTEGER NOT NULL REFERENCES measures(id),
  as_of TEXT NOT NULL,
  source_id INTEGER NOT NULL REFERENCES sources(id),
  number REAL,
  text TEXT,
  run_id INTEGER NOT NULL,
  PRIMARY KEY(entity_id, measure_id, as_of, source_id)) WITHOUT ROWID;

CREATE TABLE runs(
  id INTEGER PRIMARY KEY,
  job TEXT NOT NULL,
  as_of TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL,               -- running | succeeded | failed
  message TEXT NOT NULL DEFAULT '',
  rule_packs TEXT NOT NULL DEFAULT '[]', -- JSON: name, folder, sha256
  inputs TEXT NOT NULL DEFAULT '[]',     -- JSON: source, plugin, version, file, sha256
  outputs TEXT NOT NULL DEFAULT '[]');   -- JSON: path, sha256
CREATE INDEX runs_by_job ON runs(job, id);

CREATE TABLE results(
  run_id INTEGER NOT NULL REFERENCES runs(id),
  pack TEXT NOT NULL,
  entity_id INTEGER NOT NULL REFERENCES entities(id),
  score REAL NOT NULL,
  category TEXT NOT NULL,
  forced_by TEXT NOT NULL DEFAULT '',  -- the indicator that forced the category
  PRIMARY KEY(run_id, pack, entity_id)) WITHOUT ROWID;

CREATE TABLE indicator_results(
  run_id INTEGER NOT NULL,
  pack TEXT NOT NULL,
  entity_id INTEGER NOT NULL,
  indicator TEXT NOT NULL,
  level TEXT NOT NULL,
  points REAL NOT NULL,
  reason TEXT NOT NULL,
  evidence TEXT NOT NULL DEFAULT '[]', -- JSON: the measures the rule read
  PRIMARY KEY(run_id, pack, entity_id, indicator)) WITHOUT ROWID;

CREATE TABLE rejections(
  run_id INTEGER NOT NULL REFERENCES runs(id),
  source TEXT NOT NULL,
  file TEXT NOT NULL,
  line INTEGER NOT NULL,
  field TEXT NOT NULL,
  value TEXT NOT NULL,
  reason TEXT NOT NULL);
CREATE INDEX rejections_by_run ON rejections(run_id);
)sql",
    // 1 -> 2: officers' overrides are recorded with each result.
    R"sql(
ALTER TABLE results ADD COLUMN computed_category TEXT NOT NULL DEFAULT '';
ALTER TABLE results ADD COLUMN override TEXT NOT NULL DEFAULT '';  -- JSON, '' when none
)sql",
    // 2 -> 3: the run ledger: runs of a job for one period are numbered
    // attempts, and the fingerprint of inputs and rules tells a repeat.
    R"sql(
ALTER TABLE runs ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1;
ALTER TABLE runs ADD COLUMN fingerprint TEXT NOT NULL DEFAULT '';
CREATE INDEX runs_by_period ON runs(job, as_of, status);
)sql",
    // 3 -> 4: observations without foreign-key clauses. The store writes them
    // only with ids it has just looked up or created, and checking three parent
    // rows per value cost a fifth of ingest time at millions of values.
    R"sql(
CREATE TABLE observations_v4(
  entity_id INTEGER NOT NULL,
  measure_id INTEGER NOT NULL,
  as_of TEXT NOT NULL,
  source_id INTEGER NOT NULL,
  number REAL,
  text TEXT,
  run_id INTEGER NOT NULL,
  PRIMARY KEY(entity_id, measure_id, as_of, source_id)) WITHOUT ROWID;
INSERT INTO observations_v4 SELECT entity_id, measure_id, as_of, source_id, number, text, run_id
  FROM observations;
DROP TABLE observations;
ALTER TABLE observations_v4 RENAME TO observations;
)sql",
    // 4 -> 5: each run keeps the exact rule pack files it ran with, so its
    // results can be explained and its reports rendered again later. Files
    // are kept once by content; a run lists which it used.
    R"sql(
CREATE TABLE pack_files(
  sha256 TEXT PRIMARY KEY,
  content BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE run_pack_files(
  run_id INTEGER NOT NULL,
  pack TEXT NOT NULL,
  position INTEGER NOT NULL,           -- load order
  path TEXT NOT NULL,                  -- relative to the pack's folder
  sha256 TEXT NOT NULL,
  PRIMARY KEY(run_id, pack, position)) WITHOUT ROWID;
)sql",
    // 5 -> 6: what a past run's reports need to be rendered again exactly:
    // the job settings it ran with, the run its changes were compared with,
    // and each result's entity as the report showed it (names and attributes
    // change later; the report columns are values the rules computed then).
    R"sql(
ALTER TABLE runs ADD COLUMN settings TEXT NOT NULL DEFAULT '';  -- JSON; '' for runs made before v6
ALTER TABLE runs ADD COLUMN previous_run INTEGER;               -- compared with; NULL when none
ALTER TABLE runs ADD COLUMN rule_warnings TEXT NOT NULL DEFAULT '[]';  -- JSON: what the rules read that the data lacks
ALTER TABLE results ADD COLUMN shown TEXT NOT NULL DEFAULT '';  -- JSON: name, attributes, report columns
)sql",
    // 6 -> 7: which thresholds each indicator read, so a report (and a school's
    // page) can show the threshold used beside each reason, also when re-rendered.
    R"sql(
ALTER TABLE indicator_results ADD COLUMN thresholds TEXT NOT NULL DEFAULT '[]';  -- JSON: names read
)sql",
};

Result<int> UserVersion(Database& db) {
  VIGIL_ASSIGN_OR_RETURN(Statement stmt, db.Prepare("PRAGMA user_version"));
  VIGIL_ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? static_cast<int>(stmt.Int(0)) : 0;
}

}  // namespace

Status Migrate(Database& db, const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(int version, UserVersion(db));
  if (version > kSchemaVersion)
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("store {} has schema version {}, newer than this Vigil's {}: "
                            "upgrade Vigil or use another store",
                            path, version, kSchemaVersion));
  if (version == kSchemaVersion) return Status::Ok();
  VIGIL_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  for (int v = version; v < kSchemaVersion; ++v) {
    VIGIL_RETURN_IF_ERROR(db.Exec(kMigrations[static_cast<std::size_t>(v)]));
  }
  VIGIL_RETURN_IF_ERROR(db.Exec(fmt::format("PRAGMA user_version = {}", kSchemaVersion)));
  return tx.Commit();
}

}  // namespace vigil::store
