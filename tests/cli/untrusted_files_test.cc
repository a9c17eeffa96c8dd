// End-to-end tests of input files built to hurt a run, read by the real
// `vigil` binary through the real plugins: an .xlsx zip bomb, and SQLite
// databases whose latest changes live beside the file or whose query never
// ends. Each must fail cleanly with a message naming the file and the fix,
// write nothing into the data folder, and leave real files readable.
#include <sqlite3.h>
#include <zip.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <iterator>
#include <set>
#include <string>

#include "cli/published_files_support.h"

namespace vigil::published {
namespace {

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::set<std::string> Listing(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.insert(entry.path().filename().string());
  return names;
}

// Replaces part `name` of the workbook at `path` with `content`, deflated at
// level 9 as a zip bomb is.
void ReplacePart(const fs::path& path, const std::string& name, const std::string& content) {
  int error = 0;
  zip_t* zip = zip_open(path.c_str(), 0, &error);
  ASSERT_NE(zip, nullptr) << error;
  zip_source_t* source = zip_source_buffer(zip, content.data(), content.size(), 0);
  const zip_int64_t index = zip_file_add(zip, name.c_str(), source, ZIP_FL_OVERWRITE);
  ASSERT_GE(index, 0) << zip_strerror(zip);
  ASSERT_EQ(zip_set_file_compression(zip, static_cast<zip_uint64_t>(index), ZIP_CM_DEFLATE, 9), 0);
  ASSERT_EQ(zip_close(zip), 0) << zip_strerror(zip);
}

const char* kWorkbookSource =
    "[[source]]\nname = \"register\"\nplugin = \"csv\"\n[source.settings]\nfile = \"data/schools.xlsx\"\n"
    "kind = \"school\"\nkey_column = \"URN\"\nname_column = \"Name\"\n";

TEST(UntrustedFiles, AnXlsxZipBombFailsNamingTheFileAndThePartWhileALargeRealWorkbookReads) {
  JobFolder job;
  // A real-shaped workbook whose shared strings are over the 4 MiB below
  // which the inflate ratio is not looked at: notes in varied words, which
  // compress a few times, not a hundred.
  static const char* const kWords[] = {"visit", "governors", "phonics", "attendance", "budget", "deficit",
                                       "leadership", "Ofsted", "curriculum", "SEND", "plan", "review",
                                       "agreed", "actions", "outstanding", "progress", "writing", "maths"};
  std::uint32_t seed = 12345;
  auto notes = [&](std::size_t words) {
    std::string text;
    for (std::size_t w = 0; w < words; ++w) {
      seed = seed * 1103515245u + 12345u;
      text += std::string(kWords[(seed >> 16) % std::size(kWords)]) + (seed % 7 == 0 ? ", " : " ") +
              std::to_string((seed >> 8) % 1000) + " ";
    }
    return text;
  };
  SheetRows rows = {{1, {Cell::Text("URN"), Cell::Text("Name"), Cell::Text("Notes")}}};
  for (int i = 0; i < 2500; ++i)
    rows[i + 2] = {Cell::Number(std::to_string(100000 + i)), Cell::Text("School " + std::to_string(i)),
                   Cell::Text(notes(140))};
  WriteWorkbook(job.Data("schools.xlsx"), {{"Schools", rows}});
  {
    int error = 0;
    zip_t* zip = zip_open(job.Data("schools.xlsx").c_str(), ZIP_RDONLY, &error);
    ASSERT_NE(zip, nullptr);
    zip_stat_t st;
    ASSERT_EQ(zip_stat(zip, "xl/sharedStrings.xml", 0, &st), 0);
    zip_discard(zip);
    EXPECT_GT(st.size, 4u << 20);                  // over the grace: the ratio is looked at
    EXPECT_LT(st.size, 20 * st.comp_size) << st.size;  // and is a real workbook's
  }
  job.WriteJob("2023-11-30", kWorkbookSource);
  auto check = job.Vigil("sources check job.toml");
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_TRUE(Has(check.output, "source register: 2500 entities")) << check.output;

  // 6.5 MB of empty shared strings (the reported bomb held 300 MB) deflate
  // to a few KB; and a sheet padded the same way.
  std::string strings = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sst "
                        "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">";
  for (int i = 0; i < 500000; ++i) strings += "<si><t/></si>";
  strings += "</sst>";
  const std::string sheet = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<worksheet xmlns=\"http://"
                            "schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>" +
                            std::string(6'500'000, ' ') + "</sheetData></worksheet>";
  for (const auto& [part, content] : {std::pair<std::string, const std::string&>{"xl/sharedStrings.xml", strings},
                                      {"xl/worksheets/sheet1.xml", sheet}}) {
    SCOPED_TRACE(part);
    WriteWorkbook(job.Data("schools.xlsx"), {{"Schools", {{1, {Cell::Text("URN"), Cell::Text("Name")}}}}});
    ReplacePart(job.Data("schools.xlsx"), part, content);
    ASSERT_LT(fs::file_size(job.Data("schools.xlsx")), 100'000u);
    auto run = job.Vigil("run job.toml");
    EXPECT_EQ(run.exit_code, 3) << run.output;
    EXPECT_TRUE(Has(run.output, "data/schools.xlsx: its part " + part + " inflates more than 100 times")) << run.output;
    EXPECT_TRUE(Has(run.output, "as a zip bomb does")) << run.output;
  }
}

TEST(UntrustedFiles, AnXlsxCellOverOneMebibyteFailsNamingTheFileAndThePart) {
  JobFolder job;
  // Text, then a number whose digits never end: both beyond any real cell.
  WriteWorkbook(job.Data("schools.xlsx"), {{"Schools", {{1, {Cell::Text("URN"), Cell::Text("Name")}},
                                                         {2, {Cell::Number("1"), Cell::Text(std::string(1'100'000, 'a'))}}}}});
  job.WriteJob("2023-11-30", kWorkbookSource);
  auto check = job.Vigil("sources check job.toml");
  EXPECT_EQ(check.exit_code, 3) << check.output;
  EXPECT_TRUE(Has(check.output, "data/schools.xlsx: its part xl/sharedStrings.xml holds a text longer than 1 MiB"))
      << check.output;

  WriteWorkbook(job.Data("schools.xlsx"), {{"Schools", {{1, {Cell::Text("URN"), Cell::Text("Name")}},
                                                         {2, {Cell::Number(std::string(1'100'000, '9'))}}}}});
  check = job.Vigil("sources check job.toml");
  EXPECT_EQ(check.exit_code, 3) << check.output;
  EXPECT_TRUE(Has(check.output, "data/schools.xlsx: sheet 'Schools': a cell of row 2 holds more than 1 MiB"))
      << check.output;
}

// Runs `sql` on the database at `path`, creating it if needed.
void Exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &error), SQLITE_OK) << error;
  sqlite3_free(error);
}

const char* kVisitsSource =
    "[[source]]\nname = \"visits\"\nplugin = \"sqlite\"\n[source.settings]\ndatabase = \"data/visits.sqlite\"\n"
    "query = \"SELECT urn, visit_date, actions FROM visits\"\nkind = \"school\"\nkey_column = \"urn\"\n"
    "measures = [\"adviser_actions_open = actions\"]\ndate_column = \"visit_date\"\n";

TEST(UntrustedFiles, ASqliteDatabaseWithChangesOnlyInItsWalIsRefusedAndARunCreatesNothingBesideIt) {
  JobFolder job;
  const std::string path = job.Data("visits.sqlite").string();
  sqlite3* writer = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &writer), SQLITE_OK);
  Exec(writer, "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;"
               "CREATE TABLE visits (urn INTEGER, visit_date TEXT, actions INTEGER);"
               "INSERT INTO visits VALUES (100001, '2023-10-01', 2)");
  job.WriteJob("2023-11-30", kVisitsSource);

  // The application still has its changes in visits.sqlite-wal: the file
  // the host checksums does not hold them.
  auto refused = job.Vigil("run job.toml");
  EXPECT_EQ(refused.exit_code, 3) << refused.output;
  EXPECT_TRUE(Has(refused.output, "visits.sqlite-wal (SQLite's write-ahead log)")) << refused.output;
  EXPECT_TRUE(Has(refused.output, "\"PRAGMA wal_checkpoint(TRUNCATE)\"")) << refused.output;

  // Checkpointed and closed: read, and nothing appears beside it (a
  // read-only connection to a WAL database would create -wal and -shm).
  Exec(writer, "PRAGMA wal_checkpoint(TRUNCATE)");
  sqlite3_close(writer);
  const auto before = Listing(job.path() / "data");
  ASSERT_EQ(before, (std::set<std::string>{"visits.sqlite"}));
  auto run = job.Vigil("run job.toml");
  EXPECT_NE(run.exit_code, 3) << run.output;
  EXPECT_NE(run.exit_code, 2) << run.output;
  EXPECT_EQ(Listing(job.path() / "data"), before);

  // A change that so far reached only the -wal file is not "nothing to do":
  // the run's fingerprint covers the -wal beside an input, and the plugin refuses it.
  sqlite3* again = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &again), SQLITE_OK);
  Exec(again, "PRAGMA wal_autocheckpoint=0; INSERT INTO visits VALUES (100002, '2023-10-02', 1)");
  auto changed = job.Vigil("run job.toml");
  EXPECT_EQ(changed.exit_code, 3) << changed.output;
  EXPECT_FALSE(Has(changed.output, "Nothing to do")) << changed.output;
  sqlite3_close(again);
}

TEST(UntrustedFiles, ASqliteViewThatNeverEndsFailsTheRunAtTheTimeLimitNamingTheSetting) {
  JobFolder job;
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(job.Data("visits.sqlite").c_str(), &db), SQLITE_OK);
  Exec(db, "CREATE VIEW visits AS WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c)"
           " SELECT n AS urn, '2023-10-01' AS visit_date, 1 AS actions FROM c WHERE n < 0");
  sqlite3_close(db);
  job.WriteJob("2023-11-30", std::string(kVisitsSource) + "query_seconds = 1\n");
  auto run = job.Vigil("run job.toml");
  EXPECT_EQ(run.exit_code, 3) << run.output;
  EXPECT_TRUE(Has(run.output, "visits")) << run.output;
  EXPECT_TRUE(Has(run.output, "the query ran longer than its limit of 1 second (setting 'query_seconds')"))
      << run.output;
}

}  // namespace
}  // namespace vigil::published
