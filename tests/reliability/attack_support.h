// Helpers for the attack tests: a rule or a setting an attacker writes into
// a job folder, and the checks that every attack must end cleanly: an exit
// code of at most 3 with a "vigil: " message, the run recorded as failed
// with its reason, no report half-written and the previous one untouched.
#pragma once

#include <string>
#include <vector>

#include "reliability/reliability_support.h"

namespace vigil::reliability {

// The mini pack's folder in a JobFolder.
inline fs::path Pack(const JobFolder& job) { return job.root() / "rules" / "mini"; }

// Writes rules/mini/indicators/<name>.lua.
inline void AddRule(const JobFolder& job, const std::string& name, const std::string& lua) {
  WriteText(Pack(job) / "indicators" / (name + ".lua"), lua);
}

// An indicator whose evaluate() is `body`.
inline void AddEvaluate(const JobFolder& job, const std::string& name, const std::string& body) {
  AddRule(job, name, "indicator { id = \"" + name + "\", evaluate = function(e)\n" + body + "\nend }\n");
}

// Adds lines to the job file (e.g. a [limits] table; TOML tables may come last).
inline void AppendToJob(const JobFolder& job, const std::string& text) {
  WriteText(job.job_file(), ReadText(job.job_file()) + "\n" + text);
}

// The register with eight schools of tests/data/bad/mixed.csv.
inline void StandardJob(JobFolder& job) {
  job.AddBadFile("mixed.csv");
  job.WriteJob("mixed.csv");
}

// Does `text` hold a byte a terminal would act on (C0 but the line feed, DEL)?
inline bool HasControlCharacters(const std::string& text) {
  for (unsigned char c : text)
    if ((c < 0x20 && c != '\n') || c == 0x7f) return true;
  return false;
}

// Unfinished report folders left in the output folder.
inline std::vector<std::string> PartialFolders(const JobFolder& job) {
  std::vector<std::string> found;
  std::error_code ec;
  for (fs::directory_iterator it(job.reports(), ec), end; !ec && it != end; it.increment(ec))
    if (it->path().filename().string().ends_with(".partial")) found.push_back(it->path().string());
  return found;
}

// The message of the newest failed run, after `vigil runs` has recorded any
// run that ended the process at once.
inline std::string LastFailure(const JobFolder& job) {
  Finished runs = RunVigil(job.folder(), {"runs", "job.toml"});
  EXPECT_EQ(runs.exit_code, 0) << runs.output;
  EXPECT_FALSE(HasControlCharacters(runs.output)) << runs.output;
  StoreReader db(job.store());
  return db.One("SELECT message FROM runs WHERE status = 'failed' ORDER BY id DESC LIMIT 1");
}

// An attack on `vigil run` ended cleanly: the exit code, a message holding
// `expected`, a failed run recorded with it, nothing half-written, and the
// latest report (if any) the one from before.
inline void ExpectCleanFailure(const JobFolder& job, const Finished& f, int exit_code, const std::string& expected) {
  EXPECT_EQ(f.signal, 0) << "killed by signal " << f.signal << ": " << f.output;
  EXPECT_EQ(f.exit_code, exit_code) << f.output;
  EXPECT_TRUE(Contains(f.output, "vigil: ")) << f.output;
  EXPECT_TRUE(Contains(f.output, expected)) << "expected \"" << expected << "\" in:\n" << f.output;
  EXPECT_FALSE(HasControlCharacters(f.output)) << f.output;
  std::string recorded = LastFailure(job);
  EXPECT_TRUE(Contains(recorded, expected)) << "expected \"" << expected << "\" in the failed run:\n" << recorded;
  EXPECT_EQ(PartialFolders(job), std::vector<std::string>{});
}

}  // namespace vigil::reliability
