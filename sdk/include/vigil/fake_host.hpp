// vigil/fake_host.hpp: a fake Vigil host, to unit-test a plugin's read()
// without a job, a store or the CLI. Header-only, C++17; it needs no test
// framework (GoogleTest is shown) and links only libdl. Installed with the
// SDK: find_package(vigil) and link vigil::sdk_testing.
//
//   #include <vigil/fake_host.hpp>
//
//   TEST(MyPlugin, ReadsEveryRow) {
//     auto plugin = vigil::testing::LoadPlugin(MY_PLUGIN_PATH);  // the built .so
//     ASSERT_TRUE(plugin) << plugin.error;
//     vigil::testing::FakeHost host;
//     ASSERT_EQ(host.Run(*plugin.descriptor, {{"file", "/tmp/t/schools.csv"}}), VIGIL_OK)
//         << host.LastError();
//     EXPECT_EQ(host.entities.size(), 3u);
//     EXPECT_TRUE(host.rejections.empty());
//     EXPECT_TRUE(host.contract_violations.empty());
//   }
//
// What it does as Vigil does: loads the module with every symbol resolved
// (RTLD_NOW, RTLD_LOCAL) and finds the entry symbol; fills in the declared
// defaults of settings a test leaves out; turns an observation the real host
// would refuse (no entity key, no measure, a date that is not YYYY-MM-DD, a
// number that is not finite) into a rejected row with `by_host` set, instead
// of recording it. What it does not: resolve PATH settings against a job's
// folder (give absolute paths), store anything, or evaluate rules.
//
// Breaking the ABI contract (a too-small struct, a string with NULL data and
// a size, create() failing but leaving an instance) is recorded in
// `contract_violations`, which a test should expect to be empty: Vigil fails
// the run for any of them.
//
// Not thread-safe: one FakeHost per test, called from the thread that runs
// the plugin (as Vigil calls it).
#ifndef VIGIL_FAKE_HOST_HPP_
#define VIGIL_FAKE_HOST_HPP_

#include <vigil/plugin.h>
#include <vigil/values.hpp>

#include <dlfcn.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil::testing {

// A borrowed string copied out of a record.
inline std::string S(vigil_str s) { return s.size == 0 || s.data == nullptr ? std::string() : std::string(s.data, s.size); }

// Settings as a job gives them: name and value (a LIST joined by '\n').
using SettingList = std::vector<std::pair<std::string, std::string>>;

// A loaded plugin module: its descriptor, or why it could not be loaded.
struct LoadedPlugin {
  const vigil_plugin_descriptor* descriptor = nullptr;
  std::string error;
  explicit operator bool() const { return descriptor != nullptr; }
};

// Loads the plugin built at `path` as Vigil loads it. Each module is loaded
// once per process and never unloaded, so sanitizer reports can still name
// its code; later calls return the same descriptor.
inline LoadedPlugin LoadPlugin(const std::string& path) {
  static std::map<std::string, LoadedPlugin> loaded;
  if (auto it = loaded.find(path); it != loaded.end()) return it->second;
  LoadedPlugin plugin;
  if (void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL); handle == nullptr) {
    plugin.error = ::dlerror();
  } else if (void* entry = ::dlsym(handle, VIGIL_ENTRY_NAME); entry == nullptr) {
    plugin.error = path + ": no " + VIGIL_ENTRY_NAME + " (not a Vigil plugin of ABI " +
                   std::to_string(VIGIL_ABI_MAJOR) + ")";
  } else {
    plugin.descriptor = reinterpret_cast<vigil_plugin_entry_fn>(entry)();
    if (plugin.descriptor == nullptr) plugin.error = path + ": " + VIGIL_ENTRY_NAME + " returned no descriptor";
    else if (plugin.descriptor->abi_major != VIGIL_ABI_MAJOR) {
      plugin.error = path + ": built for ABI " + std::to_string(plugin.descriptor->abi_major) + ", this SDK is ABI " +
                     std::to_string(VIGIL_ABI_MAJOR);
      plugin.descriptor = nullptr;
    }
  }
  return loaded[path] = plugin;
}

class FakeHost {
 public:
  struct Entity {
    std::string kind, key, name;
    std::map<std::string, std::string> attributes;
  };
  struct Observation {
    std::string kind, key, measure, as_of;
    bool has_number = false;
    double number = 0;
    std::string text;
    std::string file;  // where it was read (ABI 1.1)
    std::uint64_t line = 0;
  };
  struct Rejection {
    std::string file;
    std::uint64_t line = 0;
    std::string field, value, reason;
    bool by_host = false;  // a record the plugin emitted that Vigil would refuse
  };

  // --- What the plugin sent, in order ----------------------------------------
  std::vector<Entity> entities;
  std::vector<Observation> observations;
  std::vector<Rejection> rejections;
  std::vector<std::string> errors;  // host->error(): why create() or read() failed
  std::vector<std::string> logs;    // every level, in order
  std::vector<std::pair<std::uint64_t, std::uint64_t>> progress;  // (done, total)
  // ABI 1.2 accounting: rows read per file, and rows skipped per file and reason.
  std::map<std::string, std::uint64_t> rows_read;
  std::map<std::string, std::map<std::string, std::uint64_t>> skipped;
  std::vector<std::string> contract_violations;                   // see the top of this file

  // --- How the host answers ----------------------------------------------------
  bool cancel = false;           // what cancelled() returns
  bool refuse_entities = false;  // emit_entity fails, as when Vigil refuses a record
  // Called with each observation before it is recorded, for a test's own checks.
  std::function<void(const Observation&)> on_observation;

  FakeHost() { Bind(); }
  FakeHost(const FakeHost&) = delete;
  FakeHost& operator=(const FakeHost&) = delete;

  const vigil_host_api* api() const { return &api_; }

  // Acts as a host of an older ABI minor (1 or 0): the table is that
  // version's size and the newer callbacks are gone, to test that the plugin
  // checks before calling them and still runs.
  void ActAsAbiMinor(std::uint16_t minor) {
    if (minor >= VIGIL_ABI_MINOR) return;
    api_.abi_minor = minor;
    if (minor < 2) {
      api_.struct_size = VIGIL_HOST_API_SIZE_1_1;
      api_.skip_rows = nullptr;
      api_.rows_read = nullptr;
    }
  }

  // create() with `settings` plus the declared defaults of those not given.
  vigil_status Create(const vigil_plugin_descriptor& plugin, const SettingList& settings, void** instance) {
    SettingList all = settings;
    for (std::size_t i = 0; i < plugin.setting_count; ++i) {
      const vigil_setting_decl& decl = plugin.settings[i];
      bool given = false;
      for (const auto& s : settings) given = given || s.first == decl.name;
      if (!given && decl.default_value != nullptr) all.emplace_back(decl.name, decl.default_value);
    }
    std::vector<vigil_setting> c;
    for (const auto& [name, value] : all) c.push_back({{name.data(), name.size()}, {value.data(), value.size()}});
    *instance = nullptr;
    return plugin.create(&api_, c.data(), c.size(), instance);
  }

  // create(), read() and destroy(), as one run of a source; the first
  // status that is not VIGIL_OK, or VIGIL_OK.
  vigil_status Run(const vigil_plugin_descriptor& plugin, const SettingList& settings) {
    void* instance = nullptr;
    vigil_status status = Create(plugin, settings, &instance);
    if (status != VIGIL_OK) {
      if (instance != nullptr) Violation("create() failed but left an instance");
      plugin.destroy(instance);
      return status;
    }
    status = plugin.read(instance);
    plugin.destroy(instance);
    return status;
  }

  std::string LastError() const { return errors.empty() ? std::string() : errors.back(); }

  // --- Looking at what was sent ------------------------------------------------
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
  // the whole number when there is one (then any text), else the text.
  std::vector<std::string> History(std::string_view key, std::string_view measure) const {
    std::vector<std::string> out;
    for (const auto& o : Find(key, measure)) {
      std::string value = o.text;
      if (o.has_number) {
        value = std::to_string(static_cast<long long>(o.number));
        if (!o.text.empty()) value += " " + o.text;
      }
      out.push_back(o.as_of + "=" + value);
    }
    return out;
  }
  // Rows of `file` skipped for `reason` (0 if none).
  std::uint64_t Skipped(const std::string& file, const std::string& reason) const {
    auto f = skipped.find(file);
    if (f == skipped.end()) return 0;
    auto r = f->second.find(reason);
    return r == f->second.end() ? 0 : r->second;
  }
  // Distinct lines of `file` with a rejection: the rows Vigil counts as rejected.
  std::set<std::uint64_t> RejectedLines(const std::string& file) const {
    std::set<std::uint64_t> lines;
    for (const auto& r : rejections)
      if (r.file == file && r.line > 0) lines.insert(r.line);
    return lines;
  }
  // Every measure emitted for `key` on `date`.
  std::set<std::string> MeasuresOn(std::string_view key, std::string_view date) const {
    std::set<std::string> out;
    for (const auto& o : observations)
      if (o.key == key && o.as_of == date) out.insert(o.measure);
    return out;
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

 private:
  static FakeHost& Self(void* host) { return *static_cast<FakeHost*>(host); }

  void Violation(std::string what) { contract_violations.push_back(std::move(what)); }

  // A string the plugin passed; a NULL pointer with a size breaks the contract.
  std::string Read(vigil_str s, const char* what) {
    if (s.data == nullptr && s.size != 0) Violation(std::string(what) + ": NULL data with a size");
    return S(s);
  }

  // The host API table, one entry per callback. A new host callback (a new
  // ABI minor) goes here: its lambda below and what it records above.
  void Bind() {
    api_.struct_size = sizeof api_;
    api_.abi_major = VIGIL_ABI_MAJOR;
    api_.abi_minor = VIGIL_ABI_MINOR;
    api_.host = this;
    api_.log = [](void* h, vigil_log_level, vigil_str m) { Self(h).logs.push_back(Self(h).Read(m, "log")); };
    api_.error = [](void* h, vigil_str m) { Self(h).errors.push_back(Self(h).Read(m, "error")); };
    api_.emit_entity = [](void* h, const vigil_entity* e) { return Self(h).OnEntity(e); };
    api_.emit_observation = [](void* h, const vigil_observation* o) { return Self(h).OnObservation(o); };
    api_.reject_row = [](void* h, const vigil_rejection* r) { return Self(h).OnRejection(r); };
    api_.progress = [](void* h, std::uint64_t done, std::uint64_t total) { Self(h).progress.emplace_back(done, total); };
    api_.cancelled = [](void* h) { return Self(h).cancel ? 1 : 0; };
    api_.skip_rows = [](void* h, const vigil_skipped_rows* r) { return Self(h).OnSkipped(r); };           // 1.2
    api_.rows_read = [](void* h, vigil_str file, std::uint64_t rows) { Self(h).rows_read[S(file)] += rows; };  // 1.2
  }

  vigil_status OnEntity(const vigil_entity* e) {
    if (e == nullptr || e->struct_size < sizeof(vigil_entity)) return Refused("emit_entity: a null or too-small vigil_entity");
    if (refused_) return VIGIL_ERROR;  // as Vigil answers once it has refused a record
    if (refuse_entities) {
      errors.push_back("host refused the entity");
      refused_ = true;
      return VIGIL_ERROR;
    }
    Entity copy{Read(e->kind, "entity kind"), Read(e->key, "entity key"), Read(e->name, "entity name"), {}};
    if (e->attribute_count > 0 && e->attributes == nullptr) return Refused("emit_entity: attributes NULL with a count");
    for (std::size_t i = 0; i < e->attribute_count; ++i)
      copy.attributes[Read(e->attributes[i].name, "attribute name")] = Read(e->attributes[i].value, "attribute value");
    if (copy.kind.empty() || copy.key.empty()) {
      rejections.push_back({"", 0, copy.kind.empty() ? "kind" : "key", copy.key,
                            "the plugin emitted an entity with an empty kind or key", true});
      return VIGIL_OK;
    }
    entities.push_back(std::move(copy));
    return VIGIL_OK;
  }

  vigil_status OnObservation(const vigil_observation* o) {
    if (o == nullptr || o->struct_size < VIGIL_OBSERVATION_SIZE_1_0)
      return Refused("emit_observation: a null or too-small vigil_observation");
    if (refused_) return VIGIL_ERROR;
    Observation copy{Read(o->entity_kind, "entity kind"), Read(o->entity_key, "entity key"), Read(o->measure, "measure"),
                     Read(o->as_of, "as_of"), o->has_number != 0, o->number, Read(o->text, "text"), {}, 0};
    if (o->struct_size >= offsetof(vigil_observation, line) + sizeof(o->line)) {
      copy.file = Read(o->file, "file");
      copy.line = o->line;
    }
    // What Vigil refuses, as it refuses it: a rejected row, the run goes on.
    auto refuse = [&](std::string field, std::string value, std::string reason) {
      rejections.push_back({copy.file, copy.line, std::move(field), std::move(value), std::move(reason), true});
      return VIGIL_OK;
    };
    if (copy.kind.empty() || copy.key.empty())
      return refuse(copy.kind.empty() ? "entity_kind" : "entity_key", copy.key, "no entity kind or key");
    if (copy.measure.empty()) return refuse("measure", "", "no measure name");
    auto date = sdk::ParseDate(copy.as_of);
    if (!date.ok() || *date.value != copy.as_of)
      return refuse("date", copy.as_of, "'" + copy.as_of + "' is not a valid YYYY-MM-DD date");
    if (copy.has_number && !std::isfinite(copy.number))
      return refuse(copy.measure, std::to_string(copy.number), "not a finite number");
    if (on_observation) on_observation(copy);
    observations.push_back(std::move(copy));
    return VIGIL_OK;
  }

  vigil_status OnRejection(const vigil_rejection* r) {
    if (r == nullptr || r->struct_size < sizeof(vigil_rejection)) return Refused("reject_row: a null or too-small vigil_rejection");
    if (refused_) return VIGIL_ERROR;
    rejections.push_back({Read(r->file, "file"), r->line, Read(r->field, "field"), Read(r->value, "value"),
                          Read(r->reason, "reason"), false});
    return VIGIL_OK;
  }

  vigil_status OnSkipped(const vigil_skipped_rows* r) {
    if (r == nullptr || r->struct_size < sizeof(vigil_skipped_rows))
      return Refused("skip_rows: a null or too-small vigil_skipped_rows");
    if (refused_) return VIGIL_ERROR;
    std::string reason = Read(r->reason, "skip reason");
    if (reason.empty()) return Refused("skip_rows: an empty reason");
    skipped[Read(r->file, "file")][reason] += r->count;
    return VIGIL_OK;
  }

  // A broken contract: recorded, and the record refused as Vigil refuses it.
  vigil_status Refused(std::string what) {
    Violation(std::move(what));
    refused_ = true;
    return VIGIL_ERROR;
  }

  vigil_host_api api_{};
  bool refused_ = false;  // after a refusal, Vigil expects the plugin to stop
};

}  // namespace vigil::testing

#endif  // VIGIL_FAKE_HOST_HPP_
