#include "store/observation_batch.h"

#include <gtest/gtest.h>

#include "store/schema.h"
#include "store_fixture.h"
#include "test_support.h"

namespace vigil::store {
namespace {

using vigil::testing::TempDir;

std::int64_t School(Store& store, const std::string& urn) {
  auto id = store.UpsertEntity("school", urn, "School " + urn, {});
  EXPECT_TRUE(id.has_value());
  return *id;
}

TEST(ObservationBatch, WritesValuesReadInFileOrderAsEachSchoolsHistory) {
  TempDir dir;
  Store store = OpenStore(dir);
  std::int64_t a = School(store, "100001"), b = School(store, "100002");
  ObservationBatch batch;
  // As a file gives them: year by year, school by school.
  ASSERT_TRUE(batch.Add(b, "absence", "2023-08-31", "absence", 6.5, "", "absence.csv", 2).ok());
  ASSERT_TRUE(batch.Add(a, "absence", "2023-08-31", "absence", 4.0, "", "absence.csv", 3).ok());
  ASSERT_TRUE(batch.Add(b, "absence", "2022-08-31", "absence", std::nullopt, "c", "absence.csv", 4).ok());
  ASSERT_TRUE(batch.Add(a, "absence", "2022-08-31", "absence", 5.0, "", "absence.csv", 5).ok());
  auto conflicts = batch.WriteTo(store, 1);
  ASSERT_TRUE(conflicts.has_value()) << conflicts.error().message;
  EXPECT_TRUE(conflicts->empty());
  EXPECT_EQ(batch.size(), 0u);
  auto loaded = store.LoadEntity("school", "100002");
  ASSERT_TRUE(loaded && *loaded);
  const auto& history = (*loaded)->observations;
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].as_of, "2022-08-31");
  EXPECT_FALSE(history[0].number.has_value());
  EXPECT_EQ(history[0].text, "c");
  EXPECT_EQ(history[1].as_of, "2023-08-31");
  EXPECT_EQ(*history[1].number, 6.5);
}

TEST(ObservationBatch, KeepsTheFirstOfTwoDifferentValuesAndNamesTheSecondsLine) {
  TempDir dir;
  Store store = OpenStore(dir);
  std::int64_t a = School(store, "100001");
  ObservationBatch batch;
  ASSERT_TRUE(batch.Add(a, "pupils", "2023-01-19", "register", 420.0, "", "gias.csv", 7).ok());
  ASSERT_TRUE(batch.Add(a, "pupils", "2023-01-19", "register", 420.0, "", "gias.csv", 8).ok());  // same: fine
  ASSERT_TRUE(batch.Add(a, "pupils", "2023-01-19", "register", 999.0, "", "gias.csv", 9).ok());
  ASSERT_TRUE(batch.Add(a, "pupils", "2023-01-19", "other", 999.0, "", "other.csv", 2).ok());  // another source
  auto conflicts = batch.WriteTo(store, 1);
  ASSERT_TRUE(conflicts.has_value());
  ASSERT_EQ(conflicts->size(), 1u);
  const BatchConflict& c = conflicts->front();
  EXPECT_EQ(c.entity_id, a);
  EXPECT_EQ(c.measure, "pupils");
  EXPECT_EQ(c.as_of, "2023-01-19");
  EXPECT_EQ(c.source, "register");
  EXPECT_EQ(c.file, "gias.csv");
  EXPECT_EQ(c.line, 9u);
  EXPECT_EQ(c.value, "999");
  EXPECT_EQ(c.kept, "420");
  auto loaded = store.LoadEntity("school", "100001", nullptr);
  ASSERT_TRUE(loaded && *loaded);
  ASSERT_EQ((*loaded)->observations.size(), 2u);
  EXPECT_EQ(*(*loaded)->observations[0].number, 420.0);
}

TEST(ObservationBatch, ALaterRunCorrectsAValueAndForgetsATruncatedSource) {
  TempDir dir;
  Store store = OpenStore(dir);
  std::int64_t a = School(store, "100001");
  ObservationBatch first;
  ASSERT_TRUE(first.Add(a, "pupils", "2023-01-19", "register", 420.0, "", "gias.csv", 2).ok());
  ASSERT_TRUE(first.WriteTo(store, 1).has_value());
  ObservationBatch second;
  ASSERT_TRUE(second.Add(a, "pupils", "2023-01-19", "register", 430.0, "", "gias.csv", 2).ok());
  std::size_t before_failed_source = second.size();
  ASSERT_TRUE(second.Add(a, "fsm", "2023-01-19", "broken", 12.0, "", "broken.csv", 2).ok());
  second.Truncate(before_failed_source);
  ASSERT_TRUE(second.WriteTo(store, 2).has_value());
  auto loaded = store.LoadEntity("school", "100001");
  ASSERT_TRUE(loaded && *loaded);
  ASSERT_EQ((*loaded)->observations.size(), 1u);
  EXPECT_EQ(*(*loaded)->observations[0].number, 430.0);
}

TEST(ObservationBatch, FindsAConflictBetweenTwoPartsOfARunWrittenSeparately) {
  TempDir dir;
  Store store = OpenStore(dir);
  std::int64_t a = School(store, "100001");
  ObservationBatch batch(/*max_rows=*/2);
  ASSERT_TRUE(batch.Add(a, "pupils", "2023-01-19", "register", 420.0, "", "gias.csv", 2).ok());
  ASSERT_TRUE(batch.Add(a, "fsm", "2023-01-19", "register", 12.5, "", "gias.csv", 2).ok());
  EXPECT_TRUE(batch.full());
  ASSERT_TRUE(batch.WriteTo(store, 7).has_value());
  ASSERT_TRUE(batch.Add(a, "pupils", "2023-01-19", "register", 420.0, "", "gias.csv", 40).ok());  // same
  ASSERT_TRUE(batch.Add(a, "fsm", "2023-01-19", "register", 99.0, "", "gias.csv", 41).ok());      // differs
  auto conflicts = batch.WriteTo(store, 7);
  ASSERT_TRUE(conflicts.has_value());
  ASSERT_EQ(conflicts->size(), 1u);
  EXPECT_EQ(conflicts->front().measure, "fsm");
  EXPECT_EQ(conflicts->front().line, 41u);
  EXPECT_EQ(conflicts->front().kept, "12.5");
  auto loaded = store.LoadEntity("school", "100001");
  ASSERT_TRUE(loaded && *loaded);
  for (const auto& o : (*loaded)->observations)
    if (store.MeasureNames()[o.measure] == "fsm") {
      EXPECT_EQ(*o.number, 12.5);
    }
}

TEST(ObservationBatch, WritesOnlyTheRowsFromAPositionAndKeepsTheRest) {
  TempDir dir;
  Store store = OpenStore(dir);
  std::int64_t a = School(store, "100001");
  ObservationBatch batch;
  ASSERT_TRUE(batch.Add(a, "pupils", "2023-01-19", "register", 420.0, "", "gias.csv", 2).ok());
  ASSERT_TRUE(batch.Add(a, "absence", "2023-08-31", "absence", 5.5, "", "absence.csv", 2).ok());
  ASSERT_TRUE(batch.WriteTo(store, 1, /*from=*/1).has_value());
  EXPECT_EQ(batch.size(), 1u);
  auto only_absence = store.LoadEntity("school", "100001");
  ASSERT_TRUE(only_absence && *only_absence);
  ASSERT_EQ((*only_absence)->observations.size(), 1u);
  EXPECT_EQ(store.MeasureNames()[(*only_absence)->observations[0].measure], "absence");
  ASSERT_TRUE(batch.WriteTo(store, 1).has_value());
  auto both = store.LoadEntity("school", "100001");
  ASSERT_TRUE(both && *both);
  EXPECT_EQ((*both)->observations.size(), 2u);
}

TEST(StoreMigration, Version3ObservationsMoveToTheTableWithoutForeignKeys) {
  TempDir dir;
  {
    Store store = OpenStore(dir);
    std::int64_t a = School(store, "100001");
    // Put the store back into its version 3 shape, with one observation.
    ASSERT_TRUE(store.db().Exec(
        "DROP TABLE observations; DROP TABLE pack_files; DROP TABLE run_pack_files; "
        "ALTER TABLE runs DROP COLUMN settings; ALTER TABLE runs DROP COLUMN previous_run; "
        "ALTER TABLE runs DROP COLUMN rule_warnings; "
        "ALTER TABLE results DROP COLUMN shown; "
        "ALTER TABLE indicator_results DROP COLUMN thresholds; "
        "CREATE TABLE observations(entity_id INTEGER NOT NULL REFERENCES entities(id), "
        "measure_id INTEGER NOT NULL REFERENCES measures(id), as_of TEXT NOT NULL, "
        "source_id INTEGER NOT NULL REFERENCES sources(id), number REAL, text TEXT, "
        "run_id INTEGER NOT NULL, PRIMARY KEY(entity_id, measure_id, as_of, source_id)) WITHOUT ROWID; "
        "INSERT INTO measures(id, name) VALUES(1, 'pupils'); INSERT INTO sources(id, name) VALUES(1, 'register'); "
        "PRAGMA user_version = 3;").ok());
    ASSERT_TRUE(store.db().Exec("INSERT INTO observations VALUES(" + std::to_string(a) +
                                ", 1, '2023-01-19', 1, 420, NULL, 1)").ok());
  }
  Store store = OpenStore(dir);
  auto version = store.db().Prepare("PRAGMA user_version");
  ASSERT_TRUE(version && *version->Step());
  EXPECT_EQ(version->Int(0), kSchemaVersion);
  auto keys = store.db().Prepare("SELECT count(*) FROM pragma_foreign_key_list('observations')");
  ASSERT_TRUE(keys && *keys->Step());
  EXPECT_EQ(keys->Int(0), 0);
  auto pack_tables = store.db().Prepare(
      "SELECT count(*) FROM sqlite_master WHERE name IN ('pack_files', 'run_pack_files')");
  ASSERT_TRUE(pack_tables && *pack_tables->Step());
  EXPECT_EQ(pack_tables->Int(0), 2);  // version 5 keeps each run's rule pack files
  auto thresholds = store.db().Prepare("SELECT count(*) FROM pragma_table_info('indicator_results') "
                                       "WHERE name = 'thresholds'");
  ASSERT_TRUE(thresholds && *thresholds->Step());
  EXPECT_EQ(thresholds->Int(0), 1);  // version 6 keeps the thresholds each indicator read
  auto loaded = store.LoadEntity("school", "100001");
  ASSERT_TRUE(loaded && *loaded);
  ASSERT_EQ((*loaded)->observations.size(), 1u);
  EXPECT_EQ(*(*loaded)->observations[0].number, 420.0);
}

}  // namespace
}  // namespace vigil::store
