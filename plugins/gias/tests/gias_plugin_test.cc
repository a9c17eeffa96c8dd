// Tests of the built gias plugin, loaded with dlopen like the host loads it
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

#ifndef VIGIL_GIAS_PLUGIN_PATH
#error "VIGIL_GIAS_PLUGIN_PATH must name the built plugin"
#endif
#ifndef VIGIL_GIAS_TEST_DATA
#error "VIGIL_GIAS_TEST_DATA must name plugins/gias/tests/data"
#endif

namespace {

using vigil::plugin_testing::PluginTest;
using vigil::plugin_testing::Recorder;
using vigil::plugin_testing::SettingList;
using vigil::plugin_testing::Attributes;

std::string Data(const std::string& name) { return std::string(VIGIL_GIAS_TEST_DATA) + "/" + name; }

const std::string k2025 = Data("edubasealldata20231130_12rows.csv");
const std::string k2018 = Data("gias_edubasealldata20181029_20rows.csv");
const std::string k2015 = Data("edubasealldata20150601_edubase.csv");
const std::string kExcel = Data("edubasealldata_excel_resave.csv");
const std::string kLinks = Data("links_edubasealldata20231130.csv");

class GiasPluginTest : public PluginTest {
 protected:
  GiasPluginTest() : PluginTest(VIGIL_GIAS_PLUGIN_PATH, "vigil_gias_plugin_test") {
    // The host refuses observations of entities it has not been given.
    host_.on_observation = [this](const Recorder::Observation& o) {
      EXPECT_NE(host_.FindEntity(o.key), nullptr) << o.key;
    };
  }

  const Recorder::Entity& Entity(std::string_view key) {
    const auto* e = host_.FindEntity(key);
    EXPECT_NE(e, nullptr) << key;
    static const Recorder::Entity kNone{};
    return e != nullptr ? *e : kNone;
  }

  std::string Attr(std::string_view key, const std::string& name) {
    const auto& a = Entity(key).attributes;
    auto it = a.find(name);
    return it == a.end() ? "<none>" : it->second;
  }
};

TEST_F(GiasPluginTest, DescribesItselfWithNameVersionAndHelpForEverySetting) {
  EXPECT_EQ(descriptor_->struct_size, sizeof(vigil_plugin_descriptor));
  EXPECT_EQ(descriptor_->abi_major, VIGIL_ABI_MAJOR);
  EXPECT_STREQ(descriptor_->name, "gias");
  EXPECT_STREQ(descriptor_->version, "1.0.0");
  EXPECT_GT(std::strlen(descriptor_->description), 20u);
  std::map<std::string, const vigil_setting_decl*> settings;
  for (std::size_t i = 0; i < descriptor_->setting_count; ++i) {
    const vigil_setting_decl& d = descriptor_->settings[i];
    settings[d.name] = &d;
    EXPECT_GT(std::strlen(d.help), 40u) << d.name;
  }
  EXPECT_EQ(settings.size(), 9u);
  EXPECT_EQ(settings.at("file")->type, VIGIL_SETTING_PATH);
  EXPECT_EQ(settings.at("file")->required, 1);
  EXPECT_EQ(settings.at("links_file")->type, VIGIL_SETTING_PATH);
  EXPECT_EQ(settings.at("links_file")->required, 0);
  EXPECT_STREQ(settings.at("kind")->default_value, "school");
  EXPECT_STREQ(settings.at("district_column")->default_value, "ParliamentaryConstituency (name)");
  EXPECT_EQ(settings.at("census_date")->type, VIGIL_SETTING_STRING);
  EXPECT_EQ(settings.at("open_only")->type, VIGIL_SETTING_BOOLEAN);
  EXPECT_STREQ(settings.at("open_only")->default_value, "false");
  EXPECT_EQ(settings.at("la_codes")->type, VIGIL_SETTING_LIST);
  EXPECT_EQ(settings.at("la_code")->type, VIGIL_SETTING_STRING);
  EXPECT_STREQ(settings.at("encoding")->default_value, "auto");
}

TEST_F(GiasPluginTest, Layout2025GivesOneSchoolPerUrnWithEveryRegisterAttribute) {
  ASSERT_EQ(Run({{"file", k2025}}), VIGIL_OK) << LastError();
  EXPECT_TRUE(host_.rejections.empty()) << host_.rejections[0].reason;
  ASSERT_EQ(host_.entities.size(), 12u);
  const auto& ambrose = Entity("103256");
  EXPECT_EQ(ambrose.kind, "school");
  EXPECT_EQ(ambrose.name, "St Ambrose\u2019s Catholic High School");  // 0x92 in the file
  EXPECT_EQ(ambrose.attributes, (Attributes{{"urn", "103256"},
                                            {"la_code", "330"},
                                            {"la_name", "Birmingham"},
                                            {"establishment_number", "4621"},
                                            {"laestab", "3304621"},
                                            {"type", "Voluntary aided school"},
                                            {"type_group", "Local authority maintained schools"},
                                            {"phase", "Secondary"},
                                            {"status", "Open"},
                                            {"sector", "maintained"},
                                            {"district", "Erdington"},
                                            {"ward", "Pype Hayes"},
                                            {"open_date", "1964-09-01"},
                                            {"gender", "Mixed"},
                                            {"religious_character", "Roman Catholic"},
                                            {"admissions_policy", "Non-selective"},
                                            {"capacity", "1375"},
                                            {"postcode", "B35 7DN"},
                                            {"statutory_low_age", "11"},
                                            {"statutory_high_age", "18"},
                                            {"uprn", "100070582820"}}));
  EXPECT_EQ(Attr("137959", "trust"), "Horizon Ways Learning Trust");
  EXPECT_EQ(Attr("103303", "status"), "Closed");
  EXPECT_EQ(Attr("103303", "close_date"), "2018-03-31");
  EXPECT_TRUE(host_.Logged("rows=12 skipped=0 entities=12 observations=45 rejected=0")) << host_.AllLogs();
}

TEST_F(GiasPluginTest, SectorSeparatesMaintainedIncludingSpecialPrusAndNurseriesFromAcademiesAndFree) {
  ASSERT_EQ(Run({{"file", k2025}}), VIGIL_OK) << LastError();
  const std::map<std::string, std::string> expected = {
      {"103252", "maintained"},  // Community school
      {"103256", "maintained"},  // Voluntary aided school
      {"103280", "maintained"},  // Local authority nursery school
      {"103359", "maintained"},  // Community special school, group "Special schools"
      {"104227", "maintained"},  // Pupil referral unit
      {"144350", "academy"},     // Academy converter
      {"136342", "academy"},     // Academy special converter
      {"137959", "free"},        // Free schools
  };
  for (const auto& [urn, sector] : expected) EXPECT_EQ(Attr(urn, "sector"), sector) << urn;
  EXPECT_EQ(Attr("103359", "type_group"), "Special schools");
}

TEST_F(GiasPluginTest, CensusFiguresAreDatedByTheCensusDateAndClosedSchoolsHaveNone) {
  ASSERT_EQ(Run({{"file", k2025}}), VIGIL_OK) << LastError();
  const std::map<std::string, double> expected = {
      {"pupils", 199}, {"boys", 101}, {"girls", 98}, {"capacity", 210}, {"fsm_percent", 54.8}};
  for (const auto& [measure, value] : expected) {
    auto found = host_.Find("103252", measure);
    ASSERT_EQ(found.size(), 1u) << measure;
    EXPECT_TRUE(found[0].has_number) << measure;
    EXPECT_DOUBLE_EQ(found[0].number, value) << measure;
    EXPECT_EQ(found[0].as_of, "2023-01-19") << measure;
  }
  for (const char* closed : {"103303", "103717", "103790"}) {
    EXPECT_TRUE(host_.Find(closed, "pupils").empty()) << closed;
    EXPECT_TRUE(host_.Find(closed, "capacity").empty()) << closed;
  }
}

TEST_F(GiasPluginTest, OpenOnlySkipsClosedEstablishmentsAndCountsThemWithoutRejecting) {
  ASSERT_EQ(Run({{"file", k2025}, {"open_only", "true"}}), VIGIL_OK) << LastError();
  EXPECT_EQ(host_.entities.size(), 9u);
  EXPECT_EQ(host_.FindEntity("103303"), nullptr);
  EXPECT_TRUE(host_.rejections.empty());
  EXPECT_TRUE(host_.Logged("entities=9")) << host_.AllLogs();
  EXPECT_TRUE(host_.Logged("skipped=3 (3 closed (open_only))")) << host_.AllLogs();
}

TEST_F(GiasPluginTest, DistrictColumnSettingCanChooseTheAdministrativeDistrict) {
  ASSERT_EQ(Run({{"file", k2018}, {"district_column", "DistrictAdministrative (name)"}}),
            VIGIL_OK)
      << LastError();
  EXPECT_EQ(Attr("100000", "district"), "City of London");
  EXPECT_EQ(Attr("100008", "district"), "Camden");
}

TEST_F(GiasPluginTest, DistrictColumnMissingFromTheFileIsAWarningNotAFailure) {
  ASSERT_EQ(Run({{"file", k2025}, {"district_column", "Borough"}}), VIGIL_OK) << LastError();
  EXPECT_EQ(Attr("103252", "district"), "<none>");
  EXPECT_TRUE(host_.Logged("no district attribute: the file has no column 'Borough'"))
      << host_.AllLogs();
}

TEST_F(GiasPluginTest, Layout2018SampleLoadsTwentySchoolsWithTheRegistersOfstedRating) {
  ASSERT_EQ(Run({{"file", k2018}}), VIGIL_OK) << LastError();
  EXPECT_TRUE(host_.rejections.empty()) << host_.rejections[0].reason;
  ASSERT_EQ(host_.entities.size(), 20u);
  const auto& cass = Entity("100000");
  EXPECT_EQ(cass.name, "Sir John Cass's Foundation Primary School");
  EXPECT_EQ(Attr("100000", "laestab"), "2013614");
  EXPECT_EQ(Attr("100000", "type_group"), "LA maintained schools");
  EXPECT_EQ(Attr("100000", "sector"), "maintained");
  EXPECT_EQ(Attr("100000", "district"), "Cities of London and Westminster");
  EXPECT_EQ(Attr("100001", "sector"), "independent");
  EXPECT_EQ(Attr("100016", "close_date"), "2000-08-31");

  auto rating = host_.Find("100000", "ofsted_rating_register");
  ASSERT_EQ(rating.size(), 1u);
  EXPECT_EQ(rating[0].as_of, "2013-04-19");
  EXPECT_EQ(rating[0].text, "Outstanding");
  ASSERT_TRUE(rating[0].has_number);
  EXPECT_EQ(rating[0].number, 1.0);
  EXPECT_EQ(host_.Find("100008", "ofsted_rating_register")[0].number, 2.0);
  // Independent schools have no Ofsted rating in the register; "Not
  // applicable" special measures give nothing.
  EXPECT_TRUE(host_.Find("100001", "ofsted_rating_register").empty());
  EXPECT_TRUE(host_.Find("100000", "ofsted_special_measures_register").empty());

  auto pupils = host_.Find("100000", "pupils");
  ASSERT_EQ(pupils.size(), 1u);
  EXPECT_EQ(pupils[0].number, 284.0);
  EXPECT_EQ(pupils[0].as_of, "2018-01-18");
  EXPECT_TRUE(host_.Find("100004", "pupils").empty());
}

TEST_F(GiasPluginTest, LaCodesKeepOnlyTheListedAuthoritiesByCodeIgnoringLeadingZerosOrByName) {
  ASSERT_EQ(Run({{"file", k2018}, {"la_codes", "0202"}}), VIGIL_OK) << LastError();
  EXPECT_EQ(host_.entities.size(), 16u);  // Camden; not the City of London's 4
  EXPECT_EQ(host_.FindEntity("100000"), nullptr);
  EXPECT_TRUE(host_.rejections.empty());
  EXPECT_TRUE(host_.Logged("entities=16")) << host_.AllLogs();
  EXPECT_TRUE(host_.Logged("(4 filtered (la_codes))")) << host_.AllLogs();

  host_.entities.clear();
  ASSERT_EQ(Run({{"file", k2018}, {"la_codes", "city of london"}}), VIGIL_OK) << LastError();
  EXPECT_EQ(host_.entities.size(), 4u);
}

TEST_F(GiasPluginTest, EduBase2015LayoutIsReadByColumnNamesWithoutCodeColumns) {
  ASSERT_EQ(Run({{"file", k2015}}), VIGIL_OK) << LastError();
  EXPECT_TRUE(host_.rejections.empty()) << host_.rejections[0].reason;
  ASSERT_EQ(host_.entities.size(), 4u);
  EXPECT_EQ(Entity("103256").name, "St Ambrose\u2019s Catholic High School");
  EXPECT_EQ(Entity("103256").attributes,
            (Attributes{{"urn", "103256"},
                        {"la_name", "Birmingham"},
                        {"establishment_number", "4621"},
                        {"type", "Voluntary aided school"},
                        {"type_group", "LA maintained schools"},
                        {"phase", "Secondary"},
                        {"status", "Open"},
                        {"sector", "maintained"},
                        {"district", "Birmingham, Erdington"},
                        {"ward", "Tyburn"},
                        {"open_date", "1964-09-01"},
                        {"gender", "Mixed"},
                        {"religious_character", "Roman Catholic"},
                        {"admissions_policy", "Non-selective"},
                        {"capacity", "1375"},
                        {"postcode", "B35 7DN"},
                        {"statutory_low_age", "11"},
                        {"statutory_high_age", "18"}}));
  EXPECT_EQ(Attr("103359", "sector"), "maintained");  // Community special school
  EXPECT_EQ(Attr("103445", "status"), "Closed");
  EXPECT_EQ(Attr("103445", "close_date"), "2012-08-31");
  auto pupils = host_.Find("103256", "pupils");
  ASSERT_EQ(pupils.size(), 1u);
  EXPECT_EQ(pupils[0].number, 1190.0);
  EXPECT_EQ(pupils[0].as_of, "2015-01-15");
  // "Not in special measures" is no category of concern: nothing, and no rejection.
  EXPECT_TRUE(host_.Find("103256", "ofsted_category_register").empty());
  EXPECT_TRUE(host_.rejections.empty()) << host_.rejections[0].reason;
}

TEST_F(GiasPluginTest, EduBase2015LayoutTakesItsLaCodeFromTheSettingAndFiltersByLaName) {
  ASSERT_EQ(Run({{"file", k2015}, {"la_code", "330"}, {"la_codes", "Birmingham"}}), VIGIL_OK)
      << LastError();
  ASSERT_EQ(host_.entities.size(), 4u);
  EXPECT_EQ(Attr("103256", "la_code"), "330");
  EXPECT_EQ(Attr("103256", "laestab"), "3304621");

  host_.errors.clear();
  EXPECT_EQ(Run({{"file", k2015}, {"la_codes", "330"}}), VIGIL_ERROR);
  EXPECT_NE(LastError().find("no 'LA (code)' or LAESTAB column"), std::string::npos)
      << LastError();
}

TEST_F(GiasPluginTest, ExcelResaveIsReadWithSlashDatesRestoredCodesAndUprnKeptAsWritten) {
  ASSERT_EQ(Run({{"file", kExcel}}), VIGIL_OK) << LastError();
  EXPECT_TRUE(host_.rejections.empty()) << host_.rejections[0].reason;
  ASSERT_EQ(host_.entities.size(), 4u);
  EXPECT_EQ(Entity("103256").name, "St Ambrose\u2019s Catholic High School");
  EXPECT_EQ(Attr("103256", "open_date"), "1964-09-01");
  EXPECT_EQ(Attr("103256", "uprn"), "1.00063E+11");  // not a made-up 100063000000
  EXPECT_EQ(Attr("137959", "establishment_number"), "0512");  // Excel wrote 512
  EXPECT_EQ(Attr("137959", "laestab"), "3300512");
  EXPECT_EQ(Attr("103303", "close_date"), "2018-03-31");
  auto pupils = host_.Find("103256", "pupils");
  ASSERT_EQ(pupils.size(), 1u);
  EXPECT_EQ(pupils[0].number, 1213.0);
  EXPECT_EQ(pupils[0].as_of, "2023-01-19");
  EXPECT_TRUE(host_.Logged("4 UPRNs written in scientific notation")) << host_.AllLogs();
}

TEST_F(GiasPluginTest, LinksFileGivesPredecessorAndSuccessorUrnsAsAttributesAndDatedObservations) {
  ASSERT_EQ(Run({{"file", k2025}, {"links_file", kLinks}}), VIGIL_OK) << LastError();
  EXPECT_TRUE(host_.rejections.empty()) << host_.rejections[0].reason;
  EXPECT_EQ(Attr("103303", "successor_urns"), "144350");
  EXPECT_EQ(Attr("144350", "predecessor_urns"), "103303");
  EXPECT_EQ(Attr("143668", "predecessor_urns"), "103717,103790");
  EXPECT_EQ(Attr("103717", "successor_urns"), "143668");
  EXPECT_EQ(Attr("103252", "predecessor_urns"), "<none>");
  // A sixth form centre link is not a change of URN.
  EXPECT_EQ(Attr("103256", "successor_urns"), "<none>");

  auto successor = host_.Find("103303", "successor_urn");
  ASSERT_EQ(successor.size(), 1u);
  EXPECT_EQ(successor[0].text, "144350");
  EXPECT_FALSE(successor[0].has_number);
  EXPECT_EQ(successor[0].as_of, "2018-04-01");
  // Two predecessors on one date: one observation naming both.
  auto predecessors = host_.Find("143668", "predecessor_urn");
  ASSERT_EQ(predecessors.size(), 1u);
  EXPECT_EQ(predecessors[0].text, "103717,103790");
  EXPECT_EQ(predecessors[0].as_of, "2017-09-01");
  EXPECT_TRUE(host_.Logged("rows=7 skipped=1 (1 not a change of URN) schools=5 used=5"))
      << host_.AllLogs();
}

TEST_F(GiasPluginTest, LinksOfClosedPredecessorsStayOnTheOpenSchoolUnderOpenOnly) {
  ASSERT_EQ(Run({{"file", k2025}, {"links_file", kLinks}, {"open_only", "true"}}), VIGIL_OK)
      << LastError();
  EXPECT_EQ(host_.FindEntity("103303"), nullptr);
  EXPECT_EQ(Attr("144350", "predecessor_urns"), "103303");
  EXPECT_EQ(host_.Find("144350", "predecessor_urn").size(), 1u);
  EXPECT_TRUE(host_.Logged("rows=7 skipped=4 (1 not a change of URN, 3 outside the register) schools=5 used=2")) << host_.AllLogs();
}

TEST_F(GiasPluginTest, BadLinkRowsAreRejectedAndAGoodLinkWithABadDateKeepsItsAttribute) {
  const std::string links = Write("links.csv",
                                  "URN,LinkURN,LinkName,LinkType,LinkEstablishedDate\n"
                                  "103303,144350,Pineside Academy,Successor,31/02/2018\n"
                                  "ABC,144350,Pineside Academy,Successor,01-04-2018\n"
                                  "144350,,Pineside Primary,Predecessor,01-04-2018\n");
  ASSERT_EQ(Run({{"file", k2025}, {"links_file", links}}), VIGIL_OK) << LastError();
  ASSERT_EQ(host_.rejections.size(), 3u);
  EXPECT_EQ(host_.rejections[0].file, links);
  EXPECT_EQ(host_.rejections[0].line, 2u);
  EXPECT_EQ(host_.rejections[0].field, "LinkEstablishedDate");
  EXPECT_EQ(host_.rejections[0].value, "31/02/2018");
  EXPECT_NE(host_.rejections[0].reason.find("kept in the successor_urns attribute"),
            std::string::npos);
  EXPECT_EQ(host_.rejections[1].line, 3u);
  EXPECT_EQ(host_.rejections[1].field, "URN");
  EXPECT_EQ(host_.rejections[1].value, "ABC");
  EXPECT_EQ(host_.rejections[2].line, 4u);
  EXPECT_EQ(host_.rejections[2].field, "LinkURN");
  EXPECT_EQ(Attr("103303", "successor_urns"), "144350");
  EXPECT_TRUE(host_.Find("103303", "successor_urn").empty());
  EXPECT_EQ(Attr("144350", "predecessor_urns"), "<none>");
}

const char kSmall[] =
    "URN,EstablishmentName,TypeOfEstablishment (name),EstablishmentStatus (name),LA (code),"
    "EstablishmentNumber,OpenDate,StatutoryLowAge,CensusDate,NumberOfPupils,PercentageFSM\n"
    "100001,Alpha Primary,Community school,Open,330,2001,01-09-2001,4,19-01-2023,210,12.5\n"
    "100002,Beta Primary,Community school,Open,330,2002,31/02/2019,three,19-01-2023,lots,c\n"
    "ABC,Gamma Primary,Community school,Open,330,2003,,4,19-01-2023,100,\n"
    ",Delta Primary,Community school,Open,330,2004,,4,19-01-2023,100,\n"
    "100005,Epsilon Primary,Community school,Open\n"
    "100001,Alpha again,Community school,Open,330,2001,,4,19-01-2023,100,\n"
    "100007,Zeta Primary,Community school,Open,3X0,20O7,,4,2023-13-01,100,5\n"
    "100008,,Community school,Open,330,2008,,4,,100,\n"
    ",,,,,,,,,,\n";

TEST_F(GiasPluginTest, BadCellsAreRejectedWithFileLineFieldAndValueAndTheRestOfTheRowKept) {
  const std::string file = Write("bad.csv", kSmall);
  ASSERT_EQ(Run({{"file", file}}), VIGIL_OK) << LastError();
  struct Expected {
    std::uint64_t line;
    std::string field, value, reason_start;
  };
  const std::vector<Expected> expected = {
      {3, "OpenDate", "31/02/2019", "'31/02/2019' is not a valid date: February 2019 has 28 days"},
      {3, "StatutoryLowAge", "three", "'three' is not an age in whole years"},
      {3, "NumberOfPupils", "lots", "'lots' is not a number; pupils was not loaded"},
      {4, "URN", "ABC", "'ABC' is not a URN (a whole number); the row was not loaded"},
      {5, "URN", "", "the URN is empty; the row was not loaded"},
      {6, "fields", "100005,Epsilon Primary,Community school,Open",
       "row has 4 fields, the header has 11; the row was not loaded"},
      {7, "URN", "100001", "URN 100001 was already read on line 2; this row was not loaded"},
      {8, "LA (code)", "3X0", "'3X0' is not an LA code"},
      {8, "EstablishmentNumber", "20O7", "'20O7' is not an establishment number"},
      {8, "CensusDate", "2023-13-01", "'2023-13-01' is not a valid date: there is no month 13"},
      {9, "EstablishmentName", "", "the establishment name is empty"},
  };
  ASSERT_EQ(host_.rejections.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& r = host_.rejections[i];
    const auto& e = expected[i];
    EXPECT_EQ(r.file, file) << i;
    EXPECT_EQ(r.line, e.line) << i;
    EXPECT_EQ(r.field, e.field) << i;
    EXPECT_EQ(r.value, e.value) << i;
    EXPECT_EQ(r.reason.rfind(e.reason_start, 0), 0u) << "got: " << r.reason;
  }
  // The rest of each row is kept.
  EXPECT_EQ(host_.entities.size(), 4u);
  EXPECT_EQ(Attr("100002", "open_date"), "<none>");
  EXPECT_EQ(Attr("100002", "statutory_low_age"), "<none>");
  EXPECT_EQ(Attr("100002", "laestab"), "3302002");
  EXPECT_TRUE(host_.Find("100002", "pupils").empty());
  auto fsm = host_.Find("100002", "fsm_percent");
  ASSERT_EQ(fsm.size(), 1u);
  EXPECT_FALSE(fsm[0].has_number);
  EXPECT_EQ(fsm[0].text, "c: confidential");
  EXPECT_EQ(Entity("100001").name, "Alpha Primary");
  EXPECT_EQ(Attr("100007", "la_code"), "<none>");
  EXPECT_EQ(Attr("100007", "laestab"), "<none>");
  EXPECT_TRUE(host_.Find("100007", "pupils").empty());
  EXPECT_EQ(Entity("100008").name, "");
  EXPECT_TRUE(host_.Logged("rows=9 skipped=1 (1 empty row) entities=4 observations=3 rejected=11"))
      << host_.AllLogs();
  // Row 9 has pupils but no census date: not stored, and said once, not rejected.
  EXPECT_TRUE(host_.Find("100008", "pupils").empty());
  EXPECT_TRUE(host_.Logged("1 row has census figures but no CensusDate")) << host_.AllLogs();
}

TEST_F(GiasPluginTest, CensusDateSettingDatesRowsWhoseCensusDateIsEmpty) {
  const std::string file = Write("census.csv",
                                 "URN,EstablishmentName,TypeOfEstablishment (name),"
                                 "EstablishmentStatus (name),CensusDate,NumberOfPupils\n"
                                 "100001,Alpha,Community school,Open,,210\n"
                                 "100002,Beta,Community school,Open,NULL,220\n"
                                 "100003,Gamma,Community school,Open,19/01/2023,230\n");
  ASSERT_EQ(Run({{"file", file}, {"census_date", "2024-01-18"}}), VIGIL_OK) << LastError();
  EXPECT_TRUE(host_.rejections.empty());
  EXPECT_EQ(host_.Find("100001", "pupils")[0].as_of, "2024-01-18");
  EXPECT_EQ(host_.Find("100002", "pupils")[0].as_of, "2024-01-18");
  EXPECT_EQ(host_.Find("100003", "pupils")[0].as_of, "2023-01-19");
}

TEST_F(GiasPluginTest, PupilNumbersWithoutACensusDateColumnNeedTheCensusDateSetting) {
  const std::string file = Write("nodate.csv",
                                 "URN,EstablishmentName,TypeOfEstablishment (name),"
                                 "EstablishmentStatus (name),NumberOfPupils\n"
                                 "100001,Alpha,Community school,Open,210\n");
  EXPECT_EQ(Run({{"file", file}}), VIGIL_ERROR);
  EXPECT_NE(LastError().find("no CensusDate column to date them: set 'census_date'"),
            std::string::npos)
      << LastError();
  ASSERT_EQ(Run({{"file", file}, {"census_date", "15/01/2015"}}), VIGIL_OK) << LastError();
  EXPECT_EQ(host_.Find("100001", "pupils")[0].as_of, "2015-01-15");
}

TEST_F(GiasPluginTest, MissingRequiredColumnsAreOneErrorListingThemAll) {
  const std::string file = Write("notgias.csv", "URN,School name,Phase\n100001,Alpha,Primary\n");
  EXPECT_EQ(Run({{"file", file}}), VIGIL_ERROR);
  const std::string error = LastError();
  EXPECT_NE(error.find(file + ":1: not a GIAS establishment extract"), std::string::npos) << error;
  EXPECT_NE(error.find("3 required columns"), std::string::npos) << error;
  for (const char* column : {"'EstablishmentName'", "'EstablishmentStatus (name)'",
                             "'TypeOfEstablishment (name)'"})
    EXPECT_NE(error.find(column), std::string::npos) << column << " in " << error;
  EXPECT_EQ(error.find("'URN'"), std::string::npos) << error;
  EXPECT_TRUE(host_.entities.empty());
}

TEST_F(GiasPluginTest, LinksFileWithoutTheLinkColumnsFailsNamingThem) {
  const std::string links = Write("links.csv", "URN,Other\n1,2\n");
  EXPECT_EQ(Run({{"file", k2025}, {"links_file", links}}), VIGIL_ERROR);
  EXPECT_NE(LastError().find("the links file lacks the columns 'LinkURN', 'LinkType', "
                             "'LinkEstablishedDate'"),
            std::string::npos)
      << LastError();
  EXPECT_TRUE(host_.entities.empty());  // the links are read first
}

TEST_F(GiasPluginTest, CreateRefusesBadSettingsNamingTheSetting) {
  const std::vector<std::pair<SettingList, std::string>> cases = {
      {{}, "setting 'file' is required"},
      {{{"file", "/x.csv"}, {"kind", "School"}}, "setting 'kind': 'School' must be snake_case"},
      {{{"file", "/x.csv"}, {"census_date", "31/02/2024"}},
       "setting 'census_date': '31/02/2024' is not a valid date"},
      {{{"file", "/x.csv"}, {"la_code", "Birmingham"}},
       "setting 'la_code': 'Birmingham' is not an LA code"},
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

TEST_F(GiasPluginTest, FileThatCannotBeOpenedFailsNamingThePath) {
  const std::string missing = (dir_ / "nope.csv").string();
  EXPECT_EQ(Run({{"file", missing}}), VIGIL_ERROR);
  EXPECT_EQ(LastError(), missing + ": cannot open: No such file or directory");
}

TEST_F(GiasPluginTest, CancelledRunStopsWithCancelledStatus) {
  host_.cancel = true;
  EXPECT_EQ(Run({{"file", k2025}}), VIGIL_CANCELLED);
  EXPECT_TRUE(host_.entities.empty());
}

TEST_F(GiasPluginTest, KindSettingNamesTheEntitiesAndTheirObservations) {
  ASSERT_EQ(Run({{"file", k2025}, {"kind", "establishment"}}), VIGIL_OK) << LastError();
  std::set<std::string> kinds;
  for (const auto& e : host_.entities) kinds.insert(e.kind);
  for (const auto& o : host_.observations) kinds.insert(o.kind);
  EXPECT_EQ(kinds, (std::set<std::string>{"establishment"}));
}

}  // namespace
