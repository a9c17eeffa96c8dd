// The end-to-end tests' fixture: the mini job and its rule pack copied into
// a temporary folder, and the built `vigil` binary run there as a user runs it.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "test_support.h"

namespace vigil {

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    vigil::testing::CopyTree(std::filesystem::path(VIGIL_TEST_DATA) / "mini", dir_ / "mini");
    vigil::testing::CopyTree(std::filesystem::path(VIGIL_TEST_DATA) / "rules", dir_ / "rules");
  }
  vigil::testing::CommandResult Vigil(const std::string& args) {
    return vigil::testing::Run("cd '" + (dir_ / "mini").string() + "' && '" + VIGIL_BINARY + "' " + args);
  }
  std::filesystem::path Latest() { return dir_ / "mini" / "out" / "reports" / "latest"; }
  std::filesystem::path Pack() { return dir_ / "rules" / "mini"; }
  std::filesystem::path Job() { return dir_ / "mini" / "job.toml"; }
  // Replaces the first `from` in the job file with `to`.
  void EditJob(const std::string& from, const std::string& to) {
    std::string text = vigil::testing::ReadText(Job());
    auto at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    vigil::testing::WriteText(Job(), text);
  }

  vigil::testing::TempDir dir_;
};

}  // namespace vigil
