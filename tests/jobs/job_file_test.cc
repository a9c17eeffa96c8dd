// Job files: mistakes are reported with the file and line.
#include <gtest/gtest.h>

#include "jobs/job_file.h"
#include "test_support.h"

namespace vigil::jobs {
namespace {

using vigil::testing::TempDir;
using vigil::testing::WriteText;

constexpr const char* kMinimal = R"(name = "t"
[[rules]]
pack = "rules"
[[source]]
name = "register"
plugin = "csv"
[source.settings]
file = "data/a.csv"
attributes = ["phase = Phase"]
skip_lines = 1
)";

TEST(JobFile, ResolvesPathsAgainstTheJobFolderAndKeepsSettings) {
  TempDir dir;
  WriteText(dir / "job.toml", kMinimal);
  auto job = LoadJob(dir / "job.toml");
  ASSERT_TRUE(job.has_value()) << job.error().message;
  EXPECT_EQ(job->store, dir / "t.sqlite");
  EXPECT_EQ(job->rule_packs.at(0), dir / "rules");
  EXPECT_EQ(job->data_folders.at(0), dir.path());
  const auto& s = job->sources.at(0);
  EXPECT_EQ(s.on_reject, OnReject::kReport);
  ASSERT_EQ(s.settings.size(), 3u);
  for (const auto& setting : s.settings) {
    if (setting.name == "attributes") {
      EXPECT_TRUE(setting.is_list);
    }
    if (setting.name == "skip_lines") {
      EXPECT_EQ(setting.items.at(0), "1");  // integers pass as text
    }
  }
}

TEST(JobFile, ASyntaxErrorNamesLineAndColumn) {
  TempDir dir;
  WriteText(dir / "job.toml", "name = \"t\"\nstore = \n");
  auto job = LoadJob(dir / "job.toml");
  ASSERT_FALSE(job.has_value());
  EXPECT_NE(job.error().message.find("job.toml:2:"), std::string::npos) << job.error().message;
}

TEST(JobFile, AnUnknownKeyIsATypoWithItsLine) {
  TempDir dir;
  WriteText(dir / "job.toml", std::string(kMinimal) + "[output]\nfolders = \"x\"\n");
  auto job = LoadJob(dir / "job.toml");
  ASSERT_FALSE(job.has_value());
  EXPECT_NE(job.error().message.find("job.toml:12: unknown key 'folders' in [output]"), std::string::npos)
      << job.error().message;
}

TEST(JobFile, BadChoicesAndDuplicateSourcesAreRefused) {
  TempDir dir;
  std::string text = kMinimal;
  text.replace(text.find("plugin = \"csv\""), 14, "plugin = \"csv\"\non_reject = \"ignore\"");
  WriteText(dir / "job.toml", text);
  auto job = LoadJob(dir / "job.toml");
  ASSERT_FALSE(job.has_value());
  EXPECT_NE(job.error().message.find("on_reject must be \"report\" or \"fail\""), std::string::npos)
      << job.error().message;

  WriteText(dir / "job.toml", std::string(kMinimal) + "[[source]]\nname = \"register\"\nplugin = \"csv\"\n");
  job = LoadJob(dir / "job.toml");
  ASSERT_FALSE(job.has_value());
  EXPECT_NE(job.error().message.find("source name 'register' is used twice"), std::string::npos);

  WriteText(dir / "job.toml", std::string(kMinimal) + "[output]\nlists = \"some\"\n");
  job = LoadJob(dir / "job.toml");
  ASSERT_FALSE(job.has_value());
  EXPECT_NE(job.error().message.find("lists = \"some\" is not one of auto, all, none"), std::string::npos)
      << job.error().message;
}

}  // namespace
}  // namespace vigil::jobs
