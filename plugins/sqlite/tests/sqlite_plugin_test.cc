// Tests of the built sqlite plugin, loaded with dlopen like the host loads it
// and driven through the C ABI by a host API that records everything, on a
// small database each test creates with the SQLite C API.
#include <vigil/plugin.h>

#include "../../testing/plugin_harness.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#ifndef VIGIL_SQLITE_PLUGIN_PATH
#error "VIGIL_SQLITE_PLUGIN_PATH must name the built plugin"
#endif

namespace {

using vigil::plugin_testing::PluginTest;
using vigil::plugin_testing::Recorder;
using vigil::plugin_testing::SettingList;

constexpr char kSchema[] =
    "CREATE TABLE schools (urn INTEGER PRIMARY KEY, name TEXT, phase TEXT, la_code INTEGER,"
    " pupils INTEGER, fsm REAL, judgement TEXT, census TEXT, photo BLOB);"
    "INSERT INTO schools VALUES"
    " (100001, 'Alpha Primary', 'Primary', 330, 420, 12.5, 'Good', '2023-01-19', NULL),"
    " (100002, 'Beta School', 'Secondary', 330, 1100, 'c', 'Outstanding', '19/01/2023', NULL),"
    " (100003, 'Gamma Nursery', 'Nursery', 330, NULL, 'x', NULL, NULL, NULL),"
    " (100004, 'Delta Academy', 'Primary', 331, 'lots', 8.0, 'Good', '2023-01-19', NULL),"
    " (100005, 'O''Brien''s School', 'Primary', 330, 200, '', NULL, '202223', x'00ff');";

class SqlitePluginTest : public PluginTest {
 protected:
  SqlitePluginTest() : PluginTest(VIGIL_SQLITE_PLUGIN_PATH, "vigil_sqlite_plugin_test") {}

  void SetUp() override {
    PluginTest::SetUp();
    if (HasFatalFailure()) return;
    db_ = (dir_ / "local.sqlite").string();
    Exec(db_, kSchema);
  }

  // Runs `sql` on the database at `path`, creating it if needed.
  static void Exec(const std::string& path, const char* sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &error), SQLITE_OK) << error;
    sqlite3_free(error);
    sqlite3_close(db);
  }

  // The first column of the first row of `sql`, as text.
  static std::string Query(const std::string& path, const char* sql) {
    sqlite3* db = nullptr;
    std::string out;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
      sqlite3_stmt* stmt = nullptr;
      if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK &&
          sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr)
        out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
    return out;
  }

  static std::string Bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

  // Settings reading the schools table with `query` and `parameters`.
  SettingList Schools(const std::string& query, const std::string& parameters = "") const {
    SettingList s = {{"database", db_},
                     {"query", query},
                     {"kind", "school"},
                     {"key_column", "urn"},
                     {"name_column", "name"},
                     {"attributes", "phase = phase"},
                     {"measures", "pupils = pupils\nfsm_percent = fsm"},
                     {"text_measures", "overall_effectiveness = judgement"},
                     {"date_column", "census"},
                     {"as_of", "2023-01-19"}};
    if (!parameters.empty()) s.push_back({"parameters", parameters});
    return s;
  }

  // The names in folder `dir`.
  static std::set<std::string> Listing(const std::filesystem::path& dir) {
    std::set<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
      names.insert(entry.path().filename().string());
    return names;
  }

  std::string db_;
};

// `settings` with setting `name` set to `value`.
SettingList With(SettingList settings, const std::string& name, const std::string& value) {
  for (auto& [key, current] : settings)
    if (key == name) current = value;
  return settings;
}

// The file at `path` opened read-only as the host opens an input it
// checksums, and the /proc/self/fd/N name the host gives the plugin.
class HostDescriptor {
 public:
  explicit HostDescriptor(const std::string& path) : fd_(open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
  ~HostDescriptor() {
    if (fd_ >= 0) close(fd_);
  }
  HostDescriptor(const HostDescriptor&) = delete;
  HostDescriptor& operator=(const HostDescriptor&) = delete;
  bool ok() const { return fd_ >= 0; }
  std::string path() const { return "/proc/self/fd/" + std::to_string(fd_); }

 private:
  int fd_;
};

// A connection that writes and stays open, so its changes stay in the -wal
// file (as while an application is using the database).
class Writer {
 public:
  explicit Writer(const std::string& path) { sqlite3_open(path.c_str(), &db_); }
  ~Writer() { sqlite3_close(db_); }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;
  void Exec(const char* sql) {
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db_, sql, nullptr, nullptr, &error), SQLITE_OK) << error;
    sqlite3_free(error);
  }

 private:
  sqlite3* db_ = nullptr;
};

constexpr char kAll[] =
    "SELECT urn, name, phase, pupils, fsm, judgement, census FROM schools ORDER BY urn";

TEST_F(SqlitePluginTest, DescribesItselfWithNameVersionAndHelpForEverySetting) {
  EXPECT_EQ(descriptor_->struct_size, sizeof(vigil_plugin_descriptor));
  EXPECT_EQ(descriptor_->abi_major, VIGIL_ABI_MAJOR);
  EXPECT_STREQ(descriptor_->name, "sqlite");
  EXPECT_STREQ(descriptor_->version, "1.0.0");
  std::map<std::string, const vigil_setting_decl*> settings;
  for (std::size_t i = 0; i < descriptor_->setting_count; ++i) {
    const vigil_setting_decl& d = descriptor_->settings[i];
    settings[d.name] = &d;
    EXPECT_GT(std::strlen(d.help), 20u) << d.name;
  }
  for (const char* name : {"database", "query", "parameters", "kind", "key_column", "name_column",
                           "attributes", "measures", "text_measures", "date_column", "as_of",
                           "query_seconds"})
    EXPECT_EQ(settings.count(name), 1u) << name;
  EXPECT_EQ(settings.at("database")->type, VIGIL_SETTING_PATH);
  EXPECT_EQ(settings.at("database")->required, 1);
  EXPECT_EQ(settings.at("query")->required, 1);
  EXPECT_EQ(settings.at("parameters")->type, VIGIL_SETTING_LIST);
  EXPECT_EQ(settings.at("query_seconds")->type, VIGIL_SETTING_INTEGER);
  EXPECT_STREQ(settings.at("query_seconds")->default_value, "300");
}

TEST_F(SqlitePluginTest, RowsAreMappedToEntitiesAndDatedObservations) {
  ASSERT_EQ(Run(Schools(kAll)), VIGIL_OK) << LastError();
  ASSERT_EQ(host_.entities.size(), 5u);
  const auto* alpha = host_.FindEntity("100001");
  ASSERT_NE(alpha, nullptr);
  EXPECT_EQ(alpha->kind, "school");
  EXPECT_EQ(alpha->name, "Alpha Primary");
  EXPECT_EQ(alpha->attributes, (std::map<std::string, std::string>{{"phase", "Primary"}}));
  EXPECT_EQ(host_.FindEntity("100005")->name, "O'Brien's School");

  auto pupils = host_.Find("100001", "pupils");
  ASSERT_EQ(pupils.size(), 1u);
  EXPECT_TRUE(pupils[0].has_number);
  EXPECT_EQ(pupils[0].number, 420.0);
  EXPECT_EQ(pupils[0].as_of, "2023-01-19");
  EXPECT_EQ(host_.Find("100001", "fsm_percent")[0].number, 12.5);
  EXPECT_EQ(host_.Find("100001", "overall_effectiveness")[0].text, "Good");
  // Dates as text in other forms, and an EES time period.
  EXPECT_EQ(host_.Find("100002", "pupils")[0].as_of, "2023-01-19");
  EXPECT_EQ(host_.Find("100005", "pupils")[0].as_of, "2023-08-31");
  // NULL census date: as_of.
  EXPECT_EQ(host_.Find("100003", "fsm_percent")[0].as_of, "2023-01-19");
  EXPECT_EQ(host_.observations.size(), 10u);
  EXPECT_TRUE(host_.Logged("rows=5 entities=5 observations=10 rejected=1")) << host_.logs.back();
}

TEST_F(SqlitePluginTest, NullGivesNoObservationAndASuppressionCodeIsMissingWithItsReason) {
  ASSERT_EQ(Run(Schools(kAll)), VIGIL_OK) << LastError();
  EXPECT_TRUE(host_.Find("100003", "pupils").empty());                 // NULL
  EXPECT_TRUE(host_.Find("100003", "overall_effectiveness").empty());  // NULL
  EXPECT_TRUE(host_.Find("100005", "fsm_percent").empty());            // ''
  auto confidential = host_.Find("100002", "fsm_percent");
  ASSERT_EQ(confidential.size(), 1u);
  EXPECT_FALSE(confidential[0].has_number);
  EXPECT_EQ(confidential[0].text, "c: confidential");
  EXPECT_EQ(host_.Find("100003", "fsm_percent")[0].text, "x: not available");
}

TEST_F(SqlitePluginTest, TextThatIsNotANumberIsRejectedWithTheRowNumberAndColumn) {
  ASSERT_EQ(Run(Schools(kAll)), VIGIL_OK) << LastError();
  ASSERT_EQ(host_.rejections.size(), 1u);
  const auto& r = host_.rejections[0];
  EXPECT_EQ(r.file, db_);
  EXPECT_EQ(r.line, 4u);  // the 4th result row
  EXPECT_EQ(r.field, "pupils");
  EXPECT_EQ(r.value, "lots");
  EXPECT_EQ(r.reason, "'lots' is not a number");
  // The row's other values are kept.
  EXPECT_EQ(host_.Find("100004", "fsm_percent")[0].number, 8.0);
  EXPECT_TRUE(host_.Find("100004", "pupils").empty());
}

TEST_F(SqlitePluginTest, ParametersAreBoundInOrderAsValues) {
  ASSERT_EQ(Run(Schools("SELECT urn, name, phase, pupils, fsm, judgement, census FROM schools "
                        "WHERE la_code = ?1 AND phase = ?2 ORDER BY urn",
                        "330\nPrimary")),
            VIGIL_OK)
      << LastError();
  ASSERT_EQ(host_.entities.size(), 2u);
  EXPECT_EQ(host_.entities[0].key, "100001");
  EXPECT_EQ(host_.entities[1].key, "100005");
}

TEST_F(SqlitePluginTest, ParameterWithAQuoteAndDropTableSimplyMatchesNothingAndChangesNothing) {
  const std::string before = Bytes(db_);
  const std::string query =
      "SELECT urn, name, phase, pupils, fsm, judgement, census FROM schools WHERE name = ?1";
  ASSERT_EQ(Run(Schools(query, "x'; DROP TABLE schools; --")), VIGIL_OK) << LastError();
  EXPECT_TRUE(host_.entities.empty());
  EXPECT_TRUE(host_.rejections.empty());
  EXPECT_EQ(Query(db_, "SELECT count(*) FROM schools"), "5");
  EXPECT_EQ(Bytes(db_), before);
  // A quote in a value is just a character of it.
  ASSERT_EQ(Run(Schools(query, "O'Brien's School")), VIGIL_OK) << LastError();
  ASSERT_EQ(host_.entities.size(), 1u);
  EXPECT_EQ(host_.entities[0].key, "100005");
}

TEST_F(SqlitePluginTest, WriteQueriesAreRefusedBeforeAnythingRunsAndTheDatabaseIsUnchanged) {
  const std::string before = Bytes(db_);
  const std::string other = (dir_ / "other.sqlite").string();
  const std::string copy = (dir_ / "copy.sqlite").string();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"INSERT INTO schools (urn) VALUES (1)", "would INSERT into table schools"},
      {"UPDATE schools SET pupils = 0", "would UPDATE table schools"},
      {"DELETE FROM schools", "would DELETE from table schools"},
      {"REPLACE INTO schools (urn) VALUES (2)", "would INSERT into table schools"},
      {"WITH x AS (SELECT 3) INSERT INTO schools (urn) SELECT * FROM x",
       "would INSERT into table schools"},
      {"DROP TABLE schools", "would change the database's tables (CREATE, DROP or ALTER)"},
      {"CREATE TABLE t (a)", "would change the database's tables (CREATE, DROP or ALTER)"},
      {"ALTER TABLE schools ADD COLUMN x", "refused"},
      {"CREATE TEMP VIEW v AS SELECT 1", "refused"},
      {"ATTACH DATABASE '" + other + "' AS other", "would ATTACH a database"},
      {"PRAGMA user_version = 7", "would run PRAGMA user_version(7)"},
      {"PRAGMA journal_mode = DELETE", "would run PRAGMA journal_mode"},
      {"PRAGMA writable_schema = ON", "would run PRAGMA writable_schema"},
      {"BEGIN IMMEDIATE", "would control a transaction"},
      {"VACUUM", "refused"},
      {"VACUUM INTO '" + copy + "'", "refused"},
  };
  for (const auto& [sql, error] : cases) {
    host_.errors.clear();
    SettingList settings = Schools(sql);
    EXPECT_EQ(Run(settings), VIGIL_ERROR) << sql;
    ASSERT_EQ(host_.errors.size(), 1u) << sql;
    EXPECT_NE(host_.errors[0].find("setting 'query': refused"), std::string::npos)
        << sql << ": " << host_.errors[0];
    EXPECT_NE(host_.errors[0].find(error), std::string::npos) << sql << ": " << host_.errors[0];
  }
  EXPECT_TRUE(host_.entities.empty());
  EXPECT_EQ(Bytes(db_), before);
  EXPECT_EQ(Query(db_, "SELECT count(*) FROM schools"), "5");
  EXPECT_EQ(Query(db_, "PRAGMA user_version"), "0");
  EXPECT_FALSE(std::filesystem::exists(other));
  EXPECT_FALSE(std::filesystem::exists(copy));
}

TEST_F(SqlitePluginTest, TwoStatementsAreRefusedButATrailingSemicolonOrCommentIsNot) {
  const std::string before = Bytes(db_);
  for (const char* sql : {"SELECT urn FROM schools; SELECT 1",
                          "SELECT urn FROM schools; DROP TABLE schools",
                          "SELECT urn FROM schools;; DELETE FROM schools -- sneaky"}) {
    host_.errors.clear();
    EXPECT_EQ(Run({{"database", db_}, {"query", sql}, {"kind", "school"}, {"key_column", "urn"}}),
              VIGIL_ERROR)
        << sql;
    EXPECT_NE(LastError().find("setting 'query': refused: give one statement only; this one is "
                               "followed by"),
              std::string::npos)
        << LastError();
  }
  EXPECT_TRUE(host_.entities.empty());
  EXPECT_EQ(Bytes(db_), before);

  ASSERT_EQ(Run({{"database", db_},
                 {"query", "SELECT urn FROM schools;  -- every school\n/* done */ ;\n"},
                 {"kind", "school"},
                 {"key_column", "urn"}}),
            VIGIL_OK)
      << LastError();
  EXPECT_EQ(host_.entities.size(), 5u);
}

TEST_F(SqlitePluginTest, ParametersMustBeNumberedAndMatchTheQuery) {
  const std::string query = "SELECT urn FROM schools WHERE la_code = ?1 AND phase = ?2";
  SettingList settings = {{"database", db_}, {"query", query}, {"kind", "school"},
                          {"key_column", "urn"}, {"parameters", "330"}};
  EXPECT_EQ(Run(settings), VIGIL_ERROR);
  EXPECT_EQ(LastError(),
            "setting 'parameters': the query uses 2 parameters (?1 to ?2) but 1 value is given");
  settings[1].second = "SELECT urn FROM schools WHERE la_code = :la";
  EXPECT_EQ(Run(settings), VIGIL_ERROR);
  EXPECT_NE(LastError().find("parameter ':la' is not numbered; write ?1, ?2"), std::string::npos)
      << LastError();
}

TEST_F(SqlitePluginTest, DatesAreReadFromTextOrTimePeriodsAndBadOnesRejected) {
  Exec(db_,
       "CREATE TABLE results (urn INTEGER, period, rwm REAL);"
       "INSERT INTO results VALUES (100001, '2023-08-31', 61), (100001, 202122, 57),"
       " (100002, '31/02/2023', 50), (100002, NULL, 48), (100003, 45291.5, 40);");
  ASSERT_EQ(Run({{"database", db_},
                 {"query", "SELECT urn, period AS year_end, rwm FROM results"},
                 {"kind", "school"},
                 {"key_column", "urn"},
                 {"measures", "ks2_rwm_expected = rwm"},
                 {"date_column", "year_end"}}),
            VIGIL_OK)
      << LastError();
  auto rwm = host_.Find("100001", "ks2_rwm_expected");
  ASSERT_EQ(rwm.size(), 2u);
  EXPECT_EQ(rwm[0].as_of, "2023-08-31");
  EXPECT_EQ(rwm[1].as_of, "2022-08-31");  // the integer 202122: an academic year
  ASSERT_EQ(host_.rejections.size(), 3u);
  EXPECT_EQ(host_.rejections[0].line, 3u);
  EXPECT_EQ(host_.rejections[0].field, "year_end");
  EXPECT_EQ(host_.rejections[0].reason,
            "'31/02/2023' is not a valid date: February 2023 has 28 days; the row's 1 value was "
            "not loaded");
  EXPECT_EQ(host_.rejections[1].line, 4u);
  EXPECT_EQ(host_.rejections[1].reason, "the date is empty; the row's 1 value was not loaded");
  EXPECT_EQ(host_.rejections[2].line, 5u);
  EXPECT_EQ(host_.rejections[2].reason.rfind("the date is a number; return dates as text", 0), 0u);
  EXPECT_EQ(host_.entities.size(), 3u);  // a bad date does not make the school unknown
}

TEST_F(SqlitePluginTest, MissingResultColumnsAreReportedAllAtOnce) {
  EXPECT_EQ(Run({{"database", db_},
                 {"query", "SELECT urn, name FROM schools"},
                 {"kind", "school"},
                 {"key_column", "URN"},  // SQLite names ignore case
                 {"measures", "pupils = pupils\nfsm = fsm"},
                 {"as_of", "2023-01-19"}}),
            VIGIL_ERROR);
  EXPECT_EQ(LastError(),
            "the query's result lacks 2 columns the job maps: 'pupils' (measures), 'fsm' "
            "(measures); it returns urn, name (name result columns with AS)");
}

TEST_F(SqlitePluginTest, EmptyOrBinaryKeyRejectsTheRow) {
  ASSERT_EQ(Run({{"database", db_},
                 {"query", "SELECT CASE urn WHEN 100002 THEN NULL WHEN 100003 THEN photo "
                           "WHEN 100005 THEN photo ELSE urn END AS k FROM schools ORDER BY urn"},
                 {"kind", "school"},
                 {"key_column", "k"}}),
            VIGIL_OK)
      << LastError();
  ASSERT_EQ(host_.rejections.size(), 3u);
  EXPECT_EQ(host_.rejections[0].line, 2u);
  EXPECT_EQ(host_.rejections[0].reason, "the key is empty");
  EXPECT_EQ(host_.rejections[2].line, 5u);
  EXPECT_EQ(host_.rejections[2].reason, "the key is binary data (a BLOB)");
  EXPECT_EQ(host_.entities.size(), 2u);
}

TEST_F(SqlitePluginTest, DatabaseThatDoesNotExistIsReportedAndNotCreated) {
  const std::string missing = (dir_ / "nope.sqlite").string();
  EXPECT_EQ(Run({{"database", missing}, {"query", "SELECT 1 AS k"}, {"kind", "school"},
                 {"key_column", "k"}}),
            VIGIL_ERROR);
  EXPECT_EQ(LastError().rfind(missing + ": cannot open: no such file", 0), 0u) << LastError();
  EXPECT_FALSE(std::filesystem::exists(missing));
}

TEST_F(SqlitePluginTest, SyntaxErrorsAndNonDatabasesFailNamingTheCause) {
  EXPECT_EQ(Run({{"database", db_}, {"query", "SELEC urn FROM schools"}, {"kind", "school"},
                 {"key_column", "urn"}}),
            VIGIL_ERROR);
  EXPECT_NE(LastError().find("setting 'query': near \"SELEC\": syntax error in 'SELEC urn FROM "
                             "schools'"),
            std::string::npos)
      << LastError();
  EXPECT_EQ(Run({{"database", db_}, {"query", "SELECT missing FROM nowhere"}, {"kind", "school"},
                 {"key_column", "urn"}}),
            VIGIL_ERROR);
  EXPECT_NE(LastError().find("no such table: nowhere"), std::string::npos) << LastError();
  const std::string text = (dir_ / "notes.txt").string();
  std::ofstream(text) << "not a database, just some notes that are long enough to matter\n";
  EXPECT_EQ(Run({{"database", text}, {"query", "SELECT 1 AS k"}, {"kind", "school"},
                 {"key_column", "k"}}),
            VIGIL_ERROR);
  EXPECT_EQ(LastError(), text + ": cannot read: file is not a database");
}

TEST_F(SqlitePluginTest, CreateRefusesBadSettingsNamingTheSetting) {
  const std::vector<std::pair<SettingList, std::string>> cases = {
      {{{"query", "SELECT 1"}, {"kind", "school"}, {"key_column", "k"}},
       "setting 'database' is required"},
      {{{"database", "/x.sqlite"}, {"kind", "school"}, {"key_column", "k"}},
       "setting 'query' is required"},
      {{{"database", "/x.sqlite"}, {"query", "SELECT 1"}, {"kind", "School"}, {"key_column", "k"}},
       "setting 'kind': 'School' must be snake_case"},
      {{{"database", "/x.sqlite"}, {"query", "SELECT 1"}, {"kind", "school"}, {"key_column", "k"},
        {"measures", "pupils"}},
       "setting 'measures', item 'pupils': no '='"},
      {{{"database", "/x.sqlite"}, {"query", "SELECT 1"}, {"kind", "school"}, {"key_column", "k"},
        {"measures", "pupils = n"}},
       "measures are mapped but nothing dates them"},
      {{{"database", "/x.sqlite"}, {"query", "SELECT 1"}, {"kind", "school"}, {"key_column", "k"},
        {"as_of", "2023-02-30"}},
       "setting 'as_of': '2023-02-30' is not a valid date"},
      {{{"database", "/x.sqlite"}, {"query", "SELECT 1"}, {"kind", "school"}, {"key_column", "k"},
        {"query_seconds", "0"}},
       "setting 'query_seconds': expected a whole number of seconds from 1 to 86400, got '0'"},
      {{{"database", "/x.sqlite"}, {"query", "SELECT 1"}, {"kind", "school"}, {"key_column", "k"},
        {"query_seconds", "86401"}},
       "setting 'query_seconds': expected a whole number of seconds from 1 to 86400, got '86401'"},
  };
  for (const auto& [settings, error] : cases) {
    host_.errors.clear();
    void* instance = nullptr;
    EXPECT_EQ(Create(settings, &instance), VIGIL_ERROR) << error;
    ASSERT_EQ(host_.errors.size(), 1u) << error;
    EXPECT_NE(host_.errors[0].find(error), std::string::npos) << host_.errors[0];
  }
}

TEST_F(SqlitePluginTest, CancelledRunStopsWithCancelledStatus) {
  host_.cancel = true;
  EXPECT_EQ(Run(Schools(kAll)), VIGIL_CANCELLED);
  EXPECT_TRUE(host_.entities.empty());
  EXPECT_TRUE(host_.errors.empty());
}

TEST_F(SqlitePluginTest, ReadsThroughTheHostsDescriptorAndCreatesNothingInTheDataFolder) {
  // A database in WAL mode, closed cleanly (no -wal or -shm beside it): a
  // read-only connection would create both in a writable folder.
  Exec(db_, "PRAGMA journal_mode=WAL");
  ASSERT_EQ(Bytes(db_).substr(18, 2), std::string("\x02\x02", 2));  // the header's WAL mode
  const auto before = Listing(dir_);
  ASSERT_EQ(before, (std::set<std::string>{"local.sqlite"}));
  const std::string bytes = Bytes(db_);
  HostDescriptor input(db_);
  ASSERT_TRUE(input.ok());
  ASSERT_EQ(Run(With(Schools(kAll), "database", input.path())), VIGIL_OK) << LastError();
  EXPECT_EQ(host_.entities.size(), 5u);
  EXPECT_EQ(Listing(dir_), before);
  EXPECT_EQ(Bytes(db_), bytes);
}

TEST_F(SqlitePluginTest, ReadsTheFileTheHostChecksummedEvenWhenItsNameNowHoldsAnother) {
  HostDescriptor input(db_);
  ASSERT_TRUE(input.ok());
  // Another database put in its place after the host opened it.
  const std::string other = (dir_ / "other.sqlite").string();
  Exec(other, "CREATE TABLE schools (urn INTEGER, name TEXT, phase TEXT, pupils INTEGER, fsm REAL,"
              " judgement TEXT, census TEXT); INSERT INTO schools VALUES"
              " (999999, 'Impostor', 'Primary', 1, 1, 'Good', '2023-01-19');");
  std::filesystem::rename(other, db_);
  ASSERT_EQ(Run(With(Schools(kAll), "database", input.path())), VIGIL_OK) << LastError();
  EXPECT_EQ(host_.entities.size(), 5u);
  EXPECT_EQ(host_.FindEntity("999999"), nullptr);
  EXPECT_NE(host_.FindEntity("100001"), nullptr);
}

TEST_F(SqlitePluginTest, ChangesNotYetCheckpointedInTheWalAreRefusedSayingHowToCheckpoint) {
  Exec(db_, "PRAGMA journal_mode=WAL");
  Writer writer(db_);
  writer.Exec("PRAGMA wal_autocheckpoint=0;"
              "INSERT INTO schools VALUES (100006, 'Epsilon School', 'Primary', 330, 90, 3.0,"
              " 'Good', '2023-01-19', NULL)");
  ASSERT_TRUE(std::filesystem::exists(db_ + "-wal"));
  const auto before = Listing(dir_);
  HostDescriptor input(db_);
  ASSERT_TRUE(input.ok());
  EXPECT_EQ(Run(With(Schools(kAll), "database", input.path())), VIGIL_ERROR);
  EXPECT_NE(LastError().find("changes not yet written into it"), std::string::npos) << LastError();
  EXPECT_NE(LastError().find(db_ + "-wal"), std::string::npos) << LastError();
  EXPECT_NE(LastError().find("sqlite3 " + input.path() + " \"PRAGMA wal_checkpoint(TRUNCATE)\""),
            std::string::npos)
      << LastError();
  EXPECT_TRUE(host_.entities.empty());
  EXPECT_EQ(Listing(dir_), before);

  // Checkpointed, the log keeps its pages but the file has them all: read,
  // with the new row.
  writer.Exec("PRAGMA wal_checkpoint(PASSIVE)");
  ASSERT_GT(std::filesystem::file_size(db_ + "-wal"), 0u);
  ASSERT_EQ(Run(With(Schools(kAll), "database", input.path())), VIGIL_OK) << LastError();
  EXPECT_EQ(host_.entities.size(), 6u);
  EXPECT_NE(host_.FindEntity("100006"), nullptr);
}

constexpr char kForever[] =
    "CREATE VIEW forever AS WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c)"
    " SELECT n AS urn FROM c WHERE n < 0";

TEST_F(SqlitePluginTest, AQueryThatNeverEndsIsStoppedAtItsTimeLimitNamingTheSetting) {
  Exec(db_, kForever);
  ASSERT_EQ(Run({{"database", db_},
                 {"query", "SELECT urn FROM forever"},
                 {"kind", "school"},
                 {"key_column", "urn"},
                 {"query_seconds", "1"}}),
            VIGIL_ERROR);
  EXPECT_NE(LastError().find("the query ran longer than its limit of 1 second (setting "
                             "'query_seconds') and was stopped"),
            std::string::npos)
      << LastError();
  EXPECT_NE(LastError().find("raise 'query_seconds'"), std::string::npos) << LastError();
  EXPECT_TRUE(host_.entities.empty());
}

TEST_F(SqlitePluginTest, TheHostsStopIsHonouredInsideAQueryThatNeverEnds) {
  Exec(db_, kForever);
  // One row, then a query that never ends: the host asks to stop on the row.
  host_.on_observation = [&](const auto&) { host_.cancel = true; };
  EXPECT_EQ(Run({{"database", db_},
                 {"query", "SELECT 100001 AS urn, 5 AS pupils UNION ALL SELECT urn, 1 FROM forever"},
                 {"kind", "school"},
                 {"key_column", "urn"},
                 {"measures", "pupils = pupils"},
                 {"as_of", "2023-01-19"},
                 {"query_seconds", "60"}}),
            VIGIL_CANCELLED)
      << LastError();
  EXPECT_EQ(host_.entities.size(), 1u);
  EXPECT_TRUE(host_.errors.empty());
}

TEST_F(SqlitePluginTest, ADatabaseNameCannotAddSqliteOpenOptions) {
  // A file whose name reads like URI options: opened as a file name, read-only.
  const std::string odd = (dir_ / "odd?mode=rwc&vfs=memdb#1%41.sqlite").string();
  std::filesystem::copy_file(db_, odd);
  const auto before = Listing(dir_);
  ASSERT_EQ(Run(With(Schools(kAll), "database", odd)), VIGIL_OK) << LastError();
  EXPECT_EQ(host_.entities.size(), 5u);
  EXPECT_EQ(Listing(dir_), before);
  // No such file: not created, whatever the name asks.
  EXPECT_EQ(Run(With(Schools(kAll), "database", (dir_ / "new.sqlite?mode=rwc").string())),
            VIGIL_ERROR);
  EXPECT_EQ(Listing(dir_), before);
}

TEST_F(SqlitePluginTest, FunctionsThatLoadCodeOrTakePointersAreRefused) {
  for (const char* sql : {"SELECT load_extension('/tmp/x.so') AS urn",
                          "SELECT fts3_tokenizer('simple') AS urn"}) {
    EXPECT_EQ(Run({{"database", db_}, {"query", sql}, {"kind", "school"}, {"key_column", "urn"}}),
              VIGIL_ERROR)
        << sql;
    EXPECT_NE(LastError().find("refused"), std::string::npos) << LastError();
  }
}

}  // namespace
