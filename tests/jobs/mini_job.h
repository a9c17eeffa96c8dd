// The mini job of the jobs tests: the five-school fixture (tests/data/mini)
// and its rule pack copied into a temporary folder the test may change, with
// its plugin folders pointed at the build's plugins and the test plugins.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "jobs/job_file.h"
#include "store/store.h"
#include "test_support.h"

namespace vigil::jobs {

// `extra_sources` is appended to the job file.
class MiniJob {
 public:
  explicit MiniJob(const std::string& extra_sources = "") {
    vigil::testing::CopyTree(std::filesystem::path(VIGIL_TEST_DATA) / "mini", dir_ / "mini");
    vigil::testing::CopyTree(std::filesystem::path(VIGIL_TEST_DATA) / "rules", dir_ / "rules");
    std::string job = vigil::testing::ReadText(dir_ / "mini" / "job.toml");
    job = "plugin_folders = [\"" + std::string(VIGIL_PLUGIN_DIR) + "\", \"" +
          std::string(VIGIL_TEST_PLUGIN_DIR) + "\"]\n" + job + extra_sources;
    vigil::testing::WriteText(file(), job);
  }
  std::filesystem::path file() const { return dir_ / "mini" / "job.toml"; }
  std::filesystem::path folder() const { return dir_ / "mini"; }
  std::filesystem::path pack() const { return dir_ / "rules" / "mini"; }
  // Replaces the first `from` in the job file with `to`.
  void Edit(const std::string& from, const std::string& to) const {
    std::string text = vigil::testing::ReadText(file());
    auto at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    vigil::testing::WriteText(file(), text);
  }
  JobSpec Load() const {
    auto job = LoadJob(file());
    EXPECT_TRUE(job.has_value()) << job.error().message;
    return *job;
  }

 private:
  vigil::testing::TempDir dir_;
};

// The first column of the first row of `sql` on the store.
inline std::int64_t Count(const std::filesystem::path& store_path, const std::string& sql) {
  auto store = store::Store::Open(store_path.string());
  EXPECT_TRUE(store.has_value());
  auto stmt = store->db().Prepare(sql);
  EXPECT_TRUE(stmt.has_value());
  EXPECT_TRUE(*stmt->Step());
  return stmt->Int(0);
}

}  // namespace vigil::jobs
