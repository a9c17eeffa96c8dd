// Tests of the built ees plugin, loaded with dlopen like the host loads it
// and driven through the C ABI by a host API that records everything, on
// the fixture files in tests/data/ (see tests/data/README.md).
#include <vigil/plugin.h>

#include "../../testing/plugin_harness.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#ifndef VIGIL_EES_PLUGIN_PATH
#error "VIGIL_EES_PLUGIN_PATH must name the built plugin"
#endif
#ifndef VIGIL_EES_TEST_DATA
#error "VIGIL_EES_TEST_DATA must name plugins/ees/tests/data"
#endif

namespace {

using vigil::plugin_testing::PluginTest;
using vigil::plugin_testing::Recorder;
using vigil::plugin_testing::SettingList;

std::string Data(const std::string& name) { return std::string(VIGIL_EES_TEST_DATA) + "/" + name; }

class EesPluginTest : public PluginTest {
 protected:
  EesPluginTest() : PluginTest(VIGIL_EES_PLUGIN_PATH, "vigil_ees_plugin_test") {}
};

SettingList Ks2Settings() {
  return {{"file", Data("ks2_reordered.csv")},
          {"indicators",
           "ks2_rwm_expected = expected_standard_pupil_percent\n"
           "ks2_rwm_higher = higher_standard_pupil_percent"},
          {"filters", "subject = Reading, writing and maths\nbreakdown = Total"}};
}

SettingList ExclusionSettings() {
  return {{"file", Data("exclusions_laestab.csv")},
          {"key", "laestab"},
          {"laestab_register", Data("gias_register.csv")},
          {"indicators",
           "exclusion_perm_rate = perm_excl_rate\nexclusions_perm = perm_excl\n"
           "suspension_rate = susp_rate\nsuspensions = susp"}};
}

// The header shared by the generated files of the time period tests.
constexpr std::string_view kPeriodHeader =
    "time_period,time_identifier,geographic_level,school_urn,value\n";

TEST_F(EesPluginTest, DescribesItselfWithNameVersionAndHelpForEverySetting) {
  EXPECT_EQ(descriptor_->struct_size, sizeof(vigil_plugin_descriptor));
  EXPECT_EQ(descriptor_->abi_major, VIGIL_ABI_MAJOR);
  EXPECT_STREQ(descriptor_->name, "ees");
  EXPECT_STREQ(descriptor_->version, "1.0.0");
  std::map<std::string, const vigil_setting_decl*> settings;
  for (std::size_t i = 0; i < descriptor_->setting_count; ++i) {
    const vigil_setting_decl& d = descriptor_->settings[i];
    settings[d.name] = &d;
    EXPECT_GT(std::strlen(d.help), 20u) << d.name;
  }
  ASSERT_EQ(settings.size(), 8u);
  EXPECT_EQ(settings.at("file")->type, VIGIL_SETTING_PATH);
  EXPECT_EQ(settings.at("file")->required, 1);
  EXPECT_EQ(settings.at("indicators")->type, VIGIL_SETTING_LIST);
  EXPECT_EQ(settings.at("indicators")->required, 1);
  EXPECT_EQ(settings.at("filters")->type, VIGIL_SETTING_LIST);
  EXPECT_EQ(settings.at("laestab_register")->type, VIGIL_SETTING_PATH);
  EXPECT_EQ(settings.at("emit_entities")->type, VIGIL_SETTING_BOOLEAN);
  EXPECT_STREQ(settings.at("kind")->default_value, "school");
  EXPECT_STREQ(settings.at("geographic_level")->default_value, "School");
  EXPECT_STREQ(settings.at("key")->default_value, "auto");
  EXPECT_STREQ(settings.at("emit_entities")->default_value, "false");
}

TEST_F(EesPluginTest, ColumnsInAnotherOrderAfterAByteOrderMarkAreFoundByName) {
  ASSERT_EQ(Run(Ks2Settings()), VIGIL_OK) << LastError();
  EXPECT_TRUE(host_.rejections.empty()) << host_.rejections[0].reason;
  auto rwm = host_.Find("100001", "ks2_rwm_expected");
  ASSERT_EQ(rwm.size(), 2u);
  EXPECT_EQ(rwm[0].kind, "school");
  EXPECT_TRUE(rwm[0].has_number);
  EXPECT_EQ(rwm[0].number, 61.0);
  EXPECT_EQ(rwm[0].as_of, "2023-08-31");
  EXPECT_EQ(rwm[1].number, 57.0);
  EXPECT_EQ(rwm[1].as_of, "2022-08-31");
  auto higher = host_.Find("100001", "ks2_rwm_higher");
  ASSERT_EQ(higher.size(), 2u);
  EXPECT_EQ(higher[0].number, 9.0);
  EXPECT_TRUE(host_.entities.empty());  // the register provides the schools
}

TEST_F(EesPluginTest, FiltersKeepOnlyMatchingRowsAndSkippedLevelsAreCountedNotRejected) {
  ASSERT_EQ(Run(Ks2Settings()), VIGIL_OK) << LastError();
  // 7 School rows: 3 are Total "Reading, writing and maths"; Reading, Maths and
  // the disadvantaged breakdown are filtered out.
  EXPECT_EQ(host_.observations.size(), 6u);
  EXPECT_TRUE(host_.Find("100001", "ks2_rwm_expected").size() == 2u);
  EXPECT_TRUE(host_.Logged("kept 3 rows, filtered 4")) << host_.logs.back();
  EXPECT_TRUE(host_.Logged("skipped 2 rows at other geographic levels (Local authority: 1, "
                           "National: 1)"));
  EXPECT_TRUE(host_.Logged("rows=9 skipped=6 (2 other geographic level, 4 filtered (filters)) kept=3 "
                           "keys=2 observations=6 rejected=0"))
      << host_.logs.back();
  EXPECT_TRUE(host_.rejections.empty());
}

TEST_F(EesPluginTest, FilterItemsOnOneColumnAreAlternatives) {
  SettingList settings = Ks2Settings();
  settings[2].second = "subject = Reading\nsubject = Maths\nbreakdown = Total";
  ASSERT_EQ(Run(settings), VIGIL_OK) << LastError();
  // 100001 Reading and Maths would both give ks2_rwm_expected for 2022/23:
  // the second is refused, naming the line of the first.
  ASSERT_EQ(host_.rejections.size(), 2u);  // expected and higher of the Maths row
  EXPECT_EQ(host_.rejections[0].line, 6u);
  EXPECT_EQ(host_.rejections[0].field, "expected_standard_pupil_percent");
  EXPECT_EQ(host_.rejections[0].value, "68");
  EXPECT_EQ(host_.rejections[0].reason,
            "a second ks2_rwm_expected value for 100001 in 2023-08-31 (the first is on line "
            "5): add filters so that one row per school and period remains");
  EXPECT_EQ(host_.Find("100001", "ks2_rwm_expected").size(), 1u);
  EXPECT_EQ(host_.Find("100001", "ks2_rwm_expected")[0].number, 70.0);
  EXPECT_EQ(host_.Find("100002", "ks2_rwm_expected")[0].number, 74.0);
}

// One source reads the file once for measures on different rows: each
// indicator's `where` conditions pick its rows.
TEST_F(EesPluginTest, WhereConditionsReadMeasuresFromDifferentRowsInOnePass) {
  ASSERT_EQ(Run({{"file", Data("ks2_reordered.csv")},
                 {"indicators",
                  "ks2_rwm_expected = expected_standard_pupil_percent where subject = Reading, writing and "
                  "maths; breakdown = Total\n"
                  "ks2_rwm_expected_disadvantaged = expected_standard_pupil_percent where subject = "
                  "Reading, writing and maths; breakdown = Disadvantaged\n"
                  "ks2_reading_expected = expected_standard_pupil_percent where subject = Reading\n"
                  "ks2_maths_expected = expected_standard_pupil_percent where subject = Maths"}}),
            VIGIL_OK)
      << LastError();
  EXPECT_TRUE(host_.rejections.empty()) << host_.rejections[0].reason;
  ASSERT_EQ(host_.Find("100001", "ks2_rwm_expected").size(), 2u);
  EXPECT_EQ(host_.Find("100001", "ks2_rwm_expected")[0].number, 61.0);
  ASSERT_EQ(host_.Find("100001", "ks2_rwm_expected_disadvantaged").size(), 1u);
  EXPECT_EQ(host_.Find("100001", "ks2_rwm_expected_disadvantaged")[0].number, 48.0);
  ASSERT_EQ(host_.Find("100001", "ks2_reading_expected").size(), 1u);
  EXPECT_EQ(host_.Find("100001", "ks2_reading_expected")[0].number, 70.0);
  EXPECT_EQ(host_.Find("100001", "ks2_maths_expected")[0].number, 68.0);
}

TEST_F(EesPluginTest, AWhereConditionOnAMissingColumnOrWithoutAValueIsASettingsError) {
  EXPECT_NE(Run({{"file", Data("ks2_reordered.csv")},
                 {"indicators", "ks2_reading_expected = expected_standard_pupil_percent where topic = Reading"}}),
            VIGIL_OK);
  EXPECT_NE(LastError().find("'topic' (indicators)"), std::string::npos) << LastError();
  EXPECT_NE(Run({{"file", Data("ks2_reordered.csv")},
                 {"indicators", "ks2_reading_expected = expected_standard_pupil_percent where subject"}}),
            VIGIL_OK);
  EXPECT_NE(LastError().find("condition 'subject' is not \"column = value\""), std::string::npos) << LastError();
}

TEST_F(EesPluginTest, EverySuppressionCodeIsStoredAsMissingWithItsReasonNeverZero) {
  ASSERT_EQ(Run({{"file", Data("suppression_codes.csv")},
                 {"indicators",
                  "persistent_absence = persistent_absence_percent\n"
                  "overall_absence = overall_absence_percent"}}),
            VIGIL_OK)
      << LastError();
  EXPECT_TRUE(host_.rejections.empty());
  const std::vector<std::string> reasons = {
      "x: not available",    "c: confidential",     "z: not applicable",
      "low: rounds to zero", "u: low reliability",  "':': not available",
      "'.': not available",  "'..': not available", "'~': not available",
      "SUPP: suppressed",    "NP: not published",   "NE: no entries",
      "NA: not applicable",  "NULL: empty"};
  for (std::size_t i = 0; i < reasons.size(); ++i) {
    const std::string urn = std::to_string(200001 + i);
    auto pa = host_.Find(urn, "persistent_absence");
    ASSERT_EQ(pa.size(), 1u) << urn;
    EXPECT_FALSE(pa[0].has_number) << urn;
    EXPECT_EQ(pa[0].number, 0.0) << urn;
    EXPECT_EQ(pa[0].text, reasons[i]) << urn;
    EXPECT_EQ(pa[0].as_of, "2023-08-31") << urn;
    // The row's other indicator is still read.
    auto overall = host_.Find(urn, "overall_absence");
    ASSERT_EQ(overall.size(), 1u) << urn;
    EXPECT_TRUE(overall[0].has_number) << urn;
  }
  ASSERT_EQ(host_.Find("200101", "persistent_absence").size(), 1u);
  EXPECT_EQ(host_.Find("200101", "persistent_absence")[0].number, 12.5);
  EXPECT_TRUE(host_.Find("200102", "persistent_absence").empty());  // empty cell: nothing
  EXPECT_EQ(host_.Find("200102", "overall_absence")[0].number, 4.8);
}

TEST_F(EesPluginTest, LaestabKeyedExclusionsAreMappedToUrnsThroughTheGiasRegister) {
  ASSERT_EQ(Run(ExclusionSettings()), VIGIL_OK) << LastError();
  auto rate = host_.Find("103252", "exclusion_perm_rate");
  ASSERT_EQ(rate.size(), 1u);
  EXPECT_EQ(rate[0].number, 0.54);
  EXPECT_EQ(rate[0].as_of, "2023-08-31");
  EXPECT_EQ(host_.Find("103256", "suspension_rate")[0].number, 18.9);
  EXPECT_TRUE(host_.Find("3302138", "exclusion_perm_rate").empty());
  // 3302003 was reused: Old Mill Primary School until 31 March 2018, then
  // the academy; each year goes to the establishment open at its end.
  auto reused = host_.Find("145000", "suspensions");
  ASSERT_EQ(reused.size(), 1u);
  EXPECT_EQ(reused[0].as_of, "2017-08-31");
  auto academy = host_.Find("148001", "suspensions");
  ASSERT_EQ(academy.size(), 1u);
  EXPECT_EQ(academy[0].as_of, "2019-08-31");
  EXPECT_TRUE(host_.Logged("laestab_register file="));
  EXPECT_TRUE(host_.Logged("laestabs=5 skipped_without_number=1"));
}

TEST_F(EesPluginTest, ALaestabTheRegisterDoesNotHoldIsSkippedAsOutsideTheRegisterNotRejected) {
  ASSERT_EQ(Run(ExclusionSettings()), VIGIL_OK) << LastError();
  for (const auto& r : host_.rejections) EXPECT_NE(r.value, "3309999") << r.reason;
  EXPECT_EQ(host_.Skipped(Data("exclusions_laestab.csv"), "outside the register"), 1u);
  EXPECT_TRUE(host_.Logged("1 row name LAESTABs that the register " + Data("gias_register.csv") +
                           " does not hold (e.g. 3309999)")) << host_.AllLogs();
  for (const auto& o : host_.observations) EXPECT_NE(o.key, "3309999");
}

TEST_F(EesPluginTest, BadCellIsRejectedWithFileLineFieldAndValueAndTheRowsOtherIndicatorsKept) {
  ASSERT_EQ(Run(ExclusionSettings()), VIGIL_OK) << LastError();
  ASSERT_EQ(host_.rejections.size(), 1u);
  const auto& r = host_.rejections[0];
  EXPECT_EQ(r.file, Data("exclusions_laestab.csv"));
  EXPECT_EQ(r.line, 9u);
  EXPECT_EQ(r.field, "susp");
  EXPECT_EQ(r.value, "lots");
  EXPECT_EQ(r.reason, "'lots' is not a number");
  ASSERT_EQ(host_.Find("103300", "suspension_rate").size(), 1u);
  EXPECT_EQ(host_.Find("103300", "suspension_rate")[0].number, 2.5);
  EXPECT_EQ(host_.Find("103300", "exclusion_perm_rate")[0].text, "x: not available");
  EXPECT_TRUE(host_.Find("103300", "suspensions").empty());
  EXPECT_TRUE(host_.Logged("observations=")) << host_.AllLogs();
  EXPECT_TRUE(host_.Logged("rejected=1")) << host_.AllLogs();
}

TEST_F(EesPluginTest, LaestabIsBuiltFromOldLaCodeAndEstabWhenTheFileHasNoLaestabColumn) {
  const std::string file = Write("estab.csv",
                                 "time_period,time_identifier,geographic_level,old_la_code,"
                                 "estab,perm_excl_rate\n"
                                 "202223,Academic year,School,330,2138,0.54\n"
                                 "202223,Academic year,School,330,x,0.1\n");
  ASSERT_EQ(Run({{"file", file},
                 {"laestab_register", Data("gias_register.csv")},
                 {"indicators", "exclusion_perm_rate = perm_excl_rate"}}),
            VIGIL_OK)
      << LastError();
  ASSERT_EQ(host_.Find("103252", "exclusion_perm_rate").size(), 1u);
  ASSERT_EQ(host_.rejections.size(), 1u);
  EXPECT_EQ(host_.rejections[0].line, 3u);
  EXPECT_EQ(host_.rejections[0].field, "estab");
  EXPECT_EQ(host_.rejections[0].value, "330/x");
}

TEST_F(EesPluginTest, NationalRowIsReadWhenTheLevelIsNationalKeyedByCountryCode) {
  SettingList settings = ExclusionSettings();
  settings.erase(settings.begin() + 1, settings.begin() + 3);  // key, laestab_register
  settings.push_back({"geographic_level", "National"});
  settings.push_back({"kind", "national"});
  ASSERT_EQ(Run(settings), VIGIL_OK) << LastError();
  EXPECT_TRUE(host_.rejections.empty());
  auto rate = host_.Find("E92000001", "exclusion_perm_rate");
  ASSERT_EQ(rate.size(), 1u);
  EXPECT_EQ(rate[0].kind, "national");
  EXPECT_EQ(rate[0].number, 0.11);
  EXPECT_EQ(rate[0].as_of, "2023-08-31");
  EXPECT_EQ(host_.observations.size(), 4u);
  EXPECT_TRUE(host_.Logged("School: 6"));
}

TEST_F(EesPluginTest, LocalAuthorityRowIsKeyedByNewLaCodeAndNamedWhenEntitiesAreAsked) {
  ASSERT_EQ(Run({{"file", Data("ks2_reordered.csv")},
                 {"geographic_level", "Local authority"},
                 {"kind", "local_authority"},
                 {"emit_entities", "true"},
                 {"indicators", "ks2_rwm_expected = expected_standard_pupil_percent"}}),
            VIGIL_OK)
      << LastError();
  ASSERT_EQ(host_.entities.size(), 1u);
  EXPECT_EQ(host_.entities[0].kind, "local_authority");
  EXPECT_EQ(host_.entities[0].key, "E08000025");
  EXPECT_EQ(host_.entities[0].name, "Birmingham");
  ASSERT_EQ(host_.observations.size(), 1u);
  EXPECT_EQ(host_.observations[0].number, 55.0);
}

TEST_F(EesPluginTest, SchoolEntitiesAreEmittedOnceWithTheirNameOnlyWhenAsked) {
  SettingList settings = Ks2Settings();
  settings.push_back({"emit_entities", "true"});
  ASSERT_EQ(Run(settings), VIGIL_OK) << LastError();
  ASSERT_EQ(host_.entities.size(), 2u);
  EXPECT_EQ(host_.entities[0].key, "100001");
  EXPECT_EQ(host_.entities[0].name, "Alpha Primary School");
  EXPECT_EQ(host_.entities[1].name, "Beta Junior School");
  EXPECT_TRUE(host_.Logged("entities=2"));
}

TEST_F(EesPluginTest, TimePeriodsAreDatedByTheLastDayOfTheirIdentifiersPeriod) {
  struct Case {
    const char* period;
    const char* identifier;
    const char* date;
  };
  const std::vector<Case> cases = {
      {"202223", "Academic year", "2023-08-31"},
      {"202324", "Financial year", "2024-03-31"},
      {"2023", "Financial year", "2024-03-31"},
      {"2023", "Calendar year", "2023-12-31"},
      {"202223", "Autumn term", "2022-12-31"},
      {"202223", "Spring term", "2023-03-31"},
      {"202223", "Summer term", "2023-08-31"},
      {"202223", "Autumn and spring term", "2023-03-31"},
      {"202324", "Tax year", "2024-04-05"},
      {"2024", "February", "2024-02-29"},
      {"202324", "October", "2023-10-31"},
      {"202324", "March", "2024-03-31"},
      {"2023", "Calendar year Q2", "2023-06-30"},
      {"202324", "Financial year Q1", "2023-06-30"},
      {"202324", "Financial year Q4", "2024-03-31"},
      {"202223", "academic  YEAR", "2023-08-31"},
  };
  std::string content(kPeriodHeader);
  for (std::size_t i = 0; i < cases.size(); ++i)
    content += std::string(cases[i].period) + "," + cases[i].identifier + ",School," +
               std::to_string(300001 + i) + ",1\n";
  ASSERT_EQ(Run({{"file", Write("periods.csv", content)}, {"indicators", "m = value"}}),
            VIGIL_OK)
      << LastError();
  EXPECT_TRUE(host_.rejections.empty()) << host_.rejections[0].reason;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    auto found = host_.Find(std::to_string(300001 + i), "m");
    ASSERT_EQ(found.size(), 1u) << cases[i].identifier;
    EXPECT_EQ(found[0].as_of, cases[i].date) << cases[i].period << " " << cases[i].identifier;
  }
}

TEST_F(EesPluginTest, PeriodsThatCannotBeDatedAreRejectedNamingTheColumn) {
  const std::string content = std::string(kPeriodHeader) +
                              "2023,Academic year,School,1,1\n"
                              "202224,Academic year,School,2,1\n"
                              "202223,Calendar year,School,3,1\n"
                              "202324,Week 8,School,4,1\n"
                              "2025,Week 53,School,5,1\n"
                              "23/24,Academic year,School,6,1\n"
                              "2023,Spring term,School,7,1\n"
                              "2023,Fortnight 3,School,8,1\n";
  ASSERT_EQ(Run({{"file", Write("periods.csv", content)}, {"indicators", "m = value"}}),
            VIGIL_OK)
      << LastError();
  EXPECT_TRUE(host_.observations.empty());
  ASSERT_EQ(host_.rejections.size(), 8u);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"time_period", "'2023' cannot go with 'Academic year': it needs a two-year period of six digits"},
      {"time_period", "'202224' is not a two-year period: 24 does not follow 2022"},
      {"time_period", "'202223' cannot go with 'Calendar year': it needs a year of four digits"},
      {"time_period", "'202324' cannot go with 'Week 8': it needs a year of four digits"},
      {"time_identifier", "'Week 53': 2025 has 52 ISO weeks"},
      {"time_period", "'23/24' is not an EES time period"},
      {"time_period", "'2023' cannot go with 'Spring term': it needs a two-year period"},
      {"time_identifier", "'Fortnight 3' is not an EES time_identifier"},
  };
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(host_.rejections[i].line, i + 2);
    EXPECT_EQ(host_.rejections[i].field, expected[i].first) << i;
    EXPECT_EQ(host_.rejections[i].reason.rfind(expected[i].second, 0), 0u)
        << host_.rejections[i].reason;
    EXPECT_NE(host_.rejections[i].reason.find("the row's values were not loaded"),
              std::string::npos);
  }
}

TEST_F(EesPluginTest, MissingColumnsAreReportedAllAtOnceWithTheFileName) {
  const std::string file = Write("few.csv", "time_period,geographic_level,laestab\n");
  ASSERT_EQ(Run({{"file", file},
                 {"key", "school_urn"},
                 {"indicators", "ks2_rwm_expected = expected_standard_pupil_percent"},
                 {"filters", "subject = Reading, writing and maths"}}),
            VIGIL_ERROR);
  const std::string error = LastError();
  EXPECT_NE(error.find(file + ":1: the header lacks 4 columns"), std::string::npos) << error;
  for (const char* column :
       {"'time_identifier' (EES)", "'school_urn' (key)",
        "'expected_standard_pupil_percent' (indicators)", "'subject' (filters)"})
    EXPECT_NE(error.find(column), std::string::npos) << column << " in " << error;
  EXPECT_TRUE(host_.observations.empty());
}

TEST_F(EesPluginTest, RegisterWithoutTheNeededColumnsFailsNamingThem) {
  const std::string reg = Write("reg.csv", "URN,EstablishmentName\n1,A\n");
  SettingList settings = ExclusionSettings();
  settings[2].second = reg;
  ASSERT_EQ(Run(settings), VIGIL_ERROR);
  EXPECT_NE(LastError().find("laestab_register: " + reg +
                             ":1: the header lacks 'LA (code)', 'EstablishmentNumber'"),
            std::string::npos)
      << LastError();
}

struct BadSettings {
  SettingList settings;
  std::string error;
};

TEST_F(EesPluginTest, CreateRefusesBadSettingsNamingTheSettingAndItem) {
  const std::vector<BadSettings> cases = {
      {{{"indicators", "a = b"}}, "setting 'file' is required"},
      {{{"file", "/x.csv"}}, "setting 'indicators' is required"},
      {{{"file", "/x.csv"}, {"indicators", "PA = persistent_absence_percent"}},
       "setting 'indicators', item 'PA = persistent_absence_percent': 'PA' must be snake_case"},
      {{{"file", "/x.csv"}, {"indicators", "pa persistent_absence_percent"}},
       "setting 'indicators', item 'pa persistent_absence_percent': no '='"},
      {{{"file", "/x.csv"}, {"indicators", "a = b\na = c"}}, "measure 'a' is mapped twice"},
      {{{"file", "/x.csv"}, {"indicators", "a = b"}, {"filters", "= Total"}},
       "setting 'filters', item '= Total': both sides of '=' are needed"},
      {{{"file", "/x.csv"}, {"indicators", "a = b"}, {"geographic_level", "National"}},
       "setting 'kind': rows at geographic_level 'National' are not schools; set kind, e.g. "
       "\"national\""},
      {{{"file", "/x.csv"}, {"indicators", "a = b"}, {"geographic_level", "Local authority"},
        {"kind", "local_authority"}, {"laestab_register", "/r.csv"}},
       "setting 'laestab_register' maps school LAESTABs to URNs"},
      {{{"file", "/x.csv"}, {"indicators", "a = b"}, {"geographic_level", "Local authority"},
        {"kind", "local_authority"}, {"key", "laestab"}},
       "setting 'key': 'laestab' keys School rows"},
      {{{"file", "/x.csv"}, {"indicators", "a = b"}, {"geographic_level", "Health board"},
        {"kind", "board"}},
       "setting 'key': geographic_level 'Health board' has no known key column"},
      {{{"file", "/x.csv"}, {"indicators", "a = b"}, {"kind", "School"}},
       "setting 'kind': 'School' must be snake_case"},
  };
  for (const auto& c : cases) {
    host_.errors.clear();
    void* instance = nullptr;
    EXPECT_EQ(Create(c.settings, &instance), VIGIL_ERROR) << c.error;
    EXPECT_EQ(instance, nullptr);
    ASSERT_EQ(host_.errors.size(), 1u) << c.error;
    EXPECT_NE(host_.errors[0].find(c.error), std::string::npos)
        << "expected: " << c.error << "\n     got: " << host_.errors[0];
  }
}

TEST_F(EesPluginTest, FileThatCannotBeOpenedFailsNamingThePath) {
  const std::string missing = (dir_ / "nope.csv").string();
  EXPECT_EQ(Run({{"file", missing}, {"indicators", "a = b"}}), VIGIL_ERROR);
  EXPECT_EQ(LastError(), missing + ": cannot open: No such file or directory");
}

TEST_F(EesPluginTest, CancelledRunStopsWithCancelledStatus) {
  host_.cancel = true;
  EXPECT_EQ(Run(Ks2Settings()), VIGIL_CANCELLED);
  EXPECT_TRUE(host_.observations.empty());
  EXPECT_TRUE(host_.errors.empty());
}

}  // namespace
