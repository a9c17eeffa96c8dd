// Runs one plugin instance for one source: builds the host API table the
// plugin calls back into, checks every record at the boundary, and hands
// good records to a RecordSink. The plugin host knows nothing of the store;
// the job runner's sink connects the two.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "plugin_host/plugin_library.h"
#include "plugin_host/settings.h"

namespace vigil::plugin_host {

// Records as the sink sees them: views valid only during the call.
struct EntityRecord {
  std::string_view kind;
  std::string_view key;
  std::string_view name;
  std::vector<std::pair<std::string, std::string>> attributes;
};

struct ObservationRecord {
  std::string_view entity_kind;
  std::string_view entity_key;
  std::string_view measure;
  std::string_view as_of;
  std::optional<double> number;
  std::string_view text;
  std::string_view file;    // where it was read (ABI 1.1), may be empty
  std::uint64_t line = 0;
};

struct RejectionRecord {
  std::string_view file;
  std::uint64_t line = 0;
  std::string_view field;
  std::string_view value;
  std::string_view reason;
};

class RecordSink {
 public:
  virtual ~RecordSink() = default;
  // A non-OK status stops the plugin; the session returns that error.
  virtual Status OnEntity(const EntityRecord& entity) = 0;
  virtual Status OnObservation(const ObservationRecord& observation) = 0;
  virtual Status OnRejection(const RejectionRecord& rejection) = 0;
  // ABI 1.2: rows valid but not used, and the rows read from a file.
  virtual Status OnSkipped(std::string_view /*file*/, std::string_view /*reason*/,
                           std::uint64_t /*count*/, std::uint64_t /*first_line*/) {
    return Status::Ok();
  }
  virtual void OnRowsRead(std::string_view /*file*/, std::uint64_t /*rows*/) {}
  virtual void OnProgress(std::uint64_t /*done*/, std::uint64_t /*total*/) {}
  virtual bool Cancelled() { return false; }
};

struct SessionCounts {
  std::uint64_t entities = 0;
  std::uint64_t observations = 0;
  std::uint64_t rejections = 0;
};

// Creates an instance with `settings`, calls read() once and destroys it.
// Errors name the source and the plugin. `path_aliases` (from, to) rename
// what the plugin says: an input file given as /proc/self/fd/N is named by
// its path in rejections, messages and logs.
Result<SessionCounts> RunSource(const PluginLibrary& plugin, const std::string& source_name,
                                const std::vector<ResolvedSetting>& settings, RecordSink& sink,
                                std::vector<std::pair<std::string, std::string>> path_aliases = {});

}  // namespace vigil::plugin_host
