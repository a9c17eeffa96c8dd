// vigil/plugin.hpp: an optional, header-only C++ layer over vigil/plugin.h.
//
// It is compiled into the plugin, so the core and the plugin never share a
// C++ standard library. It turns C++ exceptions into VIGIL_ERROR plus a
// message at the boundary (no exception ever reaches the host), wraps the
// host API in string_view-friendly calls, and reads settings by name.
//
// A plugin class needs a constructor `Plugin(vigil::sdk::Host, vigil::sdk::Settings)`
// that validates its settings (throwing vigil::sdk::Error on bad ones) and a
// `void Read()` that streams records; see sdk/template/ for a complete one.
#ifndef VIGIL_PLUGIN_HPP_
#define VIGIL_PLUGIN_HPP_

#include <vigil/plugin.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil::sdk {

// Thrown by plugin code for a failure the user must fix; the message reaches
// the user verbatim, prefixed by the plugin's name.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Thrown when the host refuses a record or asks to stop; unwinds Read().
class Stop : public std::exception {
 public:
  explicit Stop(vigil_status status) : status_(status) {}
  vigil_status status() const noexcept { return status_; }
  const char* what() const noexcept override { return "stopped by host"; }

 private:
  vigil_status status_;
};

inline vigil_str Str(std::string_view s) noexcept {
  return vigil_str{s.data(), s.size()};
}
inline std::string_view View(vigil_str s) noexcept {
  return s.size == 0 ? std::string_view{} : std::string_view{s.data, s.size};
}

// A row rejected by the plugin: where it is and why it was refused.
struct Rejection {
  std::string_view file;
  std::uint64_t line = 0;
  std::string_view field;
  std::string_view value;
  std::string_view reason;
};

// A value of one observation: a number, a text (a category such as "Good"),
// or missing with its reason in text.
struct Value {
  std::optional<double> number;
  std::string_view text;
};

// The host API, with calls that throw Stop when the host refuses a record.
class Host {
 public:
  explicit Host(const vigil_host_api* api) noexcept : api_(api) {}

  void Log(vigil_log_level level, std::string_view message) const noexcept {
    api_->log(api_->host, level, Str(message));
  }
  void Info(std::string_view m) const noexcept { Log(VIGIL_LOG_INFO, m); }
  void Warn(std::string_view m) const noexcept { Log(VIGIL_LOG_WARN, m); }

  void Entity(std::string_view kind, std::string_view key,
              std::string_view name,
              const std::vector<vigil_attribute>& attributes) const {
    vigil_entity e{};
    e.struct_size = sizeof e;
    e.kind = Str(kind);
    e.key = Str(key);
    e.name = Str(name);
    e.attributes = attributes.empty() ? nullptr : attributes.data();
    e.attribute_count = attributes.size();
    Check(api_->emit_entity(api_->host, &e));
  }

  // `file` and `line` say where the value was read (shown if the host must
  // refuse it, e.g. as a conflicting duplicate).
  void Observation(std::string_view kind, std::string_view key,
                   std::string_view measure, std::string_view as_of,
                   const Value& value, std::string_view file = {},
                   std::uint64_t line = 0) const {
    vigil_observation o{};
    o.struct_size = sizeof o;
    o.entity_kind = Str(kind);
    o.entity_key = Str(key);
    o.measure = Str(measure);
    o.as_of = Str(as_of);
    o.has_number = value.number.has_value() ? 1 : 0;
    o.number = value.number.value_or(0.0);
    o.text = Str(value.text);
    o.file = Str(file);
    o.line = line;
    Check(api_->emit_observation(api_->host, &o));
  }

  void Reject(const Rejection& r) const {
    vigil_rejection v{};
    v.struct_size = sizeof v;
    v.file = Str(r.file);
    v.line = r.line;
    v.field = Str(r.field);
    v.value = Str(r.value);
    v.reason = Str(r.reason);
    Check(api_->reject_row(api_->host, &v));
  }

  void Progress(std::uint64_t done, std::uint64_t total) const noexcept {
    api_->progress(api_->host, done, total);
  }

  // Whether the host counts rows (ABI 1.2: skip_rows and rows_read). An
  // older host does not; the calls below then do nothing.
  bool CountsRows() const noexcept {
    return api_->abi_major == VIGIL_ABI_MAJOR && api_->abi_minor >= 2 &&
           api_->struct_size >= offsetof(vigil_host_api, rows_read) + sizeof api_->rows_read &&
           api_->skip_rows != nullptr && api_->rows_read != nullptr;
  }

  // `count` rows of `file` were valid but not used, for `reason` (e.g.
  // "outside the register"); `first_line` is the first of them.
  void Skipped(std::string_view file, std::string_view reason, std::uint64_t count,
               std::uint64_t first_line = 0) const {
    if (!CountsRows() || count == 0) return;
    vigil_skipped_rows s{};
    s.struct_size = sizeof s;
    s.file = Str(file);
    s.reason = Str(reason);
    s.count = count;
    s.first_line = first_line;
    Check(api_->skip_rows(api_->host, &s));
  }

  // The number of data rows read from `file`.
  void RowsRead(std::string_view file, std::uint64_t rows) const noexcept {
    if (CountsRows()) api_->rows_read(api_->host, Str(file), rows);
  }

  // Throws Stop(VIGIL_CANCELLED) when the host wants the run to stop.
  void ThrowIfCancelled() const {
    if (api_->cancelled(api_->host) != 0) throw Stop(VIGIL_CANCELLED);
  }

  const vigil_host_api* api() const noexcept { return api_; }

 private:
  static void Check(vigil_status s) {
    if (s != VIGIL_OK) throw Stop(s);
  }
  const vigil_host_api* api_;
};

// The settings a job gave the plugin (already defaulted and type-checked by
// the host against the plugin's declarations).
class Settings {
 public:
  Settings(const vigil_setting* settings, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i)
      values_.emplace_back(std::string(View(settings[i].name)),
                           std::string(View(settings[i].value)));
  }

  std::optional<std::string_view> Get(std::string_view name) const {
    for (const auto& [key, value] : values_)
      if (key == name) return std::string_view(value);
    return std::nullopt;
  }
  std::string_view GetOr(std::string_view name, std::string_view fallback) const {
    return Get(name).value_or(fallback);
  }
  std::string_view Required(std::string_view name) const {
    auto v = Get(name);
    if (!v || v->empty())
      throw Error("setting '" + std::string(name) + "' is required");
    return *v;
  }
  bool Flag(std::string_view name, bool fallback) const {
    auto v = Get(name);
    if (!v || v->empty()) return fallback;
    return *v == "true";
  }
  // A LIST setting: the items of the TOML array, in order.
  std::vector<std::string_view> List(std::string_view name) const {
    std::vector<std::string_view> items;
    auto v = Get(name);
    if (!v || v->empty()) return items;
    std::string_view rest = *v;
    while (true) {
      auto nl = rest.find('\n');
      items.push_back(rest.substr(0, nl));
      if (nl == std::string_view::npos) break;
      rest.remove_prefix(nl + 1);
    }
    return items;
  }

 private:
  std::vector<std::pair<std::string, std::string>> values_;
};

// Adapts a C++ plugin class to the C entry points; every exception stops at
// this boundary and becomes VIGIL_ERROR with its message.
template <class Plugin>
struct Adapter {
  struct Instance {
    const vigil_host_api* api;
    Plugin plugin;
  };

  static vigil_status Create(const vigil_host_api* api,
                             const vigil_setting* settings, std::size_t count,
                             void** instance) noexcept {
    *instance = nullptr;
    return Guard(api, [&] {
      *instance = new Instance{api, Plugin(Host(api), Settings(settings, count))};
    });
  }

  static vigil_status Read(void* instance) noexcept {
    auto* self = static_cast<Instance*>(instance);
    return Guard(self->api, [&] { self->plugin.Read(); });
  }

  static void Destroy(void* instance) noexcept {
    delete static_cast<Instance*>(instance);
  }

 private:
  template <class Body>
  static vigil_status Guard(const vigil_host_api* api, Body&& body) noexcept {
    try {
      body();
      return VIGIL_OK;
    } catch (const Stop& stop) {
      return stop.status();  // the host already knows why
    } catch (const std::bad_alloc&) {
      Fail(api, "out of memory");
    } catch (const std::exception& e) {
      Fail(api, e.what());
    } catch (...) {
      Fail(api, "unknown C++ exception");
    }
    return VIGIL_ERROR;
  }
  static void Fail(const vigil_host_api* api, const char* message) noexcept {
    api->error(api->host, vigil_str{message, std::strlen(message)});
  }
};

// Builds a descriptor for Plugin; keep the result in a function-local static.
template <class Plugin, std::size_t N>
constexpr vigil_plugin_descriptor Describe(const char* name, const char* version,
                                           const char* description,
                                           const char* emits,
                                           const vigil_setting_decl (&settings)[N]) {
  vigil_plugin_descriptor d{};
  d.struct_size = sizeof d;
  d.abi_major = VIGIL_ABI_MAJOR;
  d.abi_minor = VIGIL_ABI_MINOR;
  d.name = name;
  d.version = version;
  d.description = description;
  d.emits = emits;
  d.settings = settings;
  d.setting_count = N;
  d.create = &Adapter<Plugin>::Create;
  d.read = &Adapter<Plugin>::Read;
  d.destroy = &Adapter<Plugin>::Destroy;
  return d;
}

}  // namespace vigil::sdk

// Defines the exported entry function returning the given descriptor.
#define VIGIL_PLUGIN_ENTRY(descriptor_expression)                            \
  extern "C" VIGIL_EXPORT const vigil_plugin_descriptor*                     \
  vigil_plugin_entry_v1(void) {                                              \
    static const vigil_plugin_descriptor descriptor = descriptor_expression; \
    return &descriptor;                                                      \
  }

#endif  // VIGIL_PLUGIN_HPP_
