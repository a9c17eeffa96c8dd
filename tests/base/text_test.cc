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

TEST(FormatNumber, PrintsIntegersWithoutDecimalsAndFractionsShortest) {
  EXPECT_EQ(FormatNumber(30), "30");
  EXPECT_EQ(FormatNumber(12.5), "12.5");
  EXPECT_EQ(FormatNumber(-0.25), "-0.25");
}

}  // namespace
}  // namespace vigil
