// Test-only scaffolding shared by the plugin tests (plugins/*/tests/
// *_plugin_test.cc): a GoogleTest fixture around the SDK's fake host
// (<vigil/fake_host.hpp>, the harness plugin authors get with the SDK) that
// loads the built plugin like the host loads it, gives each test a fresh
// temporary folder, drives the plugin through its C ABI (create, read,
// destroy) and fails a test whose plugin broke the ABI contract.
//
// Use: derive the plugin's fixture from PluginTest, passing the built
// module's path and a prefix for the temporary folder:
//
//   class CsvPluginTest : public vigil::plugin_testing::PluginTest {
//    protected:
//     CsvPluginTest() : PluginTest(VIGIL_CSV_PLUGIN_PATH, "vigil_csv_plugin_test") {}
//   };
//
// Checks of a plugin's own (e.g. that every observation is dated) go in
// Recorder::on_observation.
#ifndef VIGIL_PLUGINS_TESTING_PLUGIN_HARNESS_H_
#define VIGIL_PLUGINS_TESTING_PLUGIN_HARNESS_H_

#include <vigil/fake_host.hpp>
#include <vigil/plugin.h>

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <utility>

namespace vigil::plugin_testing {

using testing::S;
using testing::SettingList;
using Recorder = testing::FakeHost;
using Attributes = std::map<std::string, std::string>;

// A test of the plugin built at `plugin_path`, with a recording host (host_)
// and a temporary folder (dir_) removed after each test.
class PluginTest : public ::testing::Test {
 protected:
  PluginTest(std::string plugin_path, std::string temp_prefix)
      : plugin_path_(std::move(plugin_path)), temp_prefix_(std::move(temp_prefix)) {}

  void SetUp() override {
    auto plugin = testing::LoadPlugin(plugin_path_);
    ASSERT_TRUE(plugin) << plugin_path_ << ": " << plugin.error;
    descriptor_ = plugin.descriptor;
    std::string pattern =
        (std::filesystem::temp_directory_path() / (temp_prefix_ + "_XXXXXX")).string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    for (const auto& violation : host_.contract_violations) ADD_FAILURE() << "ABI contract broken: " << violation;
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // Writes `content` to `name` in dir_; returns its path.
  std::string Write(const std::string& name, std::string_view content) {
    const std::string path = (dir_ / name).string();
    std::ofstream out(path, std::ios::binary);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    return path;
  }

  // Creates an instance with `settings`; VIGIL_OK or the create() status.
  vigil_status Create(const SettingList& settings, void** instance) {
    return host_.Create(*descriptor_, settings, instance);
  }

  // create() then read() then destroy(); returns the first failing status.
  vigil_status Run(const SettingList& settings) { return host_.Run(*descriptor_, settings); }

  std::string LastError() const { return host_.LastError(); }

  const vigil_plugin_descriptor* descriptor_ = nullptr;
  std::filesystem::path dir_;
  Recorder host_;

 private:
  std::string plugin_path_;
  std::string temp_prefix_;
};

}  // namespace vigil::plugin_testing

#endif  // VIGIL_PLUGINS_TESTING_PLUGIN_HARNESS_H_
