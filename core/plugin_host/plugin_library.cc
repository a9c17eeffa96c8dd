#include "plugin_host/plugin_library.h"

#include <dlfcn.h>

#include <optional>

#include <boost/dll/shared_library.hpp>
#include <fmt/format.h>

namespace vigil::plugin_host {
namespace fs = std::filesystem;

struct PluginLibrary::Handle {
  boost::dll::shared_library library;
};

namespace {

// The entry symbols of other major versions, to tell "built for ABI 2" from
// "not a Vigil plugin at all".
std::optional<int> OtherMajorFound(const boost::dll::shared_library& library) {
  for (int major = 0; major <= 9; ++major) {
    if (major == VIGIL_ABI_MAJOR) continue;
    if (library.has(fmt::format("vigil_plugin_entry_v{}", major))) return major;
  }
  return std::nullopt;
}

// Boost.DLL 1.74 clears dlerror() when a load fails, losing the useful part
// ("undefined symbol: foo"). Repeat the load with dlopen to recover it.
std::string WhyLoadFailed(const fs::path& path, const std::string& fallback) {
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle != nullptr) {
    ::dlclose(handle);
    return fallback;
  }
  const char* message = ::dlerror();
  return message ? message : fallback;
}

Status CheckDescriptor(const vigil_plugin_descriptor* d, const fs::path& path) {
  if (d == nullptr)
    return Fail(ErrorCode::kPluginFailure,
                fmt::format("plugin {}: {} returned no descriptor", path.string(), VIGIL_ENTRY_NAME));
  if (d->abi_major != VIGIL_ABI_MAJOR)
    return Fail(ErrorCode::kPluginFailure,
                fmt::format("plugin {}: built for plugin ABI {}.{}, this Vigil expects ABI {}.x "
                            "(rebuild the plugin against this Vigil's SDK)",
                            path.string(), d->abi_major, d->abi_minor, VIGIL_ABI_MAJOR));
  // The descriptor only grows: a smaller one than 1.0's lacks fields we call.
  constexpr std::size_t kMinimumSize = sizeof(vigil_plugin_descriptor);
  if (d->struct_size < kMinimumSize)
    return Fail(ErrorCode::kPluginFailure,
                fmt::format("plugin {}: descriptor is {} bytes, ABI {}.{} needs at least {}",
                            path.string(), d->struct_size, d->abi_major, d->abi_minor,
                            kMinimumSize));
  if (d->name == nullptr || *d->name == '\0' || d->version == nullptr)
    return Fail(ErrorCode::kPluginFailure,
                fmt::format("plugin {}: descriptor has no name or version", path.string()));
  if (d->create == nullptr || d->read == nullptr || d->destroy == nullptr)
    return Fail(ErrorCode::kPluginFailure,
                fmt::format("plugin {} ({}): descriptor lacks create, read or destroy",
                            path.string(), d->name));
  if (d->setting_count > 0 && d->settings == nullptr)
    return Fail(ErrorCode::kPluginFailure,
                fmt::format("plugin {} ({}): declares {} settings but gives none", path.string(),
                            d->name, d->setting_count));
  for (std::size_t i = 0; i < d->setting_count; ++i) {
    if (d->settings[i].name == nullptr)
      return Fail(ErrorCode::kPluginFailure,
                  fmt::format("plugin {} ({}): setting {} has no name", path.string(), d->name, i));
  }
  return Status::Ok();
}

}  // namespace

PluginLibrary::PluginLibrary(std::unique_ptr<Handle> handle,
                             const vigil_plugin_descriptor* descriptor, fs::path path)
    : handle_(std::move(handle)), descriptor_(descriptor), path_(std::move(path)) {}

PluginLibrary::~PluginLibrary() = default;

std::string PluginLibrary::abi() const {
  return fmt::format("{}.{}", descriptor_->abi_major, descriptor_->abi_minor);
}

Result<std::shared_ptr<PluginLibrary>> PluginLibrary::Load(const fs::path& given) {
  // Absolute: a bare name would be looked up in the current folder, which
  // is "/" under cron.
  std::error_code ec;
  fs::path path = fs::absolute(given, ec);
  if (ec) path = given;
  auto handle = std::make_unique<Handle>();
  // rtld_now: an unresolved symbol fails here with a message, not later
  // with a crash on first call. rtld_local: plugins cannot see each other.
  boost::dll::fs::error_code load_error;
  handle->library.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local,
                       load_error);
  if (load_error) {
    std::string detail = WhyLoadFailed(path, load_error.message());
    return Fail(ErrorCode::kPluginFailure,
                fmt::format("plugin {}: cannot load: {}", path.string(), detail));
  }
  if (!handle->library.has(VIGIL_ENTRY_NAME)) {
    if (auto major = OtherMajorFound(handle->library))
      return Fail(ErrorCode::kPluginFailure,
                  fmt::format("plugin {}: built for plugin ABI {} (exports "
                              "vigil_plugin_entry_v{}), this Vigil expects ABI {} ({})",
                              path.string(), *major, *major, VIGIL_ABI_MAJOR, VIGIL_ENTRY_NAME));
    return Fail(ErrorCode::kPluginFailure,
                fmt::format("plugin {}: missing entry symbol {} (not a Vigil plugin, or built "
                            "without VIGIL_PLUGIN_ENTRY); this Vigil expects ABI {}.{}",
                            path.string(), VIGIL_ENTRY_NAME, VIGIL_ABI_MAJOR, VIGIL_ABI_MINOR));
  }
  auto& entry = handle->library.get<const vigil_plugin_descriptor*()>(VIGIL_ENTRY_NAME);
  const vigil_plugin_descriptor* descriptor = entry();
  VIGIL_RETURN_IF_ERROR(CheckDescriptor(descriptor, path));
  return std::shared_ptr<PluginLibrary>(new PluginLibrary(std::move(handle), descriptor, path));
}

}  // namespace vigil::plugin_host
