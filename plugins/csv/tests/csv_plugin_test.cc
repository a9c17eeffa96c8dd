// Tests of the built csv plugin, loaded with dlopen like the host loads it
// and driven through the C ABI by a host API that records everything.
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

#ifndef VIGIL_CSV_PLUGIN_PATH
#error "VIGIL_CSV_PLUGIN_PATH must name the built plugin"
#endif
#ifndef VIGIL_CSV_TEST_DATA
#error "VIGIL_CSV_TEST_DATA must name plugins/csv/tests/data"
#endif

namespace {

using vigil::plugin_testing::PluginTest;
using vigil::plugin_testing::Recorder;
using vigil::plugin_testing::SettingList;

class CsvPluginTest : public PluginTest {
 protected:
  CsvPluginTest() : PluginTest(VIGIL_CSV_PLUGIN_PATH, "vigil_csv_plugin_test") {}

  static std::string Data(const std::string& name) {
    return std::string(VIGIL_CSV_TEST_DATA) + "/" + name;
  }
};

const char kWide[] =
    "URN,School name,Phase,Pupils,FSM %,Overall effectiveness\n"
    "100001,Alpha Primary,Primary,\"1,234\",12.5%,Good\n"
    "100002,Beta School,Secondary,210,c,Outstanding\n"
    "100003,Gamma Nursery,Nursery,,x,\n";

SettingList WideSettings(const std::string& file) {
  return {{"file", file},
          {"kind", "school"},
          {"key_column", "URN"},
          {"name_column", "School name"},
          {"attributes", "phase = Phase"},
          {"measures", "pupils = Pupils\nfsm_percent = FSM %"},
          {"text_measures", "overall_effectiveness = Overall effectiveness"},
          {"as_of", "2024-01-18"}};
}

TEST_F(CsvPluginTest, DescribesItselfWithNameVersionAndHelpForEverySetting) {
  EXPECT_EQ(descriptor_->struct_size, sizeof(vigil_plugin_descriptor));
  EXPECT_EQ(descriptor_->abi_major, VIGIL_ABI_MAJOR);
  EXPECT_STREQ(descriptor_->name, "csv");
  EXPECT_STREQ(descriptor_->version, "1.0.0");
  EXPECT_STREQ(descriptor_->emits, "entities of the configured kind, dated observations");
  EXPECT_GT(std::strlen(descriptor_->description), 20u);
  std::map<std::string, const vigil_setting_decl*> settings;
  for (std::size_t i = 0; i < descriptor_->setting_count; ++i) {
    const vigil_setting_decl& d = descriptor_->settings[i];
    settings[d.name] = &d;
    EXPECT_GT(std::strlen(d.help), 20u) << d.name;
  }
  for (const char* name : {"file", "kind", "key_column", "name_column", "attributes", "measures",
                           "text_measures", "measure_column", "value_column", "date_column",
                           "as_of", "encoding", "delimiter", "skip_lines", "where"})
    EXPECT_EQ(settings.count(name), 1u) << name;
  EXPECT_EQ(settings.at("file")->type, VIGIL_SETTING_PATH);
  EXPECT_EQ(settings.at("file")->required, 1);
  EXPECT_EQ(settings.at("kind")->required, 1);
  EXPECT_EQ(settings.at("key_column")->required, 1);
  EXPECT_EQ(settings.at("measures")->type, VIGIL_SETTING_LIST);
  EXPECT_EQ(settings.at("skip_lines")->type, VIGIL_SETTING_INTEGER);
  EXPECT_STREQ(settings.at("encoding")->default_value, "auto");
  EXPECT_STREQ(settings.at("delimiter")->default_value, ",");
  EXPECT_STREQ(settings.at("skip_lines")->default_value, "0");
}

TEST_F(CsvPluginTest, WideFileEmitsEachEntityAndOneObservationPerMappedCell) {
  ASSERT_EQ(Run(WideSettings(Write("wide.csv", kWide))), VIGIL_OK) << LastError();
  EXPECT_TRUE(host_.rejections.empty());
  ASSERT_EQ(host_.entities.size(), 3u);
  const auto* alpha = host_.FindEntity("100001");
  ASSERT_NE(alpha, nullptr);
  EXPECT_EQ(alpha->kind, "school");
  EXPECT_EQ(alpha->name, "Alpha Primary");
  EXPECT_EQ(alpha->attributes, (std::map<std::string, std::string>{{"phase", "Primary"}}));

  auto pupils = host_.Find("100001", "pupils");
  ASSERT_EQ(pupils.size(), 1u);
  EXPECT_TRUE(pupils[0].has_number);
  EXPECT_EQ(pupils[0].number, 1234.0);
  EXPECT_EQ(pupils[0].as_of, "2024-01-18");
  EXPECT_EQ(pupils[0].kind, "school");
  auto fsm = host_.Find("100001", "fsm_percent");
  ASSERT_EQ(fsm.size(), 1u);
  EXPECT_EQ(fsm[0].number, 12.5);
  auto judgement = host_.Find("100002", "overall_effectiveness");
  ASSERT_EQ(judgement.size(), 1u);
  EXPECT_FALSE(judgement[0].has_number);
  EXPECT_EQ(judgement[0].text, "Outstanding");

  // 100003: empty pupils and judgement cells emit nothing.
  EXPECT_TRUE(host_.Find("100003", "pupils").empty());
  EXPECT_TRUE(host_.Find("100003", "overall_effectiveness").empty());
  EXPECT_EQ(host_.observations.size(), 7u);
  EXPECT_TRUE(host_.Logged("rows=3 skipped=0 entities=3 observations=7 rejected=0")) << host_.logs.size();
  ASSERT_FALSE(host_.progress.empty());
  EXPECT_EQ(host_.progress.back().first, host_.progress.back().second);
  EXPECT_EQ(host_.progress.back().second, sizeof kWide - 1);
}

TEST_F(CsvPluginTest, SuppressedValueIsStoredAsMissingWithItsReasonNotZero) {
  ASSERT_EQ(Run(WideSettings(Write("wide.csv", kWide))), VIGIL_OK) << LastError();
  auto confidential = host_.Find("100002", "fsm_percent");
  ASSERT_EQ(confidential.size(), 1u);
  EXPECT_FALSE(confidential[0].has_number);
  EXPECT_EQ(confidential[0].number, 0.0);
  EXPECT_EQ(confidential[0].text, "c: confidential");
  auto not_available = host_.Find("100003", "fsm_percent");
  ASSERT_EQ(not_available.size(), 1u);
  EXPECT_FALSE(not_available[0].has_number);
  EXPECT_EQ(not_available[0].text, "x: not available");
  EXPECT_TRUE(host_.rejections.empty());
}

TEST_F(CsvPluginTest, LongFileEmitsOneSnakeCaseMeasurePerRowDatedByTimePeriod) {
  const std::string file = Write(
      "ks2.csv",
      "\xEF\xBB\xBFtime_period,time_identifier,geographic_level,school_urn,subject,"
      "expected_standard_pupil_percent\r\n"
      "202223,Academic year,School,100001,\"Reading, writing and maths\",61\r\n"
      "202223,Academic year,School,100001,Reading,c\r\n"
      "202122,Academic year,School,100001,Reading,70.5\r\n"
      "202223,Academic year,National,,Reading,73\r\n"
      "202223,Academic year,School,100002,Reading,\r\n");
  ASSERT_EQ(Run({{"file", file},
                 {"kind", "school"},
                 {"key_column", "school_urn"},
                 {"measure_column", "subject"},
                 {"value_column", "expected_standard_pupil_percent"},
                 {"date_column", "time_period"},
                 {"where", "geographic_level = School"}}),
            VIGIL_OK)
      << LastError();
  EXPECT_TRUE(host_.rejections.empty());
  ASSERT_EQ(host_.entities.size(), 2u);  // once per key, however many rows
  auto rwm = host_.Find("100001", "reading_writing_and_maths");
  ASSERT_EQ(rwm.size(), 1u);
  EXPECT_EQ(rwm[0].number, 61.0);
  EXPECT_EQ(rwm[0].as_of, "2023-08-31");
  auto reading = host_.Find("100001", "reading");
  ASSERT_EQ(reading.size(), 2u);
  EXPECT_FALSE(reading[0].has_number);
  EXPECT_EQ(reading[0].text, "c: confidential");
  EXPECT_EQ(reading[1].number, 70.5);
  EXPECT_EQ(reading[1].as_of, "2022-08-31");
  EXPECT_TRUE(host_.Find("100002", "reading").empty());  // empty value
  EXPECT_EQ(host_.observations.size(), 3u);
  EXPECT_TRUE(host_.Logged("filtered 1 row (where")) << host_.logs.size();
}

TEST_F(CsvPluginTest, Windows1252FileIsReadAsUtf8InEveryEncodingModeThatAllowsIt) {
  const std::string file = Write("cp1252.csv",
                                 "URN,Name,Budget\n"
                                 "100005,St Mary\x92s RC Primary,\"\xA3" "1,200\"\n");
  for (const char* encoding : {"windows-1252", "auto"}) {
    host_.entities.clear();
    host_.observations.clear();
    ASSERT_EQ(Run({{"file", file},
                   {"kind", "school"},
                   {"key_column", "URN"},
                   {"name_column", "Name"},
                   {"measures", "budget = Budget"},
                   {"as_of", "2024-03-31"},
                   {"encoding", encoding}}),
              VIGIL_OK)
        << LastError();
    ASSERT_EQ(host_.entities.size(), 1u) << encoding;
    EXPECT_EQ(host_.entities[0].name, "St Mary\u2019s RC Primary") << encoding;
    ASSERT_EQ(host_.observations.size(), 1u) << encoding;
    EXPECT_EQ(host_.observations[0].number, 1200.0) << encoding;
  }
}

TEST_F(CsvPluginTest, NonNumericValueIsRejectedWithFileLineFieldAndValueAndTheRestKept) {
  const std::string file = Write("bad.csv",
                                 "URN,Name,Pupils,FSM\n"
                                 "1,\"A name over\ntwo lines\",100,10\n"
                                 "2,Other,lots,20\n");
  ASSERT_EQ(Run({{"file", file},
                 {"kind", "school"},
                 {"key_column", "URN"},
                 {"name_column", "Name"},
                 {"measures", "pupils = Pupils\nfsm = FSM"},
                 {"as_of", "2024-01-18"}}),
            VIGIL_OK)
      << LastError();
  ASSERT_EQ(host_.rejections.size(), 1u);
  const auto& r = host_.rejections[0];
  EXPECT_EQ(r.file, file);
  EXPECT_EQ(r.line, 4u);  // physical: row 1 spans lines 2 and 3
  EXPECT_EQ(r.field, "Pupils");
  EXPECT_EQ(r.value, "lots");
  EXPECT_EQ(r.reason, "'lots' is not a number");
  ASSERT_NE(host_.FindEntity("2"), nullptr);
  ASSERT_EQ(host_.Find("2", "fsm").size(), 1u);
  EXPECT_EQ(host_.Find("2", "fsm")[0].number, 20.0);
  EXPECT_TRUE(host_.Find("2", "pupils").empty());
  EXPECT_EQ(host_.entities[0].name, "A name over\ntwo lines");
  EXPECT_TRUE(host_.Logged("rejected=1"));
}

TEST_F(CsvPluginTest, MissingColumnsAreReportedAllAtOnceWithTheFileName) {
  const std::string file = Write("gias.csv", "URN,EstablishmentName\n1,A\n");
  ASSERT_EQ(Run({{"file", file},
                 {"kind", "school"},
                 {"key_column", "URN"},
                 {"attributes", "phase = PhaseOfEducation (name)\ntype = TypeOfEstablishment (name)"},
                 {"measures", "pupils = NumberOfPupils"},
                 {"date_column", "CensusDate"}}),
            VIGIL_ERROR);
  const std::string error = LastError();
  EXPECT_NE(error.find(file + ":1:"), std::string::npos) << error;
  for (const char* column : {"'PhaseOfEducation (name)' (attributes)",
                             "'TypeOfEstablishment (name)' (attributes)",
                             "'NumberOfPupils' (measures)", "'CensusDate' (date_column)"})
    EXPECT_NE(error.find(column), std::string::npos) << column << " in " << error;
  EXPECT_NE(error.find("4 columns"), std::string::npos) << error;
  EXPECT_TRUE(host_.entities.empty());
}

TEST_F(CsvPluginTest, WhereFilterKeepsOnlyMatchingRowsAndLogsTheCounts) {
  ASSERT_EQ(Run({{"file", Data("gias_edubasealldata20181029_20rows.csv")},
                 {"kind", "school"},
                 {"key_column", "URN"},
                 {"where", "LA (code) = 202"}}),
            VIGIL_OK)
      << LastError();
  EXPECT_EQ(host_.entities.size(), 16u);  // Camden; not the City of London's 4
  EXPECT_EQ(host_.FindEntity("100000"), nullptr);
  EXPECT_TRUE(host_.rejections.empty());
  EXPECT_TRUE(host_.Logged("filtered 4 rows (where")) << host_.logs.size();
  // ABI 1.2: the host is told every row: 20 read, 4 filtered, the rest stored.
  const std::string file = Data("gias_edubasealldata20181029_20rows.csv");
  EXPECT_EQ(host_.rows_read.at(file), 20u);
  EXPECT_EQ(host_.Skipped(file, "filtered (where)"), 4u);
}

TEST_F(CsvPluginTest, OnAnAbi11HostTheRowCountsAreLeftOutAndTheFileIsReadAsBefore) {
  host_.ActAsAbiMinor(1);  // a host from before skip_rows and rows_read
  ASSERT_EQ(Run({{"file", Data("gias_edubasealldata20181029_20rows.csv")},
                 {"kind", "school"},
                 {"key_column", "URN"},
                 {"where", "LA (code) = 202"}}),
            VIGIL_OK)
      << LastError();
  EXPECT_EQ(host_.entities.size(), 16u);
  EXPECT_TRUE(host_.rows_read.empty());
  EXPECT_TRUE(host_.skipped.empty());
}

TEST_F(CsvPluginTest, WhereItemsOnOneColumnAreAlternatives) {
  ASSERT_EQ(Run({{"file", Data("gias_edubasealldata20181029_20rows.csv")},
                 {"kind", "school"},
                 {"key_column", "URN"},
                 {"where", "PhaseOfEducation (name) = Nursery\nPhaseOfEducation (name) = Primary\n"
                           "LA (code) = 202"}}),
            VIGIL_OK)
      << LastError();
  // Camden's 2 nurseries and 12 primaries.
  EXPECT_EQ(host_.entities.size(), 14u);
}

TEST_F(CsvPluginTest, GiasExtractGivesTwentySchoolsWithTheirPupilNumbers) {
  ASSERT_EQ(Run({{"file", Data("gias_edubasealldata20181029_20rows.csv")},
                 {"kind", "school"},
                 {"key_column", "URN"},
                 {"name_column", "EstablishmentName"},
                 {"attributes", "phase = PhaseOfEducation (name)\ntype = TypeOfEstablishment (name)"},
                 {"measures", "pupils = NumberOfPupils"},
                 {"date_column", "CensusDate"}}),
            VIGIL_OK)
      << LastError();
  EXPECT_TRUE(host_.rejections.empty()) << host_.rejections[0].reason;
  ASSERT_EQ(host_.entities.size(), 20u);
  const auto* cass = host_.FindEntity("100000");
  ASSERT_NE(cass, nullptr);
  EXPECT_EQ(cass->name, "Sir John Cass's Foundation Primary School");
  EXPECT_EQ(cass->attributes.at("phase"), "Primary");
  EXPECT_EQ(cass->attributes.at("type"), "Voluntary aided school");
  EXPECT_EQ(host_.FindEntity("100018")->name, "Netley Primary School & Centre for Autism");

  const std::map<std::string, double> expected = {
      {"100000", 284}, {"100001", 732}, {"100002", 247}, {"100003", 920}, {"100005", 107},
      {"100006", 47},  {"100007", 20},  {"100008", 365}, {"100009", 439}, {"100010", 394},
      {"100011", 423}, {"100012", 331}, {"100013", 199}, {"100014", 227}, {"100015", 169},
      {"100018", 441}, {"100019", 411}};
  EXPECT_EQ(host_.observations.size(), expected.size());
  for (const auto& [urn, pupils] : expected) {
    auto found = host_.Find(urn, "pupils");
    ASSERT_EQ(found.size(), 1u) << urn;
    EXPECT_EQ(found[0].number, pupils) << urn;
    EXPECT_EQ(found[0].as_of, "2018-01-18") << urn;
  }
  // No census figures (and no census date) for these: nothing, not zero.
  for (const char* urn : {"100004", "100016", "100017"}) {
    EXPECT_NE(host_.FindEntity(urn), nullptr) << urn;
    EXPECT_TRUE(host_.Find(urn, "pupils").empty()) << urn;
  }
}

TEST_F(CsvPluginTest, RaggedRowsEmptyKeysAndBadDatesAreRejectedAndReadingContinues) {
  const std::string file = Write("rows.csv",
                                 "URN,Date,Score\n"
                                 "1,18/01/2018,5\n"
                                 "2,31/02/2018,6\n"
                                 ",18/01/2018,7\n"
                                 "3,18/01/2018\n"
                                 "4,,8\n"
                                 "5,18/01/2018,x\n"
                                 ",,\n");
  ASSERT_EQ(Run({{"file", file},
                 {"kind", "school"},
                 {"key_column", "URN"},
                 {"measures", "score = Score"},
                 {"date_column", "Date"}}),
            VIGIL_OK)
      << LastError();
  ASSERT_EQ(host_.rejections.size(), 4u);
  EXPECT_EQ(host_.rejections[0].line, 3u);
  EXPECT_EQ(host_.rejections[0].field, "Date");
  EXPECT_EQ(host_.rejections[0].value, "31/02/2018");
  EXPECT_EQ(host_.rejections[0].reason,
            "'31/02/2018' is not a valid date: February 2018 has 28 days; the row's 1 value "
            "was not loaded");
  EXPECT_EQ(host_.rejections[1].line, 4u);
  EXPECT_EQ(host_.rejections[1].field, "URN");
  EXPECT_EQ(host_.rejections[1].reason, "the key is empty");
  EXPECT_EQ(host_.rejections[2].line, 5u);
  EXPECT_EQ(host_.rejections[2].field, "fields");
  EXPECT_FALSE(host_.rejections[2].value.empty());  // the row as read, to find it by
  EXPECT_EQ(host_.rejections[2].reason,
            "row has 2 fields, the header has 3; the row was not loaded (if the file's rows stop "
            "early by design, as the DfE performance tables' do, set short_rows = \"empty\")");
  EXPECT_EQ(host_.rejections[3].line, 6u);
  EXPECT_EQ(host_.rejections[3].field, "Date");
  EXPECT_EQ(host_.rejections[3].reason, "the date is empty; the row's 1 value was not loaded");

  // Entities 1, 2, 4 and 5 (a bad date does not make the school unknown).
  EXPECT_EQ(host_.entities.size(), 4u);
  EXPECT_EQ(host_.FindEntity("3"), nullptr);
  ASSERT_EQ(host_.observations.size(), 2u);
  EXPECT_EQ(host_.Find("1", "score")[0].as_of, "2018-01-18");
  EXPECT_EQ(host_.Find("5", "score")[0].text, "x: not available");
  EXPECT_TRUE(host_.Logged("rows=7 skipped=1 (1 empty row) entities=4 observations=2 rejected=4"));
}

// england_ks2final.csv as published (formats 3b): UTF-8 with a byte-order
// mark, CRLF, no newline after the last row, 26 columns, percentages with a
// '%' sign, LOWCOV and NEW among the missing codes, a school with no results
// whose row stops after 21 fields, and authority and England total rows with
// blank keys (left out by RECTYPE).
const char kKs2Final[] =
    "\xEF\xBB\xBF"
    "RECTYPE,ALPHAIND,LEA,ESTAB,URN,SCHNAME,ADDRESS1,ADDRESS2,ADDRESS3,TOWN,PCODE,TELNUM,PCON_CODE,"
    "PCON_NAME,URN_AC,SCHNAME_AC,OPEN_AC,NFTYPE,RELDENOM,AGERANGE,TOTPUPS,PTRWM_EXP,PTRWM_HIGH,"
    "READPROG,WRITPROG,MATPROG\r\n"
    "1,alpha primary,330,2003,103230,Alpha Primary,1 High St,,,Birmingham,B1 1AA,0121 000,E14000560,"
    "Birmingham Ladywood,,,,CY,Does not apply,4-11,420,61.7%,8%,-0.4,1.2,-2.6\r\n"
    "1,beta junior,330,2004,103231,Beta Junior,2 Low Rd,,,Birmingham,B2 2BB,0121 001,E14000560,"
    "Birmingham Ladywood,,,,CY,Does not apply,7-11,240,LOWCOV,SUPP,NE,NP,NA\r\n"
    "1,gamma academy,330,2005,148001,Gamma Academy,3 Mid Way,,,Birmingham,B3 3CC,0121 002,E14000560,"
    "Birmingham Ladywood,,,,AC,Does not apply,4-11,0\r\n"
    "2,delta special,330,7001,103299,Delta Special,4 End Ln,,,Birmingham,B4 4DD,0121 003,E14000560,"
    "Birmingham Ladywood,,,,CYS,Does not apply,3-11,80,NEW,NEW,x,x,x\r\n"
    "4,,330,,,Birmingham,,,,,,,,,,,,,,,12000,59%,7%,0.1,0.3,-0.2\r\n"
    "7,, , , ,England,,,,,,,,,,,,,,,650000,61%,8%,0,0,0";

SettingList Ks2Settings(const std::string& file) {
  return {{"file", file},
          {"kind", "school"},
          {"key_column", "URN"},
          {"name_column", "SCHNAME"},
          {"measures", "ks2_rwm_expected = PTRWM_EXP\nks2_rwm_higher = PTRWM_HIGH\n"
                       "ks2_maths_progress = MATPROG"},
          {"as_of", "2019-08-31"},
          {"where", "RECTYPE = 1\nRECTYPE = 2"},
          {"short_rows", "empty"}};
}

TEST_F(CsvPluginTest, PerformanceTablesFileIsReadWithItsShortRowsAndLowcovAndNewAsMissing) {
  ASSERT_EQ(Run(Ks2Settings(Write("england_ks2final.csv", kKs2Final))), VIGIL_OK) << LastError();
  EXPECT_TRUE(host_.rejections.empty()) << host_.rejections[0].line << ": " << host_.rejections[0].reason;
  EXPECT_EQ(host_.entities.size(), 4u);
  EXPECT_EQ(host_.Find("103230", "ks2_rwm_expected")[0].number, 61.7);
  EXPECT_EQ(host_.Find("103230", "ks2_maths_progress")[0].number, -2.6);
  auto lowcov = host_.Find("103231", "ks2_rwm_expected");
  ASSERT_EQ(lowcov.size(), 1u);
  EXPECT_FALSE(lowcov[0].has_number);
  EXPECT_EQ(lowcov[0].text, "LOWCOV: low coverage");
  auto new_school = host_.Find("103299", "ks2_rwm_higher");
  ASSERT_EQ(new_school.size(), 1u);
  EXPECT_FALSE(new_school[0].has_number);
  EXPECT_EQ(new_school[0].text, "NEW: new school");
  // The school with no results: known, named, and no value made up.
  ASSERT_NE(host_.FindEntity("148001"), nullptr);
  EXPECT_EQ(host_.FindEntity("148001")->name, "Gamma Academy");
  EXPECT_TRUE(host_.Find("148001", "ks2_rwm_expected").empty());
  EXPECT_EQ(host_.observations.size(), 9u);
  EXPECT_TRUE(host_.Logged("rows=6 skipped=2 (2 filtered (where)) entities=4 observations=9 rejected=0"));
}

TEST_F(CsvPluginTest, ShortRowsAreRejectedUnlessTheJobSaysTheFileIsShapedSo) {
  SettingList settings = Ks2Settings(Write("england_ks2final.csv", kKs2Final));
  settings.pop_back();  // short_rows left at its default
  ASSERT_EQ(Run(settings), VIGIL_OK) << LastError();
  ASSERT_EQ(host_.rejections.size(), 1u);
  EXPECT_EQ(host_.rejections[0].line, 4u);
  EXPECT_EQ(host_.rejections[0].field, "fields");
  EXPECT_EQ(host_.rejections[0].reason,
            "row has 21 fields, the header has 26; the row was not loaded (if the file's rows stop "
            "early by design, as the DfE performance tables' do, set short_rows = \"empty\")");
  EXPECT_EQ(host_.FindEntity("148001"), nullptr);

  // A longer row stays an error either way: nothing says which cell is extra.
  const std::string longer = Write("longer.csv", "URN,Score\r\n1,5\r\n2,6,7\r\n3");
  ASSERT_EQ(Run({{"file", longer}, {"kind", "school"}, {"key_column", "URN"},
                 {"measures", "score = Score"}, {"as_of", "2019-08-31"}, {"short_rows", "empty"}}),
            VIGIL_OK)
      << LastError();
  ASSERT_EQ(host_.rejections.size(), 2u);
  EXPECT_EQ(host_.rejections[1].line, 3u);
  EXPECT_EQ(host_.rejections[1].reason, "row has 3 fields, the header has 2; the row was not loaded");
  EXPECT_NE(host_.FindEntity("3"), nullptr);  // short, padded: key only

  EXPECT_NE(Run({{"file", longer}, {"kind", "school"}, {"key_column", "URN"},
                 {"short_rows", "pad"}}),
            VIGIL_OK);
  EXPECT_NE(LastError().find("setting 'short_rows': 'pad' must be \"reject\" or \"empty\""), std::string::npos)
      << LastError();
}

TEST_F(CsvPluginTest, AsOfDatesRowsWhoseDateCellIsEmpty) {
  const std::string file = Write("rows.csv", "URN,Date,Score\n4,,8\n5,NULL,9\n");
  ASSERT_EQ(Run({{"file", file},
                 {"kind", "school"},
                 {"key_column", "URN"},
                 {"measures", "score = Score"},
                 {"date_column", "Date"},
                 {"as_of", "31/03/2018"}}),
            VIGIL_OK)
      << LastError();
  EXPECT_TRUE(host_.rejections.empty());
  ASSERT_EQ(host_.observations.size(), 2u);
  EXPECT_EQ(host_.observations[0].as_of, "2018-03-31");
  EXPECT_EQ(host_.observations[1].as_of, "2018-03-31");
}

TEST_F(CsvPluginTest, OfstedFileWithATitleLineNullsAndADoubleSpacedHeaderIsRead) {
  const std::string file = Write(
      "ofsted.csv",
      "Management information - state-funded schools - as at 31 August 2019,,,\r\n"
      "URN,School name,Latest OEIF  safeguarding is effective?,Publication date\r\n"
      "100000,Sir John Cass\x92s,Yes,18/01/2019\r\n"
      "100001,Other,NULL,NULL\r\n");
  ASSERT_EQ(Run({{"file", file},
                 {"kind", "school"},
                 {"key_column", "URN"},
                 {"name_column", "School name"},
                 {"text_measures", "safeguarding_effective = Latest OEIF safeguarding is effective?"},
                 {"date_column", "Publication date"},
                 {"skip_lines", "1"}}),
            VIGIL_OK)
      << LastError();
  EXPECT_TRUE(host_.rejections.empty());
  EXPECT_EQ(host_.entities.size(), 2u);
  EXPECT_EQ(host_.entities[0].name, "Sir John Cass\u2019s");
  ASSERT_EQ(host_.observations.size(), 1u);
  EXPECT_EQ(host_.observations[0].text, "Yes");
  EXPECT_EQ(host_.observations[0].as_of, "2019-01-18");
}

TEST_F(CsvPluginTest, SemicolonDelimitedFileIsReadWhenTheDelimiterSaysSo) {
  const std::string file = Write("semi.csv", "URN;Score\n1;2,5\n");
  ASSERT_EQ(Run({{"file", file},
                 {"kind", "school"},
                 {"key_column", "URN"},
                 {"text_measures", "score = Score"},
                 {"as_of", "2024-01-01"},
                 {"delimiter", ";"}}),
            VIGIL_OK)
      << LastError();
  ASSERT_EQ(host_.observations.size(), 1u);
  EXPECT_EQ(host_.observations[0].text, "2,5");
}

struct BadSettings {
  SettingList settings;
  std::string error;
};

TEST_F(CsvPluginTest, CreateRefusesBadSettingsNamingTheSettingAndItem) {
  const std::vector<BadSettings> cases = {
      {{{"kind", "school"}, {"key_column", "URN"}}, "setting 'file' is required"},
      {{{"file", "/x.csv"}, {"kind", "school"}, {"key_column", "URN"}, {"as_of", "2024-01-01"},
        {"measures", "pupils = NumberOfPupils\npupils NumberOfPupils"}},
       "setting 'measures', item 'pupils NumberOfPupils': no '=' (expected \"name = Column "
       "Name\")"},
      {{{"file", "/x.csv"}, {"kind", "school"}, {"key_column", "URN"},
        {"attributes", "Phase = PhaseOfEducation (name)"}},
       "setting 'attributes', item 'Phase = PhaseOfEducation (name)': 'Phase' must be "
       "snake_case"},
      {{{"file", "/x.csv"}, {"kind", "school"}, {"key_column", "URN"}, {"where", "= 330"}},
       "setting 'where', item '= 330': the column name is missing"},
      {{{"file", "/x.csv"}, {"kind", "school"}, {"key_column", "URN"},
        {"measures", "pupils = NumberOfPupils"}},
       "measures are mapped but nothing dates them"},
      {{{"file", "/x.csv"}, {"kind", "school"}, {"key_column", "URN"}, {"date_column", "d"},
        {"measure_column", "subject"}},
       "setting 'measure_column' needs 'value_column'"},
      {{{"file", "/x.csv"}, {"kind", "school"}, {"key_column", "URN"}, {"encoding", "latin1"}},
       "setting 'encoding': 'latin1' is not one of auto, utf-8, windows-1252"},
      {{{"file", "/x.csv"}, {"kind", "school"}, {"key_column", "URN"}, {"delimiter", ";;"}},
       "setting 'delimiter': ';;' must be one character"},
      {{{"file", "/x.csv"}, {"kind", "School"}, {"key_column", "URN"}}, "setting 'kind': 'School'"},
      {{{"file", "/x.csv"}, {"kind", "school"}, {"key_column", "URN"}, {"as_of", "31/02/2024"}},
       "setting 'as_of': '31/02/2024' is not a valid date"},
      {{{"file", "/x.csv"}, {"kind", "school"}, {"key_column", "URN"}, {"skip_lines", "-1"}},
       "setting 'skip_lines': '-1' must be a whole number"},
      {{{"file", "/x.csv"}, {"kind", "school"}, {"key_column", "URN"}, {"as_of", "2024-01-01"},
        {"measures", "a = A"}, {"text_measures", "a = B"}},
       "measure 'a' is mapped twice"},
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

TEST_F(CsvPluginTest, FileThatCannotBeOpenedFailsNamingThePath) {
  const std::string missing = (dir_ / "nope.csv").string();
  EXPECT_EQ(Run({{"file", missing}, {"kind", "school"}, {"key_column", "URN"}}), VIGIL_ERROR);
  EXPECT_EQ(LastError(), missing + ": cannot open: No such file or directory");
}

TEST_F(CsvPluginTest, EmptyFileFailsForWantOfAHeader) {
  const std::string file = Write("empty.csv", "");
  EXPECT_EQ(Run({{"file", file}, {"kind", "school"}, {"key_column", "URN"}}), VIGIL_ERROR);
  EXPECT_EQ(LastError(), file + ": no header row: the file is empty");
}

TEST_F(CsvPluginTest, UnclosedQuoteFailsTheReadNamingFileAndLine) {
  const std::string file = Write("open.csv", "URN,Name\n1,A\n2,\"B\n3,C\n");
  EXPECT_EQ(Run({{"file", file}, {"kind", "school"}, {"key_column", "URN"}, {"name_column", "Name"}}),
            VIGIL_ERROR);
  EXPECT_NE(LastError().find(file + ":3: unclosed quote"), std::string::npos) << LastError();
}

TEST_F(CsvPluginTest, CancelledRunStopsWithCancelledStatus) {
  host_.cancel = true;
  EXPECT_EQ(Run(WideSettings(Write("wide.csv", kWide))), VIGIL_CANCELLED);
  EXPECT_TRUE(host_.entities.empty());
  EXPECT_TRUE(host_.errors.empty());
}

TEST_F(CsvPluginTest, RecordRefusedByTheHostStopsTheRead) {
  host_.refuse_entities = true;
  EXPECT_EQ(Run(WideSettings(Write("wide.csv", kWide))), VIGIL_ERROR);
  EXPECT_EQ(host_.errors.size(), 1u);  // only the host's own reason
  EXPECT_TRUE(host_.observations.empty());
}

TEST_F(CsvPluginTest, LargeFileReportsProgressAsItGoes) {
  std::string content = "URN,Pupils\n";
  for (int i = 0; i < 10000; ++i) content += std::to_string(100000 + i) + "," + std::to_string(i) + "\n";
  const std::string file = Write("large.csv", content);
  ASSERT_EQ(Run({{"file", file},
                 {"kind", "school"},
                 {"key_column", "URN"},
                 {"measures", "pupils = Pupils"},
                 {"as_of", "2024-01-18"}}),
            VIGIL_OK)
      << LastError();
  EXPECT_EQ(host_.entities.size(), 10000u);
  EXPECT_EQ(host_.observations.size(), 10000u);
  ASSERT_GE(host_.progress.size(), 3u);
  EXPECT_LT(host_.progress[0].first, host_.progress[1].first);
  EXPECT_EQ(host_.progress.back(), std::make_pair(std::uint64_t{content.size()},
                                                  std::uint64_t{content.size()}));
}

}  // namespace
