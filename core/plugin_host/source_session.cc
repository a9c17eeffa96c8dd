#include "plugin_host/source_session.h"

#include <cctype>
#include <cmath>
#include <cstddef>
#include <memory>

#include <fmt/format.h>

#include "base/dates.h"
#include "base/log.h"
#include "base/text.h"

namespace vigil::plugin_host {
namespace {

// The state behind the host API's opaque pointer. The callbacks are the
// only code a plugin calls; none may throw, so each catches everything
// and turns it into a stored error.
struct Session {
  const PluginLibrary* plugin;
  std::string source;
  RecordSink* sink;
  std::shared_ptr<spdlog::logger> log;
  std::string plugin_error;  // set by host->error()
  Status sink_status;        // the first refusal by the sink
  SessionCounts counts;
  std::string scratch[3];    // sanitised copies of strings that were not UTF-8
  // Input files reach the plugin as /proc/self/fd/N (input_file.h); its
  // messages and records name them by their paths again.
  std::vector<std::pair<std::string, std::string>> aliases;
};

Session& Of(void* host) { return *static_cast<Session*>(host); }

// A string from the plugin: refuses garbage (data NULL with a size), and
// replaces invalid UTF-8 so every stored string is valid. With `rename`
// (file names and messages, never data) input files' descriptor paths
// become their paths again.
bool Read(const Session& session, vigil_str s, std::string_view& out, std::string& scratch, bool rename = false) {
  if (s.data == nullptr) {
    out = {};
    return s.size == 0;
  }
  out = std::string_view(s.data, s.size);
  if (!IsValidUtf8(out)) {
    scratch = SanitizeUtf8(out);
    out = scratch;
  }
  if (rename && !session.aliases.empty() && out.find("/proc/self/fd/") != std::string_view::npos) {
    std::string named(out);
    for (const auto& [fd_path, path] : session.aliases) {
      for (std::size_t at = named.find(fd_path); at != std::string::npos; at = named.find(fd_path, at + path.size())) {
        // Not a prefix of a longer descriptor number (/proc/self/fd/1 of /proc/self/fd/12).
        std::size_t end = at + fd_path.size();
        if (end < named.size() && std::isdigit(static_cast<unsigned char>(named[end]))) {
          at += 1;
          continue;
        }
        named.replace(at, fd_path.size(), path);
      }
    }
    scratch = std::move(named);
    out = scratch;
  }
  return true;
}

vigil_status Refuse(Session& s, Status status) {
  if (s.sink_status.ok()) s.sink_status = std::move(status);
  return VIGIL_ERROR;
}

vigil_status Bug(Session& s, const std::string& what) {
  return Refuse(s, Fail(ErrorCode::kPluginFailure,
                        fmt::format("plugin '{}' (source '{}') broke the ABI contract: {}",
                                    s.plugin->name(), s.source, what)));
}

void HostLog(void* host, vigil_log_level level, vigil_str message) noexcept {
  try {
    Session& s = Of(host);
    std::string_view text;
    std::string scratch;
    if (!Read(s, message, text, scratch, true)) return;
    auto spd = level >= VIGIL_LOG_ERROR  ? spdlog::level::err
               : level == VIGIL_LOG_WARN ? spdlog::level::warn
               : level == VIGIL_LOG_INFO ? spdlog::level::info
               : level == VIGIL_LOG_DEBUG ? spdlog::level::debug
                                          : spdlog::level::trace;
    s.log->log(spd, "source={} {}", s.source, text);
  } catch (...) {  // logging must never take the run down
  }
}

void HostError(void* host, vigil_str message) noexcept {
  try {
    Session& s = Of(host);
    std::string_view text;
    std::string scratch;
    if (Read(s, message, text, scratch, true)) s.plugin_error = CleanText(text, 4000);  // one bounded line
  } catch (...) {
  }
}

vigil_status HostEmitEntity(void* host, const vigil_entity* e) noexcept {
  Session& s = Of(host);
  try {
    if (!s.sink_status.ok()) return VIGIL_ERROR;
    if (e == nullptr || e->struct_size < sizeof(vigil_entity))
      return Bug(s, "emit_entity given a null or too-small vigil_entity");
    EntityRecord r;
    if (!Read(s, e->kind, r.kind, s.scratch[0]) || !Read(s, e->key, r.key, s.scratch[1]) ||
        !Read(s, e->name, r.name, s.scratch[2]))
      return Bug(s, "emit_entity given a string with NULL data and a size");
    if (e->attribute_count > 0 && e->attributes == nullptr)
      return Bug(s, "emit_entity given attribute_count > 0 with NULL attributes");
    if (r.kind.empty() || r.key.empty()) {
      RejectionRecord rejection{{}, 0, r.kind.empty() ? "kind" : "key", r.key,
                                "the plugin emitted an entity with an empty kind or key"};
      ++s.counts.rejections;
      Status status = s.sink->OnRejection(rejection);
      return status.ok() ? VIGIL_OK : Refuse(s, status);
    }
    for (std::size_t i = 0; i < e->attribute_count; ++i) {
      std::string_view name, value;
      std::string name_scratch, value_scratch;
      if (!Read(s, e->attributes[i].name, name, name_scratch) ||
          !Read(s, e->attributes[i].value, value, value_scratch))
        return Bug(s, "emit_entity given an attribute string with NULL data and a size");
      r.attributes.emplace_back(name, value);
    }
    ++s.counts.entities;
    Status status = s.sink->OnEntity(r);
    return status.ok() ? VIGIL_OK : Refuse(s, status);
  } catch (const std::exception& ex) {
    return Refuse(s, Fail(ErrorCode::kInternal, ex.what()));
  }
}

vigil_status HostEmitObservation(void* host, const vigil_observation* o) noexcept {
  Session& s = Of(host);
  try {
    if (!s.sink_status.ok()) return VIGIL_ERROR;
    if (o == nullptr || o->struct_size < VIGIL_OBSERVATION_SIZE_1_0)
      return Bug(s, "emit_observation given a null or too-small vigil_observation");
    ObservationRecord r;
    std::string scratch[3];
    if (!Read(s, o->entity_kind, r.entity_kind, scratch[0]) ||
        !Read(s, o->entity_key, r.entity_key, scratch[1]) ||
        !Read(s, o->measure, r.measure, scratch[2]) || !Read(s, o->as_of, r.as_of, s.scratch[0]) ||
        !Read(s, o->text, r.text, s.scratch[1]))
      return Bug(s, "emit_observation given a string with NULL data and a size");
    // Where the value was read (the 1.1 fields, only when the plugin's
    // struct has them), so a refusal below names the file and line.
    if (o->struct_size >= offsetof(vigil_observation, line) + sizeof(o->line)) {
      if (!Read(s, o->file, r.file, s.scratch[2], true)) return Bug(s, "emit_observation given a file with NULL data and a size");
      r.line = o->line;
    }
    // A malformed record is reported as a rejected row, never dropped; the
    // field and value are the part that is wrong.
    std::string reason, number_text;
    std::string_view field, value;
    if (r.entity_kind.empty() || r.entity_key.empty()) {
      field = r.entity_kind.empty() ? "entity_kind" : "entity_key";
      value = r.entity_key;
      reason = fmt::format("observation of '{}' without an entity {}", r.measure,
                           r.entity_kind.empty() ? "kind" : "key");
    } else if (r.measure.empty()) {
      field = "measure";
      reason = fmt::format("observation of {} {} without a measure name", r.entity_kind, r.entity_key);
    } else if (!ParseIsoDate(r.as_of)) {
      field = "date";
      value = r.as_of;
      reason = fmt::format("the date of '{}' for {} {}, '{}', is not a valid YYYY-MM-DD date", r.measure,
                           r.entity_kind, r.entity_key, r.as_of);
    } else if (o->has_number && !std::isfinite(o->number)) {
      field = r.measure;
      number_text = fmt::format("{}", o->number);
      value = number_text;
      reason = fmt::format("the value of '{}' for {} {} is not a finite number", r.measure, r.entity_kind,
                           r.entity_key);
    }
    if (!reason.empty()) {
      ++s.counts.rejections;
      Status status = s.sink->OnRejection(RejectionRecord{r.file, r.line, field, value, reason});
      return status.ok() ? VIGIL_OK : Refuse(s, status);
    }
    if (o->has_number) r.number = o->number;
    ++s.counts.observations;
    Status status = s.sink->OnObservation(r);
    return status.ok() ? VIGIL_OK : Refuse(s, status);
  } catch (const std::exception& ex) {
    return Refuse(s, Fail(ErrorCode::kInternal, ex.what()));
  }
}

vigil_status HostRejectRow(void* host, const vigil_rejection* r) noexcept {
  Session& s = Of(host);
  try {
    if (!s.sink_status.ok()) return VIGIL_ERROR;
    if (r == nullptr || r->struct_size < sizeof(vigil_rejection))
      return Bug(s, "reject_row given a null or too-small vigil_rejection");
    RejectionRecord record;
    record.line = r->line;
    std::string scratch[5];
    if (!Read(s, r->file, record.file, scratch[0], true) || !Read(s, r->field, record.field, scratch[1]) ||
        !Read(s, r->value, record.value, scratch[2]) || !Read(s, r->reason, record.reason, scratch[3], true))
      return Bug(s, "reject_row given a string with NULL data and a size");
    ++s.counts.rejections;
    Status status = s.sink->OnRejection(record);
    return status.ok() ? VIGIL_OK : Refuse(s, status);
  } catch (const std::exception& ex) {
    return Refuse(s, Fail(ErrorCode::kInternal, ex.what()));
  }
}

vigil_status HostSkipRows(void* host, const vigil_skipped_rows* r) noexcept {
  Session& s = Of(host);
  try {
    if (!s.sink_status.ok()) return VIGIL_ERROR;
    if (r == nullptr || r->struct_size < sizeof(vigil_skipped_rows))
      return Bug(s, "skip_rows given a null or too-small vigil_skipped_rows");
    std::string_view file, reason;
    std::string scratch[2];
    if (!Read(s, r->file, file, scratch[0], true) || !Read(s, r->reason, reason, scratch[1], true))
      return Bug(s, "skip_rows given a string with NULL data and a size");
    if (reason.empty()) return Bug(s, "skip_rows given an empty reason");
    Status status = s.sink->OnSkipped(file, reason, r->count, r->first_line);
    return status.ok() ? VIGIL_OK : Refuse(s, status);
  } catch (const std::exception& ex) {
    return Refuse(s, Fail(ErrorCode::kInternal, ex.what()));
  }
}

void HostRowsRead(void* host, vigil_str file, std::uint64_t rows) noexcept {
  try {
    Session& s = Of(host);
    std::string_view text;
    std::string scratch;
    if (Read(s, file, text, scratch, true)) s.sink->OnRowsRead(text, rows);
  } catch (...) {  // counting must never take the run down
  }
}

void HostProgress(void* host, std::uint64_t done, std::uint64_t total) noexcept {
  try {
    Of(host).sink->OnProgress(done, total);
  } catch (...) {
  }
}

int HostCancelled(void* host) noexcept {
  try {
    Session& s = Of(host);
    return (!s.sink_status.ok() || s.sink->Cancelled()) ? 1 : 0;
  } catch (...) {
    return 1;
  }
}

}  // namespace

Result<SessionCounts> RunSource(const PluginLibrary& plugin, const std::string& source_name,
                                const std::vector<ResolvedSetting>& settings, RecordSink& sink,
                                std::vector<std::pair<std::string, std::string>> path_aliases) {
  Session session{&plugin, source_name, &sink, Logger("plugin." + plugin.name()), {}, {}, {}, {},
                  std::move(path_aliases)};
  vigil_host_api api{};
  api.struct_size = sizeof api;
  api.abi_major = VIGIL_ABI_MAJOR;
  api.abi_minor = VIGIL_ABI_MINOR;
  api.host = &session;
  api.log = &HostLog;
  api.error = &HostError;
  api.emit_entity = &HostEmitEntity;
  api.emit_observation = &HostEmitObservation;
  api.reject_row = &HostRejectRow;
  api.progress = &HostProgress;
  api.cancelled = &HostCancelled;
  api.skip_rows = &HostSkipRows;
  api.rows_read = &HostRowsRead;

  std::vector<vigil_setting> c_settings;
  c_settings.reserve(settings.size());
  for (const auto& s : settings)
    c_settings.push_back({{s.name.data(), s.name.size()}, {s.value.data(), s.value.size()}});

  const vigil_plugin_descriptor& d = plugin.descriptor();
  auto failure = [&](const char* stage, vigil_status status) -> Unexpected {
    if (!session.sink_status.ok()) return Unexpected(session.sink_status.error());
    std::string why = session.plugin_error.empty()
                          ? fmt::format("{} returned status {} without a message", stage,
                                        static_cast<int>(status))
                          : session.plugin_error;
    return Fail(ErrorCode::kPluginFailure,
                fmt::format("source '{}' (plugin {} {}): {}", source_name, plugin.name(),
                            plugin.version(), why));
  };

  void* instance = nullptr;
  vigil_status status = d.create(&api, c_settings.data(), c_settings.size(), &instance);
  if (status != VIGIL_OK) {
    if (instance != nullptr) d.destroy(instance);
    return failure("create", status);
  }
  if (instance == nullptr) return failure("create", VIGIL_ERROR);
  // The instance is destroyed on every path, so a failed read leaks nothing.
  std::unique_ptr<void, void (*)(void*)> guard(instance, d.destroy);
  status = d.read(instance);
  if (status != VIGIL_OK || !session.sink_status.ok()) return failure("read", status);
  return session.counts;
}

}  // namespace vigil::plugin_host
