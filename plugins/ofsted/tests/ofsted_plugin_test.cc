// Tests of the built ofsted plugin, loaded with dlopen like the host loads it
// and driven through the C ABI by a host API that records everything.
#include <vigil/plugin.h>

#include "../../testing/plugin_harness.h"

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

#ifndef VIGIL_OFSTED_PLUGIN_PATH
#error "VIGIL_OFSTED_PLUGIN_PATH must name the built plugin"
#endif
#ifndef VIGIL_OFSTED_TEST_DATA
#error "VIGIL_OFSTED_TEST_DATA must name plugins/ofsted/tests/data"
#endif

namespace {

using vigil::plugin_testing::PluginTest;
using vigil::plugin_testing::Recorder;
using vigil::plugin_testing::SettingList;
using vigil::plugin_testing::Attributes;
using History = std::vector<std::string>;
using Measures = std::set<std::string>;

std::string Data(const std::string& name) {
  return std::string(VIGIL_OFSTED_TEST_DATA) + "/" + name;
}

const std::string kAll = Data("all_inspections.csv");
const std::string kLatest2324 = Data("latest_inspections_2023_24.csv");
const std::string kTitled = Data("management_information_2015_2019_title_line.csv");
const std::string kNotJudged = Data("latest_inspections_2025_not_judged.csv");
const std::string kReportCards = Data("latest_inspections_2025_report_cards.csv");
const std::string kBad = Data("nulls_and_bad_values.csv");

class OfstedPluginTest : public PluginTest {
 protected:
  OfstedPluginTest() : PluginTest(VIGIL_OFSTED_PLUGIN_PATH, "vigil_ofsted_plugin_test") {
    host_.on_observation = [](const Recorder::Observation& o) {
      EXPECT_EQ(o.as_of.size(), 10u) << o.measure;
    };
  }

  std::string FirstRejection() const {
    return host_.rejections.empty() ? "" : host_.rejections[0].reason;
  }
};

TEST_F(OfstedPluginTest, DescribesItselfWithNameVersionAndHelpForEverySetting) {
  EXPECT_EQ(descriptor_->struct_size, sizeof(vigil_plugin_descriptor));
  EXPECT_EQ(descriptor_->abi_major, VIGIL_ABI_MAJOR);
  EXPECT_STREQ(descriptor_->name, "ofsted");
  EXPECT_STREQ(descriptor_->version, "1.0.0");
  EXPECT_GT(std::strlen(descriptor_->description), 20u);
  std::map<std::string, const vigil_setting_decl*> settings;
  for (std::size_t i = 0; i < descriptor_->setting_count; ++i) {
    const vigil_setting_decl& d = descriptor_->settings[i];
    settings[d.name] = &d;
    EXPECT_GT(std::strlen(d.help), 40u) << d.name;
  }
  EXPECT_EQ(settings.size(), 6u);
  EXPECT_EQ(settings.at("file")->type, VIGIL_SETTING_PATH);
  EXPECT_EQ(settings.at("file")->required, 1);
  EXPECT_STREQ(settings.at("kind")->default_value, "school");
  EXPECT_EQ(settings.at("emit_entities")->type, VIGIL_SETTING_BOOLEAN);
  EXPECT_STREQ(settings.at("emit_entities")->default_value, "false");
  EXPECT_EQ(settings.at("skip_lines")->type, VIGIL_SETTING_INTEGER);
  EXPECT_STREQ(settings.at("skip_lines")->default_value, "0");
  EXPECT_STREQ(settings.at("encoding")->default_value, "auto");
  EXPECT_EQ(settings.at("la_filter")->type, VIGIL_SETTING_LIST);
}

TEST_F(OfstedPluginTest, AllInspectionsFileGivesEveryGradedJudgementDatedByItsStartDate) {
  ASSERT_EQ(Run({{"file", kAll}}), VIGIL_OK) << LastError();
  EXPECT_TRUE(host_.rejections.empty()) << FirstRejection();
  EXPECT_TRUE(host_.entities.empty());  // the register provides the schools
  EXPECT_EQ(host_.History("103359", "ofsted_overall"),
            (History{"2010-07-06=2 Good", "2015-04-28=2 Good", "2019-10-02=3 Requires improvement",
                     "2021-09-15=4 Inadequate", "2023-09-19=2 Good"}));
  EXPECT_EQ(host_.History("103359", "ofsted_category_of_concern"),
            (History{"2021-09-15=Special measures"}));
  EXPECT_EQ(host_.History("103359", "ofsted_safeguarding"),
            (History{"2019-10-02=Yes", "2021-09-15=No", "2023-09-19=Yes"}));
  EXPECT_EQ(host_.History("103359", "ofsted_quality_of_education"),
            (History{"2019-10-02=3 Requires improvement", "2021-09-15=4 Inadequate",
                     "2023-09-19=1 Outstanding"}));
  EXPECT_EQ(host_.MeasuresOn("103359", "2023-09-19"),
            (Measures{"ofsted_overall", "ofsted_overall_text", "ofsted_quality_of_education",
                      "ofsted_behaviour_and_attitudes", "ofsted_personal_development",
                      "ofsted_leadership", "ofsted_safeguarding", "ofsted_inspection_number",
                      "ofsted_inspection_type"}));
  auto number = host_.Find("103359", "ofsted_inspection_number");
  ASSERT_EQ(number.size(), 5u);
  EXPECT_EQ(number.back().text, "10176422");
  EXPECT_EQ(host_.Find("103359", "ofsted_inspection_type").back().text, "S5 Inspection");
}

TEST_F(OfstedPluginTest, AllInspectionsFileGivesUngradedOutcomesWithoutAnyJudgement) {
  ASSERT_EQ(Run({{"file", kAll}}), VIGIL_OK) << LastError();
  EXPECT_EQ(host_.History("103359", "ofsted_ungraded_outcome"),
            (History{"2018-09-18=School remains Good", "2020-02-04=Taking effective action",
                     "2022-02-08=Taking effective action",
                     "2022-10-11=Not taking effective action",
                     "2023-05-16=Taking effective action"}));
  EXPECT_EQ(host_.MeasuresOn("103359", "2018-09-18"),
            (Measures{"ofsted_ungraded_outcome", "ofsted_ungraded_inspection_number",
                      "ofsted_ungraded_inspection_type"}));
  EXPECT_EQ(host_.Find("103359", "ofsted_ungraded_inspection_type")[0].text,
            "S8 Inspection of a Good School");
  EXPECT_TRUE(host_.Logged("layout=all rows=19")) << host_.AllLogs();
}

TEST_F(OfstedPluginTest, EntitiesAreEmittedOnlyWhenAskedWithTheSchoolNameDecoded) {
  ASSERT_EQ(Run({{"file", kAll}, {"emit_entities", "true"}}), VIGIL_OK) << LastError();
  ASSERT_EQ(host_.entities.size(), 4u);  // once per URN, however many inspections
  const auto* ambrose = host_.FindEntity("103256");
  ASSERT_NE(ambrose, nullptr);
  EXPECT_EQ(ambrose->kind, "school");
  EXPECT_EQ(ambrose->name, "St Ambrose\u2019s Catholic High School");  // 0x92 in the file
  EXPECT_EQ(ambrose->attributes, (Attributes{{"laestab", "3304621"},
                                             {"local_authority", "Birmingham"},
                                             {"ofsted_phase", "Secondary"},
                                             {"type_of_education", "Voluntary aided school"},
                                             {"postcode", "B35 7DN"}}));
  EXPECT_TRUE(host_.Logged("entities=4")) << host_.AllLogs();
}

TEST_F(OfstedPluginTest, Latest2023FileGivesTheLatestAndPreviousGradedInspections) {
  ASSERT_EQ(Run({{"file", kLatest2324}}), VIGIL_OK) << LastError();
  EXPECT_TRUE(host_.rejections.empty()) << FirstRejection();
  // Latest and previous graded inspections: history from a single file.
  EXPECT_EQ(host_.History("103359", "ofsted_overall"),
            (History{"2023-09-19=2 Good", "2021-09-15=4 Inadequate"}));
  EXPECT_EQ(host_.History("103359", "ofsted_category_of_concern"),
            (History{"2021-09-15=Special measures"}));
  EXPECT_EQ(host_.History("103359", "ofsted_safeguarding"),
            (History{"2023-09-19=Yes", "2021-09-15=No"}));
  EXPECT_EQ(host_.History("103359", "ofsted_sixth_form"), (History{"2023-09-19=2 Good"}));
  EXPECT_EQ(host_.History("103359", "ofsted_inspection_number"),
            (History{"2023-09-19=10176422", "2021-09-15=10132368"}));
  EXPECT_EQ(host_.MeasuresOn("103359", "2021-09-15"),
            (Measures{"ofsted_overall", "ofsted_overall_text", "ofsted_category_of_concern",
                      "ofsted_quality_of_education", "ofsted_behaviour_and_attitudes",
                      "ofsted_personal_development", "ofsted_leadership", "ofsted_safeguarding",
                      "ofsted_inspection_number"}));
  // The latest ungraded inspection, dated by its own date.
  EXPECT_EQ(host_.History("103252", "ofsted_ungraded_outcome"),
            (History{"2022-05-10=School remains Good"}));
  EXPECT_EQ(host_.History("103252", "ofsted_ungraded_inspection_number"),
            (History{"2022-05-10=10211952"}));
  EXPECT_EQ(host_.History("103252", "ofsted_overall"),
            (History{"2018-01-23=2 Good", "2013-02-19=2 Good"}));
  // A previous inspection of the predecessor school says so.
  EXPECT_EQ(host_.History("144350", "ofsted_inspection_urn"), (History{"2015-03-12=103303"}));
  EXPECT_EQ(host_.History("144350", "ofsted_overall"),
            (History{"2023-04-18=2 Good", "2015-03-12=3 Requires improvement"}));
  // Never inspected: every judgement NULL, nothing emitted.
  EXPECT_TRUE(host_.MeasuresOn("149871", "2023-09-19").empty());
  for (const auto& o : host_.observations) EXPECT_NE(o.key, "149871") << o.measure;
  EXPECT_TRUE(host_.Logged("layout=latest rows=4")) << host_.AllLogs();
}

TEST_F(OfstedPluginTest, TitleLineAboveTheHeaderIsSkippedAndSection8WordingIsRead) {
  for (const char* skip : {"0", "1"}) {
    host_.observations.clear();
    host_.logs.clear();
    ASSERT_EQ(Run({{"file", kTitled}, {"skip_lines", skip}}), VIGIL_OK) << LastError();
    EXPECT_TRUE(host_.rejections.empty()) << FirstRejection();
    EXPECT_EQ(host_.History("103359", "ofsted_ungraded_outcome"),
              (History{"2018-09-18=School remains Good"}))
        << skip;
    EXPECT_EQ(host_.History("103359", "ofsted_ungraded_inspection_number"),
              (History{"2018-09-18=10066824"}));
    EXPECT_EQ(host_.History("103256", "ofsted_overall"),
              (History{"2016-05-31=2 Good", "2014-05-13=3 Requires improvement"}));
    EXPECT_EQ(host_.History("103256", "ofsted_sixth_form"), (History{"2016-05-31=2 Good"}));
    EXPECT_EQ(host_.History("103256", "ofsted_personal_development_behaviour_welfare"),
              (History{"2016-05-31=1 Outstanding"}));
    EXPECT_EQ(host_.History("103256", "ofsted_outcomes_for_pupils"), (History{"2016-05-31=2 Good"}));
    EXPECT_EQ(host_.History("103256", "ofsted_inspection_type"), (History{"2016-05-31=Section 5"}));
  }
  EXPECT_TRUE(host_.Logged("layout=latest rows=2")) << host_.AllLogs();
}

TEST_F(OfstedPluginTest, JudgementsWrittenAsWordsBecomeTheirNumbers) {
  ASSERT_EQ(Run({{"file", kTitled}}), VIGIL_OK) << LastError();
  EXPECT_EQ(host_.History("103359", "ofsted_overall"),
            (History{"2015-04-28=2 Good", "2010-07-06=2 Good"}));
  EXPECT_EQ(host_.History("103359", "ofsted_quality_of_teaching"),
            (History{"2015-04-28=3 Requires improvement"}));  // "Requires Improvement"
  EXPECT_EQ(host_.History("103359", "ofsted_personal_development_behaviour_welfare"),
            (History{"2015-04-28=1 Outstanding"}));
  EXPECT_TRUE(host_.Find("103359", "ofsted_early_years").empty());  // "Not applicable"
  EXPECT_TRUE(host_.Logged("the header is on line 2")) << host_.AllLogs();
}

TEST_F(OfstedPluginTest, NotJudgedOverallGivesSubJudgementsAndTheTextButNoOverallNumber) {
  ASSERT_EQ(Run({{"file", kNotJudged}}), VIGIL_OK) << LastError();
  EXPECT_TRUE(host_.rejections.empty()) << FirstRejection();
  EXPECT_TRUE(host_.Find("103252", "ofsted_overall").empty());  // never 0
  EXPECT_EQ(host_.History("103252", "ofsted_overall_text"), (History{"2024-10-08=Not judged"}));
  EXPECT_EQ(host_.History("103252", "ofsted_quality_of_education"), (History{"2024-10-08=2 Good"}));
  EXPECT_EQ(host_.History("103252", "ofsted_behaviour_and_attitudes"),
            (History{"2024-10-08=2 Good"}));
  EXPECT_EQ(host_.History("103252", "ofsted_personal_development"),
            (History{"2024-10-08=1 Outstanding"}));
  EXPECT_EQ(host_.History("103252", "ofsted_leadership"), (History{"2024-10-08=2 Good"}));
  EXPECT_EQ(host_.History("103252", "ofsted_early_years"), (History{"2024-10-08=2 Good"}));
  // "Latest OEIF  safeguarding is effective?", with its double space.
  EXPECT_EQ(host_.History("103252", "ofsted_safeguarding"), (History{"2024-10-08=Yes"}));
  // The latest full and the latest OEIF inspection are the same one here.
  EXPECT_EQ(host_.MeasuresOn("103252", "2024-10-08"),
            (Measures{"ofsted_overall_text", "ofsted_quality_of_education",
                      "ofsted_behaviour_and_attitudes", "ofsted_personal_development",
                      "ofsted_leadership", "ofsted_early_years", "ofsted_safeguarding",
                      "ofsted_inspection_number", "ofsted_inspection_type"}));

  EXPECT_EQ(host_.History("103359", "ofsted_overall"), (History{"2023-09-19=2 Good"}));
  EXPECT_EQ(host_.History("103359", "ofsted_ungraded_outcome"),
            (History{"2025-06-03=Standards maintained"}));
}

TEST_F(OfstedPluginTest, ReportCardAreasGiveGradesOneToFiveDatedByTheirDateOfGrade) {
  ASSERT_EQ(Run({{"file", kReportCards}}), VIGIL_OK) << LastError();
  EXPECT_TRUE(host_.rejections.empty()) << FirstRejection();
  const std::map<std::string, std::string> ambrose = {
      {"ofsted_rc_inclusion", "2025-11-18=2 Strong standard"},
      {"ofsted_rc_curriculum_and_teaching", "2025-11-18=3 Expected standard"},
      {"ofsted_rc_achievement", "2025-11-18=4 Needs attention"},
      {"ofsted_rc_attendance_and_behaviour", "2025-11-18=3 Expected standard"},
      {"ofsted_rc_personal_development_and_wellbeing", "2025-11-18=1 Exceptional"},
      {"ofsted_rc_post_16", "2025-11-18=2 Strong standard"},
      {"ofsted_rc_leadership_and_governance", "2025-11-18=3 Expected standard"},
      {"ofsted_safeguarding_standards", "2025-11-18=Met"},
  };
  for (const auto& [measure, value] : ambrose)
    EXPECT_EQ(host_.History("103256", measure), (History{value})) << measure;
  EXPECT_TRUE(host_.Find("103256", "ofsted_rc_early_years").empty());  // "Not applicable"
  // No overall judgement on a report card; the latest OEIF one stays.
  EXPECT_EQ(host_.History("103256", "ofsted_overall"), (History{"2019-11-05=2 Good"}));
  EXPECT_EQ(host_.History("103256", "ofsted_inspection_type"),
            (History{"2025-11-18=Report card inspection", "2019-11-05=S5 Inspection"}));

  EXPECT_EQ(host_.History("103674", "ofsted_rc_curriculum_and_teaching"),
            (History{"2025-11-25=5 Urgent improvement"}));
  EXPECT_EQ(host_.History("103674", "ofsted_rc_early_years"),
            (History{"2025-12-12=3 Expected standard"}));  // its own date of grade
  EXPECT_EQ(host_.History("103674", "ofsted_safeguarding_standards"),
            (History{"2025-11-25=Not met"}));
  EXPECT_EQ(host_.History("103674", "ofsted_category_of_concern"),
            (History{"2025-11-25=Special measures"}));
}

TEST_F(OfstedPluginTest, NullsGiveNothingAndBadCellsAreRejectedWithFileLineFieldAndValue) {
  ASSERT_EQ(Run({{"file", kBad}}), VIGIL_OK) << LastError();
  struct Expected {
    std::uint64_t line;
    std::string field, value, reason;
  };
  const std::vector<Expected> expected = {
      {3, "Inspection start date", "31/02/2019",
       "'31/02/2019' is not a valid date: February 2019 has 28 days; the inspection's 9 values "
       "were not loaded"},
      {4, "Overall effectiveness", "Excellent",
       "'Excellent' is not an Ofsted judgement (1 Outstanding, 2 Good, 3 Requires improvement, "
       "4 Inadequate, or the word); ofsted_overall was not loaded"},
      {4, "Quality of education", "5",
       "'5' is not an Ofsted judgement (1 Outstanding, 2 Good, 3 Requires improvement, "
       "4 Inadequate, or the word); ofsted_quality_of_education was not loaded"},
      {4, "Safeguarding is effective?", "Maybe",
       "'Maybe' is not Yes or No; ofsted_safeguarding was not loaded"},
      {5, "Inspection start date", "NULL",
       "the inspection date is empty; the inspection's 2 values were not loaded"},
      {6, "URN", "NULL", "the URN is empty; the row was not loaded"},
      {8, "Inspection start date", "18/01/19",
       "'18/01/19' has a two-digit year, so its century is unknown; write the year in full "
       "(DD/MM/YYYY); the inspection's 6 values were not loaded"},
      {9, "fields",
       "100008,2011118,Hazel Primary School,Primary,Community school,Birmingham,Ladywood,B1 1AH,10050008,S5 "
       "Inspection,Graded inspection,Section 5,12/06/2019,13/06/2019,01/07/2019,4,Serious weaknesses,NULL...",
       "row has 22 fields, the header has 23; the row was not loaded"},
  };
  ASSERT_EQ(host_.rejections.size(), expected.size()) << FirstRejection();
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& r = host_.rejections[i];
    EXPECT_EQ(r.file, kBad) << i;
    EXPECT_EQ(r.line, expected[i].line) << i;
    EXPECT_EQ(r.field, expected[i].field) << i;
    EXPECT_EQ(r.value, expected[i].value) << i;
    EXPECT_EQ(r.reason, expected[i].reason) << i;
  }
  // NULL cells give nothing; the good cells of a row with bad ones are kept.
  EXPECT_EQ(host_.MeasuresOn("100001", "2018-01-16"),
            (Measures{"ofsted_overall", "ofsted_overall_text", "ofsted_leadership",
                      "ofsted_safeguarding", "ofsted_inspection_number",
                      "ofsted_inspection_type"}));
  EXPECT_EQ(host_.MeasuresOn("100003", "2020-03-05"),
            (Measures{"ofsted_category_of_concern", "ofsted_behaviour_and_attitudes",
                      "ofsted_leadership", "ofsted_inspection_number",
                      "ofsted_inspection_type"}));
  EXPECT_EQ(host_.History("100003", "ofsted_behaviour_and_attitudes"),
            (History{"2020-03-05=2 Good"}));  // written "Good"
  EXPECT_TRUE(host_.Find("100002", "ofsted_overall").empty());
  EXPECT_EQ(host_.History("100006", "ofsted_ungraded_outcome"),
            (History{"2019-03-05=School remains Good"}));
  EXPECT_TRUE(host_.Logged("rows=8 skipped=0 inspections=3 observations=14 rejected=8")) << host_.AllLogs();
}

TEST_F(OfstedPluginTest, OlderWordsCodesAndAbbreviationsAreReadAndNoJudgementGivesNothing) {
  const std::string file = Write(
      "words.csv",
      "URN,Inspection start date,Inspection type grouping,Overall effectiveness,"
      "Category of concern,Safeguarding is effective?,Early years provision (where applicable)\r\n"
      "100001,12/03/2011,Full inspection,Satisfactory,SM,Y,9\r\n"
      "100002,2019-10-01,Graded inspection,requires  improvement,SWK,n,N/A\r\n"
      "100003,01-10-2024,Graded inspection,Not judged,None,Yes,null\r\n");
  ASSERT_EQ(Run({{"file", file}}), VIGIL_OK) << LastError();
  EXPECT_TRUE(host_.rejections.empty()) << FirstRejection();
  EXPECT_EQ(host_.History("100001", "ofsted_overall"),
            (History{"2011-03-12=3 Requires improvement"}));
  EXPECT_EQ(host_.History("100001", "ofsted_category_of_concern"),
            (History{"2011-03-12=Special measures"}));
  EXPECT_EQ(host_.History("100001", "ofsted_safeguarding"), (History{"2011-03-12=Yes"}));
  EXPECT_TRUE(host_.Find("100001", "ofsted_early_years").empty());
  EXPECT_EQ(host_.History("100002", "ofsted_overall"),
            (History{"2019-10-01=3 Requires improvement"}));
  EXPECT_EQ(host_.History("100002", "ofsted_category_of_concern"),
            (History{"2019-10-01=Serious weaknesses"}));
  EXPECT_EQ(host_.History("100002", "ofsted_safeguarding"), (History{"2019-10-01=No"}));
  EXPECT_EQ(host_.MeasuresOn("100003", "2024-10-01"),
            (Measures{"ofsted_overall_text", "ofsted_safeguarding"}));
}

TEST_F(OfstedPluginTest, LaFilterKeepsSchoolsOfTheNamedAuthorityOrLaestabPrefix) {
  ASSERT_EQ(Run({{"file", kAll}, {"la_filter", "birmingham"}}), VIGIL_OK) << LastError();
  const std::size_t all = host_.observations.size();
  EXPECT_GT(all, 0u);
  EXPECT_TRUE(!host_.Logged("filtered (la_filter)")) << host_.AllLogs();

  host_.observations.clear();
  ASSERT_EQ(Run({{"file", kAll}, {"la_filter", "Camden\n202"}}), VIGIL_OK) << LastError();
  EXPECT_TRUE(host_.observations.empty());
  EXPECT_TRUE(host_.Logged("(19 filtered (la_filter))")) << host_.AllLogs();

  host_.observations.clear();
  ASSERT_EQ(Run({{"file", kAll}, {"la_filter", "3307"}}), VIGIL_OK) << LastError();
  std::set<std::string> keys;
  for (const auto& o : host_.observations) keys.insert(o.key);
  EXPECT_EQ(keys, (std::set<std::string>{"103359"}));  // LAESTAB 3307567
  EXPECT_TRUE(host_.rejections.empty());
}

TEST_F(OfstedPluginTest, RenamedWebLinkColumnsAllGiveTheWebLinkAttribute) {
  ASSERT_EQ(Run({{"file", kLatest2324}, {"emit_entities", "true"}}), VIGIL_OK) << LastError();
  ASSERT_NE(host_.FindEntity("149871"), nullptr);  // never inspected, still a school
  EXPECT_NE(host_.FindEntity("149871")->attributes.at("web_link").find("/149871"),
            std::string::npos);
  host_.entities.clear();
  ASSERT_EQ(Run({{"file", kReportCards}, {"emit_entities", "true"}}), VIGIL_OK) << LastError();
  ASSERT_NE(host_.FindEntity("103674"), nullptr);
  EXPECT_EQ(host_.FindEntity("103674")->name, "Hawthorn Rise Primary School");
  EXPECT_NE(host_.FindEntity("103674")->attributes.at("web_link").find("/103674"),
            std::string::npos);
}

TEST_F(OfstedPluginTest, FileWithoutAUrnColumnFailsSayingSo) {
  const std::string file = Write("other.csv", "School,Judgement\nAlpha,Good\n");
  EXPECT_EQ(Run({{"file", file}}), VIGIL_ERROR);
  EXPECT_EQ(LastError(), file + ": no header row: none of the first 20 records has a URN "
                                "column (is this an Ofsted inspections file?)");
}

TEST_F(OfstedPluginTest, FileWithoutAnInspectionDateColumnFailsNamingTheExpectedOnes) {
  const std::string file = Write("nodate.csv", "URN,Overall effectiveness\n100001,2\n");
  EXPECT_EQ(Run({{"file", file}}), VIGIL_ERROR);
  EXPECT_NE(LastError().find(file + ":1: no inspection date column"), std::string::npos)
      << LastError();
}

TEST_F(OfstedPluginTest, LaFilterNeedsTheColumnItFiltersOn) {
  const std::string file =
      Write("nola.csv", "URN,Inspection start date,Overall effectiveness\n100001,01/02/2020,2\n");
  EXPECT_EQ(Run({{"file", file}, {"la_filter", "Birmingham"}}), VIGIL_ERROR);
  EXPECT_NE(LastError().find("setting 'la_filter' needs the 'Local authority' column"),
            std::string::npos)
      << LastError();
}

TEST_F(OfstedPluginTest, CreateRefusesBadSettingsNamingTheSetting) {
  const std::vector<std::pair<SettingList, std::string>> cases = {
      {{}, "setting 'file' is required"},
      {{{"file", "/x.csv"}, {"kind", "School"}}, "setting 'kind': 'School' must be snake_case"},
      {{{"file", "/x.csv"}, {"skip_lines", "-1"}}, "setting 'skip_lines': '-1' must be a whole"},
      {{{"file", "/x.csv"}, {"encoding", "latin1"}},
       "setting 'encoding': 'latin1' is not one of auto, utf-8, windows-1252"},
  };
  for (const auto& [settings, error] : cases) {
    host_.errors.clear();
    void* instance = nullptr;
    EXPECT_EQ(Create(settings, &instance), VIGIL_ERROR) << error;
    EXPECT_EQ(instance, nullptr);
    ASSERT_EQ(host_.errors.size(), 1u) << error;
    EXPECT_NE(host_.errors[0].find(error), std::string::npos)
        << "expected: " << error << "\n     got: " << host_.errors[0];
  }
}

TEST_F(OfstedPluginTest, FileThatCannotBeOpenedFailsNamingThePath) {
  const std::string missing = (dir_ / "nope.csv").string();
  EXPECT_EQ(Run({{"file", missing}}), VIGIL_ERROR);
  EXPECT_EQ(LastError(), missing + ": cannot open: No such file or directory");
}

TEST_F(OfstedPluginTest, CancelledRunStopsWithCancelledStatus) {
  host_.cancel = true;
  EXPECT_EQ(Run({{"file", kAll}}), VIGIL_CANCELLED);
  EXPECT_TRUE(host_.observations.empty());
}

TEST_F(OfstedPluginTest, KindSettingNamesTheObservationsEntity) {
  ASSERT_EQ(Run({{"file", kAll}, {"kind", "establishment"}, {"emit_entities", "true"}}), VIGIL_OK)
      << LastError();
  std::set<std::string> kinds;
  for (const auto& e : host_.entities) kinds.insert(e.kind);
  for (const auto& o : host_.observations) kinds.insert(o.kind);
  EXPECT_EQ(kinds, (std::set<std::string>{"establishment"}));
}

}  // namespace
