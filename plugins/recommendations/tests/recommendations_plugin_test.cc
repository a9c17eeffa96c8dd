// Tests of the built recommendations plugin, loaded with dlopen like the host loads it
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

#ifndef VIGIL_RECOMMENDATIONS_PLUGIN_PATH
#error "VIGIL_RECOMMENDATIONS_PLUGIN_PATH must name the built plugin"
#endif
#ifndef VIGIL_RECOMMENDATIONS_TEST_DATA
#error "VIGIL_RECOMMENDATIONS_TEST_DATA must name plugins/recommendations/tests/data"
#endif

namespace {

using vigil::plugin_testing::PluginTest;
using vigil::plugin_testing::Recorder;
using vigil::plugin_testing::SettingList;

std::string Data(const std::string& name) {
  return std::string(VIGIL_RECOMMENDATIONS_TEST_DATA) + "/" + name;
}

class RecommendationsPluginTest : public PluginTest {
 protected:
  RecommendationsPluginTest()
      : PluginTest(VIGIL_RECOMMENDATIONS_PLUGIN_PATH, "vigil_recommendations_test") {}

  // The rejection of `line`, or nullptr.
  const Recorder::Rejection* RejectionOn(std::uint64_t line) const {
    for (const auto& r : host_.rejections)
      if (r.line == line) return &r;
    return nullptr;
  }
};

TEST_F(RecommendationsPluginTest, DescribesItselfWithNameVersionAndHelpForEverySetting) {
  EXPECT_EQ(descriptor_->struct_size, sizeof(vigil_plugin_descriptor));
  EXPECT_EQ(descriptor_->abi_major, VIGIL_ABI_MAJOR);
  EXPECT_STREQ(descriptor_->name, "recommendations");
  EXPECT_STREQ(descriptor_->version, "1.0.0");
  std::map<std::string, const vigil_setting_decl*> settings;
  for (std::size_t i = 0; i < descriptor_->setting_count; ++i) {
    const vigil_setting_decl& d = descriptor_->settings[i];
    settings[d.name] = &d;
    EXPECT_GT(std::strlen(d.help), 20u) << d.name;
  }
  ASSERT_EQ(settings.size(), 3u);
  EXPECT_EQ(settings.at("file")->type, VIGIL_SETTING_PATH);
  EXPECT_EQ(settings.at("file")->required, 1);
  EXPECT_STREQ(settings.at("kind")->default_value, "recommendation");
  EXPECT_STREQ(settings.at("encoding")->default_value, "auto");
}

TEST_F(RecommendationsPluginTest, RowsInAnyOrderGiveOneEntityPerRecommendationWithItsAttributes) {
  ASSERT_EQ(Run({{"file", Data("log_valid.csv")}}), VIGIL_OK) << LastError();
  EXPECT_TRUE(host_.rejections.empty()) << host_.rejections[0].reason;
  ASSERT_EQ(host_.entities.size(), 2u);
  const auto* r1 = host_.FindEntity("school-places/R01");
  ASSERT_NE(r1, nullptr);
  EXPECT_EQ(r1->kind, "recommendation");
  EXPECT_EQ(r1->name,
            "Plan enough primary places for September 2014, with sites agreed by April 2013.");
  const std::map<std::string, std::string> expected = {
      {"review", "school-places"},
      {"review_title", "School places: planning ahead"},
      {"number", "R01"},
      {"text", "Plan enough primary places for September 2014, with\nsites agreed by April 2013."},
      {"responsibility", "Cabinet Member for Children's Services"},
      {"original_date", "2013-04-30"},  // "April 2013": the month's last day
      {"date_approved", "2013-01-08"},  // "8th January 2013"
      {"lead_member", "Cllr C. Test"},
      {"lead_officer", "Service lead, School Organisation"}};
  EXPECT_EQ(r1->attributes, expected);
  EXPECT_TRUE(host_.Logged("reviews=1 recommendations=2 evidence=5 observations=10 rejected=0 "
                           "comments=1"))
      << host_.logs.back();
}

TEST_F(RecommendationsPluginTest, EvidenceBecomesObservationsDatedByTheEvidenceDate) {
  ASSERT_EQ(Run({{"file", Data("log_valid.csv")}}), VIGIL_OK) << LastError();
  auto category = host_.Find("school-places/R01", "tracking_category");
  ASSERT_EQ(category.size(), 2u);  // oldest first, whatever the file order
  EXPECT_EQ(category[0].as_of, "2013-07-16");
  EXPECT_TRUE(category[0].has_number);
  EXPECT_EQ(category[0].number, 3.0);
  EXPECT_EQ(category[0].text, "Not Achieved (Progress Made)");
  EXPECT_EQ(category[1].as_of, "2014-11-19");
  EXPECT_EQ(category[1].number, 2.0);
  EXPECT_EQ(category[1].text, "Achieved (Late)");

  auto anticipated = host_.Find("school-places/R01", "anticipated_date");
  ASSERT_EQ(anticipated.size(), 1u);  // only when given
  EXPECT_EQ(anticipated[0].as_of, "2013-07-16");
  EXPECT_FALSE(anticipated[0].has_number);
  EXPECT_EQ(anticipated[0].text, "2014-03-31");

  auto evidence = host_.Find("school-places/R01", "evidence");
  ASSERT_EQ(evidence.size(), 2u);
  EXPECT_EQ(evidence[1].text, "Two new primary schools opened in September 2014.");

  // R02: a category alone, a category name, then a note with no category.
  auto r2 = host_.Find("school-places/R02", "tracking_category");
  ASSERT_EQ(r2.size(), 2u);
  EXPECT_EQ(r2[0].number, 6.0);
  EXPECT_EQ(r2[0].text, "In Progress");
  EXPECT_EQ(r2[1].number, 1.0);
  EXPECT_EQ(r2[1].text, "Achieved (Fully)");
  auto note = host_.Find("school-places/R02", "evidence");
  ASSERT_EQ(note.size(), 1u);
  EXPECT_EQ(note[0].as_of, "2014-03-01");
}

TEST_F(RecommendationsPluginTest, OriginalDateIsObservedOnTheReviewApprovalDate) {
  ASSERT_EQ(Run({{"file", Data("log_valid.csv")}}), VIGIL_OK) << LastError();
  auto original = host_.Find("school-places/R02", "original_date");
  ASSERT_EQ(original.size(), 1u);
  EXPECT_EQ(original[0].as_of, "2013-01-08");
  EXPECT_FALSE(original[0].has_number);
  EXPECT_EQ(original[0].text, "2013-12-31");
}

TEST_F(RecommendationsPluginTest, LongTextIsShortenedForTheNameAndKeptWholeInTheTextAttribute) {
  ASSERT_EQ(Run({{"file", Data("log_valid.csv")}}), VIGIL_OK) << LastError();
  const auto* r2 = host_.FindEntity("school-places/R02");
  ASSERT_NE(r2, nullptr);
  EXPECT_LE(r2->name.size(), 120u);
  EXPECT_GT(r2->name.size(), 90u);
  EXPECT_EQ(r2->name.substr(r2->name.size() - 3), "\u2026");
  EXPECT_EQ(r2->name.rfind("Plan the places needed for the growing number of primary pupils", 0),
            0u);
  EXPECT_GT(r2->attributes.at("text").size(), 200u);
  EXPECT_EQ(r2->attributes.at("text").rfind(r2->name.substr(0, r2->name.size() - 3), 0), 0u);
}

TEST_F(RecommendationsPluginTest, EveryKindOfMistakeIsRejectedWithLineFieldValueAndReason) {
  const std::string file = Data("log_errors.csv");
  ASSERT_EQ(Run({{"file", file}}), VIGIL_OK) << LastError();
  struct Expected {
    std::uint64_t line;
    std::string field, value, reason;
  };
  const std::vector<Expected> expected = {
      {4, "category", "3",
       "category is not read on recommendation rows, so this value was ignored"},
      {5, "number", "R02",
       "review 'budgets' already has recommendation R02 (line 4); this row was not loaded"},
      {6, "review", "unknown-review",
       "recommendation of an unknown review 'unknown-review' (no review row has this id); the "
       "recommendation was not loaded"},
      {7, "record", "decision",
       "'decision' is not a record type (expected review, recommendation or evidence); the row "
       "was not loaded"},
      {8, "category", "7",
       "category 7 is not one of 1 to 6 (1 Achieved (Fully), 2 Achieved (Late), 3 Not Achieved "
       "(Progress Made), 4 Not Achieved (Obstacle), 5 Not Achieved (Insufficient Progress), 6 In "
       "Progress); the row's evidence text was still loaded"},
      {9, "category", "Achieved (Sort of)",
       "'Achieved (Sort of)' is not a tracking category (1 Achieved (Fully), 2 Achieved (Late), 3 "
       "Not Achieved (Progress Made), 4 Not Achieved (Obstacle), 5 Not Achieved (Insufficient "
       "Progress), 6 In Progress); the row's evidence text was still loaded"},
      {10, "date", "31/02/2014",
       "'31/02/2014' is not a valid date: February 2014 has 28 days; the evidence was not loaded"},
      {11, "anticipated_date", "soon",
       "'soon' is not a date (expected YYYY-MM-DD, DD/MM/YYYY, \"8 January 2013\" or \"April "
       "2013\"); the anticipated completion date was not loaded"},
      {12, "number", "R11",
       "evidence for an unknown recommendation 'budgets/R11' (no recommendation row has this "
       "review and number); the evidence was not loaded"},
      {13, "date", "2014-08-01",
       "recommendation budgets/R01 already has evidence dated 2014-08-01 (line 11); merge the two "
       "entries or date them apart; this row was not loaded"},
      {14, "category", "2 - Achieved (Fully)",
       "'2 - Achieved (Fully)': category 2 is Achieved (Late), not what the words say; the row's "
       "evidence text was still loaded"},
      {15, "", "",
       "row has 12 fields, the header has 10: put text containing commas in double quotes"},
      {16, "review", "Budgets Review",
       "'Budgets Review' is not a review id (a short name of lowercase letters, digits, '-' and "
       "'_', e.g. family-of-schools); the review was not loaded"},
      {17, "date", "", "the date is empty; the evidence was not loaded"},
  };
  EXPECT_EQ(host_.rejections.size(), expected.size());
  for (const auto& e : expected) {
    const auto* r = RejectionOn(e.line);
    ASSERT_NE(r, nullptr) << "line " << e.line;
    EXPECT_EQ(r->file, file);
    EXPECT_EQ(r->field, e.field) << "line " << e.line;
    EXPECT_EQ(r->value, e.value) << "line " << e.line;
    EXPECT_EQ(r->reason, e.reason) << "line " << e.line;
  }
  // What survives: R1 and R2 of budgets, with the evidence that could be read.
  ASSERT_EQ(host_.entities.size(), 2u);
  EXPECT_NE(host_.FindEntity("budgets/R01"), nullptr);  // written "R1" in the file
  ASSERT_NE(host_.FindEntity("budgets/R02"), nullptr);
  EXPECT_EQ(host_.FindEntity("budgets/R02")->attributes.at("number"), "R02");
  auto r1 = host_.Find("budgets/R01", "evidence");
  ASSERT_EQ(r1.size(), 3u);  // lines 8, 9 and 11, without their rejected cells
  auto category = host_.Find("budgets/R01", "tracking_category");
  ASSERT_EQ(category.size(), 1u);
  EXPECT_EQ(category[0].as_of, "2014-08-01");  // line 11's 3; its anticipated date is lost
  EXPECT_TRUE(host_.Find("budgets/R01", "anticipated_date").empty());
}

TEST_F(RecommendationsPluginTest, Windows1252LogSavedByExcelIsReadAsUtf8) {
  ASSERT_EQ(Run({{"file", Data("log_cp1252.csv")}}), VIGIL_OK) << LastError();
  EXPECT_TRUE(host_.rejections.empty());
  ASSERT_EQ(host_.entities.size(), 1u);
  EXPECT_EQ(host_.entities[0].key, "governors/R01");
  EXPECT_EQ(host_.entities[0].name,
            "Fill every governor vacancy within a term \u2013 where possible.");
  EXPECT_EQ(host_.entities[0].attributes.at("review_title"), "Governors\u2019 recruitment");
}

TEST_F(RecommendationsPluginTest, OfficerDateFormsAreReadAndImpossibleOnesRefused) {
  struct Case {
    const char* text;
    const char* iso;  // nullptr: rejected
  };
  const std::vector<Case> cases = {
      {"2013-01-08", "2013-01-08"},    {"08/01/2013", "2013-01-08"},
      {"8 January 2013", "2013-01-08"}, {"8th Jan 2013", "2013-01-08"},
      {"1st Sept 2014", "2014-09-01"},  {"22nd October 2015", "2015-10-22"},
      {"April 2013", "2013-04-30"},     {"February 2016", "2016-02-29"},
      {"31 April 2013", nullptr},       {"Spring 2014", nullptr},
      {"8 January 13", nullptr},        {"the 8th", nullptr},
  };
  std::string content =
      "record,review,number,date,category,anticipated_date,responsibility,lead_member,"
      "lead_officer,text\nreview,dates,,2013-01-01,,,,,,Dates\n";
  for (std::size_t i = 0; i < cases.size(); ++i)
    content += "recommendation,dates," + std::to_string(i + 1) + ",\"" + cases[i].text +
               "\",,,,,,Text\n";
  ASSERT_EQ(Run({{"file", Write("dates.csv", content)}}), VIGIL_OK) << LastError();
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const std::string number = (i + 1 < 10 ? "R0" : "R") + std::to_string(i + 1);
    const auto* e = host_.FindEntity("dates/" + number);
    ASSERT_NE(e, nullptr) << cases[i].text;
    const auto* rejection = RejectionOn(i + 3);
    if (cases[i].iso != nullptr) {
      EXPECT_EQ(e->attributes.at("original_date"), cases[i].iso) << cases[i].text;
      EXPECT_EQ(rejection, nullptr) << cases[i].text;
    } else {
      EXPECT_EQ(e->attributes.count("original_date"), 0u) << cases[i].text;
      ASSERT_NE(rejection, nullptr) << cases[i].text;
      EXPECT_EQ(rejection->field, "date");
      EXPECT_EQ(rejection->value, cases[i].text);
    }
  }
  EXPECT_EQ(host_.rejections.size(), 4u);
}

TEST_F(RecommendationsPluginTest, MissingColumnsAreReportedAllAtOnce) {
  const std::string file = Write("few.csv", "record,review,text\nreview,a,A\n");
  EXPECT_EQ(Run({{"file", file}}), VIGIL_ERROR);
  EXPECT_NE(LastError().find(file + ":1: the header lacks the columns 'number', 'date'"),
            std::string::npos)
      << LastError();
}

TEST_F(RecommendationsPluginTest, DemoLogIsCleanAndShowsEveryStateAnOfficerChecks) {
  const std::string demo = VIGIL_RECOMMENDATIONS_DEMO_LOG;
  if (!std::filesystem::exists(demo)) GTEST_SKIP() << demo << " not found";
  ASSERT_EQ(Run({{"file", demo}}), VIGIL_OK) << LastError();
  EXPECT_TRUE(host_.rejections.empty()) << host_.rejections[0].line << ": "
                                        << host_.rejections[0].reason;
  EXPECT_EQ(host_.entities.size(), 13u);
  const auto* r1 = host_.FindEntity("family-of-schools/R01");
  ASSERT_NE(r1, nullptr);
  EXPECT_EQ(r1->attributes.at("review_title"),
            "Strengthening the family of schools: the role of the council");
  EXPECT_EQ(r1->attributes.at("date_approved"), "2013-01-08");

  auto latest = [&](const std::string& key, const char* measure) {
    auto all = host_.Find(key, measure);
    return all.empty() ? Recorder::Observation{} : all.back();
  };
  auto original = [&](const std::string& key) {
    return host_.FindEntity(key)->attributes.at("original_date");
  };
  // Concluded: R1-R6 and R10 achieved (1 or 2).
  for (const char* n : {"R01", "R02", "R03", "R04", "R05", "R06", "R10"}) {
    const double c = latest("family-of-schools/" + std::string(n), "tracking_category").number;
    EXPECT_TRUE(c == 1.0 || c == 2.0) << n;
  }
  // R06: "achieved fully" assessed after its original date (should be 2).
  const auto r6 = latest("family-of-schools/R06", "tracking_category");
  EXPECT_EQ(r6.number, 1.0);
  EXPECT_GT(r6.as_of, original("family-of-schools/R06"));
  // R07: category 3 without the anticipated date it needs.
  const auto r7 = latest("family-of-schools/R07", "tracking_category");
  EXPECT_EQ(r7.number, 3.0);
  EXPECT_NE(latest("family-of-schools/R07", "anticipated_date").as_of, r7.as_of);
  // R08: 6 (In Progress) after its original date had passed.
  const auto r8 = latest("family-of-schools/R08", "tracking_category");
  EXPECT_EQ(r8.number, 6.0);
  EXPECT_GT(r8.as_of, original("family-of-schools/R08"));
  // R09: 5 with an anticipated date already past when it was given.
  const auto r9 = latest("family-of-schools/R09", "tracking_category");
  const auto r9_date = latest("family-of-schools/R09", "anticipated_date");
  EXPECT_EQ(r9.number, 5.0);
  EXPECT_EQ(r9_date.as_of, r9.as_of);
  EXPECT_LT(r9_date.text, r9.as_of);
  // The second review uses a category name and an obstacle.
  EXPECT_EQ(latest("primary-attendance/R02", "tracking_category").number, 4.0);
}

TEST_F(RecommendationsPluginTest, CreateRefusesBadSettingsNamingTheSetting) {
  const std::vector<std::pair<SettingList, std::string>> cases = {
      {{}, "setting 'file' is required"},
      {{{"file", "/x.csv"}, {"kind", "Recommendation"}}, "setting 'kind': 'Recommendation'"},
      {{{"file", "/x.csv"}, {"encoding", "latin1"}},
       "setting 'encoding': 'latin1' is not one of auto, utf-8, windows-1252"},
  };
  for (const auto& [settings, error] : cases) {
    host_.errors.clear();
    void* instance = nullptr;
    EXPECT_EQ(Create(settings, &instance), VIGIL_ERROR) << error;
    ASSERT_EQ(host_.errors.size(), 1u) << error;
    EXPECT_NE(host_.errors[0].find(error), std::string::npos) << host_.errors[0];
  }
}

TEST_F(RecommendationsPluginTest, FileThatCannotBeOpenedFailsNamingThePath) {
  const std::string missing = (dir_ / "nope.csv").string();
  EXPECT_EQ(Run({{"file", missing}}), VIGIL_ERROR);
  EXPECT_EQ(LastError(), missing + ": cannot open: No such file or directory");
}

TEST_F(RecommendationsPluginTest, CancelledRunStopsWithCancelledStatus) {
  host_.cancel = true;
  EXPECT_EQ(Run({{"file", Data("log_valid.csv")}}), VIGIL_CANCELLED);
  EXPECT_TRUE(host_.entities.empty());
  EXPECT_TRUE(host_.errors.empty());
}

}  // namespace
