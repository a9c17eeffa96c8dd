// End to end on files in the published shapes (../shared/formats): each is
// written by the test, quirks included, read by the real plugin in a real
// `vigil run` or `vigil sources check`, and the stored values and the exact
// counts of stored, skipped (by reason) and rejected rows are checked.
#include <sqlite3.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "cli/published_files_support.h"

namespace vigil::published {
namespace {

using testing::ReadText;

// Rows of a query on the job's store, each as "a|b|c".
std::vector<std::string> Query(const JobFolder& job, const std::string& sql) {
  sqlite3* db = nullptr;
  std::vector<std::string> rows;
  if (sqlite3_open_v2((job.path() / "out" / "vigil.sqlite").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return {"cannot open the store"};
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      std::string row;
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        const unsigned char* text = sqlite3_column_text(stmt, i);
        row += (i ? "|" : "") + std::string(text ? reinterpret_cast<const char*>(text) : "NULL");
      }
      rows.push_back(row);
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rows;
}

std::string Values(const JobFolder& job, const std::string& key, const std::string& measure) {
  std::string out;
  for (const auto& row : Query(job, "SELECT o.as_of, o.number FROM observations o JOIN entities e ON e.id = o.entity_id "
                                    "JOIN measures m ON m.id = o.measure_id WHERE e.key = '" + key +
                                    "' AND m.name = '" + measure + "' ORDER BY o.as_of"))
    out += (out.empty() ? "" : " ") + row;
  return out;
}

std::int64_t Count(const JobFolder& job, const std::string& sql) {
  auto rows = Query(job, sql);
  return rows.empty() ? -1 : std::stoll(rows[0]);
}


// --- 1, 2: an EES file of schools keyed by LAESTAB with no register ---------------------------

// The school-level exclusions layout: time_identifier first, schools by laestab.
const char* kExclusions =
    "time_identifier,time_period,geographic_level,country_code,country_name,region_code,region_name,"
    "old_la_code,new_la_code,la_name,estab,laestab,academy_type,academy_open_date,school_type,num_schools,"
    "headcount,perm_excl,perm_excl_rate,fixed_excl,fixed_excl_rate,one_plus_fixed,one_plus_fixed_rate\n"
    "Academic year,202223,National,E92000001,England,,,,,,,,,,Total,20000,8000000,9000,0.11,700000,9.3,300000,3.9\n"
    "Academic year,202223,Local authority,E92000001,England,E12000005,West Midlands,330,E08000025,Birmingham,,,,,"
    "Total,400,180000,300,0.17,20000,11.1,9000,5\n"
    "Academic year,202223,School,E92000001,England,E12000005,West Midlands,330,E08000025,Birmingham,2003,3302003,,,"
    "State-funded primary,1,420,0,0,12,2.86,8,1.9\n"
    "Academic year,202223,School,E92000001,England,E12000005,West Midlands,330,E08000025,Birmingham,2003,3302003,,,"
    "State-funded primary,1,420,0,0,12,2.86,8,1.9\n"
    "Academic year,202223,School,E92000001,England,E12000005,West Midlands,330,E08000025,Birmingham,4000,3304000,,,"
    "State-funded secondary,1,1210,6,0.5,410,33.9,160,13.2\n"
    "Academic year,202223,School,E92000001,England,E12000005,West Midlands,330,E08000025,Birmingham,2004,3302004,,,"
    "State-funded primary,1,210,c,c,c,c,c,c\n"
    "Academic year,202223,School,E92000001,England,E12000005,West Midlands,330,E08000025,Birmingham,2005,3302005,,,"
    "State-funded primary,1,630,1,0.16,25,3.97,15,2.4\n"
    "Academic year,202223,School,E92000001,England,E12000005,West Midlands,330,E08000025,Birmingham,4001,3304001,"
    "Sponsor led,01/09/2015,State-funded secondary,1,980,3,0.31,290,29.6,120,12.2\n"
    "Academic year,202223,School,E92000001,England,E12000005,West Midlands,330,E08000025,Birmingham,7000,3307000,,,"
    "Special,1,120,0,0,40,33.3,15,12.5\n";

std::string ExclusionsSource(const std::string& extra) {
  return "[[source]]\nname = \"exclusions\"\nplugin = \"ees\"\n" + extra +
         "[source.settings]\nfile = \"data/exclusions_school.csv\"\n"
         "indicators = [\"exclusions_perm = perm_excl\", \"exclusion_perm_rate = perm_excl_rate\", "
         "\"suspension_rate = fixed_excl_rate\"]\n";
}

TEST(PublishedFiles, ValuesForSchoolsNoSourceRegisteredFailTheRunNamingTheFixThatFits) {
  JobFolder job;
  // The duplicate row for 3302003 is gone: seven schools, two other levels.
  std::string file = kExclusions;
  file.erase(file.find("Academic year,202223,School"), file.find("\n", file.find("3302003")) + 1 -
                                                           file.find("Academic year,202223,School"));
  job.WriteData("exclusions_school.csv", file);
  job.WriteJob("2023-11-30", ExclusionsSource(""));

  auto run = job.Vigil("run job.toml");
  EXPECT_EQ(run.exit_code, 3) << run.output;
  // Every value was lost: said with the count, distinct examples and the fix the ees plugin has.
  EXPECT_TRUE(Has(run.output, "vigil: source 'exclusions': 18 values named schools that no source registered (e.g. 3302003, 3304000, 3302004, "
                              "3302005, 3304001), so none was stored")) << run.output;
  EXPECT_TRUE(Has(run.output, "set emit_entities = true to create them from this file")) << run.output;
  EXPECT_TRUE(Has(run.output, "keep only the rows of registered schools with 'filters'")) << run.output;
  EXPECT_FALSE(Has(run.output, "'where'")) << run.output;
  EXPECT_FALSE(Has(run.output, "succeeded")) << run.output;
  EXPECT_FALSE(fs::exists(job.Latest()));
  EXPECT_EQ(Query(job, "SELECT status FROM runs"), (std::vector<std::string>{"failed"}));

  // Where the job accepts the loss, the run warns (stderr and the report) and succeeds.
  job.WriteJob("2023-11-30", ExclusionsSource("on_loss = \"warn\"\n"));
  run = job.Vigil("run job.toml");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_TRUE(Has(run.output, "Warning: source 'exclusions': 18 values named schools")) << run.output;
  EXPECT_TRUE(Has(ReadText(job.Latest() / "report.html"), "18 values named schools that no source registered"));
  auto rows = job.Rows("exclusions");
  EXPECT_EQ(rows["read"], 8);
  EXPECT_EQ(rows["stored"], 0);
  EXPECT_EQ(rows["rejected"], 0);
  EXPECT_EQ(rows["skipped"], (nlohmann::json{{"other geographic level", 2}, {"no such entity: values not stored", 6}}));
  EXPECT_EQ(Count(job, "SELECT count(*) FROM observations"), 0);
}

TEST(PublishedFiles, SchoolsMadeFromAnEesFileHaveNoPhaseAndTheRulesSaySoInsteadOfGuessing) {
  JobFolder job;
  job.WriteData("exclusions_school.csv", kExclusions);
  job.WriteJob("2023-11-30", "[[source]]\nname = \"exclusions\"\nplugin = \"ees\"\n[source.settings]\n"
                             "file = \"data/exclusions_school.csv\"\nemit_entities = true\n"
                             "indicators = [\"exclusions_perm = perm_excl\", \"exclusion_perm_rate = perm_excl_rate\", "
                             "\"suspension_rate = fixed_excl_rate\"]\n");
  auto run = job.Vigil("run job.toml");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  // The repeated row of 3302003 is refused; every other value is stored.
  auto rows = job.Rows("exclusions");
  EXPECT_EQ(rows["read"], 9);
  EXPECT_EQ(rows["stored"], 6);
  EXPECT_EQ(rows["rejected"], 1);
  EXPECT_EQ(rows["skipped"], (nlohmann::json{{"other geographic level", 2}}));
  EXPECT_EQ(Count(job, "SELECT count(*) FROM observations"), 18);
  EXPECT_EQ(Values(job, "3304000", "suspension_rate"), "2023-08-31|33.9");
  EXPECT_EQ(Values(job, "3302004", "suspension_rate"), "2023-08-31|NULL");  // 'c': missing, never zero
  EXPECT_TRUE(Has(run.output, "1 input row was rejected (3 values)")) << run.output;

  // A primary school's 33.9 would be a concern on primary thresholds and a watch on
  // secondary ones; with no phase, no threshold is chosen.
  for (const char* key : {"3302003", "3304000", "3302005", "3304001"}) {
    auto school = job.Entity(key);
    ASSERT_FALSE(school.is_null()) << key;
    EXPECT_EQ(JobFolder::Reason(school, "exclusions").rfind("phase not known: " + std::string(key), 0), 0u)
        << JobFolder::Reason(school, "exclusions");
    for (const auto& i : school["indicators"]) {
      if (i["id"] == "exclusions") {
        EXPECT_EQ(i["level"], "none");
      }
    }
  }
  // The special school's thresholds come from its type, which it lacks too.
  EXPECT_EQ(JobFolder::Reason(job.Entity("3307000"), "exclusions").rfind("phase not known", 0), 0u);
}

// --- 3: weekly "year to date" attendance ---------------------------------------------------------

const char* kAttendance =
    "time_period,time_identifier,time_frame,geographic_level,country_code,country_name,region_code,region_name,"
    "old_la_code,new_la_code,la_name,school_urn,school_name,education_phase,overall_absence_percent,"
    "persistent_absence_percent\n"
    "2025,Week 30,Year to date,School,E92000001,England,E12000005,West Midlands,330,E08000025,Birmingham,100001,"
    "Alpha Primary,Primary,6.1,21.5\n"
    "2025,Week 8,Year to date,School,E92000001,England,E12000005,West Midlands,330,E08000025,Birmingham,100001,"
    "Alpha Primary,Primary,5,31\n"
    "2025,Week 20,Year to date,School,E92000001,England,E12000005,West Midlands,330,E08000025,Birmingham,100001,"
    "Alpha Primary,Primary,5.5,24\n"
    "2025,Week 30,Weekly,School,E92000001,England,E12000005,West Midlands,330,E08000025,Birmingham,100001,"
    "Alpha Primary,Primary,7,40\n"
    "2025,Week 8,Year to date,School,E92000001,England,E12000005,West Midlands,330,E08000025,Birmingham,100002,"
    "Beta Primary,Primary,8,20\n"
    "2025,Week 20,Year to date,School,E92000001,England,E12000005,West Midlands,330,E08000025,Birmingham,100002,"
    "Beta Primary,Primary,8.5,28\n"
    "2025,Week 30,Year to date,School,E92000001,England,E12000005,West Midlands,330,E08000025,Birmingham,100002,"
    "Beta Primary,Primary,9,33.5\n"
    "2025,Week 30,Year to date,Local authority,E92000001,England,E12000005,West Midlands,330,E08000025,"
    "Birmingham,,,Total,6.9,19.2\n";

const char* kRegisterSource =
    "[[source]]\nname = \"register\"\nplugin = \"csv\"\n[source.settings]\nfile = \"data/schools.csv\"\n"
    "kind = \"school\"\nkey_column = \"URN\"\nname_column = \"EstablishmentName\"\n"
    "attributes = [\"phase = PhaseOfEducation (name)\", \"status = EstablishmentStatus (name)\"]\n";

TEST(PublishedFiles, WeeklyYearToDateAttendanceIsDatedByEachWeeksEndWhateverTheFileOrder) {
  JobFolder job;
  job.WriteData("schools.csv", "URN,EstablishmentName,PhaseOfEducation (name),EstablishmentStatus (name)\n"
                               "100001,Alpha Primary,Primary,Open\n100002,Beta Primary,Primary,Open\n");
  job.WriteData("attendance_ytd.csv", kAttendance);
  job.WriteJob("2025-08-31", std::string(kRegisterSource) +
                                 "[[source]]\nname = \"attendance\"\nplugin = \"ees\"\n[source.settings]\n"
                                 "file = \"data/attendance_ytd.csv\"\nfilters = [\"time_frame = Year to date\"]\n"
                                 "indicators = [\"persistent_absence = persistent_absence_percent\"]\n"
                                 "[[source]]\nname = \"attendance_csv\"\nplugin = \"csv\"\n[source.settings]\n"
                                 "file = \"data/attendance_ytd.csv\"\nkind = \"school\"\nkey_column = \"school_urn\"\n"
                                 "date_column = \"time_period\"\n"
                                 "where = [\"time_frame = Year to date\", \"geographic_level = School\"]\n"
                                 "measures = [\"persistent_absence_csv = persistent_absence_percent\"]\n");
  auto run = job.Vigil("run job.toml");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  // Week 8 of 2025 ends on Sunday 23 February, week 20 on 18 May, week 30 on 27 July.
  EXPECT_EQ(Values(job, "100001", "persistent_absence"), "2025-02-23|31.0 2025-05-18|24.0 2025-07-27|21.5");
  EXPECT_EQ(Values(job, "100002", "persistent_absence"), "2025-02-23|20.0 2025-05-18|28.0 2025-07-27|33.5");
  // The generic plugin dates them the same way, by the time_identifier column.
  EXPECT_EQ(Values(job, "100001", "persistent_absence_csv"), Values(job, "100001", "persistent_absence"));
  EXPECT_EQ(Values(job, "100002", "persistent_absence_csv"), Values(job, "100002", "persistent_absence"));
  // The latest week is the latest observation: week 30, whichever row came first.
  EXPECT_EQ(JobFolder::Reason(job.Entity("100001"), "persistent_absence"),
            "Persistent absence 21.5% in 2024/25 (primary school watch level 25%)");
  EXPECT_TRUE(Has(JobFolder::Reason(job.Entity("100002"), "persistent_absence"), "Persistent absence 33.5% in 2024/25"));

  for (const char* source : {"attendance", "attendance_csv"}) {
    auto rows = job.Rows(source);
    EXPECT_EQ(rows["read"], 8) << source;
    EXPECT_EQ(rows["stored"], 6) << source;
    EXPECT_EQ(rows["rejected"], 0) << source;
  }
  EXPECT_EQ(job.Rows("attendance")["skipped"],
            (nlohmann::json{{"filtered (filters)", 1}, {"other geographic level", 1}}));
  EXPECT_EQ(job.Rows("attendance_csv")["skipped"], (nlohmann::json{{"filtered (where)", 2}}));
  // The counts are kept with the run's recorded inputs, so a report of a past run can show them.
  auto inputs = nlohmann::json::parse(Query(job, "SELECT inputs FROM runs WHERE status = 'succeeded'").at(0));
  for (const auto& input : inputs) {
    if (input["source"] == "attendance") {
      EXPECT_EQ(input["rows"][0], job.Rows("attendance")) << input;
    }
  }
}

// --- 4, 5, 6: GIAS extracts and the links file ---------------------------------------------------

// The links file: three links of schools in the register (one without a date), one
// that is not a change of URN, and five about schools outside it (three without a date).
const char* kLinks2018 =
    "URN,LinkURN,LinkName,LinkType,LinkEstablishedDate\n"
    "100016,100018,Hampden Gurney CofE Primary School,Successor - amalgamated,01-09-2000\n"
    "100017,100018,Hampden Gurney CofE Primary School,Successor - amalgamated,01-09-2000\n"
    "100018,100016,All Souls CofE Primary School,Predecessor - amalgamated,\n"
    "100005,135000,Camden Sixth Form Centre,Sixth Form Centre Link,\n"
    "137001,100002,Example Academy,Predecessor,01-04-2011\n"
    "137002,100003,Example Academy Two,Predecessor,\n"
    "137003,100004,Example Academy Three,Predecessor,\n"
    "137004,100009,Example Academy Four,Predecessor,\n"
    "137005,100010,Example Academy Five,Successor,01-09-2012\n";

std::string GiasSource(const std::string& extra, const std::string& settings) {
  return "[[source]]\nname = \"register\"\nplugin = \"gias\"\n" + extra + "[source.settings]\n" + settings;
}

TEST(PublishedFiles, ValidLinksWithoutADateOrOutsideTheRegisterAreSkippedNotRejected) {
  JobFolder job;
  job.WriteData("edubasealldata20181029.csv", Sample2018());
  job.WriteData("links_edubasealldata20181029.csv", kLinks2018);
  job.WriteJob("2018-10-29", GiasSource("on_reject = \"fail\"\n",
                                        "file = \"data/edubasealldata20181029.csv\"\n"
                                        "links_file = \"data/links_edubasealldata20181029.csv\"\n"));
  auto check = job.Vigil("sources check job.toml");
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_TRUE(Has(check.output, "All sources read with no rejected rows.")) << check.output;
  auto run = job.Vigil("run job.toml");
  ASSERT_EQ(run.exit_code, 0) << run.output;

  auto extract = job.Rows("register", 0), links = job.Rows("register", 1);
  EXPECT_EQ(extract["file"], "data/edubasealldata20181029.csv");
  EXPECT_EQ(extract["read"], 20);
  EXPECT_EQ(extract["stored"], 20);
  EXPECT_EQ(extract["rejected"], 0);
  EXPECT_EQ(links["file"], "data/links_edubasealldata20181029.csv");
  EXPECT_EQ(links["read"], 9);
  EXPECT_EQ(links["stored"], 3);
  EXPECT_EQ(links["rejected"], 0);
  EXPECT_EQ(links["skipped"], (nlohmann::json{{"not a change of URN", 1}, {"outside the register", 5}}));
  auto entity = job.Entity("100018");
  EXPECT_EQ(entity["attributes"]["predecessor_urns"], "100016");
  auto closed = Query(job, "SELECT attributes FROM entities WHERE key = '100016'");
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(closed[0])["close_reason"], "Result of Amalgamation/Merger");
  EXPECT_TRUE(Has(ReadText(job.Latest() / "rows.csv"),
                  "register,data/links_edubasealldata20181029.csv,9,3,6,\"1 not a change of URN, 5 outside the register\",0"));
}

TEST(PublishedFiles, TheRegistersOwnOfstedColumnsAreInspectionsAndAnOfstedFileWinsForTheSameDate) {
  JobFolder job;
  job.WriteData("edubasealldata20181029.csv", Sample2018());
  job.WriteJob("2018-10-29", GiasSource("", "file = \"data/edubasealldata20181029.csv\"\n"));
  auto run = job.Vigil("run job.toml");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  // 17 open establishments: 14 rated in the register (2 Outstanding, 12 Good), assessed, and
  // 3 independent schools without a rating, which the council does not support.
  auto pack = job.Report()["packs"][0];
  EXPECT_EQ(pack["entities"].size(), 14u);
  int not_inspected = 0, outstanding = 0, good = 0;
  for (const auto& e : pack["entities"]) {
    const std::string shown = e["columns"]["Ofsted"];
    not_inspected += shown == "Not inspected";
    outstanding += shown == "Outstanding";
    good += shown == "Good";
  }
  EXPECT_EQ(not_inspected, 0);
  EXPECT_EQ(outstanding, 2);
  EXPECT_EQ(good, 12);
  EXPECT_EQ(JobFolder::Reason(job.Entity("100000"), "ofsted_judgement"),
            "Judged Outstanding at the inspection of 2013-04-19, 5.5 years ago, as the register records it");
  EXPECT_EQ(Values(job, "100000", "ofsted_rating_register"), "2013-04-19|1.0");

  // An Ofsted file with the same inspection judged differently wins.
  job.WriteData("ofsted_all_inspections.csv",
                "URN,LAESTAB,School name,Ofsted phase,Type of education,Local authority,Parliamentary constituency,"
                "Postcode,Inspection number,Inspection type,Inspection type grouping,Event type grouping,"
                "Inspection start date,Inspection end date,Publication date,Overall effectiveness,Category of concern,"
                "Quality of education,Behaviour and attitudes,Personal development,Effectiveness of leadership and "
                "management,Safeguarding is effective?,Ungraded inspection overall outcome\n"
                "100008,2022019,Argyle Primary School,Primary,Community school,Camden,Holborn and St Pancras,WC1H 9EG,"
                "10001234,S5 Inspection,Graded inspection,Section 5,29/01/2015,30/01/2015,20/02/2015,3,NULL,NULL,NULL,"
                "NULL,3,NULL,NULL\n");
  job.WriteJob("2018-10-29", GiasSource("", "file = \"data/edubasealldata20181029.csv\"\n") +
                                 "[[source]]\nname = \"ofsted\"\nplugin = \"ofsted\"\n[source.settings]\n"
                                 "file = \"data/ofsted_all_inspections.csv\"\n");
  run = job.Vigil("run job.toml");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(JobFolder::Reason(job.Entity("100008"), "ofsted_judgement"),
            "Judged Requires improvement at the inspection of 2015-01-29, 3.7 years ago");
  EXPECT_EQ(job.Rows("ofsted")["stored"], 1);
}

// The 2015 EduBase layout (with LA (code)): schools not yet inspected and schools
// opened after the census are valid rows, and capacities need no census date.
TEST(PublishedFiles, An2015EduBaseExtractRejectsNoValidRowAndKeepsEveryCapacity) {
  std::string header = ReadText(fs::path(VIGIL_SOURCE_DIR) / "plugins/gias/tests/data/edubasealldata20150601_edubase.csv");
  header = header.substr(0, header.find('\n'));
  header.insert(header.find(',') + 1, "\"LA (code)\",");
  std::vector<std::string> columns;
  for (std::size_t start = 0; start < header.size();) {
    std::size_t end = header.find("\",\"", start);
    if (end == std::string::npos) end = header.size() - 1;
    columns.push_back(header.substr(start + 1, end - start - 1));
    start = end + 2;
  }
  auto row = [&](std::map<std::string, std::string> values) {
    std::string line;
    for (std::size_t i = 0; i < columns.size(); ++i) line += (i ? ",\"" : "\"") + values[columns[i]] + "\"";
    return line + "\r\n";
  };
  std::string file = header + "\r\n";
  int capacities = 0;
  for (int i = 0; i < 12; ++i) {
    std::map<std::string, std::string> v = {
        {"URN", std::to_string(103300 + i)}, {"LA (code)", "330"}, {"LA (name)", "Birmingham"},
        {"EstablishmentNumber", std::to_string(2100 + i)}, {"EstablishmentName", "School " + std::to_string(i)},
        {"TypeOfEstablishment (name)", "Community school"}, {"EstablishmentStatus (name)", "Open"},
        {"PhaseOfEducation (name)", "Primary"}, {"OfstedSpecialMeasures (name)", "Not in special measures"},
        {"SchoolCapacity", std::to_string(210 + i)}, {"EstablishmentTypeGroup (name)", "LA maintained schools"}};
    ++capacities;
    if (i < 4) {  // inspected, counted at the census
      v["OfstedLastInsp"] = "1" + std::to_string(i) + "-03-2014";
      v["CensusDate"] = "15-01-2015";
      v["NumberOfPupils"] = std::to_string(200 + i);
    } else if (i < 9) {  // counted at the census, not yet inspected
      v["CensusDate"] = "15-01-2015";
      v["NumberOfPupils"] = std::to_string(180 + i);
      v["OpenDate"] = "01-09-2013";
    } else {  // opened after the census: a capacity, no census date, no inspection
      v["OpenDate"] = "01-04-2015";
    }
    file += row(v);
  }
  JobFolder job;
  job.WriteData("edubasealldata20150601.csv", file);
  job.WriteJob("2015-06-01", GiasSource("on_reject = \"fail\"\n", "file = \"data/edubasealldata20150601.csv\"\n"));
  auto check = job.Vigil("sources check job.toml");
  EXPECT_EQ(check.exit_code, 0) << check.output;
  auto run = job.Vigil("run job.toml");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  auto rows = job.Rows("register");
  EXPECT_EQ(rows["read"], 12);
  EXPECT_EQ(rows["stored"], 12);
  EXPECT_EQ(rows["rejected"], 0);
  int kept = 0;
  const auto report = job.Report();
  for (const auto& e : report["packs"][0]["entities"]) kept += e["attributes"].contains("capacity");
  EXPECT_EQ(kept, capacities);
  EXPECT_EQ(job.Entity("103311")["attributes"]["capacity"], "221");
  EXPECT_EQ(Count(job, "SELECT count(*) FROM observations o JOIN measures m ON m.id = o.measure_id "
                       "WHERE m.name = 'pupils'"), 9);
  EXPECT_EQ(Values(job, "103300", "ofsted_rating_register"), "");  // the 2015 layout has no rating
}

// --- 7: Excel workbooks --------------------------------------------------------------------------

TEST(PublishedFiles, TheStatisticalNeighboursWorkbookIsReadWithItsTitleRowsRepeatedHeadersAndOldBlock) {
  JobFolder job;
  std::vector<Cell> header = {Cell::Text("LA num"), Cell::Text("LA Name"), Cell::Text("LA number"),
                              Cell::Text("GOInd"), Cell::Text("GOReg")};
  for (int i = 1; i <= 10; ++i) {
    header.push_back(Cell::Text("SN" + std::to_string(i)));
    header.push_back(Cell::Text("SNP"));
  }
  auto authority = [](const std::string& num, const std::string& name, const std::string& code, const std::string& sn1,
                      const std::string& closeness, const std::string& last) {
    std::vector<Cell> row = {Cell::Number(num), Cell::Text(name), Cell::Number(code), Cell::Number("5"),
                             Cell::Text("West Midlands")};
    for (int i = 1; i <= 10; ++i) {
      row.push_back(Cell::Text(i == 1 ? sn1 : "Neighbour " + std::to_string(i)));
      row.push_back(Cell::Text(i == 1 ? closeness : i == 10 ? last : "Close"));
    }
    return row;
  };
  SheetRows rows = {
      {1, {Cell::Text("Children's services statistical neighbour benchmarking tool")}},
      {2, {Cell::Text("Statistical neighbours, published 2019")}},
      {3, header},
      {4, authority("1", "Birmingham", "330", "Manchester", "Very close", "Somewhat close")},
      {5, authority("2", "Manchester", "352", "Birmingham", "Very close", "Close")},
      {6, authority("3", "Sandwell", "333", "Walsall", "Close", "Somewhat close")},
      // row 7 is empty, as in the published sheet
      {8, {Cell::Text("Old SNs:")}},
      {9, authority("4", "Old authority", "999", "Nowhere", "Close", "Close")},
  };
  WriteWorkbook(job.Data("SN_list.xlsx"), {{"Notes", {{1, {Cell::Text("About this list")}}}}, {"SN list", rows}});
  job.WriteJob("2023-11-30", "[[source]]\nname = \"neighbours\"\nplugin = \"csv\"\n[source.settings]\n"
                             "file = \"data/SN_list.xlsx\"\nsheet = \"SN list\"\nheader_row = 3\nend_at = \"Old SNs:\"\n"
                             "kind = \"local_authority\"\nkey_column = \"LA number\"\nname_column = \"LA Name\"\n"
                             "attributes = [\"neighbour_1 = SN1\", \"closeness_1 = SNP\", \"closeness_10 = SNP_10\"]\n");
  auto check = job.Vigil("-v sources check job.toml");
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_TRUE(Has(check.output, "10 columns are named 'SNP'; they are read as 'SNP', 'SNP_2'")) << check.output;
  // Rows 4-6 stored; the empty row 7, "Old SNs:" and what follows are after the table.
  EXPECT_TRUE(Has(check.output, "source neighbours: 3 entities, 0 values stored, 0 values rejected; data/SN_list.xlsx: "
                                "6 read: 3 stored, 3 skipped (2 after the end of the table (end_at), 1 empty row), 0 rejected"))
      << check.output;

  // The same with the sheet by number and a run, to see the attributes stored.
  job.WriteJob("2023-11-30", "[[source]]\nname = \"neighbours\"\nplugin = \"csv\"\n[source.settings]\n"
                             "file = \"data/SN_list.xlsx\"\nsheet = \"2\"\nskip_lines = 2\nend_at = \"Old SNs:\"\n"
                             "kind = \"local_authority\"\nkey_column = \"LA number\"\nname_column = \"LA Name\"\n"
                             "attributes = [\"neighbour_1 = SN1\", \"closeness_1 = SNP\", \"closeness_10 = SNP_10\"]\n");
  auto run = job.Vigil("run job.toml");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  auto birmingham = Query(job, "SELECT name, attributes FROM entities WHERE key = '330'");
  ASSERT_EQ(birmingham.size(), 1u);
  auto attributes = nlohmann::json::parse(birmingham[0].substr(birmingham[0].find('|') + 1));
  EXPECT_EQ(birmingham[0].substr(0, birmingham[0].find('|')), "Birmingham");
  EXPECT_EQ(attributes["neighbour_1"], "Manchester");
  EXPECT_EQ(attributes["closeness_1"], "Very close");
  EXPECT_EQ(attributes["closeness_10"], "Somewhat close");
  EXPECT_EQ(Count(job, "SELECT count(*) FROM entities WHERE key = '999'"), 0);
}

TEST(PublishedFiles, ALocalWorkbookGivesDatesFromSerialsPercentagesAndNumbersStoredAsText) {
  JobFolder job;
  job.WriteData("schools.csv", "URN,EstablishmentName,PhaseOfEducation (name),EstablishmentStatus (name)\n"
                               "103256,St Ambrose's Catholic High School,Secondary,Open\n"
                               "103252,Beechcroft Grove Junior and Infant School,Primary,Open\n");
  // Review dates are day serials with a date format (45201 = 2 October 2023), the
  // vacancy rate a percentage (0.25 shown as 25%), places a number stored as text.
  WriteWorkbook(job.Data("governance_reviews.xlsx"),
                {{"Reviews",
                  {{1, {Cell::Text("URN"), Cell::Text("Review date"), Cell::Text("Governor places"),
                        Cell::Text("Vacancy rate"), Cell::Text("Governance risk rating")}},
                   {2, {Cell::Number("103256"), Cell::Number("45201", 1), Cell::Text("12"), Cell::Number("0.25", 2),
                        Cell::Text("High")}},
                   {3, {Cell::Number("103252"), Cell::Number("45166", 1), Cell::Text("10"), Cell::Number("0.1", 2),
                        Cell::Text("Low")}},
                   {4, {Cell::Number("103252"), Cell::Text("next term"), Cell::Text("10")}}}}});
  job.WriteJob("2023-11-30", std::string(kRegisterSource) +
                                 "[[source]]\nname = \"governance\"\nplugin = \"csv\"\n[source.settings]\n"
                                 "file = \"data/governance_reviews.xlsx\"\nkind = \"school\"\nkey_column = \"URN\"\n"
                                 "date_column = \"Review date\"\n"
                                 "measures = [\"governor_places = Governor places\", "
                                 "\"governor_vacancy_rate = Vacancy rate\"]\n"
                                 "text_measures = [\"governance_risk = Governance risk rating\"]\n");
  auto run = job.Vigil("run job.toml");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(Values(job, "103256", "governor_vacancy_rate"), "2023-10-02|25.0");
  EXPECT_EQ(Values(job, "103252", "governor_vacancy_rate"), "2023-08-28|10.0");
  EXPECT_EQ(Values(job, "103256", "governor_places"), "2023-10-02|12.0");
  EXPECT_TRUE(Has(JobFolder::Reason(job.Entity("103256"), "governance_rating"), "Governance risk rated High at the review of 2023-10-02"));
  auto rows = job.Rows("governance");
  EXPECT_EQ(rows["read"], 3);
  EXPECT_EQ(rows["stored"], 2);
  EXPECT_EQ(rows["rejected"], 1);
  EXPECT_TRUE(Has(ReadText(job.Latest() / "rejections.csv"),
                  "governance,data/governance_reviews.xlsx,4,Review date,next term,"));
}

TEST(PublishedFiles, XlsOdsAndPasswordProtectedFilesAndWorkbooksGivenAsCsvSayWhatTheyAreAndWhatToDo) {
  JobFolder job;
  std::string ole = std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(504, '\0');
  job.WriteData("old.xls", ole + "Workbook");
  std::string encrypted = ole;
  for (char c : std::string("EncryptedPackage")) encrypted += std::string(1, c) + std::string(1, '\0');
  job.WriteData("protected.xlsx", encrypted);
  WriteWorkbook(job.Data("real.xlsx"), {{"Sheet1", {{1, {Cell::Text("URN")}}}}});
  {
    int error = 0;
    zip_t* zip = zip_open(job.Data("calc.ods").c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    static const char kMime[] = "application/vnd.oasis.opendocument.spreadsheet";
    zip_file_add(zip, "mimetype", zip_source_buffer(zip, kMime, sizeof kMime - 1, 0), 0);
    zip_close(zip);
  }
  {
    int error = 0;
    zip_t* zip = zip_open(job.Data("archive.zip").c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    static const char kText[] = "not a workbook";
    zip_file_add(zip, "readme.txt", zip_source_buffer(zip, kText, sizeof kText - 1, 0), 0);
    zip_close(zip);
  }
  struct Case {
    std::string plugin, file, message, extra = "";
  };
  const std::vector<Case> cases = {
      {"csv", "old.xls", "is an Excel 97-2003 workbook (.xls), not a CSV file: open it in Excel or LibreOffice and save it as .xlsx"},
      {"csv", "protected.xlsx", "is a password-protected Excel workbook: Vigil cannot read an encrypted file"},
      {"csv", "calc.ods", "is an OpenDocument spreadsheet (.ods), not an Excel workbook: open it in LibreOffice Calc or Excel and save it as .xlsx"},
      {"gias", "real.xlsx", "is an Excel workbook (.xlsx) or another zip archive, not a CSV file: read it with the csv plugin"},
      {"ees", "real.xlsx", "is an Excel workbook (.xlsx) or another zip archive, not a CSV file"},
      {"csv", "real.xlsx", "setting 'sheet': the workbook has no sheet 'Budgets'; its sheets are 1 'Sheet1'",
       "sheet = \"Budgets\"\n"},
      {"csv", "archive.zip", "is a zip archive but not an Excel workbook (.xlsx): it has no xl/workbook.xml"},
  };
  for (const auto& c : cases) {
    std::string settings = "file = \"data/" + c.file + "\"\n";
    if (c.plugin == "csv") settings += "kind = \"school\"\nkey_column = \"URN\"\n";
    if (c.plugin == "ees") settings += "indicators = [\"x = x\"]\n";
    settings += c.extra;
    job.WriteJob("2023-11-30", "[[source]]\nname = \"s\"\nplugin = \"" + c.plugin + "\"\n[source.settings]\n" + settings);
    auto check = job.Vigil("sources check job.toml");
    EXPECT_EQ(check.exit_code, 3) << c.file << ": " << check.output;
    EXPECT_TRUE(Has(check.output, "data/" + c.file + ": " + c.message)) << c.file << ": " << check.output;
  }
}

// --- 8: smaller ------------------------------------------------------------------------------------

TEST(PublishedFiles, Utf8ForcedOnAWindows1252FileWarnsWithTheFirstLineAndCountsSayRowsAndValues) {
  JobFolder job;
  job.WriteData("schools.csv", "URN,EstablishmentName,PhaseOfEducation (name),EstablishmentStatus (name)\n"
                               "103256,St Ambrose\x92s Catholic High School,Secondary,Open\n"
                               "103252,Beechcroft Grove,Primary,Open\n");
  job.WriteData("budgets.csv", "URN,Year end,Revenue balance,Capital balance,Reserves\n"
                               "103256,31/03/2023,deficit,none,n/a\n"
                               "103252,31/03/2023,-1200,500,100\n"
                               "103252,31/03/2022,lots,few,some\n");
  job.WriteJob("2023-11-30", std::string(kRegisterSource) + "encoding = \"utf-8\"\n" +
                                 "[[source]]\nname = \"budgets\"\nplugin = \"csv\"\n[source.settings]\n"
                                 "file = \"data/budgets.csv\"\nkind = \"school\"\nkey_column = \"URN\"\n"
                                 "date_column = \"Year end\"\nmeasures = [\"revenue_balance = Revenue balance\", "
                                 "\"capital_balance = Capital balance\", \"reserves = Reserves\"]\n");
  auto run = job.Vigil("run job.toml");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_TRUE(Has(run.output, "data/schools.csv: 1 field (the first on line 2) had bytes that are not UTF-8")) << run.output;
  EXPECT_TRUE(Has(run.output, "set encoding = \"auto\" or \"windows-1252\"")) << run.output;
  EXPECT_TRUE(Has(run.output, "2 input rows were rejected (6 values)")) << run.output;
  auto rows = job.Rows("budgets");
  EXPECT_EQ(rows["read"], 3);
  EXPECT_EQ(rows["stored"], 1);
  EXPECT_EQ(rows["rejected"], 2);
  std::string html = ReadText(job.Latest() / "report.html");
  EXPECT_TRUE(Has(html, "<th scope=\"col\" class=\"num\">Rows read</th>")) << html;
}

}  // namespace
}  // namespace vigil::published
