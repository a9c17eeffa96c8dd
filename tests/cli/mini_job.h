// The mini job (five schools, the mini rule pack) copied into a temp folder,
// and the built `vigil` binary run in it as a user would.
#pragma once

#include <gtest/gtest.h>

#include "test_support.h"

namespace vigil::testing {

class MiniJob : public ::testing::Test {
 protected:
  void SetUp() override {
    CopyTree(std::filesystem::path(VIGIL_TEST_DATA) / "mini", dir_ / "mini");
    CopyTree(std::filesystem::path(VIGIL_TEST_DATA) / "rules", dir_ / "rules");
  }
  // `vigil ARGS` in the job's folder: stdout and stderr together.
  CommandResult Vigil(const std::string& args) { return vigil::testing::Run(In() + "'" + VIGIL_BINARY + "' " + args); }
  // Only stdout, for output that must not mix with log lines.
  CommandResult VigilOut(const std::string& args) {
    return vigil::testing::Run(In() + "{ '" + VIGIL_BINARY + "' " + args + " 2>/dev/null; }");
  }
  // Only stderr, where a run's warnings go.
  CommandResult VigilErr(const std::string& args) {
    return vigil::testing::Run(In() + "{ '" + VIGIL_BINARY + "' " + args + " >/dev/null; }");
  }
  std::filesystem::path Latest() { return dir_ / "mini" / "out" / "reports" / "latest"; }
  std::filesystem::path Pack() { return dir_ / "rules" / "mini"; }

  TempDir dir_;

 private:
  std::string In() { return "cd '" + (dir_ / "mini").string() + "' && "; }
};

}  // namespace vigil::testing
