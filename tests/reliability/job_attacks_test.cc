// Attacks through job files and data folders: a data subfolder swapped for a
// link while a run is under way, split pages whose names meet, job names
// and stores that point where they should not, control characters bound for
// a terminal, Markdown syntax in the data, and the scheduler's account of a
// failure. Each asserts a clean end (attack_support.h).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include <map>
#include <set>

#include "base/files.h"
#include "jobs/job_file.h"
#include "jobs/source_plan.h"
#include "plugin_host/source_session.h"
#include "reliability/attack_support.h"

namespace vigil::reliability {
namespace {

// --- Check, then open --------------------------------------------------------------

// What a source read, through the real csv plugin.
class Names : public plugin_host::RecordSink {
 public:
  Status OnEntity(const plugin_host::EntityRecord& e) override {
    names.emplace_back(e.name);
    return Status::Ok();
  }
  Status OnObservation(const plugin_host::ObservationRecord&) override { return Status::Ok(); }
  Status OnRejection(const plugin_host::RejectionRecord& r) override {
    files.emplace_back(r.file);
    return Status::Ok();
  }
  std::vector<std::string> names, files;
};

class InputSwap : public ::testing::Test {
 protected:
  void SetUp() override {
    // data/sub/schools.csv is checked; outside/schools.csv is the secret.
    WriteText(job_.folder() / "data" / "sub" / "schools.csv",
              "URN,Name,Status,Pupils,Census date\n1,Real School,Open,1,19/01/2023\n2,Ragged\n");
    WriteText(job_.root() / "outside" / "schools.csv",
              "URN,Name,Status,Pupils,Census date\n666,SECRET,Open,1,19/01/2023\n");
    job_.WriteJob("data/sub/schools.csv");
    std::string text = ReadText(job_.job_file());
    text.replace(text.find("data_folders = [\".\"]"), 20, "data_folders = [\"data\"]");
    WriteText(job_.job_file(), text);
    auto job = jobs::LoadJob(job_.job_file());
    ASSERT_TRUE(job.has_value()) << job.error().message;
    spec_ = std::move(job).value();
    registry_.Discover({VIGIL_PLUGIN_DIR});
  }
  // Plans the source (the host checks and checksums it), lets `swap` change
  // the folder, then lets the plugin read.
  template <class Swap>
  Names PlanSwapRead(Swap swap, jobs::SourcePlan& plan) {
    plan = jobs::PlanSource(spec_, registry_, spec_.sources[0]);
    EXPECT_TRUE(plan.status.ok()) << plan.status.error().message;
    swap();
    Names names;
    if (!plan.status.ok()) return names;
    auto counts = plugin_host::RunSource(*plan.plugin, "register", plan.PluginSettings(), names, plan.PathAliases());
    EXPECT_TRUE(counts.has_value()) << counts.error().message;
    return names;
  }
  JobFolder job_;
  jobs::JobSpec spec_;
  plugin_host::PluginRegistry registry_;
};

TEST_F(InputSwap, AFolderSwappedForALinkAfterTheCheckIsNotFollowed) {
  const std::string sha = *Sha256File(job_.folder() / "data" / "sub" / "schools.csv");
  jobs::SourcePlan plan;
  Names read = PlanSwapRead([&] {
    fs::rename(job_.folder() / "data" / "sub", job_.folder() / "data" / "old");
    fs::create_directory_symlink(job_.root() / "outside", job_.folder() / "data" / "sub");
  }, plan);
  EXPECT_EQ(read.names, std::vector<std::string>{"Real School"});
  // What was checksummed is what was read, and it is named by its path.
  ASSERT_EQ(plan.files.size(), 1u);
  EXPECT_EQ(plan.files[0].sha256, sha);
  EXPECT_TRUE(plan.CheckInputsUnchanged().ok());
  ASSERT_EQ(read.files.size(), 1u);
  EXPECT_EQ(read.files[0], (job_.folder() / "data" / "sub" / "schools.csv").string());
}

TEST_F(InputSwap, AFileSwappedOrChangedAfterTheCheckIsCaught) {
  jobs::SourcePlan plan;
  // Replaced by another file: the one checked is still the one read.
  Names read = PlanSwapRead([&] {
    fs::copy_file(job_.root() / "outside" / "schools.csv", job_.folder() / "data" / "sub" / "new.csv");
    fs::rename(job_.folder() / "data" / "sub" / "new.csv", job_.folder() / "data" / "sub" / "schools.csv");
  }, plan);
  EXPECT_EQ(read.names, std::vector<std::string>{"Real School"});
  // Changed in place: the run refuses to record a checksum of other bytes.
  plan = {};
  PlanSwapRead([&] {
    std::ofstream(job_.folder() / "data" / "sub" / "schools.csv", std::ios::app) << "3,Added Later,Open,1,19/01/2023\n";
  }, plan);
  Status unchanged = plan.CheckInputsUnchanged();
  ASSERT_FALSE(unchanged.ok());
  EXPECT_TRUE(Contains(unchanged.error().message, "schools.csv changed while the run was reading it"));
}

TEST_F(InputSwap, AFifoOrADeviceIsRefusedWithoutWaiting) {
  fs::remove(job_.folder() / "data" / "sub" / "schools.csv");
  ASSERT_EQ(::mkfifo((job_.folder() / "data" / "sub" / "schools.csv").c_str(), 0600), 0);
  jobs::SourcePlan plan = jobs::PlanSource(spec_, registry_, spec_.sources[0]);
  ASSERT_FALSE(plan.status.ok());
  EXPECT_TRUE(Contains(plan.status.error().message, "schools.csv is not a regular file"));
  // Through the binary: exit 2 and a failed run, no hang.
  Finished run = RunVigil(job_.folder(), {"run", "job.toml"});
  ExpectCleanFailure(job_, run, 2, "source 'register' setting 'file': ");
}

// --- Split pages --------------------------------------------------------------------

TEST(SplitPages, EverySchoolIsOnExactlyOnePageAndNoPageLeavesItsFolder) {
  JobFolder job;
  const std::vector<std::pair<std::string, std::string>> schools = {
      {"Hall Green", "A"}, {"Hall-Green", "B"}, {"hall green", "C"}, {"North", "D"}, {"north", "E"},
      {"", "F"},           {"../../x", "G"},    {"..", "H"},          {"\xC3\x86r\xC3\xB8", "I"},
      {"\xC3\x85r\xC3\xB8", "J"}, {"no district", "K"}, {std::string(300, 'w'), "L"}, {"hall-green-2", "M"}};
  std::string csv = "URN,Name,Status,District,Pupils,Census date\n";
  for (std::size_t i = 0; i < schools.size(); ++i)
    csv += std::to_string(100 + i) + ",School " + schools[i].second + ",Open,\"" + schools[i].first + "\",1,19/01/2023\n";
  WriteText(job.folder() / "split.csv", csv);
  job.WriteJob("split.csv", "kind = \"school\"\nkey_column = \"URN\"\nname_column = \"Name\"\n"
                            "attributes = [\"status = Status\", \"district = District\"]\n"
                            "measures = [\"pupils = Pupils\"]\ndate_column = \"Census date\"\n");
  std::string text = ReadText(job.job_file());
  text.replace(text.find("formats = [\"html\", \"csv\", \"json\"]"), 33,
               "formats = [\"html\", \"csv\", \"json\"]\nsplit_by = \"district\"");
  WriteText(job.job_file(), text);
  Finished run = RunVigil(job.folder(), {"run", "job.toml"});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  std::map<std::string, int> seen;  // school -> pages it is on
  std::size_t pages = 0;
  for (const auto& entry : fs::recursive_directory_iterator(job.reports())) {
    if (entry.is_symlink() || !entry.is_regular_file()) continue;
    // Every file a run wrote is inside its run folder.
    EXPECT_TRUE(IsInside(entry.path(), fs::canonical(job.latest()))) << entry.path();
    if (entry.path().parent_path().filename() != "by-district") continue;
    ++pages;
    std::string page = ReadText(entry.path());
    for (const auto& [district, school] : schools)
      if (Contains(page, "School " + school + "<")) ++seen[school];
  }
  EXPECT_EQ(pages, schools.size());  // every value its own page, the empty one too
  for (const auto& [district, school] : schools) EXPECT_EQ(seen[school], 1) << "school " << school;
  // The split attribute cannot name a folder elsewhere.
  text.replace(text.find("split_by = \"district\""), 21, "split_by = \"../../x\"");
  WriteText(job.job_file(), text);
  run = RunVigil(job.folder(), {"run", "job.toml"});
  EXPECT_EQ(run.exit_code, 2) << run.output;
  const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(text.find("split_by")), '\n');
  EXPECT_TRUE(Contains(run.output, "job.toml:" + std::to_string(line) +
                                       ": [output] split_by = \"../../x\" must name an attribute"))
      << run.output;
}

// --- Names, stores and outputs --------------------------------------------------------

TEST(JobFiles, NamesThatReachFilesLogsOrTerminalsAreRefusedWithFileAndLine) {
  JobFolder job;
  StandardJob(job);
  const std::string good = ReadText(job.job_file());
  for (const auto& [from, to, expected] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"name = \"reliability\"", "name = \"../../escape\"", "job.toml:2: name \"../../escape\" must be"},
           {"name = \"reliability\"", "name = \"a\\nRun 1 of job 'x' succeeded.\"",
            "job.toml:2: name \"a\\x0aRun 1 of job 'x' succeeded.\" must be"},
           {"name = \"reliability\"", "name = \"" + std::string(200, 'n') + "\"", "must be 1 to 64 letters"},
           {"title = \"Reliability\"", "title = \"\\u001b[2J\"", "job.toml:3: title must be one line"},
           {"name = \"register\"", "name = \"reg\\u202eister\"", "[[source]] #1: name \"reg\\u{202e}ister\" must be"}}) {
    std::string text = good;
    text.replace(text.find(from), from.size(), to);
    WriteText(job.job_file(), text);
    Finished run = RunVigil(job.folder(), {"run", "job.toml"});
    EXPECT_EQ(run.exit_code, 2) << to << ": " << run.output;
    EXPECT_TRUE(Contains(run.output, expected)) << expected << "\n" << run.output;
    EXPECT_FALSE(HasControlCharacters(run.output)) << run.output;
    EXPECT_FALSE(fs::exists(job.store()));
  }
}

TEST(JobFiles, AStoreOrOutputWhereARunMustNotWriteIsRefusedBeforeAnythingIsCreated) {
  JobFolder job;
  fs::create_directories(job.folder() / "data");
  fs::copy_file(fs::path(VIGIL_TEST_DATA) / "bad" / "mixed.csv", job.folder() / "data" / "mixed.csv");
  job.WriteJob("data/mixed.csv");
  const std::string good = ReadText(job.job_file());
  auto with = [&](const std::string& from, const std::string& to) {
    std::string text = good;
    text.replace(text.find("data_folders = [\".\"]"), 20, "data_folders = [\"data\"]");
    text.replace(text.find(from), from.size(), to);
    WriteText(job.job_file(), text);
    return RunVigil(job.folder(), {"run", "job.toml"});
  };
  const std::string data_sha = *Sha256File(job.folder() / "data" / "mixed.csv");
  // The store names a data file: it is named, and left alone (no lock beside it).
  Finished run = with("store = \"out/job.sqlite\"", "store = \"data/mixed.csv\"");
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_TRUE(Contains(run.output, "data/mixed.csv is inside the data folder")) << run.output;
  fs::create_directories(job.folder() / "elsewhere");
  fs::copy_file(job.folder() / "data" / "mixed.csv", job.folder() / "elsewhere" / "copy.csv");
  run = with("store = \"out/job.sqlite\"", "store = \"elsewhere/copy.csv\"");
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_TRUE(Contains(run.output, "store " + (job.folder() / "elsewhere" / "copy.csv").string() +
                                       " exists and is not an SQLite database"))
      << run.output;
  EXPECT_FALSE(fs::exists(job.folder() / "elsewhere" / "copy.csv.lock"));
  // A store that is a link, reports into the data folder, a `latest` that is a file.
  fs::create_symlink(job.folder() / "elsewhere" / "copy.csv", job.folder() / "elsewhere" / "link.sqlite");
  run = with("store = \"out/job.sqlite\"", "store = \"elsewhere/link.sqlite\"");
  EXPECT_TRUE(Contains(run.output, "link.sqlite is a symbolic link")) << run.output;
  run = with("folder = \"out/reports\"", "folder = \"data/reports\"");
  EXPECT_TRUE(Contains(run.output, "is inside the data folder")) << run.output;
  WriteText(job.folder() / "elsewhere" / "latest", "mine");
  run = with("folder = \"out/reports\"", "folder = \"elsewhere\"");
  EXPECT_TRUE(Contains(run.output, "elsewhere/latest exists and is not the link Vigil keeps")) << run.output;
  EXPECT_EQ(ReadText(job.folder() / "elsewhere" / "latest"), "mine");
  EXPECT_EQ(*Sha256File(job.folder() / "data" / "mixed.csv"), data_sha);
  for (const auto& entry : fs::recursive_directory_iterator(job.folder() / "data"))
    EXPECT_EQ(entry.path().filename(), "mixed.csv") << "a run wrote into the data folder: " << entry.path();
}

// --- What reaches terminals, logs and reports ---------------------------------------------

// A register whose names and rules carry control characters and Markdown.
class HostileText : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteText(job_.folder() / "names.csv",
              "URN,Name,Status,Pupils,Census date\n"
              "100001,\"\x1b[2J\x1b[1;1HAll clear\",Open,1,19/01/2023\n"
              "100002,\"Two\nLines\rBack\",Open,1,19/01/2023\n"
              "100003,\"Bidi \xE2\x80\xAEloohcS\xE2\x80\xAC Primary\",Open,1,19/01/2023\n"
              "100004,\"[Click](http://evil.example/x) ![img](http://e/i.png) *bold* _em_ `code` & www.evil.com a@b.c\","
              "Open,1,19/01/2023\n");
    job_.WriteJob("names.csv");
    std::string text = ReadText(job_.job_file());
    text.replace(text.find("formats = [\"html\", \"csv\", \"json\"]"), 33,
                 "formats = [\"html\", \"csv\", \"json\", \"markdown\"]");
    WriteText(job_.job_file(), text);
  }
  JobFolder job_;
};

TEST_F(HostileText, ControlCharactersNeverReachATerminalALogOrTheRunHistoryRaw) {
  // A rule prints a fake "all is well" line through its error message.
  AddEvaluate(job_, "liar", "if e.key == '100002' then error('\\nRun 99 of job \\'reliability\\' succeeded.\\n\\27[2K') end\n"
                            "return none(e.name)");
  Finished run = RunVigil(job_.folder(), {"run", "job.toml"});
  ExpectCleanFailure(job_, run, 3, "liar.lua:2:");
  for (std::size_t at = 0; (at = run.output.find('\n', at)) != std::string::npos; ++at)
    EXPECT_FALSE(run.output.compare(at + 1, 6, "Run 99") == 0) << "a forged line:\n" << run.output;
  // The history is one line per run, whatever the message held.
  Finished runs = RunVigil(job_.folder(), {"runs", "job.toml"});
  EXPECT_EQ(std::count(runs.output.begin(), runs.output.end(), '\n'), 2) << runs.output;
  EXPECT_FALSE(HasControlCharacters(runs.output));
  fs::remove(Pack(job_) / "indicators" / "liar.lua");
  // The data's own control characters: in sources check, explain, the log (text and JSON).
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"sources", "check", "job.toml"}, {"-v", "run", "job.toml"},
        {"explain", "job.toml", "100001"}, {"explain", "job.toml", "100002"}, {"--log-format", "json", "-v", "run", "--rerun", "job.toml"}}) {
    Finished f = RunVigil(job_.folder(), args);
    EXPECT_LE(f.exit_code, 1) << args[0] << ": " << f.output;
    EXPECT_FALSE(HasControlCharacters(f.output)) << args[0] << ":\n" << f.output;
    EXPECT_FALSE(Contains(f.output, "\xE2\x80\xAE")) << "a bidirectional override reached the terminal";
    if (args[0] != "--log-format") continue;
    for (std::size_t start = 0, end; (end = f.output.find('\n', start)) != std::string::npos; start = end + 1) {
      if (f.output[start] != '{') continue;
      EXPECT_FALSE(nlohmann::json::parse(f.output.substr(start, end - start), nullptr, false).is_discarded())
          << f.output.substr(start, end - start);
    }
  }
}

TEST_F(HostileText, MarkdownShowsLinksImagesAndEmphasisFromTheDataAsText) {
  Finished run = RunVigil(job_.folder(), {"run", "job.toml"});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const std::string md = ReadText(job_.latest() / "report.md");
  EXPECT_TRUE(Contains(md, "\\[Click\\](http\\://evil.example/x) \\!\\[img\\](http\\://e/i.png) \\*bold\\* \\_em\\_ "
                           "\\`code\\` &amp; www\\.evil.com a\\@b.c"))
      << md;
  for (const char* raw : {"[Click](", "![img](", "http://", " *bold*", "`code`", " & ", "www.evil"})
    EXPECT_FALSE(Contains(md, raw)) << raw;
}

// --- The scheduler -----------------------------------------------------------------------

TEST(Schedule, OnFailureAndTheLogGetTheWholeReason) {
  JobFolder job;
  StandardJob(job);
  AddEvaluate(job, "broken", "if e.key == '100002' then error('no figure for \\27[31mthis school') end\nreturn none('x')");
  std::string text = ReadText(job.job_file());
  text.replace(text.find("as_of = \"2024-11-30\"\n"), 21,
               "schedule = \"@daily\"\non_failure = \"printf '%s' \\\"$VIGIL_MESSAGE\\\" > failure.txt\"\n");
  WriteText(job.job_file(), text);
  Finished f = RunVigil(job.folder(), {"schedule", "job.toml", "--max-runs", "1"});
  EXPECT_EQ(f.exit_code, 0) << f.output;
  const std::string mail = ReadText(job.folder() / "failure.txt");
  for (const char* part : {"rule pack 'mini' failed", "broken.lua:2: no figure for \xEF\xBF\xBD[31mthis school",
                           "for 1 entity: 100002 (Kept Two)"})
    EXPECT_TRUE(Contains(mail, part)) << part << " missing from on_failure's message:\n" << mail;
  EXPECT_FALSE(HasControlCharacters(mail)) << mail;
  // The scheduler's own line for the run is one line with all of it.
  bool found = false;
  for (std::size_t start = 0, end; (end = f.output.find('\n', start)) != std::string::npos; start = end + 1) {
    std::string line = f.output.substr(start, end - start);
    if (Contains(line, "status=failed") && Contains(line, "broken.lua:2") && Contains(line, "100002 (Kept Two)"))
      found = true;
  }
  EXPECT_TRUE(found) << f.output;
}

// --- Smaller ---------------------------------------------------------------------------------

TEST(JobFiles, AHeaderOnlyFileFailsUnlessALossIsAcceptedAndTwoPacksMayNotShareAName) {
  JobFolder job;
  WriteText(job.folder() / "header.csv", "URN,Name,Status,Pupils,Census date\n");
  job.WriteJob("header.csv");
  Finished run = RunVigil(job.folder(), {"run", "job.toml"});
  ExpectCleanFailure(job, run, 3, "stored nothing for the schools the rules assess (header.csv: 0 rows read");
  job.WriteJob("header.csv", JobFolder::kSchoolSettings, "on_loss = \"warn\"\n");
  run = RunVigil(job.folder(), {"run", "job.toml"});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_TRUE(Contains(run.output, "Warning: source 'register': stored nothing for the schools the rules assess "
                                   "(header.csv: 0 rows read, 0 rejected)")) << run.output;
  EXPECT_FALSE(Contains(run.output, "or set on_loss")) << run.output;  // it is set
  vigil::testing::CopyTree(Pack(job), job.root() / "rules" / "twin");
  std::string text = ReadText(job.job_file());
  text.replace(text.find("[[rules]]"), 9, "[[rules]]\npack = \"../rules/twin\"\n\n[[rules]]");
  WriteText(job.job_file(), text);
  run = RunVigil(job.folder(), {"run", "job.toml"});
  ExpectCleanFailure(job, run, 2, "are both named 'mini'");
}

}  // namespace
}  // namespace vigil::reliability
