// Bad data through the real csv plugin, the real plugin host and the real
// store: every file under tests/data/bad/ is read as a user's job would read
// it (jobs::RunJob, dry for `sources check`, or a full run when what was
// stored matters), and each case checks what the user sees: the file:line,
// the field, the value and the reason; and what was stored, with SQL.
//
// The rule behind all of them: every input row is stored, rejected with a
// reason, or filtered by the job's `where`; nothing disappears silently, and
// no file, however broken, crashes a run.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>

#include "jobs/job_file.h"
#include "jobs/run_job.h"
#include "reliability/reliability_support.h"

namespace vigil::reliability {
namespace {

Result<jobs::RunOutcome> Go(const JobFolder& job, bool dry_run) {
  auto spec = jobs::LoadJob(job.job_file());
  EXPECT_TRUE(spec.has_value()) << spec.error().message;
  if (!spec) return Unexpected(spec.error());
  jobs::RunOptions options;
  options.dry_run = dry_run;
  return jobs::RunJob(*spec, options);
}

// `sources check`: reads every source, stores nothing.
jobs::RunOutcome Check(const JobFolder& job) {
  auto outcome = Go(job, true);
  EXPECT_TRUE(outcome.has_value()) << outcome.error().message;
  return outcome ? *outcome : jobs::RunOutcome{};
}

// A full run whose store the test then reads.
jobs::RunOutcome RunAll(const JobFolder& job) {
  auto outcome = Go(job, false);
  EXPECT_TRUE(outcome.has_value()) << outcome.error().message;
  return outcome ? *outcome : jobs::RunOutcome{};
}

std::string Failure(const JobFolder& job, bool dry_run) {
  auto outcome = Go(job, dry_run);
  EXPECT_FALSE(outcome.has_value());
  return outcome ? std::string() : outcome.error().message;
}

// A job on tests/data/bad/<file> with the standard school settings plus `extra`.
void UseBadFile(const JobFolder& job, const std::string& file, const std::string& extra = "",
           const std::string& source_extra = "") {
  job.AddBadFile(file);
  job.WriteJob(file, std::string(JobFolder::kSchoolSettings) + extra, source_extra);
}

std::string EntityName(const JobFolder& job, const std::string& key) {
  StoreReader db(job.store());
  return db.One("SELECT name FROM entities WHERE kind = 'school' AND key = '" + key + "'");
}

// (as_of, number, text) of every `pupils` observation of one school, oldest first.
std::vector<std::vector<std::string>> Pupils(const JobFolder& job, const std::string& key) {
  StoreReader db(job.store());
  return db.Rows(
      "SELECT o.as_of, quote(o.number), coalesce(o.text, 'NULL') FROM observations o "
      "JOIN entities e ON e.id = o.entity_id JOIN measures m ON m.id = o.measure_id "
      "WHERE e.key = '" + key + "' AND m.name = 'pupils' ORDER BY o.as_of");
}

// --- Encodings -----------------------------------------------------------------

TEST(BadData, WindowsBytesInAFileDeclaredUtf8AreReplacedNotFatal) {
  JobFolder job;
  UseBadFile(job, "cp1252_bytes.csv", "encoding = \"utf-8\"\n");
  auto outcome = RunAll(job);
  EXPECT_EQ(outcome.rejected_rows, 0u);
  // 0x92 and 0xE9 are not UTF-8: each becomes U+FFFD, the rest is kept.
  EXPECT_EQ(EntityName(job, "100001"), "St Mary\xEF\xBF\xBDs Caf\xEF\xBF\xBD School");
  EXPECT_EQ(EntityName(job, "100002"), "Plain School");
  auto doc = nlohmann::json::parse(ReadText(job.latest() / "report.json"));  // valid UTF-8 JSON
  EXPECT_NE(doc.dump().find("St Mary\xEF\xBF\xBDs Caf\xEF\xBF\xBD School"), std::string::npos);
}

TEST(BadData, WindowsBytesWithAutoEncodingAreDecodedAsWindows1252) {
  JobFolder job;
  UseBadFile(job, "cp1252_bytes.csv");  // encoding defaults to auto
  auto outcome = RunAll(job);
  EXPECT_EQ(outcome.rejected_rows, 0u);
  const std::string expected = "St Mary\xE2\x80\x99s Caf\xC3\xA9 School";  // St Mary’s Café School
  EXPECT_EQ(EntityName(job, "100001"), expected);
  EXPECT_NE(ReadText(job.latest() / "report.html").find(expected), std::string::npos);
  EXPECT_NE(ReadText(job.latest() / "results.csv").find(expected), std::string::npos);
}

TEST(BadData, Utf8InAFileDeclaredWindows1252IsReadAsWindows1252) {
  JobFolder job;
  UseBadFile(job, "utf8_bytes.csv", "encoding = \"windows-1252\"\n");
  RunAll(job);
  // What the job asked for: each byte as Windows-1252 (mojibake, not a crash).
  EXPECT_EQ(EntityName(job, "100001"), "Caf\xC3\x83\xC2\xA9 \xC3\xA2\xE2\x82\xAC\xE2\x80\x9C Ecole");

  JobFolder automatic;
  UseBadFile(automatic, "utf8_bytes.csv");
  RunAll(automatic);
  EXPECT_EQ(EntityName(automatic, "100001"), "Caf\xC3\xA9 \xE2\x80\x93 Ecole");  // Café – Ecole
}

TEST(BadData, AByteOrderMarkIsSkipped) {
  JobFolder job;
  UseBadFile(job, "bom.csv");
  auto outcome = RunAll(job);
  EXPECT_EQ(outcome.rejected_rows, 0u);
  EXPECT_EQ(EntityName(job, "100001"), "Bom School");
  EXPECT_EQ(Pupils(job, "100001"), (std::vector<std::vector<std::string>>{{"2023-01-19", "420.0", "NULL"}}));
}

// --- Structure -------------------------------------------------------------------

TEST(BadData, CrlfLineEndsAreHandledAndLinesCountedAsAnEditorShowsThem) {
  JobFolder job;
  UseBadFile(job, "crlf.csv");
  auto check = Check(job);
  EXPECT_EQ(check.rejected_rows, 2u);
  EXPECT_NE(check.rejections_text.find("crlf.csv:3: source 'register' field 'Pupils' value 'lots': "
                                       "'lots' is not a number"), std::string::npos)
      << check.rejections_text;
  // The quoted name on lines 4-5 holds a line break, so 100004 is on line 6.
  EXPECT_NE(check.rejections_text.find("crlf.csv:6: source 'register' field 'Pupils' value 'seven'"),
            std::string::npos) << check.rejections_text;

  RunAll(job);
  EXPECT_EQ(EntityName(job, "100001"), "Crlf School");  // no stray '\r'
  EXPECT_EQ(EntityName(job, "100003"), "Quoted\r\nName");
  EXPECT_EQ(Pupils(job, "100005"), (std::vector<std::vector<std::string>>{{"2023-01-19", "5.0", "NULL"}}));
}

TEST(BadData, RaggedRowsAreRejectedWholeWithTheirLine) {
  JobFolder job;
  UseBadFile(job, "ragged.csv");
  auto check = Check(job);
  EXPECT_EQ(check.rejected_rows, 2u);
  // The row itself is the value, so the officer can find it.
  EXPECT_NE(check.rejections_text.find("ragged.csv:3: source 'register' field 'fields' value "
                                       "'100002,Too Few,Open,19/01/2023': row has 4 fields, the header has 5"),
            std::string::npos)
      << check.rejections_text;
  EXPECT_NE(check.rejections_text.find("ragged.csv:4: source 'register' field 'fields' value "
                                       "'100003,Too Many,Open,1,2,19/01/2023': row has 6 fields, the header has 5"),
            std::string::npos)
      << check.rejections_text;
  RunAll(job);
  StoreReader db(job.store());
  EXPECT_EQ(db.Count("SELECT count(*) FROM entities"), 2);  // 100001 and 100004 only
  EXPECT_EQ(db.Count("SELECT count(*) FROM entities WHERE key IN ('100002', '100003')"), 0);
  EXPECT_EQ(db.Count("SELECT count(*) FROM rejections WHERE file = 'ragged.csv' AND line IN (3, 4)"), 2);
}

TEST(BadData, AnUnclosedQuoteFailsTheSourceNamingTheLineAndStoresNothing) {
  JobFolder job;
  UseBadFile(job, "unclosed_quote.csv");
  std::string message = Failure(job, true);
  EXPECT_NE(message.find("source 'register' (plugin csv"), std::string::npos) << message;
  EXPECT_NE(message.find("unclosed_quote.csv:3: unclosed quote: the quoted field starting on line 3 "
                         "runs to the end of the file"), std::string::npos) << message;

  // A real run fails the same way, keeps nothing of the file and says why.
  message = Failure(job, false);
  EXPECT_NE(message.find("unclosed_quote.csv:3: unclosed quote"), std::string::npos) << message;
  StoreReader db(job.store());
  EXPECT_EQ(db.Count("SELECT count(*) FROM entities"), 0);
  EXPECT_EQ(db.Count("SELECT count(*) FROM runs WHERE status = 'failed' AND message LIKE "
                     "'%unclosed_quote.csv:3: unclosed quote%'"), 1);
  auto cli = RunVigil(job.folder(), {"sources", "check", "job.toml"});
  EXPECT_EQ(cli.exit_code, 3) << cli.output;
  EXPECT_NE(cli.output.find("unclosed_quote.csv:3: unclosed quote"), std::string::npos) << cli.output;
}

TEST(BadData, AMissingMappedColumnIsAnErrorListingEveryMissingColumn) {
  JobFolder job;
  UseBadFile(job, "missing_column.csv");
  std::string message = Failure(job, true);
  EXPECT_NE(message.find("missing_column.csv:1: the header lacks 2 columns the job maps: "
                         "'Census date' (date_column), 'Pupils' (measures); the header has 4 columns"),
            std::string::npos) << message;
  auto cli = RunVigil(job.folder(), {"sources", "check", "job.toml"});
  EXPECT_NE(cli.exit_code, 0) << cli.output;
  EXPECT_NE(cli.output.find("'Census date' (date_column), 'Pupils' (measures)"), std::string::npos)
      << cli.output;
}

TEST(BadData, AnEmptyFileIsAnErrorSayingSo) {
  JobFolder job;
  UseBadFile(job, "empty.csv");
  std::string message = Failure(job, true);
  EXPECT_NE(message.find("empty.csv: no header row: the file is empty"), std::string::npos) << message;
  auto cli = RunVigil(job.folder(), {"sources", "check", "job.toml"});
  EXPECT_EQ(cli.exit_code, 3) << cli.output;
  EXPECT_NE(cli.output.find("empty.csv: no header row: the file is empty"), std::string::npos) << cli.output;
}

TEST(BadData, AHeaderOnlyFileRejectsNothingButIsNamedAsStoringNothing) {
  JobFolder job;
  UseBadFile(job, "header_only.csv");
  auto check = Check(job);
  EXPECT_EQ(check.rejected_rows, 0u);
  EXPECT_NE(check.summary.find("source register: 0 entities, 0 values stored, 0 values rejected; "
                               "header_only.csv: 0 read: 0 stored, 0 skipped, 0 rejected"),
            std::string::npos) << check.summary;
  auto cli = RunVigil(job.folder(), {"sources", "check", "job.toml"});
  EXPECT_EQ(cli.exit_code, 1) << cli.output;
  EXPECT_NE(cli.output.find("Warning: source 'register': stored nothing"), std::string::npos)
      << cli.output;
}

// --- Duplicates --------------------------------------------------------------------

TEST(BadData, ADuplicateKeyKeepsTheFirstRowsEntityAndEveryDatedValue) {
  JobFolder job;
  UseBadFile(job, "duplicate_key.csv");
  auto outcome = RunAll(job);
  EXPECT_EQ(outcome.rejected_rows, 0u);
  StoreReader db(job.store());
  EXPECT_EQ(db.Count("SELECT count(*) FROM entities WHERE key = '100001'"), 1);
  // The entity is taken from the first row with its key: the later row's
  // name and status do not replace it.
  EXPECT_EQ(EntityName(job, "100001"), "Alpha Primary");
  EXPECT_EQ(db.One("SELECT json_extract(attributes, '$.status') FROM entities WHERE key = '100001'"), "Open");
  // Both rows' values are kept, each with its own date.
  EXPECT_EQ(Pupils(job, "100001"), (std::vector<std::vector<std::string>>{
                                        {"2023-01-19", "420.0", "NULL"}, {"2024-01-18", "430.0", "NULL"}}));
}

TEST(BadData, TwoRowsWithTheSameKeyAndDateButDifferentValuesAreNotSilentlyLost) {
  // duplicate_conflict.csv has two rows for URN 100001 dated 19/01/2023 with
  // pupils 420 and 999: the first is kept and the second rejected with its line.
  JobFolder job;
  UseBadFile(job, "duplicate_conflict.csv");
  auto outcome = RunAll(job);
  StoreReader db(job.store());
  const auto kept = db.Count("SELECT count(*) FROM observations");
  const auto rejected = db.Count(
      "SELECT count(*) FROM rejections WHERE file = 'duplicate_conflict.csv' AND line = 3");
  EXPECT_TRUE(kept == 2 || rejected == 1) << "observations kept: " << kept << ", rejections: " << rejected;
  EXPECT_EQ(rejected, 1);
  EXPECT_EQ(db.One("SELECT number FROM observations"), "420.0");
}

// --- Values ------------------------------------------------------------------------

TEST(BadData, DatesInEveryPublishedFormatAreReadAndImpossibleOnesRejected) {
  JobFolder job;
  UseBadFile(job, "dates.csv");
  auto check = Check(job);
  EXPECT_EQ(check.rejected_rows, 6u);
  for (const char* expected : {
           "dates.csv:9: source 'register' field 'Census date' value '31/02/2023': '31/02/2023' is not "
           "a valid date: February 2023 has 28 days; the row's 1 value was not loaded",
           "dates.csv:10: source 'register' field 'Census date' value '18/01/18': '18/01/18' has a "
           "two-digit year",
           "dates.csv:11: source 'register' field 'Census date' value '2023-13-01': '2023-13-01' is not "
           "a valid date: there is no month 13",
           "dates.csv:12: source 'register' field 'Census date' value '': the date is empty",
           "dates.csv:13: source 'register' field 'Census date' value 'last Tuesday': 'last Tuesday' is "
           "not a date (expected YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY",
           "dates.csv:15: source 'register' field 'Census date' value '29/02/2023': '29/02/2023' is not "
           "a valid date: February 2023 has 28 days",
       })
    EXPECT_NE(check.rejections_text.find(expected), std::string::npos) << expected << "\n" << check.rejections_text;

  RunAll(job);
  StoreReader db(job.store());
  auto rows = db.Rows("SELECT e.key, o.as_of FROM observations o JOIN entities e ON e.id = o.entity_id "
                      "ORDER BY e.key");
  EXPECT_EQ(rows, (std::vector<std::vector<std::string>>{
                      {"100001", "2023-01-19"}, {"100002", "2023-01-19"}, {"100003", "2023-01-19"},
                      {"100004", "2022-09-01"}, {"100005", "2023-08-31"}, {"100006", "2023-01-19"},
                      {"100007", "2023-01-19"}, {"100013", "2024-02-29"}}));
  // Schools whose date was rejected are still known (nothing about them
  // depends on the date), without the undated value.
  EXPECT_EQ(db.Count("SELECT count(*) FROM entities"), 14);
}

TEST(BadData, NumbersWithSeparatorsPercentsAndPoundsAreParsedOthersRejectedWithAReason) {
  JobFolder job;
  UseBadFile(job, "numbers.csv");
  auto check = Check(job);
  EXPECT_EQ(check.rejected_rows, 4u);
  for (const char* expected : {
           "numbers.csv:8: source 'register' field 'Pupils' value '(123)': '(123)' is not a number "
           "(negatives in brackets are not supported; write -123)",
           "numbers.csv:9: source 'register' field 'Pupils' value '12,34': '12,34' is not a number "
           "(misplaced thousands separator)",
           "numbers.csv:10: source 'register' field 'Pupils' value 'twelve': 'twelve' is not a number",
           "numbers.csv:11: source 'register' field 'Pupils' value '1e999': '1e999' is not a number "
           "(out of range)",
       })
    EXPECT_NE(check.rejections_text.find(expected), std::string::npos) << expected << "\n" << check.rejections_text;

  RunAll(job);
  StoreReader db(job.store());
  auto rows = db.Rows("SELECT e.key, o.number FROM observations o JOIN entities e ON e.id = o.entity_id "
                      "ORDER BY e.key");
  EXPECT_EQ(rows, (std::vector<std::vector<std::string>>{{"100001", "1234.0"},
                                                         {"100002", "12.5"},
                                                         {"100003", "1200.0"},
                                                         {"100004", "100063000000.0"},
                                                         {"100005", "-0.45"},
                                                         {"100006", "42.0"}}));
}

TEST(BadData, SuppressedValuesAreStoredAsMissingWithTheirReasonNeverAsZero) {
  JobFolder job;
  UseBadFile(job, "suppressed.csv");
  auto outcome = RunAll(job);
  EXPECT_EQ(outcome.rejected_rows, 0u);
  StoreReader db(job.store());
  auto rows = db.Rows("SELECT e.key, quote(o.number), o.text FROM observations o "
                      "JOIN entities e ON e.id = o.entity_id ORDER BY e.key");
  EXPECT_EQ(rows, (std::vector<std::vector<std::string>>{
                      {"100001", "NULL", "x: not available"},
                      {"100002", "NULL", "c: confidential"},
                      {"100003", "NULL", "z: not applicable"},
                      {"100004", "NULL", "'..': not available"},
                      {"100005", "NULL", "low: rounds to zero"},
                      {"100006", "NULL", "SUPP: suppressed"},
                      {"100007", "NULL", "NULL: empty"},
                      // 100008's cell is empty: nothing was published, nothing stored.
                      {"100009", "0.0", "NULL"}}));
  EXPECT_EQ(db.Count("SELECT count(*) FROM observations WHERE number = 0"), 1);  // only the real zero
}

TEST(BadData, AFiveMegabyteCellIsHandled) {
  JobFolder job;
  const std::string huge_name(5u << 20, 'N');
  std::string digits(5u << 20, '7');
  std::string text = "URN,Name,Status,Pupils,Census date\n";
  text += "100001,\"" + huge_name + "\",Open,1,19/01/2023\n";
  text += "100002,Digits,Open," + digits + ",19/01/2023\n";
  text += "100003,\"Multi\nline, " + std::string(1u << 20, 'q') + "\",Open,3,19/01/2023\n";
  text += "100004,After,Open,4,19/01/2023\n";
  WriteText(job.folder() / "huge.csv", text);
  job.WriteJob("huge.csv");
  auto check = Check(job);
  EXPECT_EQ(check.rejected_rows, 1u);
  EXPECT_NE(check.rejections_text.find("huge.csv:3: source 'register' field 'Pupils'"), std::string::npos);
  EXPECT_NE(check.rejections_text.find("is not a number (too long)"), std::string::npos);
  auto outcome = RunAll(job);
  StoreReader db(job.store());
  EXPECT_EQ(db.Count("SELECT length(name) FROM entities WHERE key = '100001'"), 5 << 20);
  EXPECT_EQ(db.Count("SELECT count(*) FROM observations"), 3);
  // Line numbers stay right after a cell with a line break.
  EXPECT_EQ(Pupils(job, "100004"), (std::vector<std::vector<std::string>>{{"2023-01-19", "4.0", "NULL"}}));
}

// --- Nothing is lost -------------------------------------------------------------------

TEST(BadData, EveryRowIsStoredRejectedOrFiltered) {
  JobFolder job;
  UseBadFile(job, "mixed.csv", "where = [\"Status = Open\"]\n");

  // Count the file's records independently of Vigil: mixed.csv has no
  // quoted line breaks, so each non-blank line after the header is one.
  std::istringstream lines(ReadText(job.folder() / "mixed.csv"));
  std::string line;
  std::getline(lines, line);  // header
  std::int64_t records = 0, empty_records = 0;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;  // a blank line is no record
    ++records;
    if (line.find_first_not_of(',') == std::string::npos) ++empty_records;
  }
  ASSERT_EQ(records, 13);

  auto run = RunVigil(job.folder(), {"run", "job.toml"});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  // The run's account of the file (report.json and rows.csv): every record
  // read is stored, skipped (by reason) or rejected.
  auto account = nlohmann::json::parse(ReadText(job.latest() / "report.json"))["sources"][0]["rows"];
  ASSERT_EQ(account.size(), 1u) << account;
  EXPECT_EQ(account[0]["file"], "mixed.csv");
  const std::int64_t rows = account[0]["read"], stored_rows = account[0]["stored"];
  const std::int64_t filtered = account[0]["skipped"].value("filtered (where)", 0);
  const std::int64_t empty = account[0]["skipped"].value("empty row", 0);

  StoreReader db(job.store());
  const std::int64_t stored = db.Count(
      "SELECT count(*) FROM observations o JOIN sources s ON s.id = o.source_id WHERE s.name = 'register'");
  const std::int64_t rejected = db.Count("SELECT count(DISTINCT line) FROM rejections WHERE file = 'mixed.csv'");
  EXPECT_EQ(rows, records);
  EXPECT_EQ(empty, empty_records);
  EXPECT_EQ(account[0]["rejected"], rejected);
  EXPECT_EQ(rows, stored_rows + rejected + filtered + empty)
      << "stored " << stored_rows << ", rejected " << rejected << ", filtered " << filtered;
  EXPECT_EQ(stored, 5);
  EXPECT_EQ(stored_rows, 5);
  EXPECT_EQ(rejected, 5);
  EXPECT_EQ(filtered, 2);
  EXPECT_NE(ReadText(job.latest() / "rows.csv").find("register,mixed.csv,13,5,3,\"1 empty row, 2 filtered (where)\",5"),
            std::string::npos) << ReadText(job.latest() / "rows.csv");

  // Each rejected row is in the store, in rejections.csv and in the report.
  auto rejected_lines = db.Rows("SELECT line, field FROM rejections ORDER BY line");
  EXPECT_EQ(rejected_lines, (std::vector<std::vector<std::string>>{
                                {"4", "Pupils"}, {"6", "URN"}, {"7", "fields"}, {"8", "Census date"}, {"15", "Pupils"}}));
  std::string csv = ReadText(job.latest() / "rejections.csv");
  for (const char* expected : {"register,mixed.csv,4,Pupils,many,", "register,mixed.csv,6,URN,,",
                               "register,mixed.csv,7,fields,\"100006,Ragged,Open,6\",\"row has 4 fields, the header has 5; the row was not loaded (if ", "register,mixed.csv,8,Census date,",
                               "register,mixed.csv,15,Pupils,1.2.3,"})
    EXPECT_NE(csv.find(expected), std::string::npos) << expected << "\n" << csv;
  auto doc = nlohmann::json::parse(ReadText(job.latest() / "report.json"));
  EXPECT_NE(doc.dump().find("'1.2.3' is not a number"), std::string::npos);
  EXPECT_NE(run.output.find("5 input rows were rejected (5 values)"), std::string::npos) << run.output;
  // The kept schools, with the suppressed value kept as missing.
  EXPECT_EQ(db.Rows("SELECT e.key FROM observations o JOIN entities e ON e.id = o.entity_id ORDER BY e.key"),
            (std::vector<std::vector<std::string>>{{"100001"}, {"100002"}, {"100008"}, {"100010"}, {"100011"}}));
}

}  // namespace
}  // namespace vigil::reliability
