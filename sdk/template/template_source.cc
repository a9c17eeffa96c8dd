// A template data-source plugin: copy this folder to start your own.
//
// It emits `count` entities of the configured `kind` ("Template school 1",
// "Template school 2", ...), each with two attributes and one dated
// observation. A real plugin reads a file, a database or a web service in
// Read() instead; everything else stays the same shape.
//
// The C ABI is in <vigil/plugin.h>; <vigil/plugin.hpp> (header-only, compiled
// into this plugin) adapts a C++ class to it and turns every exception into
// an error message, so no exception ever reaches Vigil.
#include <vigil/plugin.hpp>

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>

namespace {

// The settings a job may give this plugin. Vigil checks jobs against this
// table (required settings, types) and prints it in `vigil plugins info
// template`, so write the help for the officer who writes the job.
constexpr vigil_setting_decl kSettings[] = {
    // name, type, required, default (nullptr: none), help (one sentence)
    {"count", VIGIL_SETTING_INTEGER, 0, "3",
     "How many example entities to emit, from 1 to 1000."},
    {"kind", VIGIL_SETTING_STRING, 0, "school",
     "Entity kind of the emitted entities, in snake_case, e.g. \"school\"."},
};

class TemplateSource {
 public:
  // Validates the settings and keeps what Read() needs. Throwing
  // vigil::sdk::Error here makes Vigil refuse the job with this message;
  // nothing has been read yet.
  TemplateSource(vigil::sdk::Host host, const vigil::sdk::Settings& settings)
      : host_(host), kind_(settings.GetOr("kind", "school")) {
    // Vigil has checked that count is an integer; the range is ours to check.
    const std::string_view count = settings.GetOr("count", "3");
    const char* end = count.data() + count.size();
    const auto parsed = std::from_chars(count.data(), end, count_);
    if (parsed.ec != std::errc() || parsed.ptr != end || count_ < 1 || count_ > 1000)
      throw vigil::sdk::Error("setting 'count': '" + std::string(count) +
                              "' must be a whole number from 1 to 1000");
    if (kind_.empty()) throw vigil::sdk::Error("setting 'kind' must not be empty");
  }

  // Streams every record to Vigil. Strings passed to the host are only
  // borrowed for the duration of each call, so locals are fine. A host call
  // throws vigil::sdk::Stop when Vigil refuses a record or cancels the run;
  // let it propagate (the adapter turns it into the right status).
  void Read() {
    for (int i = 1; i <= count_; ++i) {
      const std::string key = "T" + std::to_string(100000 + i);  // like a URN
      const std::string name = "Template school " + std::to_string(i);
      const std::string_view phase = i % 2 == 1 ? "Primary" : "Secondary";

      // The entity: kind + key identify it; emitting it again merges.
      host_.Entity(kind_, key, name,
                   {{vigil::sdk::Str("phase"), vigil::sdk::Str(phase)},
                    {vigil::sdk::Str("district"), vigil::sdk::Str("Example district")}});

      // One dated fact about it. A missing value would be
      // Value{std::nullopt, "c: confidential"}: missing is never zero.
      vigil::sdk::Value pupils;
      pupils.number = 200.0 + 10.0 * i;
      host_.Observation(kind_, key, "pupils", "2024-01-18", pupils);

      // Report progress now and then, and stop promptly when asked.
      host_.Progress(static_cast<std::uint64_t>(i), static_cast<std::uint64_t>(count_));
      host_.ThrowIfCancelled();
    }
    // A row that cannot be used is rejected with where and why, never
    // dropped silently:
    //   host_.Reject({file, line, "column", value, "reason in plain English"});
    // A file's rows are accounted for with vigil/rows.hpp (ABI 1.2): a
    // RowTally counts each row read and each skipped one with its reason
    // ("filtered", "outside the register"), and Report(host_) tells Vigil.
    host_.Info("emitted entities=" + std::to_string(count_) + " kind=" + kind_);
  }

 private:
  vigil::sdk::Host host_;
  std::string kind_;
  int count_ = 0;
};

}  // namespace

// The one exported symbol, vigil_plugin_entry_v1, returning the descriptor:
// name (unique, snake_case), the plugin's own version, a one-sentence
// description, what it emits, and its settings.
VIGIL_PLUGIN_ENTRY((vigil::sdk::Describe<TemplateSource>(
    "template", "0.1.0", "Emits a few example entities: a starting point for new plugins.",
    "entities of the configured kind, a pupils observation each", kSettings)))
