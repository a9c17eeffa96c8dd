// The writers: hostile names are escaped, CSV cells cannot run formulas,
// and the JSON carries every field the README documents.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "reports/csv_writer.h"
#include "reports/html_writer.h"
#include "reports/json_writer.h"

namespace vigil::reports {
namespace {

RunReport HostileReport() {
  RunReport r;
  r.job = "demo";
  r.title = "Demo <b>authority</b>";
  r.run_id = 7;
  r.as_of = "2023-11-30";
  PackReport p;
  p.name = "schools";
  p.title = "Schools";
  p.kind = "school";
  p.categories = {{"intensive", "Intensive support", "", 60}, {"universal", "Universal support", "", 0}};
  rules::EntityOutcome o;
  o.entity = {1, "school", "100003", "<script>alert(1)</script> \"Primary\"", {{"district", "O'Neil & Co"}}};
  o.category = "intensive";
  o.score = 60;
  o.indicators.push_back({"ofsted", "serious", 60, "Judged <Inadequate>", {"ofsted_overall"}, ""});
  p.outcomes.push_back(o);
  rules::EntityOutcome formula;
  formula.entity = {2, "school", "100004", "=HYPERLINK(\"http://evil\",\"click\")", {}};
  formula.category = "universal";
  p.outcomes.push_back(formula);
  Finalise(p);
  r.packs.push_back(p);
  r.rejections.push_back({"register", "schools.csv", 3, "Pupils", "<img src=x>", "not a number"});
  r.rejection_count = 1;
  return r;
}

TEST(HtmlReport, EscapesEveryValueItShows) {
  std::string html = RenderHtml(HostileReport());
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<b>authority"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &quot;Primary&quot;"), std::string::npos);
  EXPECT_NE(html.find("O&#39;Neil &amp; Co"), std::string::npos);
  EXPECT_NE(html.find("Judged &lt;Inadequate&gt;"), std::string::npos);
}

TEST(HtmlReport, IsSelfContainedAndSaysWhenASectionIsEmpty) {
  std::string html = RenderHtml(HostileReport());
  EXPECT_EQ(html.find("http://"), html.find("http://evil"));  // nothing fetched, only the escaped name
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("No succeeded run of an earlier period to compare with."), std::string::npos);
}

// At England scale a page summarises: past kAutoListLimit entities in a pack
// it lists none, says why and where they are; a job can ask for every list.
TEST(HtmlReport, SummarisesInsteadOfListingTensOfThousandsOfEntities) {
  RunReport r = HostileReport();
  PackReport& p = r.packs.front();
  for (std::size_t i = 0; i < kAutoListLimit; ++i) {
    rules::EntityOutcome o;
    o.entity = {static_cast<std::int64_t>(10 + i), "school", std::to_string(200000 + i), "Large school " + std::to_string(i),
                {{"ward", "Ward " + std::to_string(i)}}};
    o.category = "universal";
    p.outcomes.push_back(o);
  }
  Finalise(p);
  r.split_by = "district";
  std::string html = RenderHtml(r);
  EXPECT_EQ(html.find("Large school 7"), std::string::npos);
  EXPECT_NE(html.find("2001 schools not listed here"), std::string::npos);
  EXPECT_NE(html.find("They are in the by-district pages and results.csv."), std::string::npos);
  EXPECT_NE(html.find("By district"), std::string::npos);  // the breakdown still counts them all
  EXPECT_EQ(html.find("Ward 7<"), std::string::npos);     // 2,000 wards: a note, not a table
  EXPECT_NE(html.find("2000 different values: too many for one table. Each by-district page has this "
                      "table for its own entities."), std::string::npos);

  r.lists = "all";
  EXPECT_NE(RenderHtml(r).find("Large school 7"), std::string::npos);
  r.lists = "none";
  r.packs.front().outcomes.resize(2);
  Finalise(r.packs.front());
  html = RenderHtml(r);
  EXPECT_NE(html.find("the job sets [output] lists = &quot;none&quot;"), std::string::npos);
  EXPECT_EQ(html.find("alert(1)"), std::string::npos);
}

TEST(CsvReport, NeutralisesFormulasAndQuotesCells) {
  auto files = RenderCsv(HostileReport());
  const std::string& results = files.at("results.csv");
  EXPECT_NE(results.find("\"'=HYPERLINK(\"\"http://evil\"\",\"\"click\"\")\""), std::string::npos) << results;
  EXPECT_EQ(results.find(",=HYPERLINK"), std::string::npos);
  EXPECT_NE(files.at("rejections.csv").find("register,schools.csv,3,Pupils,<img src=x>,not a number"),
            std::string::npos);
}

TEST(JsonReport, ListsEveryEntityWithItsIndicatorsAndCounts) {
  auto doc = nlohmann::json::parse(RenderJson(HostileReport()));
  const auto& pack = doc["packs"][0];
  EXPECT_EQ(pack["counts"]["intensive"], 1);
  EXPECT_EQ(pack["counts"]["universal"], 1);
  const auto& e = pack["entities"][0];
  EXPECT_EQ(e["key"], "100003");
  EXPECT_EQ(e["kind"], "school");
  EXPECT_EQ(e["attributes"]["district"], "O'Neil & Co");
  EXPECT_EQ(e["category"], "intensive");
  EXPECT_EQ(e["indicators"][0]["level"], "serious");
  EXPECT_EQ(e["indicators"][0]["points"], 60);
  EXPECT_EQ(e["indicators"][0]["reason"], "Judged <Inadequate>");
  EXPECT_EQ(doc["rejections"]["rows"][0]["line"], 3);
}

}  // namespace
}  // namespace vigil::reports
