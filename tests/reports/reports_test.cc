// The writers: hostile names are escaped, CSV cells cannot run formulas,
// and the JSON carries every field the README documents.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "reports/change_reasons.h"
#include "reports/csv_writer.h"
#include "reports/html_charts.h"
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
  p.noun = "school";
  p.nouns = "schools";
  p.categories = {{"intensive", "Intensive support", "", 60}, {"universal", "Universal support", "", 0}};
  rules::EntityOutcome o;
  o.entity = {1, "school", "100003", "<script>alert(1)</script> \"Primary\"", {{"district", "O'Neil & Co"}}};
  o.category = "intensive";
  o.score = 60;
  o.indicators.push_back({"ofsted", "serious", 60, "Judged <Inadequate>", {"ofsted_overall"}, "", {}});
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
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<b>authority"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &quot;Primary&quot;"), std::string::npos);
  EXPECT_NE(html.find("O&#39;Neil &amp; Co"), std::string::npos);
  EXPECT_NE(html.find("Judged &lt;Inadequate&gt;"), std::string::npos);
}

TEST(HtmlReport, IsSelfContainedAndSaysWhenASectionIsEmpty) {
  std::string html = RenderHtml(HostileReport());
  EXPECT_EQ(html.find("http://"), html.find("http://evil"));  // nothing fetched, only the escaped name
  // One script, the report's own (sorting and filtering), loading nothing.
  EXPECT_EQ(html.find("<script"), html.rfind("<script"));
  EXPECT_EQ(html.find("<script src"), std::string::npos);
  EXPECT_EQ(html.find("fetch("), std::string::npos);
  EXPECT_EQ(html.find("XMLHttpRequest"), std::string::npos);
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
  EXPECT_NE(html.find("2,001 schools not listed here"), std::string::npos);
  EXPECT_NE(html.find("They are in the by-district pages and results.csv."), std::string::npos);
  EXPECT_NE(html.find("By district"), std::string::npos);  // the breakdown still counts them all
  EXPECT_EQ(html.find("Ward 7<"), std::string::npos);     // 2,000 wards: a note, not a table
  EXPECT_NE(html.find("2,000 different values: too many for one table. Each by-district page has this "
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

// A schools pack as the default one reports it: titles, columns, charts.
PackReport SchoolsPack() {
  PackReport p;
  p.name = "schools";
  p.title = "Schools";
  p.kind = "school";
  p.noun = "school";
  p.nouns = "schools";
  p.key_title = "URN";
  p.categories = {{"intensive", "Intensive support", "", 60}, {"targeted", "Targeted support", "", 25},
                  {"universal", "Universal support", "", 0}};
  p.indicators = {{"ofsted_judgement", "Latest graded Ofsted judgement", "ofsted.lua", 1},
                  {"persistent_absence", "Persistent absence", "attendance.lua", 1},
                  {"governance", "Governance risk rating", "governance.lua", 1}};
  p.columns = {{"Pupils", "latest", "pupils", true, false}, {"Ward", "attr", "ward", false, false}};
  p.summary = {{"Pupils in open schools", "Pupils", "sum", "", "", "", ""}};
  p.thresholds["persistent_absence_watch_primary"] = {"number", 25.0, ""};
  p.thresholds["persistent_absence_concern_primary"] = {"number", 30.0, ""};
  p.thresholds["persistent_absence_watch_secondary"] = {"number", 35.0, ""};
  p.charts = {{"Persistent absence", "persistent_absence", "%", {},
               {{"watch", "persistent_absence_watch_primary", std::nullopt, "", 1, ""},
                {"concern", "persistent_absence_concern_primary", std::nullopt, "", 1, ""},
                {"watch", "persistent_absence_watch_secondary", std::nullopt, "", 1, ""}}}};
  p.timeline = rules::Timeline{"Ofsted graded inspections", "ofsted_overall",
                               {"Outstanding", "Good", "Requires improvement", "Inadequate"}};
  return p;
}

rules::EntityOutcome School(const std::string& key, const std::string& name, const std::string& category) {
  rules::EntityOutcome o;
  o.entity = {std::stoll(key), "school", key, name, {{"district", "Ladywood"}, {"ward", "Aston"}}};
  o.category = category;
  o.computed_category = category;
  o.columns = {"215287", "Aston"};
  return o;
}

RunReport OneSchool(const rules::EntityOutcome& o) {
  RunReport r;
  r.job = "demo";
  r.title = "Demo";
  r.run_id = 3;
  r.as_of = "2023-11-30";
  PackReport p = SchoolsPack();
  p.outcomes.push_back(o);
  Finalise(p);
  r.packs.push_back(p);
  return r;
}

TEST(HtmlReport, ListsReasonsMostSeriousFirstByTitleAcrossTheWholeRow) {
  auto o = School("103456", "Aston Primary", "intensive");
  o.score = 95;
  o.indicators = {{"governance", "watch", 8, "Governance risk rated Medium", {}, "", {}},
                  {"persistent_absence", "concern", 25, "Persistent absence 31.2% in 2022/23", {}, "", {}},
                  {"ofsted_judgement", "serious", 60, "Judged Inadequate at the inspection of 2021-05-25", {}, "", {}}};
  std::string html = RenderHtml(OneSchool(o));
  auto serious = html.find("<strong>Latest graded Ofsted judgement</strong>");
  auto concern = html.find("<strong>Persistent absence</strong>");
  auto watch = html.find("<strong>Governance risk rating</strong>");
  ASSERT_NE(serious, std::string::npos);
  EXPECT_LT(serious, concern);
  EXPECT_LT(concern, watch);
  EXPECT_EQ(html.find("ofsted_judgement</"), std::string::npos) << "titles, not ids";
  // The reasons are a row of their own under the facts, as wide as the table.
  EXPECT_NE(html.find("<tr class=\"why\"><td colspan=\"5\">"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"lvl lvl-serious\">Serious</span>"), std::string::npos) << "the level in words";
  // Dates do not wrap; numbers have separators; the URN is a key, not a number.
  EXPECT_NE(html.find("inspection of <span class=\"date\">2021-05-25</span>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"num\">215,287</td>"), std::string::npos);
  EXPECT_NE(html.find(">103456</td>"), std::string::npos);
  EXPECT_NE(html.find("<div class=\"n\">215,287</div>"), std::string::npos) << "summary figures too";
  // A column the pack leaves out of print is marked so.
  EXPECT_NE(html.find("<th scope=\"col\" class=\"noprint\">Ward</th>"), std::string::npos);
}

TEST(HtmlReport, HasAContentsListAndAnIdForEverySectionAndSchool) {
  auto o = School("103456", "Aston Primary", "intensive");
  std::string html = RenderHtml(OneSchool(o));
  for (const char* id : {"schools", "schools-headline", "schools-intensive", "schools-targeted", "schools-universal",
                         "schools-changes", "schools-by-district", "schools-by-ward", "data-quality", "school-103456"}) {
    EXPECT_NE(html.find(std::string("id=\"") + id + "\""), std::string::npos) << id;
  }
  auto nav = html.find("<nav class=\"contents\"");
  ASSERT_NE(nav, std::string::npos);
  EXPECT_NE(html.find("<a href=\"#schools-intensive\">Intensive support</a> (1)", nav), std::string::npos);
  EXPECT_NE(html.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(html.find("<th scope=\"col\">URN</th>"), std::string::npos);
  // Order: headline, the lists, the changes, the breakdowns.
  EXPECT_LT(html.find("id=\"schools-headline\""), html.find("id=\"schools-intensive\""));
  EXPECT_LT(html.find("id=\"schools-universal\""), html.find("id=\"schools-changes\""));
  EXPECT_LT(html.find("id=\"schools-changes\""), html.find("id=\"schools-by-district\""));
}

TEST(HtmlReport, FoldsALongListOfTheLeastSeriousCategoryAndSaysItIsNotPrinted) {
  RunReport r = OneSchool(School("100000", "First", "intensive"));
  PackReport& p = r.packs.front();
  for (int i = 1; i <= 40; ++i) p.outcomes.push_back(School(std::to_string(100000 + i), "Fine school", "universal"));
  Finalise(p);
  std::string html = RenderHtml(r);
  EXPECT_NE(html.find("<details class=\"list\"><summary>Show the 40 schools in Universal support</summary>"),
            std::string::npos);
  EXPECT_NE(html.find("The 40 schools in Universal support are not printed"), std::string::npos);
  EXPECT_NE(html.find("class=\"entities sortable filterable\""), std::string::npos);
  EXPECT_EQ(html.find("<details class=\"list\"><summary>Show the 1 "), std::string::npos);
}

TEST(HtmlReport, AKpiSaysKpisAndAPackNounIsUsedEverywhere) {
  RunReport r = OneSchool(School("100001", "A", "intensive"));
  r.packs[0].noun = "KPI";
  r.packs[0].nouns = "KPIs";
  r.packs[0].outcomes.push_back(School("100002", "B", "universal"));
  Finalise(r.packs[0]);
  std::string html = RenderHtml(r);
  EXPECT_NE(html.find("2 KPIs assessed"), std::string::npos);
  EXPECT_EQ(html.find("kpis assessed"), std::string::npos);
  EXPECT_NE(RenderMarkdown(r).find("2 KPIs assessed"), std::string::npos);
}

TEST(ChangeReasons, SayWhichIndicatorMovedByTitleWithArrowsAndPoints) {
  PackReport p = SchoolsPack();
  p.previous_run = 9;
  store::StoredResult before;
  before.category = "targeted";
  before.score = 30;
  before.indicators = {{"ofsted_judgement", "concern", 30}, {"persistent_absence", "watch", 10}};
  auto now = School("103456", "Aston Primary", "intensive");
  now.indicators = {{"ofsted_judgement", "concern", 35, "Judged Requires improvement", {}, "", {}},
                    {"persistent_absence", "serious", 40, "Persistent absence 45%", {}, "", {}}};
  auto why = ExplainChange(p, &before, &now);
  ASSERT_EQ(why.size(), 2u);
  EXPECT_EQ(why[0], "Persistent absence: watch (10 points) → serious (40 points): Persistent absence 45%");
  EXPECT_EQ(why[1], "Latest graded Ofsted judgement: 30 → 35 points (concern)");
}

TEST(ChangeReasons, SayWhenAnOverrideBeginsOrEndsAndWhenOnlyTheRulesChanged) {
  PackReport p = SchoolsPack();
  p.previous_run = 9;
  store::StoredResult before;
  before.category = "universal";
  before.computed_category = "universal";
  auto now = School("103456", "Aston Primary", "targeted");
  now.computed_category = "universal";
  now.override_applied = rules::Override{"103456", "targeted", "New head", "A. Officer", "2024-03-31", "", 0};
  EXPECT_EQ(ExplainChange(p, &before, &now),
            std::vector<std::string>{"Override by A. Officer until 2024-03-31: New head (the rules give Universal support)"});

  before.category = "targeted";
  before.override_json = R"({"category":"targeted","reason":"New head","by":"A. Officer","expires":"2024-03-31"})";
  auto after = School("103456", "Aston Primary", "universal");
  EXPECT_EQ(ExplainChange(p, &before, &after),
            std::vector<std::string>{"Override by A. Officer until 2024-03-31 no longer applies (it set Targeted support)"});

  store::StoredResult same;
  same.category = "universal";
  same.score = 30;
  auto moved = School("103456", "Aston Primary", "targeted");
  moved.score = 30;
  p.rules_changed = true;
  p.changed_files = {"categories.lua"};
  EXPECT_EQ(ExplainChange(p, &same, &moved), std::vector<std::string>{"The rules changed since run 9: categories.lua"});
  EXPECT_EQ(ExplainChange(p, nullptr, &moved)[0], "Not assessed in run 9: first assessed in this run");
  EXPECT_EQ(ExplainChange(p, &same, nullptr)[0].rfind("No longer assessed: Universal support in run 9", 0), 0u);
}

TEST(EntityPage, ShowsEveryIndicatorTheThresholdsItUsedChartsWithThoseLinesAndTheTimeline) {
  auto o = School("103456", "Aston <Primary>", "targeted");
  o.score = 35;
  o.indicators = {{"persistent_absence", "concern", 25, "Persistent absence 31.2% in 2022/23", {"persistent_absence"}, "",
                   {"persistent_absence_concern_primary", "persistent_absence_watch_primary"}},
                  {"ofsted_judgement", "none", 0, "Judged Good", {}, "", {}}};
  RunReport r = OneSchool(o);
  EntityHistory& h = r.packs[0].histories["103456"];
  h.series["persistent_absence"] = {{"2021-08-31", 22.5, ""}, {"2022-08-31", std::nullopt, "c: confidential"},
                                    {"2023-08-31", 31.2, ""}};
  h.series["ofsted_overall"] = {{"2017-05-30", 3.0, "Requires improvement"}, {"2022-01-12", 2.0, "Good"}};
  h.past = {{"103456", "2022-11-30", 1, "universal", 10}};
  std::string page = RenderEntityPage(r, r.packs[0], r.packs[0].outcomes[0]);
  EXPECT_NE(page.find("<h1>Aston &lt;Primary&gt;</h1>"), std::string::npos);
  EXPECT_NE(page.find("<a class=\"back\" href=\"../report.html#school-103456\">"), std::string::npos);
  // Every indicator, none included, most serious first, with the thresholds it read.
  auto concern = page.find("Persistent absence 31.2% in 2022/23");
  ASSERT_NE(concern, std::string::npos);
  EXPECT_LT(concern, page.find("Judged Good"));
  EXPECT_NE(page.find("<code>persistent_absence_concern_primary</code>&nbsp;=&nbsp;30"), std::string::npos);
  // The chart draws the primary thresholds the rules used, not the secondary ones.
  EXPECT_NE(page.find(">concern 30%</text>"), std::string::npos);
  EXPECT_NE(page.find(">watch 25%</text>"), std::string::npos);
  EXPECT_EQ(page.find(">watch 35%</text>"), std::string::npos);
  EXPECT_NE(page.find("<desc id=\"chart-1-d\">Persistent absence: 2021-08-31 22.5%, 2023-08-31 31.2%. "
                      "Lines: watch at 25%, concern at 30%.</desc>"),
            std::string::npos)
      << "a text alternative";
  EXPECT_NE(page.find("× not published: <span class=\"date\">2022-08-31</span> (c: confidential)"), std::string::npos);
  // The inspections as a timeline, named, and the category in each period.
  EXPECT_NE(page.find("<li><span class=\"date\">2017-05-30</span>: Requires improvement</li>"), std::string::npos);
  EXPECT_NE(page.find("2022-11-30</th><td>1</td>"), std::string::npos);
  EXPECT_NE(page.find("2023-11-30</th><td>3 (this run)</td>"), std::string::npos);
  // Standing alone (vigil explain --html), it links nowhere.
  EXPECT_EQ(RenderEntityPage(r, r.packs[0], r.packs[0].outcomes[0], false).find("class=\"back\""), std::string::npos);
}

TEST(EntityPage, FileNamesAndAnchorsAreSafeForAnyKey) {
  EXPECT_EQ(EntityPagePath("schools", "103456"), "schools/103456.html");
  EXPECT_EQ(EntityPagePath("kpis", "KPI1/district/Sutton Coldfield"), "kpis/KPI1_2Fdistrict_2FSutton_20Coldfield.html");
  EXPECT_EQ(EntityPagePath("schools", "../../etc/passwd"), "schools/_2E_2E_2F_2E_2E_2Fetc_2Fpasswd.html");
  EXPECT_EQ(EntityPagePath("schools", ""), "schools/_.html");
  EXPECT_NE(EntityPagePath("schools", "a_b"), EntityPagePath("schools", "a/b"));
  // A key of any length makes a file name a file system accepts, distinct
  // from another that differs only at its end.
  std::string long_key(5000, '/');
  std::string a = EntityPagePath("schools", long_key + "a"), b = EntityPagePath("schools", long_key + "b");
  EXPECT_NE(a, b);
  EXPECT_LE(a.size() - std::string("schools/").size(), 255u);
  EXPECT_EQ(a, EntityPagePath("schools", long_key + "a"));
  EXPECT_EQ(EntityAnchor("school", "<x>"), "school-_3Cx_3E");
}

TEST(HtmlReport, DrawsTheTrendAcrossPeriodsWithATextAlternative) {
  RunReport r = OneSchool(School("100001", "A", "intensive"));
  r.packs[0].trend = {{"2021-11-30", 1, {{"intensive", 3}, {"universal", 10}}},
                      {"2022-11-30", 2, {{"intensive", 2}, {"universal", 11}}}};
  std::string html = RenderHtml(r);
  EXPECT_NE(html.find("<title id=\"schools-trend-t\">Schools in each category, by period</title>"), std::string::npos);
  EXPECT_NE(html.find("Intensive support: 2021-11-30 3, 2022-11-30 2, 2023-11-30 1."), std::string::npos);
  r.packs[0].trend.clear();
  EXPECT_EQ(RenderHtml(r).find("schools-trend-t"), std::string::npos);
}

TEST(Charts, ValuesReadAsPeopleWriteThem) {
  EXPECT_EQ(html::WithUnit(-0.25, ""), "−0.25");
  EXPECT_EQ(html::WithUnit(-1e-17, ""), "0") << "a tick that drifted below zero is 0, not −0";
  EXPECT_EQ(html::WithUnit(-100000, "£"), "−£100,000");
  EXPECT_EQ(html::WithUnit(65, "%"), "65%");
  EXPECT_EQ(html::WithUnit(31.234, "%"), "31.23%");
}

TEST(MarkdownReport, ShowsArrowsAndTextNotHtmlEntities) {
  RunReport r = OneSchool(School("100001", "A", "intensive"));
  PackReport& p = r.packs[0];
  p.has_previous = true;
  p.previous_run = 2;
  p.previous_as_of = "2022-11-30";
  CategoryChange c;
  c.key = "100001";
  c.name = "A";
  c.from = "targeted";
  c.to = "intensive";
  c.score_from = 30;
  c.score_to = 60;
  c.why = {"Persistent absence: watch (10 points) → concern (25 points): Persistent absence 31%"};
  p.changes.push_back(c);
  std::string md = RenderMarkdown(r);
  EXPECT_NE(md.find("| 100001 | A | Targeted support (30) | Intensive support (60) | Persistent absence: watch (10 points) "
                    "→ concern (25 points): Persistent absence 31% |"),
            std::string::npos)
      << md;
  EXPECT_EQ(md.find("&gt;"), std::string::npos);
  EXPECT_EQ(md.find("->"), std::string::npos);
  EXPECT_NE(md.find("### Changes since run 2 (2022-11-30)"), std::string::npos);
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
  EXPECT_NE(html.find("data/old.csv</span>: rows not counted, 2 rejected"), std::string::npos);
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
