// End to end on Ofsted's current "most recent inspections" file (inspections not judged
// overall since September 2024, report cards since November 2025, Windows-1252, NULL
// cells) beside the real 2018 GIAS sample, through the real plugins and the default
// schools pack: the most recent inspection of any kind decides, and establishments the
// council does not support are not assessed, with `vigil explain` saying why.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "cli/published_files_support.h"

namespace vigil::published {
namespace {

// The current layout's header, as published (note the double space in the OEIF
// safeguarding column).
const char* kLatestHeader =
    "Web Link (opens in new window),URN,LAESTAB,School name,Ofsted phase,Type of education,School open date,"
    "Admissions policy,Sixth form,Designated religious character,Religious ethos,Faith grouping,Ofsted region,Region,"
    "Local authority,Parliamentary constituency,Postcode,Multi-academy trust UID,Multi-academy trust name,"
    "Academy sponsor UID,Academy sponsor name,The income deprivation affecting children index (IDACI) quintile,"
    "Total number of pupils,Statutory lowest age,Statutory highest age,Inspection number of latest full inspection,"
    "Inspection type,Inspection type grouping,Event type grouping,Inspection start date,Publication date,"
    "Does the latest full inspection relate to the URN of the current school?,URN at time of latest full inspection,"
    "LAESTAB at time of latest full inspection,School name at time of latest full inspection,"
    "School type at time of latest full inspection,Category of concern,Safeguarding standards,"
    "Safeguarding standards - date of grade,Inclusion,Inclusion - date of grade,Curriculum and teaching,"
    "Curriculum and teaching - date of grade,Achievement,Achievement - date of grade,Attendance and behaviour,"
    "Attendance and behaviour - date of grade,Personal development and wellbeing,"
    "Personal development and wellbeing - date of grade,Early years (where applicable),Early years - date of grade,"
    "Post-16 provision (where applicable),Post-16 provision - date of grade,Leadership and governance,"
    "Leadership and governance - date of grade,Inspection number of latest OEIF graded inspection,"
    "Inspection type of latest OEIF graded inspection,Inspection type grouping of latest OEIF graded inspection,"
    "Event type grouping of latest OEIF graded inspection,Inspection start date of latest OEIF graded inspection,"
    "Publication date of latest OEIF graded inspection,"
    "Does the latest OEIF graded inspection relate to the URN of the current school?,"
    "URN at time of latest OEIF graded inspection,LAESTAB at time of latest OEIF graded inspection,"
    "School name at time of latest OEIF graded inspection,School type at time of latest OEIF graded inspection,"
    "Latest OEIF category of concern,Latest OEIF overall effectiveness,Latest OEIF quality of education,"
    "Latest OEIF behaviour and attitudes,Latest OEIF personal development,"
    "Latest OEIF effectiveness of leadership and management,Latest OEIF  safeguarding is effective?,"
    "Latest OEIF early years provision (where applicable),Latest OEIF sixth form provision (where applicable),"
    "Latest ungraded inspection number,Date of latest ungraded inspection,Ungraded inspection publication date,"
    "Does the ungraded inspection relate to the URN of the current school?,URN at time of the ungraded inspection,"
    "LAESTAB at time of the ungraded inspection,School name at time of the ungraded inspection,"
    "School type at time of the ungraded inspection,Ungraded inspection overall outcome,Most recent category of concern";

// One row of the latest file: the given cells, NULL in every other column.
std::string LatestRow(const std::map<std::string, std::string>& cells) {
  std::stringstream header(kLatestHeader);
  std::string column, row;
  while (std::getline(header, column, ',')) {
    auto it = cells.find(column);
    row += (row.empty() ? "" : ",") + (it == cells.end() ? std::string("NULL") : it->second);
  }
  return row + "\r\n";
}

class CurrentOfstedFile : public ::testing::Test {
 protected:
  void SetUp() override {
    job_.WriteData("edubasealldata20181029.csv", Sample2018());
    // 100013: an inspection of January 2025, not judged overall, leadership Inadequate,
    // safeguarding not effective. 100012: a report card of November 2025, safeguarding
    // standards not met, inclusion Urgent improvement. The school names carry a curly
    // apostrophe as Windows-1252 writes it (byte 0x92).
    job_.WriteData("ofsted_latest_inspections.csv",
                   std::string(kLatestHeader) + "\r\n" +
                       LatestRow({{"URN", "100013"}, {"LAESTAB", "2022019"},
                                  {"School name", "Edith Neville\x92s Primary School"}, {"Ofsted phase", "Primary"},
                                  {"Local authority", "Camden"},
                                  {"Inspection number of latest full inspection", "10345678"},
                                  {"Inspection type", "S5 Inspection"}, {"Inspection type grouping", "Graded inspection"},
                                  {"Inspection start date", "15/01/2025"},
                                  {"Inspection number of latest OEIF graded inspection", "10345678"},
                                  {"Inspection start date of latest OEIF graded inspection", "15/01/2025"},
                                  {"Latest OEIF overall effectiveness", "Not judged"},
                                  {"Latest OEIF quality of education", "3"},
                                  {"Latest OEIF behaviour and attitudes", "2"},
                                  {"Latest OEIF personal development", "2"},
                                  {"Latest OEIF effectiveness of leadership and management", "4"},
                                  {"Latest OEIF  safeguarding is effective?", "No"}}) +
                       LatestRow({{"URN", "100012"}, {"LAESTAB", "2022018"},
                                  {"School name", "Carlton\x92s Primary School"}, {"Ofsted phase", "Primary"},
                                  {"Local authority", "Camden"},
                                  {"Inspection number of latest full inspection", "10400001"},
                                  {"Inspection type", "S5 Inspection"}, {"Inspection type grouping", "Graded inspection"},
                                  {"Inspection start date", "20/11/2025"},
                                  {"Safeguarding standards", "Not met"},
                                  {"Safeguarding standards - date of grade", "20/11/2025"},
                                  {"Inclusion", "Urgent improvement"}, {"Inclusion - date of grade", "20/11/2025"},
                                  {"Achievement", "Expected standard"}, {"Achievement - date of grade", "20/11/2025"}}));
    job_.WriteJob("2025-12-06",
                  "[[source]]\nname = \"register\"\nplugin = \"gias\"\n[source.settings]\n"
                  "file = \"data/edubasealldata20181029.csv\"\n"
                  "[[source]]\nname = \"ofsted\"\nplugin = \"ofsted\"\n[source.settings]\n"
                  "file = \"data/ofsted_latest_inspections.csv\"\n");
    auto run = job_.Vigil("run job.toml");
    ASSERT_EQ(run.exit_code, 0) << run.output;
    ASSERT_EQ(job_.Rows("ofsted")["stored"], 2);
  }
  JobFolder job_;
};

TEST_F(CurrentOfstedFile, SafeguardingNotEffectiveAtAnInspectionNotJudgedOverallForcesIntensiveSupport) {
  auto school = job_.Entity("100013");
  EXPECT_EQ(school["category"], "intensive");
  EXPECT_EQ(JobFolder::Reason(school, "ofsted_safeguarding"),
            "Safeguarding judged not effective at the inspection of 2025-01-15 (not judged overall: leadership 4 "
            "Inadequate, quality of education 3 Requires improvement, behaviour and attitudes 2 Good, personal "
            "development 2 Good)");
  // The 2018 judgement from the register is named as the last graded one, never as the latest.
  EXPECT_EQ(JobFolder::Reason(school, "ofsted_judgement"),
            "Latest inspection 2025-01-15 (not judged overall: leadership 4 Inadequate, quality of education 3 "
            "Requires improvement, behaviour and attitudes 2 Good, personal development 2 Good); last graded "
            "judgement Good in 2018");
  EXPECT_EQ(school["columns"]["Last inspected"], "2025-01-15");
  EXPECT_EQ(school["columns"]["Ofsted"], "Not judged overall");
}

TEST_F(CurrentOfstedFile, AReportCardWithSafeguardingStandardsNotMetForcesIntensiveSupportAndIsNotOverdue) {
  auto school = job_.Entity("100012");
  EXPECT_EQ(school["category"], "intensive");
  EXPECT_EQ(JobFolder::Reason(school, "ofsted_safeguarding"),
            "Safeguarding standards Not met at the inspection of 2025-11-20 (report card: inclusion 5 Urgent "
            "improvement, achievement 3 Expected standard)");
  EXPECT_EQ(JobFolder::Reason(school, "ofsted_judgement"),
            "Latest inspection 2025-11-20 (report card: inclusion 5 Urgent improvement, achievement 3 Expected "
            "standard); last graded judgement Good in 2015");
  EXPECT_EQ(JobFolder::Reason(school, "time_since_inspection"),
            "Last inspection 0.0 years ago: 2025-11-20 (report card: inclusion 5 Urgent improvement, achievement 3 "
            "Expected standard)");
  EXPECT_EQ(school["columns"]["Last inspected"], "2025-11-20");
  // A school whose last inspection is the register's of 2015 is overdue, with its date shown.
  EXPECT_EQ(job_.Entity("100014")["columns"]["Last inspected"].get<std::string>().substr(10), " (overdue)");
}

TEST_F(CurrentOfstedFile, IndependentSchoolsAreNotAssessedAndExplainSaysWhy) {
  // The sample's three open independent schools (100001-100003) are neither listed nor counted.
  auto pack = job_.Report()["packs"][0];
  EXPECT_EQ(pack["entities"].size(), 14u);  // 17 open establishments less the 3 independent schools
  for (const auto& e : pack["entities"]) EXPECT_NE(e["attributes"]["type"], "Other independent school") << e["key"];
  EXPECT_TRUE(job_.Entity("100001").is_null());
  auto explain = job_.Vigil("explain job.toml 100001");
  EXPECT_EQ(explain.exit_code, 0) << explain.output;
  EXPECT_TRUE(Has(explain.output, "Not assessed by rule pack 'schools'")) << explain.output;
  EXPECT_TRUE(Has(explain.output, "Other independent school: a type of establishment the council does not support "
                                  "(not_supported_types in thresholds.lua)"))
      << explain.output;
}

}  // namespace
}  // namespace vigil::published
