// The reports as their readers see them, in a real browser: the demo's
// main page, the plan's, a district's page and a school's page, opened in
// headless Chromium at 1280 and 1920 px and laid out for A4, with nothing
// wider than the page and nothing clipped; then printed to A4, where every
// reason of the first five schools in the most serious category is in the
// PDF's text in full, and the page count stays reasonable. Skipped, saying
// so, only where Chromium (or poppler-utils) is not installed.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <iostream>

#include "browser/headless_chromium.h"
#include "test_support.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;
using testing::HeadlessChromium;
using testing::ReadText;
using testing::TempDir;

// A4 less the report's @page margins (11 mm each side) in CSS pixels: the
// width the print layout has.
constexpr int kA4Width = 711;

// Run in the page: everything that sticks out of the window or is cut off.
constexpr const char* kMeasure = R"js((() => {
  const de = document.documentElement, vw = de.clientWidth, problems = [];
  const where = el => { const s = el.closest('[id]'); return s ? '#' + s.id : 'the page'; };
  const text = el => (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 60);
  if (de.scrollWidth > vw) problems.push(`the page scrolls sideways: ${de.scrollWidth}px in a ${vw}px window`);
  let tables = 0, widest = 0;
  for (const t of document.querySelectorAll('table')) {
    const r = t.getBoundingClientRect();
    if (r.width === 0) continue;  // folded away or not printed
    tables++;
    widest = Math.max(widest, r.right);
    const box = t.parentElement.getBoundingClientRect();
    if (r.right > vw + 0.5 || r.width > box.width + 0.5)
      problems.push(`a table in ${where(t)} is ${Math.round(r.width)}px wide in ${Math.round(box.width)}px`);
  }
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right > vw + 0.5) problems.push(`<${el.localName}> in ${where(el)} ends at ${Math.round(r.right)}px: "${text(el)}"`);
    const style = getComputedStyle(el);
    if (!(el instanceof SVGElement) && style.overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1)
      problems.push(`<${el.localName}> in ${where(el)} cuts off its content: "${text(el)}"`);
    if (problems.length > 20) break;
  }
  for (const svg of document.querySelectorAll('svg')) {
    const box = svg.getBoundingClientRect();
    for (const t of svg.querySelectorAll('text')) {
      const r = t.getBoundingClientRect();
      if (r.width && (r.left < box.left - 0.5 || r.right > box.right + 0.5))
        problems.push(`chart text "${text(t)}" in ${where(svg)} is cut off by its chart`);
    }
  }
  return { window: vw, page: de.scrollWidth, tables, widest: Math.round(widest), problems };
})())js";

// Text with every space and line break removed: a reason wrapped across
// lines of the PDF still matches.
std::string Squeezed(const std::string& text) {
  std::string out;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c))) out += c;
  return out;
}

class Browser : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HeadlessChromium::Find())
      GTEST_SKIP() << "chromium is not installed (apt-get install chromium; scripts/install-deps.sh does): "
                      "the report's browser checks are skipped";
    if (testing::Run("pdftotext -v").exit_code != 0 || testing::Run("pdfinfo -v").exit_code != 0)
      GTEST_SKIP() << "poppler-utils is not installed (apt-get install poppler-utils): the report's print checks are skipped";
    testing::CopyTree(fs::path(VIGIL_SOURCE_DIR) / "demo", dir_ / "demo");
    testing::CopyTree(fs::path(VIGIL_SOURCE_DIR) / "rules", dir_ / "rules");
  }

  void RunJob(const std::string& job) {
    auto r = testing::Run("cd '" + (dir_ / "demo").string() + "' && '" + VIGIL_BINARY + "' run " + job);
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }

  fs::path Reports(const std::string& job) { return dir_ / "out" / job / "reports" / "latest"; }

  // Opens `page` at 1280 px, 1920 px and laid out for A4 (print media at
  // the printable width), expecting nothing too wide or cut off; then
  // prints it to A4 and returns the PDF's text and its number of pages.
  std::pair<std::string, int> Check(const fs::path& page) {
    HeadlessChromium browser;
    EXPECT_TRUE(browser.ok()) << browser.error();
    EXPECT_TRUE(browser.Navigate("file://" + fs::absolute(page).string())) << browser.error();
    struct Layout {
      const char* name;
      int width;
      const char* media;
    };
    for (const Layout& layout : {Layout{"1280 px", 1280, ""}, Layout{"1920 px", 1920, ""}, Layout{"A4", kA4Width, "print"}}) {
      EXPECT_TRUE(browser.SetViewport(layout.width, 900) && browser.EmulateMedia(layout.media)) << browser.error();
      nlohmann::json m = browser.Evaluate(kMeasure);
      EXPECT_TRUE(m.is_object()) << browser.error();
      if (!m.is_object()) continue;
      std::cout << page.filename().string() << " at " << layout.name << ": page " << m["page"] << " px in a "
                << m["window"] << " px window, " << m["tables"] << " tables shown, the widest ending at "
                << m["widest"] << " px, " << m["problems"].size() << " problems\n";
      EXPECT_TRUE(m["problems"].empty()) << page << " at " << layout.name << ":\n" << m["problems"].dump(2);
    }
    fs::path pdf = dir_ / (page.stem().string() + ".pdf");
    EXPECT_TRUE(browser.EmulateMedia("") && browser.PrintToPdf(pdf)) << browser.error();
    auto info = testing::Run("pdfinfo '" + pdf.string() + "'");
    int pages = 0;
    if (auto at = info.output.find("Pages:"); at != std::string::npos) pages = std::stoi(info.output.substr(at + 6));
    auto text = testing::Run("pdftotext -enc UTF-8 '" + pdf.string() + "' -");
    std::cout << page.filename().string() << " printed on A4: " << pages << " pages\n";
    RecordProperty("a4_pages_" + page.stem().string(), pages);
    return {text.output, pages};
  }

  // Every reason of the first `n` entities of `category` in pack `p` of report.json.
  static std::vector<std::string> Reasons(const nlohmann::json& pack, const std::string& category, std::size_t n,
                                          const std::string& district = "") {
    std::vector<std::string> reasons;
    std::size_t seen = 0;
    for (const auto& e : pack["entities"]) {
      if (e["category"] != category) continue;
      if (!district.empty() && e["attributes"].value("district", "") != district) continue;
      if (++seen > n) break;
      for (const auto& i : e["indicators"])
        if (i["level"] != "none") reasons.push_back(i["reason"]);
    }
    return reasons;
  }

  static void ExpectAllIn(const std::string& pdf_text, const std::vector<std::string>& reasons) {
    std::string squeezed = Squeezed(pdf_text);
    for (const auto& reason : reasons)
      EXPECT_NE(squeezed.find(Squeezed(reason)), std::string::npos) << "not in the printed page, in full: " << reason;
  }

  TempDir dir_;
};

TEST_F(Browser, TheDemoReportFitsTheScreenAndA4AndPrintsEveryReasonInFull) {
  RunJob("demo.toml");  // the demo as scripts/demo.sh runs it
  auto doc = nlohmann::json::parse(ReadText(Reports("demo") / "report.json"));
  auto reasons = Reasons(doc["packs"][0], "intensive", 5);
  ASSERT_GE(reasons.size(), 10u);
  auto [text, pages] = Check(Reports("demo") / "report.html");
  ExpectAllIn(text, reasons);
  EXPECT_GT(pages, 5);
  EXPECT_LT(pages, 30) << "the demo's main page should print on fewer than 30 A4 pages";
}

// A year later the same page also has the trend across periods and 127
// schools that changed category, each with why.
TEST_F(Browser, TheDemoReportAYearLaterWithItsTrendAndChangesStillFits) {
  RunJob("demo.toml --as-of 2022-11-30");
  RunJob("demo.toml");
  auto doc = nlohmann::json::parse(ReadText(Reports("demo") / "report.json"));
  const auto& changes = doc["packs"][0]["changes_since_previous_run"];
  ASSERT_GT(changes.size(), 50u);
  auto [text, pages] = Check(Reports("demo") / "report.html");
  std::vector<std::string> why;
  for (std::size_t i = 0; i < 5; ++i)
    for (const auto& reason : changes[i]["reasons"]) why.push_back(reason);
  ExpectAllIn(text, why);
  EXPECT_LT(pages, 40);
}

// The small inline script sorts and filters long lists; without it the
// page is complete (the lists are in the HTML, the script only reorders).
TEST_F(Browser, LongListsSortAndFilterInThePage) {
  RunJob("demo.toml");
  fs::path page = Reports("demo") / "report.html";
  std::string html = ReadText(page);
  auto doc = nlohmann::json::parse(ReadText(Reports("demo") / "report.json"));
  std::size_t script = html.find("<script>");
  for (const auto& e : doc["packs"][0]["entities"]) {
    if (e["category"] != "targeted") continue;
    EXPECT_LT(html.find("id=\"school-" + e["key"].get<std::string>() + "\""), script) << "listed without the script";
  }
  HeadlessChromium browser;
  ASSERT_TRUE(browser.Navigate("file://" + page.string())) << browser.error();
  auto filtered = browser.Evaluate(R"js((() => {
    const list = document.querySelector('#schools-targeted table');
    const input = list.previousElementSibling.querySelector('input');
    input.value = 'Yardley';
    input.dispatchEvent(new Event('input'));
    const rows = Array.from(list.querySelectorAll(':scope > tbody.entity'));
    const shown = rows.filter(r => !r.hidden);
    return { all: rows.length, shown: shown.length, match: shown.every(r => r.textContent.includes('Yardley')) };
  })())js");
  ASSERT_TRUE(filtered.is_object()) << browser.error();
  EXPECT_GT(filtered["shown"].get<int>(), 0);
  EXPECT_LT(filtered["shown"].get<int>(), filtered["all"].get<int>());
  EXPECT_TRUE(filtered["match"].get<bool>());
  auto sorted = browser.Evaluate(R"js((() => {
    const list = document.querySelector('#schools-targeted table');
    const heads = Array.from(list.tHead.rows[0].cells);
    const pupils = heads.findIndex(h => h.textContent.startsWith('Pupils'));
    heads[pupils].click();
    const values = Array.from(list.querySelectorAll(':scope > tbody.entity'))
      .map(r => parseFloat(r.rows[0].cells[pupils].textContent.replace(/,/g, '')))
      .filter(v => !isNaN(v));
    return { state: heads[pupils].getAttribute('aria-sort'), ascending: values.every((v, i) => i === 0 || values[i - 1] <= v),
             count: values.length };
  })())js");
  ASSERT_TRUE(sorted.is_object()) << browser.error();
  EXPECT_EQ(sorted["state"], "ascending");
  EXPECT_TRUE(sorted["ascending"].get<bool>());
  EXPECT_GT(sorted["count"].get<int>(), 50);
}

TEST_F(Browser, ThePlanReportFitsTheScreenAndA4AndPrintsEveryReasonInFull) {
  RunJob("plan.toml");
  auto doc = nlohmann::json::parse(ReadText(Reports("plan") / "report.json"));
  std::vector<std::string> reasons;
  for (const auto& pack : doc["packs"]) {
    auto top = Reasons(pack, pack["categories"][0]["id"], 5);
    reasons.insert(reasons.end(), top.begin(), top.end());
  }
  ASSERT_GE(reasons.size(), 5u);
  auto [text, pages] = Check(Reports("plan") / "report.html");
  ExpectAllIn(text, reasons);
  EXPECT_LT(pages, 20);
}

TEST_F(Browser, ADistrictPageFitsTheScreenAndA4AndPrintsItsSchoolsReasons) {
  RunJob("demo.toml --as-of 2022-11-30");
  RunJob("demo.toml");
  auto doc = nlohmann::json::parse(ReadText(Reports("demo") / "report.json"));
  std::string district;
  for (const auto& e : doc["packs"][0]["entities"])
    if (e["category"] == "intensive") {
      district = e["attributes"]["district"];
      break;
    }
  ASSERT_FALSE(district.empty());
  std::string slug;
  for (char c : district) slug += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '-';
  auto [text, pages] = Check(Reports("demo") / "by-district" / (slug + ".html"));
  ExpectAllIn(text, Reasons(doc["packs"][0], "intensive", 5, district));
  EXPECT_LT(pages, 10);
}

TEST_F(Browser, ASchoolPageShowsItsChartsFitsAndPrintsEveryReason) {
  RunJob("demo.toml --as-of 2022-11-30");
  RunJob("demo.toml");
  auto doc = nlohmann::json::parse(ReadText(Reports("demo") / "report.json"));
  const auto& school = doc["packs"][0]["entities"][0];
  ASSERT_EQ(school["category"], "intensive");
  fs::path page = Reports("demo") / "schools" / (school["key"].get<std::string>() + ".html");
  ASSERT_TRUE(fs::exists(page)) << page;
  auto [text, pages] = Check(page);
  std::vector<std::string> reasons;
  for (const auto& i : school["indicators"]) reasons.push_back(i["reason"]);  // every indicator, none included
  ExpectAllIn(text, reasons);
  EXPECT_NE(text.find("Category in each period"), std::string::npos);
  EXPECT_LE(pages, 4);
  HeadlessChromium browser;
  ASSERT_TRUE(browser.Navigate("file://" + page.string())) << browser.error();
  EXPECT_GE(browser.Evaluate("document.querySelectorAll('#history svg').length").get<int>(), 2)
      << "a school with results and inspections has charts of its history";
}

}  // namespace
}  // namespace vigil
