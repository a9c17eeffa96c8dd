// Tests of the SDK's streaming CSV reader (vigil/csv.hpp) and value parsing
// helpers (vigil/values.hpp).
#include <vigil/csv.hpp>
#include <vigil/values.hpp>

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

using vigil::sdk::csv::Encoding;
using vigil::sdk::csv::Header;
using vigil::sdk::csv::Options;
using vigil::sdk::csv::Reader;
using vigil::sdk::csv::Row;

struct Record {
  std::uint64_t line;
  std::vector<std::string> fields;
  bool operator==(const Record& o) const { return line == o.line && fields == o.fields; }
};

std::ostream& operator<<(std::ostream& os, const Record& r) {
  os << "line " << r.line << ":";
  for (const auto& f : r.fields) os << " [" << f << "]";
  return os;
}

struct Result {
  std::vector<Record> records;
  std::string error;
  std::uint64_t error_line = 0;
};

Result ReadAll(std::string data, Options options = {}) {
  Reader reader = Reader::FromString(std::move(data), "test.csv", options);
  Result result;
  Row row;
  while (reader.Next(row))
    result.records.push_back({row.line, std::vector<std::string>(row.fields.begin(), row.fields.end())});
  result.error = reader.error();
  result.error_line = reader.error_line();
  EXPECT_EQ(reader.bytes_consumed(), reader.ok() ? reader.size() : reader.bytes_consumed());
  return result;
}

Options WithEncoding(Encoding e) {
  Options o;
  o.encoding = e;
  return o;
}

Options WithChunk(std::size_t chunk) {
  Options o;
  o.chunk_size = chunk;
  return o;
}

// --- Reader ---------------------------------------------------------------

TEST(CsvReader, SplitsSimpleRecordsAndNumbersTheirLines) {
  auto r = ReadAll("a,b,c\n1,2,3\n");
  EXPECT_EQ(r.error, "");
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[0], (Record{1, {"a", "b", "c"}}));
  EXPECT_EQ(r.records[1], (Record{2, {"1", "2", "3"}}));
}

TEST(CsvReader, QuotedFieldsMayContainDelimitersAndDoubledQuotes) {
  auto r = ReadAll("\"Sir John Cass's, Primary\",\"He said \"\"hi\"\"\",\"\"\n");
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].fields,
            (std::vector<std::string>{"Sir John Cass's, Primary", "He said \"hi\"", ""}));
}

TEST(CsvReader, EmbeddedNewlinesKeepLineNumbersPhysical) {
  auto r = ReadAll("h1,h2\n\"line one\nline two\nline three\",x\nnext,row\n");
  ASSERT_EQ(r.records.size(), 3u);
  EXPECT_EQ(r.records[1], (Record{2, {"line one\nline two\nline three", "x"}}));
  EXPECT_EQ(r.records[2], (Record{5, {"next", "row"}}));
}

TEST(CsvReader, CrlfLineEndingsAreRemovedAndCrlfInsideQuotesIsKept) {
  auto r = ReadAll("a,b\r\n\"x\r\ny\",2\r\n3,4\r\n");
  ASSERT_EQ(r.records.size(), 3u);
  EXPECT_EQ(r.records[0], (Record{1, {"a", "b"}}));
  EXPECT_EQ(r.records[1], (Record{2, {"x\r\ny", "2"}}));
  EXPECT_EQ(r.records[2], (Record{4, {"3", "4"}}));
}

TEST(CsvReader, LoneCarriageReturnsEndRecordsLikeOldMacFiles) {
  auto r = ReadAll("a,b\r1,2\r");
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[1], (Record{2, {"1", "2"}}));
}

TEST(CsvReader, LoneCarriageReturnsInsideQuotesAreCountedAsLines) {
  auto r = ReadAll("a\r\"x\ry\r\nz\"\rb\r");
  ASSERT_EQ(r.records.size(), 3u);
  EXPECT_EQ(r.records[1], (Record{2, {"x\ry\r\nz"}}));
  EXPECT_EQ(r.records[2], (Record{5, {"b"}}));
}

TEST(CsvReader, ByteOrderMarkAtTheStartIsSkipped) {
  auto r = ReadAll("\xEF\xBB\xBFtime_period,school_urn\n202223,100000\n");
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[0].fields[0], "time_period");
}

TEST(CsvReader, FinalLineWithoutNewlineIsRead) {
  auto r = ReadAll("a,b\n1,2");
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[1], (Record{2, {"1", "2"}}));
  auto quoted = ReadAll("a,b\n1,\"2\"");
  ASSERT_EQ(quoted.records.size(), 2u);
  EXPECT_EQ(quoted.records[1].fields[1], "2");
}

TEST(CsvReader, TrailingDelimiterGivesAnEmptyLastField) {
  auto r = ReadAll("a,b,\n1,2,");
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[0].fields, (std::vector<std::string>{"a", "b", ""}));
  EXPECT_EQ(r.records[1].fields, (std::vector<std::string>{"1", "2", ""}));
}

TEST(CsvReader, BlankLinesAreSkippedButStillCounted) {
  auto r = ReadAll("\n\na,b\n\n\r\n1,2\n\n");
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[0], (Record{3, {"a", "b"}}));
  EXPECT_EQ(r.records[1], (Record{6, {"1", "2"}}));
}

TEST(CsvReader, EmptyInputHasNoRecordsAndNoError) {
  EXPECT_TRUE(ReadAll("").records.empty());
  EXPECT_EQ(ReadAll("").error, "");
  EXPECT_TRUE(ReadAll("\xEF\xBB\xBF").records.empty());
  EXPECT_TRUE(ReadAll("\n\r\n").records.empty());
}

TEST(CsvReader, RaggedRowsAreReturnedAsTheyAre) {
  auto r = ReadAll("a,b,c\n1,2\n1,2,3,4\n");
  ASSERT_EQ(r.records.size(), 3u);
  EXPECT_EQ(r.records[1].fields.size(), 2u);
  EXPECT_EQ(r.records[2].fields.size(), 4u);
}

TEST(CsvReader, UnclosedQuoteIsAnErrorNamingTheLineWhereTheFieldStarted) {
  auto r = ReadAll("a,b\n1,2\n3,\"never closed\nmore\nand more\n");
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.error_line, 3u);
  EXPECT_NE(r.error.find("test.csv:3:"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("unclosed quote"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("line 3"), std::string::npos) << r.error;
}

TEST(CsvReader, NextKeepsReturningFalseAfterAnError) {
  Reader reader = Reader::FromString("\"open", "x.csv");
  Row row;
  EXPECT_FALSE(reader.Next(row));
  EXPECT_FALSE(reader.ok());
  EXPECT_FALSE(reader.Next(row));
  EXPECT_EQ(reader.error(), "x.csv:1: unclosed quote: the quoted field starting on line 1 "
                            "runs to the end of the file");
}

TEST(CsvReader, RecordLongerThanTheLimitIsAnErrorRatherThanUnboundedMemory) {
  Options o;
  o.chunk_size = 16;
  o.max_record_size = 64;
  std::string data = "a,b\n5,\"" + std::string(200, 'x');
  auto r = ReadAll(data, o);
  EXPECT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.error_line, 2u);
  EXPECT_NE(r.error.find("unclosed quote"), std::string::npos) << r.error;
}

TEST(CsvReader, TextAfterAClosingQuoteIsKeptAndAStrayQuoteInAFieldIsACharacter) {
  auto r = ReadAll("\"ab\"c,x\"y,\"q\"\"\"r\n");
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].fields, (std::vector<std::string>{"abc", "x\"y", "q\"r"}));
}

TEST(CsvReader, DelimiterIsConfigurable) {
  Options o;
  o.delimiter = ';';
  auto r = ReadAll("a;b,c\n\"1;2\";3\n", o);
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[0].fields, (std::vector<std::string>{"a", "b,c"}));
  EXPECT_EQ(r.records[1].fields, (std::vector<std::string>{"1;2", "3"}));
  o.delimiter = '\t';
  auto tsv = ReadAll("a\tb\n1\t2\n", o);
  EXPECT_EQ(tsv.records[1].fields, (std::vector<std::string>{"1", "2"}));
}

TEST(CsvReader, SkipLinesSkipsTitleLinesAboveTheHeader) {
  Options o;
  o.skip_lines = 2;
  auto r = ReadAll("\xEF\xBB\xBFManagement information, \"as at 31 August\"\r\n\r\nURN,Name\n1,A\n", o);
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[0], (Record{3, {"URN", "Name"}}));
  EXPECT_EQ(r.records[1], (Record{4, {"1", "A"}}));
}

TEST(CsvReader, Windows1252IsTranscodedToUtf8IncludingTheHighControlRange) {
  auto r = ReadAll("St Mary\x92s,\x80\x85\x96,caf\xE9,\x81\n", WithEncoding(Encoding::kWindows1252));
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].fields[0], "St Mary\u2019s");
  EXPECT_EQ(r.records[0].fields[1], "\u20AC\u2026\u2013");
  EXPECT_EQ(r.records[0].fields[2], "caf\u00E9");
  EXPECT_EQ(r.records[0].fields[3], "\u0081");  // unassigned: C1 control
}

TEST(CsvReader, Windows1252TableMatchesTheStandardForEveryHighByte) {
  std::string all;
  for (int b = 0x80; b <= 0xFF; ++b) all.push_back(static_cast<char>(b));
  auto r = ReadAll(all + "\n", WithEncoding(Encoding::kWindows1252));
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].fields[0],
      "\u20AC\xC2\x81\u201A\u0192\u201E\u2026\u2020\u2021"
      "\u02C6\u2030\u0160\u2039\u0152\xC2\x8D\u017D\xC2\x8F"
      "\xC2\x90\u2018\u2019\u201C\u201D\u2022\u2013\u2014"
      "\u02DC\u2122\u0161\u203A\u0153\xC2\x9D\u017E\u0178"
      "\u00A0\u00A1\u00A2\u00A3\u00A4\u00A5\u00A6\u00A7"
      "\u00A8\u00A9\u00AA\u00AB\u00AC\u00AD\u00AE\u00AF"
      "\u00B0\u00B1\u00B2\u00B3\u00B4\u00B5\u00B6\u00B7"
      "\u00B8\u00B9\u00BA\u00BB\u00BC\u00BD\u00BE\u00BF"
      "\u00C0\u00C1\u00C2\u00C3\u00C4\u00C5\u00C6\u00C7"
      "\u00C8\u00C9\u00CA\u00CB\u00CC\u00CD\u00CE\u00CF"
      "\u00D0\u00D1\u00D2\u00D3\u00D4\u00D5\u00D6\u00D7"
      "\u00D8\u00D9\u00DA\u00DB\u00DC\u00DD\u00DE\u00DF"
      "\u00E0\u00E1\u00E2\u00E3\u00E4\u00E5\u00E6\u00E7"
      "\u00E8\u00E9\u00EA\u00EB\u00EC\u00ED\u00EE\u00EF"
      "\u00F0\u00F1\u00F2\u00F3\u00F4\u00F5\u00F6\u00F7"
      "\u00F8\u00F9\u00FA\u00FB\u00FC\u00FD\u00FE\u00FF");
}

TEST(CsvReader, Windows1252ModeTranscodesEvenBytesThatLookLikeUtf8) {
  // "Ã©" in cp1252 is two characters, not é.
  auto r = ReadAll("\xC3\xA9\n", WithEncoding(Encoding::kWindows1252));
  EXPECT_EQ(r.records[0].fields[0], "\u00C3\u00A9");
}

TEST(CsvReader, AutoEncodingKeepsValidUtf8FieldsAndDecodesTheOthersAsWindows1252) {
  auto r = ReadAll("St Mary\x92s,St Mary\xE2\x80\x99s,\"\xA3\x35\"\"0\"\n", WithEncoding(Encoding::kAuto));
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].fields[0], "St Mary\u2019s");
  EXPECT_EQ(r.records[0].fields[1], "St Mary\u2019s");
  EXPECT_EQ(r.records[0].fields[2], "\u00A35\"0");  // unescaped, then decoded
}

TEST(CsvReader, Utf8ModeReplacesInvalidBytesWithTheReplacementCharacter) {
  auto r = ReadAll("ok \xE2\x80\x99,bad \x92!\n", WithEncoding(Encoding::kUtf8));
  EXPECT_EQ(r.records[0].fields[0], "ok \u2019");
  EXPECT_EQ(r.records[0].fields[1], "bad \uFFFD!");
}

TEST(CsvReader, EncodingNamesAreParsed) {
  EXPECT_EQ(vigil::sdk::csv::ParseEncoding("auto"), Encoding::kAuto);
  EXPECT_EQ(vigil::sdk::csv::ParseEncoding("UTF-8"), Encoding::kUtf8);
  EXPECT_EQ(vigil::sdk::csv::ParseEncoding("windows-1252"), Encoding::kWindows1252);
  EXPECT_EQ(vigil::sdk::csv::ParseEncoding("cp1252"), Encoding::kWindows1252);
  EXPECT_FALSE(vigil::sdk::csv::ParseEncoding("latin-9").has_value());
}

// Every tricky input must read the same whatever the chunk size, so fields,
// quotes, CRLFs and BOMs that straddle chunk ends are all exercised.
TEST(CsvReader, ChunkBoundariesInsideFieldsQuotesAndLineEndsChangeNothing) {
  const std::vector<std::string> inputs = {
      "a,b,c\n1,2,3\n",
      "\xEF\xBB\xBFh1,h2\r\n\"x,\"\"y\"\"\r\nz\",2\r\n\r\n3,\"\"\r\n",
      "\"ab\"c,x\"y,\"q\"\"\"r\n\n\nlast,line",
      "a,b\r1,2\r\r3,4",
      "a\r\"x\ry\r\nz\"\rb\r",
      "a\r\n\r\n\r\n\r\n\r\n\r\n\r\nb\r\n\r\n\r\nc",
      "St Mary\x92s,\"caf\xE9 \"\"\xE2\x80\x99\"\"\",\xC3\n",
      "one\n\"two\nlines\"\n\"\"\"\"\n,\n",
      "x,y\n" + std::string(300, 'z') + ",\"" + std::string(100, '"') + "\"\n",
  };
  for (const std::string& input : inputs) {
    const Result expected = ReadAll(input);
    ASSERT_EQ(expected.error, "") << input;
    for (std::size_t chunk : {1, 2, 3, 4, 5, 7, 13, 64}) {
      const Result got = ReadAll(input, WithChunk(chunk));
      EXPECT_EQ(got.error, "") << "chunk " << chunk;
      EXPECT_EQ(got.records, expected.records) << "chunk " << chunk << " input " << input;
    }
  }
}

TEST(CsvReader, UnclosedQuoteIsReportedAtItsLineWhateverTheChunkSize) {
  for (std::size_t chunk : {1, 2, 3, 8, 1024}) {
    auto r = ReadAll("a\n\nb\n\"c\r\nd", WithChunk(chunk));
    EXPECT_EQ(r.error_line, 4u) << "chunk " << chunk;
    EXPECT_EQ(r.records.size(), 2u) << "chunk " << chunk;
  }
}

TEST(CsvReader, ReadsAFileFromDiskInChunks) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("vigil_csv_reader_test_" + std::to_string(::getpid()) + ".csv");
  {
    std::ofstream out(path, std::ios::binary);
    out << "URN,Name\n";
    for (int i = 0; i < 5000; ++i) out << i << ",\"School, number " << i << "\"\r\n";
  }
  Options o;
  o.chunk_size = 4096;  // many refills
  Reader reader(path.string(), o);
  ASSERT_TRUE(reader.ok()) << reader.error();
  EXPECT_EQ(reader.size(), std::filesystem::file_size(path));
  Row row;
  ASSERT_TRUE(reader.Next(row));
  int count = 0;
  while (reader.Next(row)) {
    ASSERT_EQ(row.fields.size(), 2u);
    EXPECT_EQ(row.fields[0], std::to_string(count));
    EXPECT_EQ(row.fields[1], "School, number " + std::to_string(count));
    EXPECT_EQ(row.line, static_cast<std::uint64_t>(count + 2));
    ++count;
  }
  EXPECT_TRUE(reader.ok()) << reader.error();
  EXPECT_EQ(count, 5000);
  EXPECT_EQ(reader.bytes_consumed(), reader.size());
  std::filesystem::remove(path);
}

TEST(CsvReader, FileThatCannotBeOpenedIsAnErrorNamingThePath) {
  Reader reader("/nonexistent/vigil/missing.csv");
  EXPECT_FALSE(reader.ok());
  EXPECT_EQ(reader.error(), "/nonexistent/vigil/missing.csv: cannot open: No such file or directory");
  Row row;
  EXPECT_FALSE(reader.Next(row));
  Reader folder(std::filesystem::temp_directory_path().string());
  EXPECT_FALSE(folder.ok());
  EXPECT_NE(folder.error().find("folder"), std::string::npos) << folder.error();
}

// --- Header ---------------------------------------------------------------

TEST(CsvHeader, FindsColumnsByTrimmedExactName) {
  Header h(std::vector<std::string_view>{" URN ", "LA (code)", "EstablishmentName"});
  EXPECT_EQ(h.size(), 3u);
  EXPECT_EQ(h.name(0), "URN");
  EXPECT_EQ(h.Find("URN"), 0u);
  EXPECT_EQ(h.Find("  LA (code)"), 1u);
  EXPECT_FALSE(h.Find("urn").has_value());
}

TEST(CsvHeader, LooseLookupIgnoresCaseAndRepeatedSpaces) {
  Header h(std::vector<std::string_view>{"Web Link", "Latest OEIF  safeguarding is effective?"});
  EXPECT_FALSE(h.Find("Latest OEIF safeguarding is effective?").has_value());
  EXPECT_EQ(h.FindLoose("Latest OEIF safeguarding is effective?"), 1u);
  EXPECT_EQ(h.Resolve("latest oeif safeguarding   is effective?"), 1u);
  EXPECT_EQ(h.Resolve("web link"), 0u);
}

TEST(CsvHeader, LooseLookupRefusesAnAmbiguousNameButExactStillWorks) {
  Header h(std::vector<std::string_view>{"Web link", "Web Link"});
  EXPECT_FALSE(h.FindLoose("web link").has_value());
  EXPECT_EQ(h.Resolve("Web Link"), 1u);
  EXPECT_TRUE(h.repeated().empty());
}

TEST(CsvHeader, RepeatedNamesAreMadeUniqueInOrderNeverMappedSilentlyToTheFirst) {
  // The DfE's statistical neighbours list: ten columns all headed SNP.
  Header h(std::vector<std::string_view>{"LA num", "SN1", "SNP", "SN2", "SNP", "SN3", "SNP", "SNP_3"});
  EXPECT_EQ(h.names(), (std::vector<std::string>{"LA num", "SN1", "SNP", "SN2", "SNP_2", "SN3", "SNP_4", "SNP_3"}));
  EXPECT_EQ(h.Resolve("SNP"), 2u);
  EXPECT_EQ(h.Resolve("SNP_2"), 4u);
  EXPECT_EQ(h.Resolve("snp_4"), 6u);
  ASSERT_EQ(h.repeated().size(), 1u);
  EXPECT_EQ(h.repeated()[0].first, "SNP");
  EXPECT_EQ(h.repeated()[0].second, (std::vector<std::string>{"SNP", "SNP_2", "SNP_4"}));
}

TEST(CsvHeader, ReportsAllMissingColumnsAtOnce) {
  Header h(std::vector<std::string_view>{"URN", "EstablishmentName"});
  EXPECT_EQ(h.Missing({"URN", "NumberOfPupils", "CensusDate", "NumberOfPupils"}),
            (std::vector<std::string>{"NumberOfPupils", "CensusDate"}));
  EXPECT_TRUE(h.Missing({"urn"}).empty());
}

// --- Numbers --------------------------------------------------------------

double Number(std::string_view s) {
  auto r = vigil::sdk::ParseNumber(s);
  EXPECT_TRUE(r.ok()) << s << ": " << r.error;
  return r.value.value_or(-999999);
}

std::string NumberError(std::string_view s) {
  auto r = vigil::sdk::ParseNumber(s);
  EXPECT_FALSE(r.ok()) << s;
  return r.error;
}

TEST(ParseNumber, AcceptsPlainIntegersDecimalsAndSurroundingSpaces) {
  EXPECT_EQ(Number("284"), 284.0);
  EXPECT_EQ(Number(" 12.75 "), 12.75);
  EXPECT_EQ(Number(".5"), 0.5);
  EXPECT_EQ(Number("5."), 5.0);
  EXPECT_EQ(Number("007"), 7.0);
}

TEST(ParseNumber, AcceptsThousandsSeparators) {
  EXPECT_EQ(Number("1,234"), 1234.0);
  EXPECT_EQ(Number("1,234.5"), 1234.5);
  EXPECT_EQ(Number("12,345,678"), 12345678.0);
}

TEST(ParseNumber, RejectsMisplacedThousandsSeparators) {
  EXPECT_EQ(NumberError("1,23"), "'1,23' is not a number (misplaced thousands separator)");
  EXPECT_FALSE(vigil::sdk::ParseNumber("1234,567").ok());
  EXPECT_FALSE(vigil::sdk::ParseNumber(",123").ok());
  EXPECT_FALSE(vigil::sdk::ParseNumber("1,,234").ok());
}

TEST(ParseNumber, KeepsAPercentageAsWritten) {
  EXPECT_EQ(Number("12.5%"), 12.5);
  EXPECT_EQ(Number("100 %"), 100.0);
}

TEST(ParseNumber, AcceptsALeadingPoundSign) {
  EXPECT_EQ(Number("\xC2\xA3" "1,200"), 1200.0);
  EXPECT_EQ(Number("-\xC2\xA3" "3.5"), -3.5);
  EXPECT_EQ(Number("\xC2\xA3-3.5"), -3.5);
}

TEST(ParseNumber, AcceptsScientificNotationAsExcelWritesIt) {
  EXPECT_EQ(Number("1.00063E+11"), 100063000000.0);
  EXPECT_EQ(Number("2e-3"), 0.002);
}

TEST(ParseNumber, AcceptsSignedNumbersSuchAsProgressScores) {
  EXPECT_EQ(Number("-0.45"), -0.45);
  EXPECT_EQ(Number("+1.5"), 1.5);
}

TEST(ParseNumber, RejectsAnythingElseWithAReason) {
  EXPECT_EQ(NumberError("abc"), "'abc' is not a number");
  EXPECT_EQ(NumberError("12abc"), "'12abc' is not a number");
  EXPECT_EQ(NumberError(""), "the value is empty");
  EXPECT_EQ(NumberError("(123)"),
            "'(123)' is not a number (negatives in brackets are not supported; write -123)");
  EXPECT_EQ(NumberError("1e999"), "'1e999' is not a number (out of range)");
  for (const char* bad : {"inf", "nan", "0x10", "1e", "-", ".", "1.2.3", "--1", "1 000", "%", "c"})
    EXPECT_FALSE(vigil::sdk::ParseNumber(bad).ok()) << bad;
}

TEST(ParseNumber, QuotesOnlyTheStartOfAVeryLongValue) {
  const std::string error = NumberError(std::string(100, 'q'));
  EXPECT_EQ(error, "'" + std::string(40, 'q') + "...' is not a number (too long)");
}

// --- Missing values -------------------------------------------------------

TEST(MissingValues, SuppressionCodesAreMissingWithAReasonNeverZero) {
  using vigil::sdk::MissingReason;
  EXPECT_EQ(MissingReason("x"), "x: not available");
  EXPECT_EQ(MissingReason("c"), "c: confidential");
  EXPECT_EQ(MissingReason(" z "), "z: not applicable");
  EXPECT_EQ(MissingReason("low"), "low: rounds to zero");
  EXPECT_EQ(MissingReason("u"), "u: low reliability");
  EXPECT_EQ(MissingReason(":"), "':': not available");
  EXPECT_EQ(MissingReason("."), "'.': not available");
  EXPECT_EQ(MissingReason(".."), "'..': not available");
  EXPECT_EQ(MissingReason("~"), "'~': not available");
  EXPECT_EQ(MissingReason("SUPP"), "SUPP: suppressed");
  EXPECT_EQ(MissingReason("LOWCOV"), "LOWCOV: low coverage");  // performance tables
  EXPECT_EQ(MissingReason("NEW"), "NEW: new school");
  EXPECT_EQ(MissingReason("NULL"), "NULL: empty");
  EXPECT_EQ(MissingReason(""), "empty");
  for (const char* code : {"x", "c", "z", "low", "u", ":", ".", "..", "~"}) {
    EXPECT_TRUE(vigil::sdk::IsSuppressed(code)) << code;
    EXPECT_FALSE(vigil::sdk::ParseNumber(code).ok()) << code;
  }
}

TEST(MissingValues, EmptyAndNullAreMissingButNotSuppressed) {
  EXPECT_TRUE(vigil::sdk::IsMissing(""));
  EXPECT_TRUE(vigil::sdk::IsMissing("NULL"));
  EXPECT_FALSE(vigil::sdk::IsSuppressed(""));
  EXPECT_FALSE(vigil::sdk::IsSuppressed("NULL"));
}

TEST(MissingValues, NumbersAndWordsAreNotMissingCodes) {
  EXPECT_FALSE(vigil::sdk::MissingReason("0").has_value());
  EXPECT_FALSE(vigil::sdk::MissingReason("Good").has_value());
  EXPECT_FALSE(vigil::sdk::IsSuppressed("xx"));
}

// --- Dates ----------------------------------------------------------------

std::string Date(std::string_view s) {
  auto r = vigil::sdk::ParseDate(s);
  EXPECT_TRUE(r.ok()) << s << ": " << r.error;
  return r.value.value_or("");
}

std::string DateError(std::string_view s) {
  auto r = vigil::sdk::ParseDate(s);
  EXPECT_FALSE(r.ok()) << s << " gave " << r.value.value_or("");
  return r.error;
}

TEST(ParseDate, AcceptsIsoDatesAndDropsATimeOfDay) {
  EXPECT_EQ(Date("2018-01-18"), "2018-01-18");
  EXPECT_EQ(Date(" 2018-1-8 "), "2018-01-08");
  EXPECT_EQ(Date("2024-02-29T13:45:00"), "2024-02-29");
  EXPECT_EQ(Date("2024-02-29T13:45:00.123Z"), "2024-02-29");
  EXPECT_EQ(Date("2024-02-29T13:45+01:00"), "2024-02-29");
  EXPECT_EQ(Date("2024-02-29 00:00:00"), "2024-02-29");
}

TEST(ParseDate, AcceptsDayFirstDatesWithSlashesOrDashes) {
  EXPECT_EQ(Date("18/01/2018"), "2018-01-18");
  EXPECT_EQ(Date("18-01-2018"), "2018-01-18");
  EXPECT_EQ(Date("8/1/2018"), "2018-01-08");
  EXPECT_EQ(Date("08-1-2018"), "2018-01-08");
  EXPECT_EQ(Date("18/01/2018 00:00"), "2018-01-18");
}

TEST(ParseDate, TurnsEesTimePeriodsIntoTheLastDayOfThePeriod) {
  EXPECT_EQ(Date("202223"), "2023-08-31");
  EXPECT_EQ(Date("199900"), "2000-08-31");
  EXPECT_EQ(Date("2023"), "2023-12-31");
}

TEST(ParseDate, RejectsTwoDigitYearsBecauseTheCenturyIsUnknown) {
  EXPECT_EQ(DateError("18/01/18"),
            "'18/01/18' has a two-digit year, so its century is unknown; write the year "
            "in full (DD/MM/YYYY)");
}

TEST(ParseDate, RejectsImpossibleCalendarDatesWithAReason) {
  EXPECT_EQ(DateError("31/02/2023"),
            "'31/02/2023' is not a valid date: February 2023 has 28 days");
  EXPECT_EQ(Date("29/02/2024"), "2024-02-29");
  EXPECT_EQ(Date("29/02/2000"), "2000-02-29");
  EXPECT_EQ(DateError("29/02/1900"),
            "'29/02/1900' is not a valid date: February 1900 has 28 days");
  EXPECT_EQ(DateError("2023-13-01"), "'2023-13-01' is not a valid date: there is no month 13");
  EXPECT_EQ(DateError("00/01/2023"), "'00/01/2023' is not a valid date: there is no day 0");
  EXPECT_EQ(DateError("31-04-2023"), "'31-04-2023' is not a valid date: April 2023 has 30 days");
}

TEST(ParseDate, RejectsOtherShapesWithTheFormatsItAccepts) {
  EXPECT_EQ(DateError(""), "the date is empty");
  EXPECT_EQ(DateError("202224"), "'202224' is not an academic year: 24 does not follow 2022");
  const std::string expected =
      " is not a date (expected YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY or an EES time period "
      "such as 2023 or 202223)";
  EXPECT_EQ(DateError("next week"), "'next week'" + expected);
  EXPECT_EQ(DateError("20180118"), "'20180118'" + expected);
  EXPECT_EQ(DateError("18/01-2018"), "'18/01-2018'" + expected);
  EXPECT_EQ(DateError("2018/01/18"), "'2018/01/18'" + expected);
  EXPECT_EQ(DateError("18/01/201"), "'18/01/201'" + expected);
  EXPECT_EQ(DateError("2018-01-18T25:00"),
            "'2018-01-18T25:00' has a time part that is not hh:mm[:ss]");
  EXPECT_EQ(DateError("18/01/2018 noon"),
            "'18/01/2018 noon' has a time part that is not hh:mm[:ss]");
}

// --- Names ----------------------------------------------------------------

TEST(SnakeCase, TurnsLabelsIntoMeasureNames) {
  EXPECT_EQ(vigil::sdk::ToSnakeCase("Reading, writing and maths"), "reading_writing_and_maths");
  EXPECT_EQ(vigil::sdk::ToSnakeCase("  KS2 -- Expected (%) "), "ks2_expected");
  EXPECT_EQ(vigil::sdk::ToSnakeCase("__"), "");
  EXPECT_TRUE(vigil::sdk::IsSnakeCase("ks2_rwm_expected"));
  EXPECT_FALSE(vigil::sdk::IsSnakeCase("KS2"));
  EXPECT_FALSE(vigil::sdk::IsSnakeCase("2nd"));
  EXPECT_FALSE(vigil::sdk::IsSnakeCase(""));
}

}  // namespace
