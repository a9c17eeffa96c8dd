// Test-only scaffolding shared by the plugin tests (plugins/*/tests/
// *_plugin_test.cc): a host API that records everything a plugin sends it,
// and a GoogleTest fixture that loads the built plugin with dlopen like the
// host loads it, gives each test a fresh temporary folder, and drives the
// plugin through its C ABI (create, read, destroy).
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

#include <vigil/plugin.h>

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil::plugin_testing {

inline std::string S(vigil_str s) {
  return s.size == 0 ? std::string() : std::string(s.data, s.size);
}

using Attributes = std::map<std::string, std::string>;
using SettingList = std::vector<std::pair<std::string, std::string>>;

// A host that records what the plugin sends it.
struct Recorder {
  struct Entity {
    std::string kind, key, name;
    Attributes attributes;
  };
  struct Observation {
    std::string kind, key, measure, as_of;
    bool has_number = false;
    double number = 0;
    std::string text;
  };
  struct Rejection {
    std::string file;
    std::uint64_t line = 0;
    std::string field, value, reason;
  };

  std::vector<Entity> entities;
  std::vector<Observation> observations;
  std::vector<Rejection> rejections;
  std::vector<std::string> errors;
  std::vector<std::string> logs;  // every level, in order
  std::vector<std::pair<std::uint64_t, std::uint64_t>> progress;  // (done, total)
  // ABI 1.2 accounting: rows read per file, and rows skipped per file and reason.
  std::map<std::string, std::uint64_t> rows_read;
  std::map<std::string, std::map<std::string, std::uint64_t>> skipped;
  bool cancel = false;           // what cancelled() answers
  bool refuse_entities = false;  // emit_entity fails with "host refused the entity"
  // Called with each observation before it is recorded, for a test's own checks.
  std::function<void(const Observation&)> on_observation;
  vigil_host_api api{};

  Recorder() {
    api.struct_size = sizeof api;
    api.abi_major = VIGIL_ABI_MAJOR;
    api.abi_minor = VIGIL_ABI_MINOR;
    api.host = this;
    api.log = [](void* h, vigil_log_level, vigil_str m) { Self(h).logs.push_back(S(m)); };
    api.error = [](void* h, vigil_str m) { Self(h).errors.push_back(S(m)); };
    api.emit_entity = [](void* h, const vigil_entity* e) {
      Recorder& self = Self(h);
      EXPECT_EQ(e->struct_size, sizeof(vigil_entity));
      if (self.refuse_entities) {
        self.errors.push_back("host refused the entity");
        return VIGIL_ERROR;
      }
      Entity copy{S(e->kind), S(e->key), S(e->name), {}};
      for (std::size_t i = 0; i < e->attribute_count; ++i)
        copy.attributes[S(e->attributes[i].name)] = S(e->attributes[i].value);
      self.entities.push_back(std::move(copy));
      return VIGIL_OK;
    };
    api.emit_observation = [](void* h, const vigil_observation* o) {
      Recorder& self = Self(h);
      EXPECT_EQ(o->struct_size, sizeof(vigil_observation));
      Observation copy{S(o->entity_kind), S(o->entity_key), S(o->measure),
                       S(o->as_of),       o->has_number != 0, o->number,
                       S(o->text)};
      if (self.on_observation) self.on_observation(copy);
      self.observations.push_back(std::move(copy));
      return VIGIL_OK;
    };
    api.reject_row = [](void* h, const vigil_rejection* r) {
      EXPECT_EQ(r->struct_size, sizeof(vigil_rejection));
      Self(h).rejections.push_back({S(r->file), r->line, S(r->field), S(r->value), S(r->reason)});
      return VIGIL_OK;
    };
    api.progress = [](void* h, std::uint64_t done, std::uint64_t total) {
      Self(h).progress.emplace_back(done, total);
    };
    api.cancelled = [](void* h) { return Self(h).cancel ? 1 : 0; };
    api.skip_rows = [](void* h, const vigil_skipped_rows* s) {
      EXPECT_EQ(s->struct_size, sizeof(vigil_skipped_rows));
      Self(h).skipped[S(s->file)][S(s->reason)] += s->count;
      return VIGIL_OK;
    };
    api.rows_read = [](void* h, vigil_str file, std::uint64_t rows) { Self(h).rows_read[S(file)] += rows; };
  }
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  static Recorder& Self(void* h) { return *static_cast<Recorder*>(h); }

  const Entity* FindEntity(std::string_view key) const {
    for (const auto& e : entities)
      if (e.key == key) return &e;
    return nullptr;
  }
  std::vector<Observation> Find(std::string_view key, std::string_view measure) const {
    std::vector<Observation> found;
    for (const auto& o : observations)
      if (o.key == key && o.measure == measure) found.push_back(o);
    return found;
  }
  // "date=value" for each observation of `measure`, in the order emitted:
  // the number when there is one, else the text.
  std::vector<std::string> History(std::string_view key, std::string_view measure) const {
    std::vector<std::string> out;
    for (const auto& o : Find(key, measure)) {
      std::string value = o.text;
      if (o.has_number) {
        value = std::to_string(static_cast<int>(o.number));
        if (!o.text.empty()) value += " " + o.text;
      }
      out.push_back(o.as_of + "=" + value);
    }
    return out;
  }
  // Every measure emitted for `key` on `date`.
  std::set<std::string> MeasuresOn(std::string_view key, std::string_view date) const {
    std::set<std::string> out;
    for (const auto& o : observations)
      if (o.key == key && o.as_of == date) out.insert(o.measure);
    return out;
  }
  // Rows of `file` skipped for `reason` (0 if none).
  std::uint64_t Skipped(const std::string& file, const std::string& reason) const {
    auto f = skipped.find(file);
    if (f == skipped.end()) return 0;
    auto r = f->second.find(reason);
    return r == f->second.end() ? 0 : r->second;
  }
  // Distinct lines of `file` with a rejection: the rows the host counts as rejected.
  std::set<std::uint64_t> RejectedLines(const std::string& file) const {
    std::set<std::uint64_t> lines;
    for (const auto& r : rejections)
      if (r.file == file && r.line > 0) lines.insert(r.line);
    return lines;
  }
  bool Logged(std::string_view text) const {
    for (const auto& message : logs)
      if (message.find(text) != std::string::npos) return true;
    return false;
  }
  std::string AllLogs() const {
    std::string out;
    for (const auto& message : logs) out += message + "\n";
    return out;
  }
};

// The descriptor of the plugin built at `path`, or nullptr with `error` set.
// Each module is loaded once and never dlclose'd: sanitizer reports then
// still name the plugin's code.
inline const vigil_plugin_descriptor* LoadPlugin(const std::string& path, std::string& error) {
  static std::map<std::string, const vigil_plugin_descriptor*> loaded;
  if (auto it = loaded.find(path); it != loaded.end()) return it->second;
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    error = dlerror();
    return nullptr;
  }
  void* entry = dlsym(handle, VIGIL_ENTRY_NAME);
  if (entry == nullptr) {
    error = dlerror();
    return nullptr;
  }
  const vigil_plugin_descriptor* descriptor = reinterpret_cast<vigil_plugin_entry_fn>(entry)();
  if (descriptor == nullptr) error = std::string(VIGIL_ENTRY_NAME) + " returned no descriptor";
  return loaded[path] = descriptor;
}

// A test of the plugin built at `plugin_path`, with a recording host (host_)
// and a temporary folder (dir_) removed after each test.
class PluginTest : public ::testing::Test {
 protected:
  PluginTest(std::string plugin_path, std::string temp_prefix)
      : plugin_path_(std::move(plugin_path)), temp_prefix_(std::move(temp_prefix)) {}

  void SetUp() override {
    std::string error;
    descriptor_ = LoadPlugin(plugin_path_, error);
    ASSERT_NE(descriptor_, nullptr) << plugin_path_ << ": " << error;
    std::string pattern =
        (std::filesystem::temp_directory_path() / (temp_prefix_ + "_XXXXXX")).string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
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
    std::vector<vigil_setting> c;
    for (const auto& [name, value] : settings)
      c.push_back({{name.data(), name.size()}, {value.data(), value.size()}});
    return descriptor_->create(&host_.api, c.data(), c.size(), instance);
  }

  // create() then read() then destroy(); returns the first failing status.
  vigil_status Run(const SettingList& settings) {
    void* instance = nullptr;
    vigil_status status = Create(settings, &instance);
    if (status != VIGIL_OK) {
      EXPECT_EQ(instance, nullptr);
      return status;
    }
    status = descriptor_->read(instance);
    descriptor_->destroy(instance);
    return status;
  }

  std::string LastError() const { return host_.errors.empty() ? "" : host_.errors.back(); }

  const vigil_plugin_descriptor* descriptor_ = nullptr;
  std::filesystem::path dir_;
  Recorder host_;

 private:
  std::string plugin_path_;
  std::string temp_prefix_;
};

}  // namespace vigil::plugin_testing

#endif  // VIGIL_PLUGINS_TESTING_PLUGIN_HARNESS_H_
