#include "store/store.h"

#include <gtest/gtest.h>

#include "store/observation_batch.h"
#include "store/schema.h"
#include "store_fixture.h"
#include "test_support.h"

namespace vigil::store {
namespace {

using vigil::testing::TempDir;
namespace fs = std::filesystem;

std::int64_t Count(Store& store, const char* table) {
  auto stmt = store.db().Prepare(std::string("SELECT count(*) FROM ") + table);
  EXPECT_TRUE(stmt.has_value());
  EXPECT_TRUE(*stmt->Step());
  return stmt->Int(0);
}

// Writes one value through `batch` (a run's batch, written value by value);
// returns the value kept instead of this one, if the run already had another.
Result<std::optional<std::string>> WriteOne(ObservationBatch& batch, Store& store, std::int64_t entity,
                                            std::string_view measure, std::string_view as_of,
                                            std::string_view source, const std::optional<double>& number,
                                            std::string_view text, std::int64_t run_id) {
  VIGIL_RETURN_IF_ERROR(batch.Add(entity, measure, as_of, source, number, text, "test.csv", 2));
  VIGIL_ASSIGN_OR_RETURN(auto conflicts, batch.WriteTo(store, run_id));
  std::optional<std::string> kept;
  if (!conflicts.empty()) kept = conflicts.front().kept;
  return kept;
}

Status IngestOneSchool(Store& store, double pupils) {
  VIGIL_ASSIGN_OR_RETURN(std::int64_t id, store.UpsertEntity("school", "100001", "Alpha Primary",
                                                             {{"phase", "Primary"}}));
  ObservationBatch batch;
  VIGIL_RETURN_IF_ERROR(batch.Add(id, "pupils", "2023-01-19", "register", pupils, "", "gias.csv", 2));
  VIGIL_RETURN_IF_ERROR(batch.Add(id, "ks2_rwm", "2023-08-31", "ks2", std::nullopt, "c: confidential", "ks2.csv", 2));
  return batch.WriteTo(store, 1).has_value() ? Status::Ok() : Fail(ErrorCode::kInternal, "write failed");
}

TEST(Store, CreatesTheSchemaAtTheCurrentVersion) {
  TempDir dir;
  Store store = OpenStore(dir);
  auto stmt = store.db().Prepare("PRAGMA user_version");
  ASSERT_TRUE(stmt && *stmt->Step());
  EXPECT_EQ(stmt->Int(0), kSchemaVersion);
  auto mode = store.db().Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode && *mode->Step());
  EXPECT_EQ(mode->Text(0), "wal");
}

TEST(Store, LeavesAnSqliteDatabaseItDidNotMakeExactlyAsItIs) {
  TempDir dir;
  fs::path data = dir / "visits.sqlite";
  {
    auto db = Database::Open(data.string());
    ASSERT_TRUE(db.has_value());
    ASSERT_TRUE(db->Exec("CREATE TABLE visits(urn TEXT, visit_date TEXT); INSERT INTO visits VALUES('100001', "
                         "'2023-09-01');").ok());
  }
  std::string before = vigil::testing::ReadText(data);
  auto opened = Store::Open(data.string());
  ASSERT_FALSE(opened.has_value());
  EXPECT_NE(opened.error().message.find("an SQLite database Vigil did not make (it holds visits)"),
            std::string::npos) << opened.error().message;
  EXPECT_EQ(vigil::testing::ReadText(data), before);
  EXPECT_FALSE(fs::exists(data.string() + "-wal"));
}

TEST(Store, RefusesAStoreWrittenByANewerVigil) {
  TempDir dir;
  { Store store = OpenStore(dir); ASSERT_TRUE(store.db().Exec("PRAGMA user_version = 99").ok()); }
  auto reopened = Store::Open((dir / "vigil.sqlite").string());
  ASSERT_FALSE(reopened.has_value());
  EXPECT_NE(reopened.error().message.find("schema version 99"), std::string::npos);
}

TEST(Store, ReingestingTheSameFileAddsNoDuplicates) {
  TempDir dir;
  Store store = OpenStore(dir);
  ASSERT_TRUE(IngestOneSchool(store, 420).ok());
  ASSERT_TRUE(IngestOneSchool(store, 420).ok());
  EXPECT_EQ(Count(store, "entities"), 1);
  EXPECT_EQ(Count(store, "observations"), 2);
}

TEST(Store, KeepsHistoryAndMissingValuesWithTheirReason) {
  TempDir dir;
  Store store = OpenStore(dir);
  ASSERT_TRUE(IngestOneSchool(store, 420).ok());
  auto id = store.UpsertEntity("school", "100001", "", {{"district", "North"}});
  ASSERT_TRUE(id.has_value());
  ObservationBatch second_run;
  ASSERT_TRUE(WriteOne(second_run, store, *id, "pupils", "2022-01-20", "register", 400.0, "", 2).has_value());
  auto loaded = store.LoadEntity("school", "100001");
  ASSERT_TRUE(loaded && *loaded);
  const auto& e = **loaded;
  EXPECT_EQ(e.entity.name, "Alpha Primary");  // an empty name does not erase the stored one
  ASSERT_EQ(e.entity.attributes.size(), 2u);  // attributes merge
  EXPECT_EQ(e.entity.attributes[0], (std::pair<std::string, std::string>{"district", "North"}));
  std::vector<std::string> seen;
  for (const auto& o : e.observations)
    seen.push_back(store.MeasureNames()[o.measure] + "@" + o.as_of + "=" +
                   (o.number ? std::to_string(static_cast<int>(*o.number)) : o.text));
  EXPECT_EQ(seen, (std::vector<std::string>{"pupils@2022-01-20=400", "pupils@2023-01-19=420",
                                            "ks2_rwm@2023-08-31=c: confidential"}));
}

TEST(Store, ASecondDifferentValueInOneRunKeepsTheFirstAndSaysSo) {
  TempDir dir;
  Store store = OpenStore(dir);
  auto id = store.UpsertEntity("school", "100001", "Alpha Primary", {});
  ASSERT_TRUE(id.has_value());
  ObservationBatch run1, run2;
  auto first = WriteOne(run1, store, *id, "pupils", "2023-01-19", "register", 420.0, "", 1);
  ASSERT_TRUE(first.has_value() && !*first);
  auto same = WriteOne(run1, store, *id, "pupils", "2023-01-19", "register", 420.0, "", 1);
  ASSERT_TRUE(same.has_value() && !*same);  // the same value again is not a conflict
  auto conflict = WriteOne(run1, store, *id, "pupils", "2023-01-19", "register", 999.0, "", 1);
  ASSERT_TRUE(conflict.has_value() && *conflict);
  EXPECT_EQ(**conflict, "420");
  auto correction = WriteOne(run2, store, *id, "pupils", "2023-01-19", "register", 430.0, "", 2);
  ASSERT_TRUE(correction.has_value() && !*correction);  // a later run corrects it
  auto loaded = store.LoadEntity("school", "100001");
  ASSERT_TRUE(loaded && *loaded);
  EXPECT_EQ(*(*loaded)->observations.at(0).number, 430.0);
}

TEST(Store, ARolledBackTransactionLeavesTheStoreAsItWas) {
  TempDir dir;
  Store store = OpenStore(dir);
  {
    auto tx = Transaction::Begin(store.db());
    ASSERT_TRUE(tx.has_value());
    ASSERT_TRUE(IngestOneSchool(store, 420).ok());
    // no Commit(): the destructor rolls back
  }
  EXPECT_EQ(Count(store, "entities"), 0);
  EXPECT_EQ(Count(store, "observations"), 0);
}

TEST(Store, RecordsRunsAndComparesWithThePreviousPeriodsLatestSucceededRun) {
  TempDir dir;
  Store store = OpenStore(dir);
  auto succeed = [&](const char* as_of) {
    auto id = store.BeginRun("demo", as_of, "t");
    EXPECT_TRUE(id.has_value());
    RunRecord r;
    r.id = *id;
    r.status = "succeeded";
    EXPECT_TRUE(store.FinishRun(r).ok());
    return *id;
  };
  std::int64_t october = succeed("2023-10-31");
  std::int64_t catch_up = succeed("2026-01-31");  // a later period, run before the one below
  std::int64_t october_again = succeed("2023-10-31");
  RunRecord failed;
  failed.job = "demo";
  failed.as_of = "2023-10-31";
  failed.started_at = "t2";
  failed.message = "ingest: broken\n  the whole reason";
  ASSERT_TRUE(store.RecordFailedRun(failed).ok());
  auto runs = store.ListRuns(10);
  ASSERT_TRUE(runs.has_value());
  ASSERT_EQ(runs->size(), 4u);
  EXPECT_EQ((*runs)[0].status, "failed");
  EXPECT_EQ((*runs)[0].message, "ingest: broken\n  the whole reason");

  // November compares with October's latest success, not the 2026 run nor the failure.
  auto previous = store.PreviousPeriodRun("demo", "2023-11-30", 100);
  ASSERT_TRUE(previous && *previous);
  EXPECT_EQ((*previous)->id, october_again);
  EXPECT_EQ((*previous)->as_of, "2023-10-31");
  // A second attempt at October has no earlier period to compare with.
  previous = store.PreviousPeriodRun("demo", "2023-10-31", 100);
  ASSERT_TRUE(previous.has_value());
  EXPECT_FALSE(*previous);
  // Only runs before the one being compared count: re-rendering the 2026 run
  // finds what it compared with then.
  previous = store.PreviousPeriodRun("demo", "2026-01-31", catch_up);
  ASSERT_TRUE(previous && *previous);
  EXPECT_EQ((*previous)->id, october);
  // What `latest` shows: the newest period's latest succeeded run.
  auto latest = store.LatestSucceededRun("demo");
  ASSERT_TRUE(latest && *latest);
  EXPECT_EQ(**latest, catch_up);
}

}  // namespace
}  // namespace vigil::store
