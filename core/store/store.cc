#include "store/store.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/files.h"
#include "base/text.h"
#include "store/schema.h"

namespace vigil::store {
namespace {

std::string AttributesJson(const Attributes& attributes) {
  nlohmann::json object = nlohmann::json::object();
  for (const auto& [name, value] : attributes) object[name] = value;
  return object.dump();
}

Attributes ParseAttributes(std::string_view json_text) {
  Attributes attributes;
  auto object = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (!object.is_object()) return attributes;
  for (auto& [name, value] : object.items())
    attributes.emplace_back(name, value.is_string() ? value.get<std::string>() : value.dump());
  std::sort(attributes.begin(), attributes.end());
  return attributes;
}

// The value of attribute ?N of entity `e` (json_quote makes any attribute
// name a safe JSON path, '$."district"'), or '' when ?N is NULL.
std::string GroupOf(int param) {
  return fmt::format("CASE WHEN ?{0} IS NULL THEN '' ELSE "
                     "coalesce(json_extract(e.attributes, '$.' || json_quote(?{0})), '') END",
                     param);
}

Status RefuseForeignDatabase(Database& db, const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(Statement version, db.Prepare("PRAGMA user_version"));
  VIGIL_ASSIGN_OR_RETURN(bool has_version, version.Step());
  if (has_version && version.Int(0) != 0) return Status::Ok();
  VIGIL_ASSIGN_OR_RETURN(Statement tables, db.Prepare("SELECT name FROM sqlite_master WHERE type IN "
                                                      "('table', 'view') ORDER BY name LIMIT 4"));
  std::string names;
  int count = 0;
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool row, tables.Step());
    if (!row) break;
    if (++count <= 3) names += (names.empty() ? "" : ", ") + std::string(tables.Text(0));
  }
  if (count == 0) return Status::Ok();  // a new, empty file
  return Fail(ErrorCode::kInvalidInput,
              fmt::format("store {}: this is an SQLite database Vigil did not make (it holds {}{}); Vigil "
                          "leaves it untouched. Name a new file, or one Vigil made, as the store",
                          path, names, count > 3 ? ", …" : ""));
}

}  // namespace

const char* const Store::kRunColumns =
    "id, job, as_of, started_at, coalesce(finished_at, ''), status, message, rule_packs, inputs, "
    "outputs, attempt, fingerprint, settings, previous_run, rule_warnings";

RunRecord Store::ReadRun(const Statement& s) {
  RunRecord r;
  r.id = s.Int(0);
  r.job = s.Text(1);
  r.as_of = s.Text(2);
  r.started_at = s.Text(3);
  r.finished_at = s.Text(4);
  r.status = s.Text(5);
  r.message = s.Text(6);
  r.rule_packs = s.Text(7);
  r.inputs = s.Text(8);
  r.outputs = s.Text(9);
  r.attempt = s.Int(10);
  r.fingerprint = s.Text(11);
  r.settings = s.Text(12);
  r.previous_run = s.IsNull(13) ? 0 : s.Int(13);
  r.rule_warnings = s.Text(14);
  return r;
}

Result<Store> Store::Open(const std::string& path) {
  // Every error names the file: "file is not a database" alone does not
  // say which file was meant to be the store.
  auto named = [&](const Error& e) {
    if (e.message.find(path) != std::string::npos) return Unexpected(e);
    std::string message = e.message.rfind("store: ", 0) == 0 ? e.message.substr(7) : e.message;
    return Unexpected(Error{e.code, fmt::format("store {}: {}", path, message)});
  };
  VIGIL_ASSIGN_OR_RETURN(Database db, Database::Open(path));
  // page_size first: it takes effect only while a new store is empty, and
  // writes nothing to an existing file.
  if (Status s = db.Exec("PRAGMA page_size=16384;"); !s.ok()) return named(s.error());
  // Before anything is written: a database with tables but no Vigil schema
  // is someone else's (an authority's own data, named by mistake or on
  // purpose), and must be left exactly as it is.
  if (Status s = RefuseForeignDatabase(db, path); !s.ok()) return named(s.error());
  // page_size (new stores only): 16 KiB pages make bulk writes of millions
  // of observations about 5% faster than the default 4 KiB.
  // WAL: readers never block the writer and a crash mid-write is recovered.
  // busy_timeout: a second process waits briefly instead of failing at once.
  if (Status s = db.Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                         "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;");
      !s.ok())
    return named(s.error());
  if (Status s = Migrate(db, path); !s.ok()) return named(s.error());
  Store store(std::move(db), path);
  if (Status s = store.LoadMeasureNames(); !s.ok()) return named(s.error());
  return store;
}

Result<Statement*> Store::Cached(const char* sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    VIGIL_ASSIGN_OR_RETURN(Statement stmt, db_.Prepare(sql));
    it = statements_.emplace(sql, std::move(stmt)).first;
  }
  it->second.Reset();
  return &it->second;
}

Status Store::LoadMeasureNames() {
  measure_ids_.clear();
  source_ids_.clear();
  measure_names_.assign(1, "");
  VIGIL_ASSIGN_OR_RETURN(Statement stmt, db_.Prepare("SELECT id, name FROM measures"));
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    auto id = static_cast<std::size_t>(stmt.Int(0));
    if (measure_names_.size() <= id) measure_names_.resize(id + 1);
    measure_names_[id] = stmt.Text(1);
    measure_ids_.emplace(measure_names_[id], stmt.Int(0));
  }
  return Status::Ok();
}

Result<std::int64_t> Store::InternMeasure(std::string_view name) {
  if (auto it = measure_ids_.find(std::string(name)); it != measure_ids_.end()) return it->second;
  VIGIL_ASSIGN_OR_RETURN(Statement * insert,
                         Cached("INSERT INTO measures(name) VALUES(?) "
                                "ON CONFLICT(name) DO UPDATE SET name=excluded.name RETURNING id"));
  insert->Bind(1, name);
  VIGIL_ASSIGN_OR_RETURN(bool row, insert->Step());
  if (!row) return Fail(ErrorCode::kInternal, "store: measure insert returned no id");
  std::int64_t id = insert->Int(0);
  insert->Reset();
  measure_ids_.emplace(std::string(name), id);
  auto index = static_cast<std::size_t>(id);
  if (measure_names_.size() <= index) measure_names_.resize(index + 1);
  measure_names_[index] = std::string(name);
  return id;
}

Result<std::int64_t> Store::InternSource(std::string_view name) {
  if (auto it = source_ids_.find(std::string(name)); it != source_ids_.end()) return it->second;
  VIGIL_ASSIGN_OR_RETURN(Statement * insert,
                         Cached("INSERT INTO sources(name) VALUES(?) "
                                "ON CONFLICT(name) DO UPDATE SET name=excluded.name RETURNING id"));
  insert->Bind(1, name);
  VIGIL_ASSIGN_OR_RETURN(bool row, insert->Step());
  if (!row) return Fail(ErrorCode::kInternal, "store: source insert returned no id");
  std::int64_t id = insert->Int(0);
  insert->Reset();
  source_ids_.emplace(std::string(name), id);
  return id;
}

Result<std::int64_t> Store::UpsertEntity(std::string_view kind, std::string_view key,
                                         std::string_view name, const Attributes& attributes) {
  // json_patch merges the new attributes into the stored ones, so a second
  // source can add attributes without erasing the register's.
  VIGIL_ASSIGN_OR_RETURN(
      Statement * upsert,
      Cached("INSERT INTO entities(kind, key, name, attributes) VALUES(?1, ?2, ?3, ?4) "
             "ON CONFLICT(kind, key) DO UPDATE SET "
             "name = CASE WHEN excluded.name = '' THEN name ELSE excluded.name END, "
             "attributes = json_patch(attributes, excluded.attributes) RETURNING id"));
  upsert->Bind(1, kind).Bind(2, key).Bind(3, name).Bind(4, AttributesJson(attributes));
  VIGIL_ASSIGN_OR_RETURN(bool row, upsert->Step());
  if (!row) return Fail(ErrorCode::kInternal, "store: entity upsert returned no id");
  std::int64_t id = upsert->Int(0);
  upsert->Reset();
  return id;
}

Result<std::optional<std::int64_t>> Store::FindEntity(std::string_view kind, std::string_view key) {
  VIGIL_ASSIGN_OR_RETURN(Statement * find, Cached("SELECT id FROM entities WHERE kind=? AND key=?"));
  find->Bind(1, kind).Bind(2, key);
  VIGIL_ASSIGN_OR_RETURN(bool row, find->Step());
  std::optional<std::int64_t> id;
  if (row) id = find->Int(0);
  find->Reset();
  return id;
}

Result<std::string> Store::EntityKey(std::int64_t id) {
  VIGIL_ASSIGN_OR_RETURN(Statement * find, Cached("SELECT key FROM entities WHERE id=?"));
  find->Bind(1, id);
  VIGIL_ASSIGN_OR_RETURN(bool row, find->Step());
  std::string key = row ? std::string(find->Text(0)) : std::string();
  find->Reset();
  return key;
}

Status Store::AddRejection(std::int64_t run_id, std::string_view source, std::string_view file,
                           std::uint64_t line, std::string_view field, std::string_view value,
                           std::string_view reason) {
  VIGIL_ASSIGN_OR_RETURN(Statement * insert,
                         Cached("INSERT INTO rejections(run_id, source, file, line, field, value, "
                                "reason) VALUES(?, ?, ?, ?, ?, ?, ?)"));
  insert->Bind(1, run_id).Bind(2, source).Bind(3, file).Bind(4, static_cast<std::int64_t>(line));
  insert->Bind(5, field).Bind(6, value).Bind(7, reason);
  return insert->Run();
}

Status Store::ForEachEntity(std::string_view kind,
                            const std::function<Status(EntityWithHistory&)>& visit,
                            const std::vector<std::string>* sources) {
  return VisitEntities(kind, nullptr, sources, visit);
}

Result<std::optional<EntityWithHistory>> Store::LoadEntity(std::string_view kind,
                                                           std::string_view key,
                                                           const std::vector<std::string>* sources) {
  std::optional<EntityWithHistory> found;
  std::string wanted(key);
  VIGIL_RETURN_IF_ERROR(VisitEntities(kind, &wanted, sources, [&](const EntityWithHistory& e) {
    found = e;
    return Status::Ok();
  }));
  return found;
}

Status Store::VisitEntities(std::string_view kind, const std::string* key,
                            const std::vector<std::string>* sources,
                            const std::function<Status(EntityWithHistory&)>& visit) {
  // Which sources count, by id. Filtering here rather than in SQL keeps the
  // query a plain ordered walk of two primary keys.
  std::vector<bool> counted;
  if (sources) {
    VIGIL_ASSIGN_OR_RETURN(Statement names, db_.Prepare("SELECT id, name FROM sources"));
    while (true) {
      VIGIL_ASSIGN_OR_RETURN(bool row, names.Step());
      if (!row) break;
      if (std::find(sources->begin(), sources->end(), names.Text(1)) == sources->end()) continue;
      auto id = static_cast<std::size_t>(names.Int(0));
      if (counted.size() <= id) counted.resize(id + 1);
      counted[id] = true;
    }
  }
  // One ordered pass over entities joined with their observations: the
  // entity's rows arrive together, so only one entity is held at a time.
  VIGIL_ASSIGN_OR_RETURN(
      Statement stmt,
      db_.Prepare("SELECT e.id, e.key, e.name, e.attributes, o.measure_id, o.as_of, o.number, "
                  "o.text, o.source_id FROM entities e LEFT JOIN observations o ON o.entity_id = e.id "
                  "WHERE e.kind = ?1 AND (?2 IS NULL OR e.key = ?2) "
                  "ORDER BY e.key, e.id, o.measure_id, o.as_of, o.source_id"));
  stmt.Bind(1, kind);
  if (key) stmt.Bind(2, *key); else stmt.BindNull(2);
  EntityWithHistory current;
  std::size_t last_size = 0;  // the visitor may move the history away: size the next like it
  bool have = false;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    std::int64_t id = stmt.Int(0);
    if (!have || id != current.entity.id) {
      if (have) {
        last_size = current.observations.size();
        VIGIL_RETURN_IF_ERROR(visit(current));
      }
      current.entity = Entity{id, std::string(kind), std::string(stmt.Text(1)),
                              std::string(stmt.Text(2)), ParseAttributes(stmt.Text(3))};
      current.observations.clear();
      current.observations.reserve(last_size);
      have = true;
    }
    if (stmt.IsNull(4)) continue;  // an entity with no observations
    if (sources) {
      auto source = static_cast<std::size_t>(stmt.Int(8));
      if (source >= counted.size() || !counted[source]) continue;
    }
    Observation& o = current.observations.emplace_back();
    o.measure = static_cast<std::uint32_t>(stmt.Int(4));
    o.as_of = stmt.Text(5);
    if (!stmt.IsNull(6)) o.number = stmt.Double(6);
    o.text = stmt.Text(7);
  }
  if (have) VIGIL_RETURN_IF_ERROR(visit(current));
  return Status::Ok();
}

namespace {

// The first column of every row `stmt` gives, as text.
Result<std::vector<std::string>> FirstColumn(Statement& stmt) {
  std::vector<std::string> values;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    values.emplace_back(stmt.Text(0));
  }
  return values;
}

}  // namespace

Result<std::vector<std::string>> Store::EntityKinds() {
  VIGIL_ASSIGN_OR_RETURN(Statement stmt, db_.Prepare("SELECT DISTINCT kind FROM entities ORDER BY kind"));
  return FirstColumn(stmt);
}

Result<std::vector<std::string>> Store::AttributeNames(std::string_view kind) {
  VIGIL_ASSIGN_OR_RETURN(Statement stmt,
                         db_.Prepare("SELECT DISTINCT a.key FROM entities, json_each(entities.attributes) AS a "
                                     "WHERE entities.kind = ? ORDER BY a.key"));
  stmt.Bind(1, kind);
  return FirstColumn(stmt);
}

Result<std::vector<std::pair<std::string, std::string>>> Store::FindByName(std::string_view kind,
                                                                           std::string_view text, int limit) {
  // Compared folded in C++ (SQLite's lower() knows ASCII only): "st bede's"
  // finds "St Bede’s", whichever apostrophe the register or the officer typed.
  VIGIL_ASSIGN_OR_RETURN(Statement stmt, db_.Prepare("SELECT key, name FROM entities WHERE kind = ? ORDER BY key"));
  stmt.Bind(1, kind);
  const std::string wanted = FoldForSearch(text);
  std::vector<std::pair<std::string, std::string>> found;
  while (static_cast<int>(found.size()) < limit) {
    VIGIL_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    const std::string_view name = stmt.Text(1);
    if (FoldForSearch(name).find(wanted) != std::string::npos)
      found.emplace_back(std::string(stmt.Text(0)), std::string(name));
  }
  return found;
}

Result<std::int64_t> Store::BeginRun(std::string_view job, std::string_view as_of,
                                     std::string_view started_at, std::string_view fingerprint) {
  VIGIL_ASSIGN_OR_RETURN(
      Statement stmt,
      db_.Prepare("INSERT INTO runs(job, as_of, started_at, status, fingerprint, attempt) "
                  "VALUES(?1, ?2, ?3, 'running', ?4, "
                  "1 + (SELECT count(*) FROM runs WHERE job = ?1 AND as_of = ?2))"));
  stmt.Bind(1, job).Bind(2, as_of).Bind(3, started_at).Bind(4, fingerprint);
  VIGIL_RETURN_IF_ERROR(stmt.Run());
  return db_.LastInsertId();
}

Status Store::FinishRun(const RunRecord& run) {
  VIGIL_ASSIGN_OR_RETURN(Statement stmt,
                         db_.Prepare("UPDATE runs SET finished_at=?, status=?, message=?, "
                                     "rule_packs=?, inputs=?, outputs=?, settings=?, previous_run=?, rule_warnings=? "
                                     "WHERE id=?"));
  stmt.Bind(1, run.finished_at).Bind(2, run.status).Bind(3, run.message);
  stmt.Bind(4, run.rule_packs).Bind(5, run.inputs).Bind(6, run.outputs).Bind(7, run.settings);
  if (run.previous_run > 0) stmt.Bind(8, run.previous_run); else stmt.BindNull(8);
  stmt.Bind(9, run.rule_warnings).Bind(10, run.id);
  return stmt.Run();
}

Status Store::RecordFailedRun(const RunRecord& run) {
  LoadMeasureNames().ok();  // the rolled-back run may have interned names
  VIGIL_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_));
  VIGIL_ASSIGN_OR_RETURN(Statement stmt,
                         db_.Prepare("INSERT INTO runs(job, as_of, started_at, finished_at, "
                                     "status, message, rule_packs, inputs, fingerprint, settings, attempt) "
                                     "VALUES(?1, ?2, ?3, ?4, 'failed', ?5, ?6, ?7, ?8, ?9, "
                                     "1 + (SELECT count(*) FROM runs WHERE job = ?1 AND as_of = ?2))"));
  stmt.Bind(1, run.job).Bind(2, run.as_of).Bind(3, run.started_at).Bind(4, run.finished_at);
  stmt.Bind(5, run.message).Bind(6, run.rule_packs).Bind(7, run.inputs).Bind(8, run.fingerprint);
  stmt.Bind(9, run.settings);
  VIGIL_RETURN_IF_ERROR(stmt.Run());
  return tx.Commit();
}

Result<std::vector<RunRecord>> Store::ListRuns(int limit) {
  VIGIL_ASSIGN_OR_RETURN(
      Statement stmt,
      db_.Prepare(fmt::format("SELECT {} FROM runs ORDER BY id DESC LIMIT ?", kRunColumns)));
  stmt.Bind(1, static_cast<std::int64_t>(limit));
  std::vector<RunRecord> runs;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    runs.push_back(ReadRun(stmt));
  }
  return runs;
}

Result<std::optional<RunRecord>> Store::GetRun(std::int64_t id) {
  VIGIL_ASSIGN_OR_RETURN(
      Statement stmt, db_.Prepare(fmt::format("SELECT {} FROM runs WHERE id = ?", kRunColumns)));
  stmt.Bind(1, id);
  VIGIL_ASSIGN_OR_RETURN(bool row, stmt.Step());
  std::optional<RunRecord> run;
  if (row) run = ReadRun(stmt);
  return run;
}

Result<std::optional<std::int64_t>> Store::FindSucceededRun(std::string_view job, std::string_view as_of,
                                                            std::string_view fingerprint) {
  // Only the period's latest succeeded attempt covers it: an older attempt
  // with the same inputs is not what the ledger (and the next period's
  // comparison) takes as the period's run.
  VIGIL_ASSIGN_OR_RETURN(Statement stmt,
                         db_.Prepare("SELECT id, fingerprint FROM runs WHERE job = ? AND as_of = ? AND "
                                     "status = 'succeeded' ORDER BY id DESC LIMIT 1"));
  stmt.Bind(1, job).Bind(2, as_of);
  VIGIL_ASSIGN_OR_RETURN(bool row, stmt.Step());
  std::optional<std::int64_t> id;
  if (row && stmt.Text(1) == fingerprint) id = stmt.Int(0);
  return id;
}

Result<std::optional<std::int64_t>> Store::OptionalId(Statement& stmt) {
  VIGIL_ASSIGN_OR_RETURN(bool row, stmt.Step());
  std::optional<std::int64_t> id;
  if (row && !stmt.IsNull(0)) id = stmt.Int(0);
  return id;
}

Status Store::SaveRunPackFiles(std::int64_t run_id, std::string_view pack, const std::vector<PackFile>& files) {
  VIGIL_ASSIGN_OR_RETURN(Statement * keep,
                         Cached("INSERT INTO pack_files(sha256, content) VALUES(?, ?) ON CONFLICT DO NOTHING"));
  VIGIL_ASSIGN_OR_RETURN(Statement * list,
                         Cached("INSERT INTO run_pack_files(run_id, pack, position, path, sha256) "
                                "VALUES(?, ?, ?, ?, ?)"));
  std::int64_t position = 0;
  for (const auto& file : files) {
    Sha256 sha;
    sha.Update(file.content);
    std::string digest = sha.HexDigest();
    keep->Bind(1, digest).Bind(2, file.content);
    VIGIL_RETURN_IF_ERROR(keep->Run());
    list->Bind(1, run_id).Bind(2, pack).Bind(3, position++).Bind(4, file.path).Bind(5, digest);
    VIGIL_RETURN_IF_ERROR(list->Run());
  }
  return Status::Ok();
}

Result<std::vector<PackFile>> Store::LoadRunPackFiles(std::int64_t run_id, std::string_view pack) {
  VIGIL_ASSIGN_OR_RETURN(Statement stmt,
                         db_.Prepare("SELECT r.path, f.content FROM run_pack_files r JOIN pack_files f "
                                     "ON f.sha256 = r.sha256 WHERE r.run_id = ? AND r.pack = ? "
                                     "ORDER BY r.position"));
  stmt.Bind(1, run_id).Bind(2, pack);
  std::vector<PackFile> files;
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    files.push_back({std::string(stmt.Text(0)), std::string(stmt.Text(1))});
  }
  return files;
}

Status Store::AddResult(std::int64_t run_id, std::string_view pack, std::int64_t entity_id,
                        double score, std::string_view category, std::string_view forced_by,
                        std::string_view computed_category, std::string_view override_json,
                        std::string_view shown_json) {
  VIGIL_ASSIGN_OR_RETURN(Statement * insert,
                         Cached("INSERT INTO results(run_id, pack, entity_id, score, category, "
                                "forced_by, computed_category, override, shown) "
                                "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  insert->Bind(1, run_id).Bind(2, pack).Bind(3, entity_id).Bind(4, score).Bind(5, category);
  insert->Bind(6, forced_by).Bind(7, computed_category).Bind(8, override_json).Bind(9, shown_json);
  return insert->Run();
}

Status Store::AddIndicatorResult(std::int64_t run_id, std::string_view pack,
                                 std::int64_t entity_id, std::string_view indicator,
                                 std::string_view level, double points, std::string_view reason,
                                 std::string_view evidence_json, std::string_view thresholds_json) {
  VIGIL_ASSIGN_OR_RETURN(
      Statement * insert,
      Cached("INSERT INTO indicator_results(run_id, pack, entity_id, indicator, level, points, "
             "reason, evidence, thresholds) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  insert->Bind(1, run_id).Bind(2, pack).Bind(3, entity_id).Bind(4, indicator).Bind(5, level);
  insert->Bind(6, points).Bind(7, reason).Bind(8, evidence_json).Bind(9, thresholds_json);
  return insert->Run();
}

Result<std::unordered_map<std::string, StoredResult>> Store::LoadResults(std::int64_t run_id,
                                                                         std::string_view pack,
                                                                         std::string_view group_attribute) {
  std::unordered_map<std::string, StoredResult> results;
  VIGIL_ASSIGN_OR_RETURN(
      Statement stmt,
      db_.Prepare(fmt::format("SELECT e.key, r.category, r.score, r.forced_by, e.id, r.computed_category, r.override, "
                              "{} FROM results r JOIN entities e ON e.id = r.entity_id WHERE r.run_id = ?1 AND r.pack = ?2",
                              GroupOf(3))));
  stmt.Bind(1, run_id).Bind(2, pack);
  if (group_attribute.empty()) stmt.BindNull(3); else stmt.Bind(3, group_attribute);
  std::unordered_map<std::int64_t, std::string> keys;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    std::string key(stmt.Text(0));
    keys.emplace(stmt.Int(4), key);
    StoredResult& result = results[key];
    result.category = stmt.Text(1);
    result.score = stmt.Double(2);
    result.forced_by = stmt.Text(3);
    result.computed_category = stmt.Text(5);
    result.override_json = stmt.Text(6);
    result.group = stmt.Text(7);
  }
  VIGIL_ASSIGN_OR_RETURN(
      Statement levels,
      db_.Prepare("SELECT entity_id, indicator, level, points FROM indicator_results WHERE run_id = ? AND "
                  "pack = ? ORDER BY entity_id, indicator"));
  levels.Bind(1, run_id).Bind(2, pack);
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, levels.Step());
    if (!row) break;
    auto key = keys.find(levels.Int(0));
    if (key == keys.end()) continue;
    results[key->second].indicators.push_back(
        {std::string(levels.Text(1)), std::string(levels.Text(2)), levels.Double(3)});
  }
  return results;
}

namespace {

// For each period of job ?1 before ?3, its latest succeeded run made before run ?2.
constexpr const char* kLatestRunPerPeriod =
    "WITH latest AS (SELECT as_of, max(id) AS id FROM runs WHERE job = ?1 AND status = 'succeeded' "
    "AND id < ?2 AND as_of < ?3 GROUP BY as_of) ";

}  // namespace

Result<std::vector<PeriodCount>> Store::PeriodCounts(std::string_view job, std::string_view pack,
                                                     std::int64_t before_run, std::string_view before_as_of,
                                                     std::string_view group_attribute) {
  VIGIL_ASSIGN_OR_RETURN(
      Statement stmt,
      db_.Prepare(fmt::format(
          "{}SELECT l.as_of, l.id, {} AS grp, r.category, count(*) "
          "FROM latest l JOIN results r ON r.run_id = l.id AND r.pack = ?4 JOIN entities e ON e.id = r.entity_id "
          "GROUP BY l.as_of, l.id, grp, r.category ORDER BY l.as_of, grp, r.category",
          kLatestRunPerPeriod, GroupOf(5))));
  stmt.Bind(1, job).Bind(2, before_run).Bind(3, before_as_of).Bind(4, pack);
  if (group_attribute.empty()) stmt.BindNull(5); else stmt.Bind(5, group_attribute);
  std::vector<PeriodCount> counts;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    counts.push_back({std::string(stmt.Text(0)), stmt.Int(1), std::string(stmt.Text(2)),
                      std::string(stmt.Text(3)), static_cast<std::size_t>(stmt.Int(4))});
  }
  return counts;
}

Result<std::vector<PastCategory>> Store::PastCategories(std::string_view job, std::string_view pack,
                                                        std::int64_t before_run, std::string_view before_as_of) {
  VIGIL_ASSIGN_OR_RETURN(
      Statement stmt,
      db_.Prepare(fmt::format("{}SELECT e.key, l.as_of, l.id, r.category, r.score FROM latest l "
                              "JOIN results r ON r.run_id = l.id AND r.pack = ?4 JOIN entities e ON e.id = r.entity_id "
                              "ORDER BY e.key, l.as_of",
                              kLatestRunPerPeriod)));
  stmt.Bind(1, job).Bind(2, before_run).Bind(3, before_as_of).Bind(4, pack);
  std::vector<PastCategory> past;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    past.push_back({std::string(stmt.Text(0)), std::string(stmt.Text(1)), stmt.Int(2), std::string(stmt.Text(3)),
                    stmt.Double(4)});
  }
  return past;
}

}  // namespace vigil::store
