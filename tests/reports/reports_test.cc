// The writers: hostile names are escaped, CSV cells cannot run formulas,
// and the JSON carries every field the README documents.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "reports/csv_writer.h"
#include "reports/html_writer.h"
#include "reports/json_writer.h"
#include "reports/markdown_writer.h"

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
  EXPECT_NE(html.find("No previous run of this job to compare with."), std::string::npos);
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

// Every format shows, per source and file, where the rows went; a plugin that
// does not count its rows (ABI 1.0/1.1) is shown as such, and warnings are named.
TEST(DataQuality, EveryFormatShowsRowsReadStoredSkippedByReasonAndRejected) {
  RunReport r = HostileReport();
  SourceReport s;
  s.name = "register";
  s.plugin = "gias";
  s.rows.push_back({"data/links.csv", true, 9, 3, 0, {{"not a change of URN", 1}, {"outside the register", 5}}});
  s.rows.push_back({"data/old.csv", false, 0, 0, 2, {}});
  s.warnings.push_back("stored nothing for the <schools>");
  r.sources.push_back(s);
  const std::string html = RenderHtml(r);
  EXPECT_NE(html.find("1 not a change of URN, 5 outside the register"), std::string::npos);
  EXPECT_NE(html.find("data/old.csv: <span class=\"muted\">not counted</span>"), std::string::npos);
  EXPECT_NE(html.find("<strong>register:</strong> stored nothing for the &lt;schools&gt;"), std::string::npos);
  const std::string md = RenderMarkdown(r);
  EXPECT_NE(md.find("data/links.csv: 9 read: 3 stored, 6 skipped (1 not a change of URN, 5 outside the register), "
                    "0 rejected; data/old.csv: rows not counted, 2 rejected"),
            std::string::npos) << md;
  auto json = nlohmann::json::parse(RenderJson(r));
  const auto& rows = json["sources"][0]["rows"];
  EXPECT_EQ(rows[0]["read"], 9);
  EXPECT_EQ(rows[0]["skipped"]["outside the register"], 5);
  EXPECT_TRUE(rows[1]["read"].is_null());
  EXPECT_EQ(json["sources"][0]["warnings"][0], "stored nothing for the <schools>");
  const std::string csv = RenderCsv(r).at("rows.csv");
  EXPECT_NE(csv.find("register,data/links.csv,9,3,6,\"1 not a change of URN, 5 outside the register\",0"),
            std::string::npos) << csv;
  EXPECT_NE(csv.find("register,data/old.csv,,,0,,2"), std::string::npos) << csv;
}

}  // namespace
}  // namespace vigil::reports
