// Large files are streamed: the peak memory of `vigil sources check` and
// `vigil run` grows far less than the file. A run holds at most a batch of
// values in memory before writing them to the store (VIGIL_INGEST_BATCH_ROWS,
// 16 million by default); the test sets a small batch so that both files
// overflow it and memory must stay flat. Two CSV files are generated
// (by default 6 and 24 MB; VIGIL_LARGE_FILE_MB="20,80" or "400" for the
// figures in docs/reliability.md), each read by the built binary in a child
// process whose peak resident set size (ru_maxrss from wait4) is compared.
//
// Each row is a distinct (school, date) value: 1,000 schools with one row per
// day, so the store really grows with the file while the number of schools
// (and so the report) stays the same.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "reliability/reliability_support.h"

namespace vigil::reliability {
namespace {

std::vector<std::uint64_t> SizesMb() {
  std::vector<std::uint64_t> sizes;
  const char* env = std::getenv("VIGIL_LARGE_FILE_MB");
  std::stringstream list(env != nullptr && *env != '\0' ? env : "6,24");
  std::string item;
  while (std::getline(list, item, ',')) sizes.push_back(std::stoull(item));
  return sizes;
}

// Writes about `megabytes` MB of school rows; returns the exact size.
std::uint64_t WriteLargeCsv(const fs::path& path, std::uint64_t megabytes) {
  std::ofstream out(path, std::ios::binary);
  std::string buffer = "URN,Name,Status,Pupils,Census date\n";
  std::uint64_t written = 0;
  const std::uint64_t target = megabytes << 20;
  char row[160];
  for (int day = 0; written < target; ++day) {
    // Calendar-free dates: 28 days a month is enough for distinct values.
    const int d = 1 + day % 28, m = 1 + (day / 28) % 12, y = 1900 + day / (28 * 12);
    for (int k = 0; k < 1000; ++k) {
      int n = std::snprintf(row, sizeof row, "%d,School number %d of the large file test,Open,%d,%02d/%02d/%d\n",
                            100000 + k, k, (k * 7 + day) % 900, d, m, y);
      buffer.append(row, static_cast<std::size_t>(n));
    }
    if (buffer.size() > (1u << 20)) {
      out << buffer;
      written += buffer.size();
      buffer.clear();
    }
  }
  out << buffer;
  written += buffer.size();
  return written;
}

struct Measure {
  std::uint64_t bytes = 0;
  long check_kb = 0, run_kb = 0;
  double check_s = 0, run_s = 0;
};

TEST(LargeFile, PeakMemoryStaysFlatWhateverTheFileSize) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "peak memory under ASan measures its quarantine and shadow memory, not Vigil";
#endif
  ::setenv("VIGIL_INGEST_BATCH_ROWS", "50000", 1);  // about 2 MB, inherited by the child processes
  std::vector<Measure> measures;
  for (std::uint64_t mb : SizesMb()) {
    JobFolder job;
    Measure m;
    m.bytes = WriteLargeCsv(job.folder() / "large.csv", mb);
    job.WriteJob("large.csv");
    auto check = RunVigil(job.folder(), {"sources", "check", "job.toml"});
    ASSERT_EQ(check.exit_code, 0) << check.output;
    ASSERT_TRUE(Contains(check.output, "source register: 1000 entities")) << check.output;
    m.check_kb = check.max_rss_kb;
    m.check_s = check.seconds;
    auto run = RunVigil(job.folder(), {"run", "job.toml"});
    ASSERT_EQ(run.exit_code, 0) << run.output;
    m.run_kb = run.max_rss_kb;
    m.run_s = run.seconds;
    StoreReader db(job.store());
    EXPECT_EQ(db.Count("SELECT count(*) FROM entities"), 1000);
    EXPECT_GE(db.Count("SELECT count(*) FROM observations"), static_cast<std::int64_t>(m.bytes / 80));
    measures.push_back(m);
    std::cout << "large file " << m.bytes / (1u << 20) << " MB: sources check peak " << m.check_kb / 1024
              << " MB in " << m.check_s << " s; run peak " << m.run_kb / 1024 << " MB in " << m.run_s
              << " s\n";
    RecordProperty("file_mb_" + std::to_string(mb), std::to_string(m.bytes >> 20));
    RecordProperty("check_peak_mb_" + std::to_string(mb), std::to_string(m.check_kb / 1024));
    RecordProperty("run_peak_mb_" + std::to_string(mb), std::to_string(m.run_kb / 1024));
  }
  for (const Measure& m : measures) {
    // Either command's peak is far below the file it read (for the
    // smallest file allow the fixed cost of the process: libraries, Lua).
    EXPECT_LT(m.run_kb * 1024, static_cast<long>(std::max<std::uint64_t>(m.bytes / 2, 48u << 20)))
        << "run peak " << m.run_kb << " kB for a " << m.bytes << " byte file";
  }
  if (measures.size() < 2) return;
  const Measure& small = measures.front();
  const Measure& large = measures.back();
  const double grown_file = static_cast<double>(large.bytes - small.bytes);
  // `vigil run` streams into the store on disk, a batch at a time: memory is flat.
  EXPECT_LT(static_cast<double>(large.run_kb - small.run_kb) * 1024, 0.10 * grown_file)
      << "run: " << small.run_kb << " kB -> " << large.run_kb << " kB";
  // `sources check` streams the file too, but keeps what it read in an
  // in-memory store (about 30 bytes per value): well under the file's growth.
  EXPECT_LT(static_cast<double>(large.check_kb - small.check_kb) * 1024, 0.50 * grown_file)
      << "sources check: " << small.check_kb << " kB -> " << large.check_kb << " kB";
}

}  // namespace
}  // namespace vigil::reliability
