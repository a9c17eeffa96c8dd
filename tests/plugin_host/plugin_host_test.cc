#include <gtest/gtest.h>

#include "plugin_host/plugin_library.h"
#include "plugin_host/plugin_registry.h"
#include "plugin_host/settings.h"
#include "plugin_host/source_session.h"
#include "test_support.h"

namespace vigil::plugin_host {
namespace {

namespace fs = std::filesystem;
using vigil::testing::TempDir;

fs::path TestPlugin(const std::string& name) {
  return fs::path(VIGIL_TEST_PLUGIN_DIR) / ("libvigil_" + name + ".so");
}

// Records what a plugin emits, as a store would.
class RecordingSink : public RecordSink {
 public:
  Status OnEntity(const EntityRecord& e) override {
    entities.push_back(std::string(e.key) + ":" + std::string(e.name));
    return Status::Ok();
  }
  Status OnObservation(const ObservationRecord& o) override {
    observations.push_back(std::string(o.entity_key) + "/" + std::string(o.measure) + "@" +
                           std::string(o.as_of));
    return Status::Ok();
  }
  Status OnRejection(const RejectionRecord& r) override {
    rejections.push_back(std::string(r.file) + ":" + std::to_string(r.line) + ":" +
                         std::string(r.field) + ":" + std::string(r.reason));
    rejected_values.emplace_back(r.value);
    return Status::Ok();
  }
  std::vector<std::string> entities, observations, rejections, rejected_values;
};

TEST(PluginLibrary, LoadsTheCsvPluginAndReadsItsDescriptor) {
  auto plugin = PluginLibrary::Load(fs::path(VIGIL_PLUGIN_DIR) / "libvigil_csv.so");
  ASSERT_TRUE(plugin.has_value()) << plugin.error().message;
  EXPECT_EQ((*plugin)->name(), "csv");
  EXPECT_EQ((*plugin)->abi(), "1.2");
  EXPECT_GT((*plugin)->descriptor().setting_count, 3u);
}

TEST(PluginRegistry, FindsEveryShippedPluginThroughTheRealHost) {
  PluginRegistry registry;
  registry.Discover({VIGIL_PLUGIN_DIR});
  EXPECT_TRUE(registry.problems().empty());
  for (const char* name : {"csv", "gias", "ofsted", "ees", "recommendations", "sqlite"}) {
    auto plugin = registry.Find(name);
    ASSERT_TRUE(plugin.has_value()) << name;
    EXPECT_EQ((*plugin)->descriptor().abi_major, VIGIL_ABI_MAJOR) << name;
    EXPECT_GT((*plugin)->descriptor().setting_count, 0u) << name;
  }
}

TEST(PluginLibrary, RefusesALibraryWithoutTheEntrySymbolNamingFileAndAbi) {
  auto plugin = PluginLibrary::Load(TestPlugin("missing_entry"));
  ASSERT_FALSE(plugin.has_value());
  const std::string& m = plugin.error().message;
  EXPECT_NE(m.find("libvigil_missing_entry.so"), std::string::npos) << m;
  EXPECT_NE(m.find("missing entry symbol vigil_plugin_entry_v1"), std::string::npos) << m;
  EXPECT_NE(m.find("expects ABI 1.2"), std::string::npos) << m;
}

TEST(PluginLibrary, RefusesAPluginBuiltForAnotherMajorAbiNamingBothVersions) {
  auto plugin = PluginLibrary::Load(TestPlugin("abi_v2"));
  ASSERT_FALSE(plugin.has_value());
  const std::string& m = plugin.error().message;
  EXPECT_NE(m.find("libvigil_abi_v2.so"), std::string::npos) << m;
  EXPECT_NE(m.find("built for plugin ABI 2"), std::string::npos) << m;
  EXPECT_NE(m.find("expects ABI 1"), std::string::npos) << m;
}

TEST(PluginLibrary, RefusesADescriptorThatClaimsAnotherMajorVersion) {
  auto plugin = PluginLibrary::Load(TestPlugin("bad_major"));
  ASSERT_FALSE(plugin.has_value());
  const std::string& m = plugin.error().message;
  EXPECT_NE(m.find("built for plugin ABI 2.3"), std::string::npos) << m;
  EXPECT_NE(m.find("expects ABI 1.x"), std::string::npos) << m;
}

TEST(PluginLibrary, ExplainsAFileThatIsNotALibrary) {
  TempDir dir;
  vigil::testing::WriteText(dir / "libvigil_junk.so", "not an ELF file");
  auto plugin = PluginLibrary::Load(dir / "libvigil_junk.so");
  ASSERT_FALSE(plugin.has_value());
  EXPECT_NE(plugin.error().message.find("cannot load"), std::string::npos) << plugin.error().message;
}

TEST(PluginRegistry, KeepsGoodPluginsAndListsBrokenOnesAsProblems) {
  PluginRegistry registry;
  registry.Discover({VIGIL_PLUGIN_DIR, VIGIL_TEST_PLUGIN_DIR});
  EXPECT_TRUE(registry.Find("csv").has_value());
  EXPECT_TRUE(registry.Find("midstream_error").has_value());
  EXPECT_EQ(registry.problems().size(), 4u);  // missing_entry, abi_v2, bad_major, null_functions
  auto missing = registry.Find("nope");
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message.find("no plugin named 'nope' (found: crash, csv, "), std::string::npos)
      << missing.error().message;
  EXPECT_NE(missing.error().message.find("midstream_error"), std::string::npos) << missing.error().message;
}

TEST(PluginLibrary, RefusesADescriptorWithANullFunctionAtLoadTime) {
  auto plugin = PluginLibrary::Load(TestPlugin("null_functions"));
  ASSERT_FALSE(plugin.has_value());
  EXPECT_NE(plugin.error().message.find("(null_functions): descriptor lacks create, read or destroy"),
            std::string::npos) << plugin.error().message;
}

TEST(PluginRegistry, AnUnreadableFileOnThePluginPathIsAProblemNotACrash) {
  TempDir dir;
  fs::create_directory_symlink(dir / "nowhere", dir / "libvigil_dangling.so");
  vigil::testing::WriteText(dir / "libvigil_empty.so", "");
  PluginRegistry registry;
  registry.Discover({dir.path(), VIGIL_PLUGIN_DIR});
  EXPECT_TRUE(registry.Find("csv").has_value());
  ASSERT_EQ(registry.problems().size(), 2u);
  for (const auto& p : registry.problems())
    EXPECT_NE(p.message.find("cannot load"), std::string::npos) << p.message;
}

TEST(SourceSession, AnExceptionThrownInsideACppPluginStopsAtTheBoundary) {
  auto plugin = PluginLibrary::Load(TestPlugin("throws"));
  ASSERT_TRUE(plugin.has_value()) << plugin.error().message;
  RecordingSink sink;
  auto counts = RunSource(**plugin, "spreadsheet", {}, sink);
  ASSERT_FALSE(counts.has_value());
  EXPECT_EQ(sink.entities.size(), 1u);
  EXPECT_NE(counts.error().message.find("source 'spreadsheet' (plugin throws 0.1.0): the spreadsheet's third sheet is missing"),
            std::string::npos) << counts.error().message;
}

TEST(PluginHost, APluginsErrorMessageIsOneBoundedLine) {
  // A plugin's message may quote the data: it cannot forge lines on a
  // terminal or fill the run history.
  auto plugin = PluginLibrary::Load(TestPlugin("midstream_error"));
  ASSERT_TRUE(plugin.has_value()) << plugin.error().message;
  RecordingSink sink;
  std::string message = "bad cell\nRun 9 of job 'x' succeeded.\x1b[2K" + std::string(10000, 'x');
  auto counts = RunSource(**plugin, "feed", {{"message", message}}, sink);
  ASSERT_FALSE(counts.has_value());
  const std::string& m = counts.error().message;
  EXPECT_NE(m.find("bad cell Run 9 of job 'x' succeeded.\xEF\xBF\xBD[2Kxxx"), std::string::npos) << m;
  EXPECT_EQ(m.find('\n'), std::string::npos);
  EXPECT_LT(m.size(), 4200u);
}

TEST(PluginRegistry, ReportsADuplicatePluginNameAndKeepsTheFirst) {
  TempDir dir;
  fs::copy_file(fs::path(VIGIL_PLUGIN_DIR) / "libvigil_csv.so", dir / "libvigil_csv_copy.so");
  PluginRegistry registry;
  registry.Discover({VIGIL_PLUGIN_DIR, dir.path()});
  auto csv = registry.Find("csv");
  ASSERT_TRUE(csv.has_value());
  EXPECT_EQ((*csv)->path().parent_path(), fs::weakly_canonical(VIGIL_PLUGIN_DIR));
  ASSERT_EQ(registry.problems().size(), 1u);
  EXPECT_NE(registry.problems()[0].message.find("duplicate plugin name 'csv'"), std::string::npos);
}

TEST(Settings, RejectUnknownMissingMistypedAndOutOfFolderSettings) {
  auto plugin = PluginLibrary::Load(fs::path(VIGIL_PLUGIN_DIR) / "libvigil_csv.so");
  ASSERT_TRUE(plugin.has_value());
  const auto& d = (*plugin)->descriptor();
  TempDir dir;
  PathPolicy paths{dir.path(), {dir / "data"}};
  auto base = std::vector<SettingInput>{{"file", {"data/x.csv"}, false},
                                        {"kind", {"school"}, false},
                                        {"key_column", {"URN"}, false}};
  EXPECT_TRUE(ResolveSettings(d, "register", base, paths).has_value());

  auto unknown = base;
  unknown.push_back({"colour", {"red"}, false});
  auto r1 = ResolveSettings(d, "register", unknown, paths);
  ASSERT_FALSE(r1.has_value());
  EXPECT_NE(r1.error().message.find("source 'register' setting 'colour'"), std::string::npos);

  auto missing = std::vector<SettingInput>(base.begin() + 1, base.end());
  auto r2 = ResolveSettings(d, "register", missing, paths);
  ASSERT_FALSE(r2.has_value());
  EXPECT_NE(r2.error().message.find("needs setting 'file'"), std::string::npos);

  auto escape = base;
  escape[0].items = {"../../etc/passwd"};
  auto r3 = ResolveSettings(d, "register", escape, paths);
  ASSERT_FALSE(r3.has_value());
  EXPECT_NE(r3.error().message.find("outside the job's data folders"), std::string::npos);

  auto absolute = base;
  absolute[0].items = {"/etc/passwd"};
  EXPECT_FALSE(ResolveSettings(d, "register", absolute, paths).has_value());

  auto not_integer = base;
  not_integer.push_back({"skip_lines", {"two"}, false});
  auto r4 = ResolveSettings(d, "register", not_integer, paths);
  ASSERT_FALSE(r4.has_value());
  EXPECT_NE(r4.error().message.find("expected an integer, got 'two'"), std::string::npos);
}

TEST(SourceSession, StreamsRecordsFromTheCsvPluginAndReportsBadCells) {
  auto plugin = PluginLibrary::Load(fs::path(VIGIL_PLUGIN_DIR) / "libvigil_csv.so");
  ASSERT_TRUE(plugin.has_value());
  TempDir dir;
  vigil::testing::WriteText(dir / "s.csv", "URN,Name,Pupils\n1,A,10\n2,B,lots\n");
  std::vector<ResolvedSetting> settings = {{"file", (dir / "s.csv").string()},
                                           {"kind", "school"},
                                           {"key_column", "URN"},
                                           {"name_column", "Name"},
                                           {"measures", "pupils = Pupils"},
                                           {"as_of", "2023-01-19"}};
  RecordingSink sink;
  auto counts = RunSource(**plugin, "register", settings, sink);
  ASSERT_TRUE(counts.has_value()) << counts.error().message;
  EXPECT_EQ(sink.entities, (std::vector<std::string>{"1:A", "2:B"}));
  EXPECT_EQ(sink.observations, (std::vector<std::string>{"1/pupils@2023-01-19"}));
  ASSERT_EQ(sink.rejections.size(), 1u);
  EXPECT_NE(sink.rejections[0].find("s.csv:3:Pupils:"), std::string::npos) << sink.rejections[0];
}

TEST(SourceSession, APluginErrorMidStreamNamesSourcePluginAndReason) {
  auto plugin = PluginLibrary::Load(TestPlugin("midstream_error"));
  ASSERT_TRUE(plugin.has_value()) << plugin.error().message;
  RecordingSink sink;
  auto counts = RunSource(**plugin, "broken", {{"count", "2"}}, sink);
  ASSERT_FALSE(counts.has_value());
  EXPECT_EQ(sink.entities.size(), 2u);
  const std::string& m = counts.error().message;
  EXPECT_NE(m.find("source 'broken' (plugin midstream_error 0.1.0)"), std::string::npos) << m;
  EXPECT_NE(m.find("truncated"), std::string::npos) << m;
}

TEST(SourceSession, RecordsTheHostRefusesNameTheFileLineAndTheFieldThatIsWrong) {
  auto plugin = PluginLibrary::Load(TestPlugin("malformed_records"));
  ASSERT_TRUE(plugin.has_value()) << plugin.error().message;
  RecordingSink sink;
  auto counts = RunSource(**plugin, "visits", {}, sink);
  ASSERT_TRUE(counts.has_value()) << counts.error().message;
  EXPECT_EQ(sink.rejections,
            (std::vector<std::string>{
                "visits.csv:7:date:the date of 'pupils' for school 900001, '2023-02-30', is not a valid YYYY-MM-DD date",
                "visits.csv:8:measure:observation of school 900001 without a measure name",
                "visits.csv:9:pupils:the value of 'pupils' for school 900001 is not a finite number"}));
  EXPECT_EQ(sink.rejected_values, (std::vector<std::string>{"2023-02-30", "", "nan"}));
  // The host passes on the school no source registered; the run's sink reports it.
  EXPECT_EQ(sink.observations, (std::vector<std::string>{"999999/pupils@2023-01-19", "900001/pupils@2023-01-19"}));
}

}  // namespace
}  // namespace vigil::plugin_host
