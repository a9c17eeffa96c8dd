// Reading past runs back: which run a comparison uses, and everything a
// run's reports showed (results with their entities as reported, rejected
// rows), so they can be rendered again exactly.
#include <fmt/format.h>

#include "store/store.h"

namespace vigil::store {

Result<std::optional<PeriodRun>> Store::PreviousPeriodRun(std::string_view job, std::string_view as_of,
                                                          std::int64_t before_run) {
  VIGIL_ASSIGN_OR_RETURN(Statement stmt,
                         db_.Prepare("SELECT id, as_of FROM runs WHERE job = ? AND status = 'succeeded' "
                                     "AND id < ? AND as_of < ? ORDER BY as_of DESC, id DESC LIMIT 1"));
  stmt.Bind(1, job).Bind(2, before_run).Bind(3, as_of);
  VIGIL_ASSIGN_OR_RETURN(bool row, stmt.Step());
  std::optional<PeriodRun> previous;
  if (row) previous = PeriodRun{stmt.Int(0), std::string(stmt.Text(1))};
  return previous;
}

Result<std::optional<std::int64_t>> Store::LatestSucceededRun(std::string_view job) {
  VIGIL_ASSIGN_OR_RETURN(Statement stmt,
                         db_.Prepare("SELECT id FROM runs WHERE job = ? AND status = 'succeeded' "
                                     "ORDER BY as_of DESC, id DESC LIMIT 1"));
  stmt.Bind(1, job);
  return OptionalId(stmt);
}

Result<std::optional<RunRecord>> Store::RunBefore(std::string_view job, std::int64_t before_run) {
  VIGIL_ASSIGN_OR_RETURN(
      Statement stmt,
      db_.Prepare(fmt::format("SELECT {} FROM runs WHERE job = ? AND id < ? ORDER BY id DESC LIMIT 1", kRunColumns)));
  stmt.Bind(1, job).Bind(2, before_run);
  VIGIL_ASSIGN_OR_RETURN(bool row, stmt.Step());
  std::optional<RunRecord> run;
  if (row) run = ReadRun(stmt);
  return run;
}

Result<std::vector<StoredOutcome>> Store::LoadOutcomes(std::int64_t run_id, std::string_view pack) {
  // Results and their indicators in one walk, both ordered by entity key.
  VIGIL_ASSIGN_OR_RETURN(
      Statement stmt,
      db_.Prepare("SELECT e.key, r.shown, r.score, r.category, r.forced_by, r.computed_category, r.override, "
                  "i.indicator, i.level, i.points, i.reason, i.evidence, i.thresholds FROM results r "
                  "JOIN entities e ON e.id = r.entity_id "
                  "LEFT JOIN indicator_results i ON i.run_id = r.run_id AND i.pack = r.pack "
                  "AND i.entity_id = r.entity_id WHERE r.run_id = ? AND r.pack = ? ORDER BY e.key, i.indicator"));
  stmt.Bind(1, run_id).Bind(2, pack);
  std::vector<StoredOutcome> outcomes;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    if (outcomes.empty() || outcomes.back().key != stmt.Text(0)) {
      StoredOutcome& o = outcomes.emplace_back();
      o.key = stmt.Text(0);
      o.shown = stmt.Text(1);
      o.score = stmt.Double(2);
      o.category = stmt.Text(3);
      o.forced_by = stmt.Text(4);
      o.computed_category = stmt.Text(5);
      o.override_json = stmt.Text(6);
    }
    if (stmt.IsNull(7)) continue;  // no indicator applied
    outcomes.back().indicators.push_back({std::string(stmt.Text(7)), std::string(stmt.Text(8)), stmt.Double(9),
                                          std::string(stmt.Text(10)), std::string(stmt.Text(11)),
                                          std::string(stmt.Text(12))});
  }
  return outcomes;
}

Result<std::vector<RejectedRow>> Store::LoadRejections(std::int64_t run_id, std::size_t limit) {
  // rowid order is the order the run found them in.
  VIGIL_ASSIGN_OR_RETURN(Statement stmt,
                         db_.Prepare("SELECT source, file, line, field, value, reason FROM rejections "
                                     "WHERE run_id = ? ORDER BY rowid LIMIT ?"));
  stmt.Bind(1, run_id).Bind(2, static_cast<std::int64_t>(limit));
  std::vector<RejectedRow> rows;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    rows.push_back({std::string(stmt.Text(0)), std::string(stmt.Text(1)), static_cast<std::uint64_t>(stmt.Int(2)),
                    std::string(stmt.Text(3)), std::string(stmt.Text(4)), std::string(stmt.Text(5))});
  }
  return rows;
}

Result<std::uint64_t> Store::CountRejections(std::int64_t run_id) {
  VIGIL_ASSIGN_OR_RETURN(Statement stmt, db_.Prepare("SELECT count(*) FROM rejections WHERE run_id = ?"));
  stmt.Bind(1, run_id);
  VIGIL_ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? static_cast<std::uint64_t>(stmt.Int(0)) : 0;
}

}  // namespace vigil::store
