// Unit tests of the template plugin with the SDK's fake host: the built
// plugin is loaded as Vigil loads it and read() runs with settings given
// here; no job, store or CLI is needed. Copy and adapt them with the plugin:
// a test per setting check, per kind of row, per rejected row.
#include <vigil/fake_host.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace {

using vigil::testing::FakeHost;
using vigil::testing::LoadPlugin;

// The plugin under test, built next to this test (see CMakeLists.txt).
const vigil_plugin_descriptor& Plugin() {
  static const vigil::testing::LoadedPlugin plugin = LoadPlugin(TEMPLATE_PLUGIN_PATH);
  if (!plugin) throw std::runtime_error(plugin.error);
  return *plugin.descriptor;
}

TEST(TemplatePlugin, DescribesItselfAndItsSettings) {
  const vigil_plugin_descriptor& d = Plugin();
  EXPECT_STREQ(d.name, "template");
  EXPECT_EQ(d.abi_major, VIGIL_ABI_MAJOR);
  ASSERT_EQ(d.setting_count, 2u);
  EXPECT_STREQ(d.settings[0].name, "count");
}

TEST(TemplatePlugin, EmitsCountEntitiesEachWithAnObservation) {
  FakeHost host;
  ASSERT_EQ(host.Run(Plugin(), {{"count", "4"}, {"kind", "school"}}), VIGIL_OK) << host.LastError();
  ASSERT_EQ(host.entities.size(), 4u);
  const auto* second = host.FindEntity("T100002");
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->name, "Template school 2");
  EXPECT_EQ(second->attributes.at("phase"), "Secondary");
  EXPECT_EQ(host.History("T100002", "pupils"), (std::vector<std::string>{"2024-01-18=220"}));
  EXPECT_TRUE(host.rejections.empty());
  EXPECT_TRUE(host.Logged("emitted entities=4 kind=school")) << host.AllLogs();
  EXPECT_EQ(host.progress.back(), (std::pair<std::uint64_t, std::uint64_t>{4, 4}));
  EXPECT_TRUE(host.contract_violations.empty());
}

TEST(TemplatePlugin, UsesTheDeclaredDefaultsForSettingsTheJobLeavesOut) {
  FakeHost host;
  ASSERT_EQ(host.Run(Plugin(), {}), VIGIL_OK) << host.LastError();
  EXPECT_EQ(host.entities.size(), 3u);
  EXPECT_EQ(host.entities[0].kind, "school");
}

TEST(TemplatePlugin, RefusesACountOutOfRangeWithAMessageNamingTheSetting) {
  FakeHost host;
  EXPECT_EQ(host.Run(Plugin(), {{"count", "0"}}), VIGIL_ERROR);
  EXPECT_EQ(host.LastError(), "setting 'count': '0' must be a whole number from 1 to 1000");
  EXPECT_TRUE(host.entities.empty());
}

TEST(TemplatePlugin, StopsWhenTheRunIsCancelled) {
  FakeHost host;
  host.cancel = true;
  EXPECT_EQ(host.Run(Plugin(), {{"count", "50"}}), VIGIL_CANCELLED);
  EXPECT_EQ(host.entities.size(), 1u);  // it checks after each entity
}

}  // namespace
