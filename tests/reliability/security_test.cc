// Security: what comes in cannot get out. Hostile school names reach the
// reports only escaped (HTML) or defused (CSV cells that a spreadsheet would
// run as formulas start with '); a job's plugin settings cannot name a file
// outside its data_folders, however the path is spelled; the store and the
// reports are not world-writable; and rules, which officers edit, can
// neither hang a run nor carry state from one school to the next.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include <vigil/csv.hpp>

#include "reliability/reliability_support.h"

namespace vigil::reliability {
namespace {

// --- Hostile names -----------------------------------------------------------------

const std::vector<std::string> kHostileNames = {
    "<script>alert(1)</script> Primary",
    "\"><img src=x onerror=alert(2)>",
    "' onmouseover='alert(3)' x='",
    "=HYPERLINK(\"http://x\",\"y\")",
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-2+3",
    "</td></tr><svg/onload=alert(8)>",
    "javascript:alert(9)",
};

std::string Escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool IsPlainNumber(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

// Every cell of a CSV report, read with the SDK's reader.
std::vector<std::vector<std::string>> Cells(const fs::path& file) {
  std::vector<std::vector<std::string>> rows;
  sdk::csv::Reader reader(file.string());
  sdk::csv::Row row;
  while (reader.Next(row)) rows.emplace_back(row.fields.begin(), row.fields.end());
  EXPECT_TRUE(reader.ok()) << reader.error();
  return rows;
}

class Hostile : public ::testing::Test {
 protected:
  void SetUp() override {
    job_.AddBadFile("hostile_names.csv");
    job_.WriteJob("hostile_names.csv",
                  "kind = \"school\"\nkey_column = \"URN\"\nname_column = \"Name\"\n"
                  "attributes = [\"status = Status\", \"district = District\"]\n"
                  "measures = [\"pupils = Pupils\"]\ndate_column = \"Census date\"\n");
    run_ = RunVigil(job_.folder(), {"run", "job.toml"});
    ASSERT_EQ(run_.exit_code, 0) << run_.output;
  }
  JobFolder job_;
  Finished run_;
};

// The only script on a page is the report's own (sorting and filtering),
// after the footer; no other tag carries anything a name brought in.
void ExpectOnlyOwnTags(const std::string& html, const std::string& page) {
  const std::string lower = Lower(html);
  std::size_t script = lower.find("<script");
  EXPECT_EQ(script, lower.rfind("<script")) << page << ": more than one script";
  if (script != std::string::npos) {
    EXPECT_GT(script, lower.rfind("</footer>")) << page;
    EXPECT_EQ(lower.find("src=", script), std::string::npos) << page << ": the script loads nothing";
  }
  EXPECT_EQ(lower.find("<img"), std::string::npos) << page;
  std::size_t end = script == std::string::npos ? lower.size() : script;
  for (std::size_t open = lower.find('<'); open < end; open = lower.find('<', open + 1)) {
    const std::string tag = lower.substr(open, lower.find('>', open) - open);
    for (const char* bad : {"onerror", "onload", "onmouseover", "javascript:", "<svg/"})
      EXPECT_EQ(tag.find(bad), std::string::npos) << page << ": in the tag " << tag;
  }
}

TEST_F(Hostile, NamesReachTheHtmlReportOnlyEscaped) {
  const std::string html = ReadText(job_.latest() / "report.html");
  for (const auto& name : kHostileNames) {
    if (name.find_first_of("<>\"'") != std::string::npos) {
      EXPECT_EQ(html.find(name), std::string::npos) << "raw in the HTML: " << name;
    }
    EXPECT_NE(html.find(Escaped(name)), std::string::npos) << "missing from the HTML: " << name;
  }
  ExpectOnlyOwnTags(html, "report.html");
  // Each entity's own page (in the pack's folder) too: every name is on one of them, escaped.
  std::string pages;
  for (const auto& entry : fs::directory_iterator(job_.latest() / "mini")) {
    std::string page = ReadText(entry.path());
    ExpectOnlyOwnTags(page, entry.path().filename().string());
    pages += page;
  }
  for (const auto& name : kHostileNames) {
    if (name.find_first_of("<>\"'") != std::string::npos) {
      EXPECT_EQ(pages.find(name), std::string::npos) << name;
    }
    EXPECT_NE(pages.find(Escaped(name)), std::string::npos) << "no school page shows: " << name;
  }
}

TEST_F(Hostile, NamesAreKeptExactlyInTheJsonReport) {
  auto doc = nlohmann::json::parse(ReadText(job_.latest() / "report.json"));
  std::vector<std::string> names;
  for (const auto& e : doc["packs"][0]["entities"]) names.push_back(e["name"].get<std::string>());
  for (const auto& name : kHostileNames)
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
}

TEST_F(Hostile, NoCsvCellCanRunAsASpreadsheetFormula) {
  for (const char* file : {"results.csv", "indicators.csv", "rejections.csv"}) {
    auto rows = Cells(job_.latest() / file);
    ASSERT_GE(rows.size(), 2u) << file;
    for (const auto& row : rows)
      for (const auto& cell : row)
        if (!cell.empty() && std::string("=+-@\t\r").find(cell[0]) != std::string::npos) {
          EXPECT_TRUE(IsPlainNumber(cell)) << file << ": a cell a spreadsheet would run: " << cell;
        }
  }
  // The formula-like names and values are there, defused with a leading '.
  const std::string results = ReadText(job_.latest() / "results.csv");
  std::vector<std::string> cells;
  for (const auto& row : Cells(job_.latest() / "results.csv")) cells.insert(cells.end(), row.begin(), row.end());
  for (const char* expected : {"'=HYPERLINK(\"http://x\",\"y\")", "'+cmd|' /C calc'!A0", "'@SUM(1)", "'-2+3",
                               "'=1+1", "'=cmd|' /C notepad'!A1", "-5"})
    EXPECT_NE(std::find(cells.begin(), cells.end(), expected), cells.end()) << expected << "\n" << results;
  // A rejected formula-like value is defused in rejections.csv too.
  std::vector<std::string> rejected;
  for (const auto& row : Cells(job_.latest() / "rejections.csv")) rejected.insert(rejected.end(), row.begin(), row.end());
  EXPECT_NE(std::find(rejected.begin(), rejected.end(), "'=HYPERLINK(\"http://evil\",\"x\")"), rejected.end());
}

// --- Paths outside data_folders ------------------------------------------------------

class Paths : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(job_.folder() / "data");
    WriteText(job_.folder() / "data" / "schools.csv", "URN,Name,Status,Pupils,Census date\n1,A,Open,1,19/01/2023\n");
    // A secret next to the job folder, outside its data folder.
    WriteText(job_.root() / "secret.csv", "URN,Name,Status,Pupils,Census date\n666,SECRET,Open,1,19/01/2023\n");
  }
  // A job whose data folder is data/ and whose register reads `file`.
  void WriteJobFor(const std::string& file) {
    job_.WriteJob(file);
    std::string text = ReadText(job_.job_file());
    text.replace(text.find("data_folders = [\".\"]"), 20, "data_folders = [\"data\"]");
    WriteText(job_.job_file(), text);
  }
  Finished Check(const std::string& file) {
    WriteJobFor(file);
    return RunVigil(job_.folder(), {"sources", "check", "job.toml"});
  }
  void ExpectRefused(const std::string& file) {
    WriteJobFor(file);
    for (const char* command : {"sources", "run"}) {
      Finished f = std::string(command) == "run" ? RunVigil(job_.folder(), {"run", "job.toml"})
                                                 : RunVigil(job_.folder(), {"sources", "check", "job.toml"});
      EXPECT_EQ(f.exit_code, 2) << command << " " << file << ": " << f.output;
      EXPECT_TRUE(Contains(f.output, "source 'register' setting 'file': path '" + file +
                                         "' is outside the job's data folders"))
          << f.output;
      EXPECT_FALSE(Contains(f.output, "SECRET")) << f.output;
      EXPECT_FALSE(Contains(f.output, "root:")) << f.output;
    }
    // The refused run is recorded as failed, and nothing was read.
    StoreReader db(job_.store());
    EXPECT_EQ(db.Count("SELECT count(*) FROM entities"), 0);
    EXPECT_GE(db.Count("SELECT count(*) FROM runs WHERE status = 'failed' AND message LIKE "
                       "'%setting ''file''%outside the job''s data folders%'"), 1);
  }
  JobFolder job_;
};

TEST_F(Paths, AFileInsideTheDataFolderIsRead) {
  Finished f = Check("data/schools.csv");
  EXPECT_EQ(f.exit_code, 0) << f.output;
}

TEST_F(Paths, ARelativePathClimbingOutIsRefused) {
  ExpectRefused("../../../../../../etc/passwd");
  ExpectRefused("data/../../secret.csv");
}

TEST_F(Paths, AnAbsolutePathOutsideIsRefused) {
  ExpectRefused("/etc/passwd");
  ExpectRefused((job_.root() / "secret.csv").string());
}

TEST_F(Paths, ASymlinkInsideTheDataFolderPointingOutsideIsRefused) {
  fs::create_symlink("/etc/passwd", job_.folder() / "data" / "passwd.csv");
  fs::create_symlink(job_.root() / "secret.csv", job_.folder() / "data" / "innocent.csv");
  fs::create_directory_symlink(job_.root(), job_.folder() / "data" / "up");
  ExpectRefused("data/passwd.csv");
  ExpectRefused("data/innocent.csv");
  ExpectRefused("data/up/secret.csv");
}

// --- Permissions ---------------------------------------------------------------------------

// Every file and folder a run created that others could write to.
std::vector<std::string> WorldWritable(const fs::path& out) {
  std::vector<std::string> found;
  auto check = [&](const fs::path& p) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0 || S_ISLNK(st.st_mode)) return;  // a link's own mode means nothing
    if ((st.st_mode & S_IWOTH) != 0) found.push_back(p.string());
  };
  check(out);
  for (const auto& entry : fs::recursive_directory_iterator(out)) check(entry.path());
  return found;
}

TEST(Permissions, TheStoreAndTheReportsAreNotWorldWritable) {
  JobFolder job;
  job.AddBadFile("mixed.csv");
  job.WriteJob("mixed.csv");
  auto run = RunVigil(job.folder(), {"run", "job.toml"}, 022);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  ASSERT_TRUE(fs::exists(job.store()));
  ASSERT_TRUE(fs::is_regular_file(job.latest() / "report.html"));
  EXPECT_EQ(WorldWritable(job.folder() / "out"), std::vector<std::string>{});
}

TEST(Permissions, OutputsAreNotWorldWritableEvenUnderAPermissiveUmask) {
  // A cron job or a unit with UMask=0000 must not make the reports or their
  // folders writable by other users (vigil tightens its umask at start).
  JobFolder job;
  job.AddBadFile("mixed.csv");
  job.WriteJob("mixed.csv");
  auto run = RunVigil(job.folder(), {"run", "job.toml"}, 0);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(WorldWritable(job.folder() / "out"), std::vector<std::string>{});
}

// --- Rules cannot hang a run or keep state ------------------------------------------------

TEST(RuleLimits, APathologicalPatternCannotHangTheRun) {
  // The instruction budget is a Lua count hook, which never fires while a C
  // function of the string library runs: a backtracking pattern such as
  // string.find(("a"):rep(30), ("a*"):rep(30) .. "b") would run for hours
  // (found by tests/fuzz rule_pack). The sandbox's watchdog stops the run.
  JobFolder job;
  job.AddBadFile("mixed.csv");
  job.WriteJob("mixed.csv");
  // The job lowers the per-call limit to 2 s (the default is 10), so the test is quick.
  WriteText(job.job_file(), ReadText(job.job_file()) + "\n[limits]\ncall_seconds = 2\n");
  WriteText(job.root() / "rules" / "mini" / "indicators" / "pattern.lua",
            "indicator { id = \"pattern\", evaluate = function(e)\n"
            "  local r = string.find(string.rep(\"a\", 30), string.rep(\"a*\", 30) .. \"b\")\n"
            "  return none(tostring(r))\nend }\n");
  VigilProcess run(job.folder(), {"run", "job.toml"});
  const auto start = std::chrono::steady_clock::now();
  int status = 0;
  while (::waitpid(run.pid(), &status, WNOHANG) == 0 &&
         std::chrono::steady_clock::now() - start < std::chrono::seconds(30))
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const bool stopped = std::chrono::steady_clock::now() - start < std::chrono::seconds(30);
  EXPECT_TRUE(stopped) << "the run was still going after 30 s";
  if (stopped) {
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 3) << "status " << status;
    EXPECT_FALSE(fs::exists(job.latest())) << "a stopped run wrote reports";
    // The next command that opens the store records the stopped run.
    Finished runs = RunVigil(job.folder(), {"runs", "job.toml"});
    EXPECT_TRUE(Contains(runs.output, "failed")) << runs.output;
    EXPECT_TRUE(Contains(runs.output, "pattern.lua:1: indicator 'pattern' on school")) << runs.output;
  }
}


}  // namespace
}  // namespace vigil::reliability
