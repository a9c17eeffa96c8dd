#include "base/text.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(HtmlEscape, EscapesEveryCharacterThatCouldOpenMarkup) {
  EXPECT_EQ(HtmlEscape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
}

TEST(CsvField, QuotesFieldsWithCommasQuotesAndNewlines) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
}

TEST(CsvField, NeutralisesSpreadsheetFormulasButNotNegativeNumbers) {
  EXPECT_EQ(CsvField("=HYPERLINK(\"http://evil\")"), "\"'=HYPERLINK(\"\"http://evil\"\")\"");
  EXPECT_EQ(CsvField("+cmd"), "'+cmd");
  EXPECT_EQ(CsvField("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvField("-3.5"), "-3.5");
  EXPECT_EQ(CsvField("-2+3"), "'-2+3");
}

TEST(Utf8, InvalidBytesAreReplacedNotPassedThrough) {
  EXPECT_TRUE(IsValidUtf8("St Aidan\xE2\x80\x99s"));
  EXPECT_FALSE(IsValidUtf8("St Aidan\x92s"));
  EXPECT_EQ(SanitizeUtf8("St Aidan\x92s"), "St Aidan\xEF\xBF\xBDs");
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));  // overlong '/'
}

TEST(FoldForSearch, QuotesDashesSpacesAndCaseCompareAlike) {
  EXPECT_EQ(FoldForSearch("St Bede\xE2\x80\x99s"), "st bede's");     // ’
  EXPECT_EQ(FoldForSearch("ST BEDE\xE2\x80\x98S"), "st bede's");     // ‘
  EXPECT_EQ(FoldForSearch("  St  Bede`s\xC2\xA0 "), "st bede's");    // ` and a no-break space
  EXPECT_EQ(FoldForSearch("Bishop \xE2\x80\x93 Challoner"), "bishop - challoner");  // en dash
  EXPECT_EQ(FoldForSearch("\xC3\x89" "COLE"), "\xC3\xA9" "cole");      // É
  EXPECT_EQ(FoldForSearch("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(FoldForSearch("\x92"), "\x92");  // not UTF-8: kept, never matched loosely
}

TEST(FormatNumber, PrintsIntegersWithoutDecimalsAndFractionsShortest) {
  EXPECT_EQ(FormatNumber(30), "30");
  EXPECT_EQ(FormatNumber(12.5), "12.5");
  EXPECT_EQ(FormatNumber(-0.25), "-0.25");
}

TEST(CleanText, MakesTextFromARuleValidOneLineAndBounded) {
  EXPECT_EQ(CleanText("Deficit \xA3" "40k\x1b[2J\nnext\t\r", 100), "Deficit \xEF\xBF\xBD" "40k\xEF\xBF\xBD[2J next  ");
  EXPECT_EQ(CleanText("two\nlines", 100, false), "two\nlines");
  EXPECT_EQ(CleanText("bidi \xE2\x80\xAE", 100), "bidi \xEF\xBF\xBD");
  std::string cut = CleanText(std::string(1000, 'x') + "\xC3\xA9", 10);
  EXPECT_EQ(cut, "xxxxxxx\xE2\x80\xA6");
  EXPECT_LE(CleanText(std::string(20, '\xC3') , 8).size(), 8u);
  EXPECT_EQ(Truncate("ab\xC3\xA9", 6), "ab\xC3\xA9");
  EXPECT_EQ(Truncate("abc\xC3\xA9xyz", 7), "abc\xE2\x80\xA6");  // never half a character
}

TEST(Printable, ShowsControlCharactersAndBidiOverridesEscaped) {
  EXPECT_EQ(Printable(std::string("a\x1b[2Jb\0c\r\nd", 11)), "a\\x1b[2Jb\\x00c\\x0d\\x0ad");
  EXPECT_EQ(Printable("a\nb", true), "a\nb");
  EXPECT_EQ(Printable("x\xE2\x80\xAEy\xC2\x85z"), "x\\u{202e}y\\u{0085}z");
  EXPECT_EQ(Printable("\xff"), "\xEF\xBF\xBD");
  EXPECT_EQ(OneLine("rule pack 'x' failed:\n  a.lua:3: boom\n    for 1 entity: 1 (A)\n"),
            "rule pack 'x' failed: | a.lua:3: boom | for 1 entity: 1 (A)");
}

}  // namespace
}  // namespace vigil
