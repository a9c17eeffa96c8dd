// `vigil runs JOB` and `vigil runs JOB show ID [--json]`: the run ledger, as
// a person reads it (what ran, on which files, what changed since the run
// before, why a run failed, in full) and as a machine does.
#include <iostream>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "base/text.h"
#include "jobs/job_file.h"
#include "jobs/run_lock.h"
#include "store/store.h"

namespace vigil::app {
namespace {

using nlohmann::json;

json Parse(const std::string& text) {
  json parsed = json::parse(text, nullptr, false);
  return parsed.is_discarded() ? json() : parsed;
}

std::string Text(const json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

// Every line after the first indented by `indent`, so a long reason stays readable.
std::string Indented(const std::string& text, std::size_t indent) {
  std::string out;
  for (char c : text) {
    out += c;
    if (c == '\n') out.append(indent, ' ');
  }
  return out;
}

// Entries of a JSON array of objects by the value of `key`.
std::map<std::string, json> ByName(const json& array, const char* key) {
  std::map<std::string, json> by_name;
  if (array.is_array())
    for (const auto& entry : array)
      if (entry.is_object()) by_name[Text(entry, key)] = entry;
  return by_name;
}

// What differs between two runs' inputs, by name: each source's files,
// plugin and settings, each rule pack, the job's output settings.
std::vector<std::string> ChangedInputs(const store::RunRecord& before, const store::RunRecord& after) {
  std::vector<std::string> changes;
  auto old_inputs = ByName(Parse(before.inputs), "source");
  auto new_inputs = ByName(Parse(after.inputs), "source");
  json old_settings = Parse(before.settings), new_settings = Parse(after.settings);
  auto old_sources = ByName(old_settings.is_object() ? old_settings.value("sources", json()) : json(), "name");
  auto new_sources = ByName(new_settings.is_object() ? new_settings.value("sources", json()) : json(), "name");
  std::set<std::string> names;
  for (const auto& [name, entry] : new_inputs) names.insert(name);
  for (const auto& [name, entry] : old_inputs) names.insert(name);
  for (const auto& name : names) {
    auto was = old_inputs.find(name), now = new_inputs.find(name);
    if (was == old_inputs.end()) { changes.push_back(fmt::format("source {} (added)", name)); continue; }
    if (now == new_inputs.end()) { changes.push_back(fmt::format("source {} (removed)", name)); continue; }
    std::vector<std::string> what;
    auto old_files = ByName(was->second.value("files", json()), "path");
    for (const auto& [path, file] : ByName(now->second.value("files", json()), "path")) {
      auto it = old_files.find(path);
      if (it == old_files.end() || Text(it->second, "sha256") != Text(file, "sha256")) what.push_back(path);
    }
    if (Text(was->second, "plugin_version") != Text(now->second, "plugin_version"))
      what.push_back(fmt::format("plugin {} -> {}", Text(was->second, "plugin_version"),
                                 Text(now->second, "plugin_version")));
    auto old_source = old_sources.find(name), new_source = new_sources.find(name);
    if (old_source != old_sources.end() && new_source != new_sources.end())
      for (const char* key : {"plugin", "on_reject", "on_error", "on_loss", "settings"})
        if (old_source->second.value(key, json()) != new_source->second.value(key, json())) what.push_back(key);
    if (!what.empty()) changes.push_back(fmt::format("source {} ({})", name, fmt::format("{}", fmt::join(what, ", "))));
  }
  auto old_packs = ByName(Parse(before.rule_packs), "name");
  for (const auto& [name, pack] : ByName(Parse(after.rule_packs), "name")) {
    auto it = old_packs.find(name);
    if (it == old_packs.end()) changes.push_back(fmt::format("rule pack {} (added)", name));
    else if (Text(it->second, "sha256") != Text(pack, "sha256")) changes.push_back(fmt::format("rule pack {}", name));
  }
  if (old_settings.is_object() && new_settings.is_object())
    for (const char* key : {"title", "output", "vigil_version"})
      if (old_settings.value(key, json()) != new_settings.value(key, json()))
        changes.push_back(fmt::format("job setting {}", key));
  return changes;
}

// The run of the same job before `run` that got as far as recording its inputs.
std::optional<store::RunRecord> RunBefore(store::Store& store, const store::RunRecord& run) {
  std::int64_t before = run.id;
  while (true) {
    auto previous = store.RunBefore(run.job, before);
    if (!previous || !*previous) return std::nullopt;
    if (Parse((*previous)->inputs).is_array() && !Parse((*previous)->inputs).empty()) return **previous;
    before = (*previous)->id;
  }
}

void ShowText(store::Store& store, const store::RunRecord& r) {
  std::cout << fmt::format("Run {} of job '{}': {}\n  as of:     {} (attempt {})\n  started:   {}\n  finished:  {}\n",
                           r.id, r.job, r.status, r.as_of, r.attempt, r.started_at, r.finished_at);
  if (r.previous_run > 0) {
    auto compared = store.GetRun(r.previous_run);
    std::string as_of = compared && *compared ? (*compared)->as_of : "?";
    std::cout << fmt::format("  compared with run {} (as of {}) for its changes\n", r.previous_run, as_of);
  }
  std::cout << fmt::format("  {:<10} {}\n", r.status == "failed" ? "reason:" : "summary:",
                           Indented(Printable(r.message, true), 13));

  std::cout << "\nInputs:\n";
  json inputs = Parse(r.inputs);
  if (!inputs.is_array() || inputs.empty()) std::cout << "  (none recorded: the run stopped before reading them)\n";
  for (const auto& s : inputs.is_array() ? inputs : json::array()) {
    std::string abi = Text(s, "plugin_abi");
    std::cout << fmt::format("  {} (plugin {} {}{})", Text(s, "source"), Text(s, "plugin"), Text(s, "plugin_version"),
                             abi.empty() ? "" : ", ABI " + abi);
    if (s.contains("skipped")) std::cout << fmt::format(": skipped: {}", Text(s, "skipped"));
    else if (s.contains("entities"))
      std::cout << fmt::format(": read {} entities, {} observations, {} rejected row{}", s.value("entities", 0),
                               s.value("observations", 0), s.value("rejected", 0),
                               s.value("rejected", 0) == 1 ? "" : "s");
    std::cout << "\n";
    for (const auto& f : s.value("files", json::array())) {
      std::string size = f.contains("size") ? fmt::format("{} bytes  ", f.value("size", 0ull)) : "";
      std::cout << fmt::format("    {}  {}sha256 {}\n", Text(f, "path"), size, Text(f, "sha256"));
    }
  }
  if (auto before = RunBefore(store, r)) {
    auto changes = ChangedInputs(*before, r);
    std::cout << fmt::format("Changed since run {} ({}, as of {}): {}\n", before->id, before->status, before->as_of,
                             changes.empty() ? "nothing" : fmt::format("{}", fmt::join(changes, "; ")));
  }
  std::cout << "\nRule packs:\n";
  for (const auto& p : ByName(Parse(r.rule_packs), "name"))
    std::cout << fmt::format("  {}  sha256 {}  ({})\n", p.first, Text(p.second, "sha256"), Text(p.second, "folder"));
  std::cout << "\nOutputs:\n";
  json outputs = Parse(r.outputs);
  if (!outputs.is_array() || outputs.empty()) std::cout << "  (none)\n";
  for (const auto& o : outputs.is_array() ? outputs : json::array())
    std::cout << fmt::format("  {}  sha256 {}\n", Text(o, "path"), Text(o, "sha256"));
}

void ShowJson(store::Store& store, const store::RunRecord& r) {
  json doc = {{"id", r.id},           {"job", r.job},
              {"as_of", r.as_of},     {"attempt", r.attempt},
              {"status", r.status},   {"started_at", r.started_at},
              {"finished_at", r.finished_at}, {"message", r.message},
              {"fingerprint", r.fingerprint},
              {"previous_run", r.previous_run > 0 ? json(r.previous_run) : json(nullptr)},
              {"rule_packs", Parse(r.rule_packs)}, {"inputs", Parse(r.inputs)},
              {"outputs", Parse(r.outputs)},  {"settings", Parse(r.settings)}};
  if (auto before = RunBefore(store, r))
    doc["changed_since"] = {{"run", before->id}, {"changes", ChangedInputs(*before, r)}};
  std::cout << doc.dump(2) << "\n";
}

}  // namespace

int RunsCommand(const std::string& job_file, const std::optional<std::string>& store_path,
                std::optional<long long> show, bool as_json, int limit) {
  auto job = jobs::LoadJob(job_file);
  if (!job) return ReportError(job.error());
  std::string path = store_path.value_or(job->store.string());
  if (!std::filesystem::exists(path)) {
    std::cout << fmt::format("No runs yet: the store {} does not exist.\n", path);
    return kExitOk;
  }
  auto store = store::Store::Open(path);
  if (!store) return ReportError(store.error());
  // A run that ended the process at once (watchdog, signal, crash) left its
  // reason beside the store; record it now unless a run is going on.
  if (auto lock = jobs::RunLock::Acquire(path); lock) jobs::RecordEarlierCrash(*store, path, job->name);
  if (show) {
    auto run = store->GetRun(*show);
    if (!run) return ReportError(run.error());
    if (!*run) return ReportError(Error{ErrorCode::kNotFound, fmt::format("no run {} in {}", *show, path)});
    if (as_json) ShowJson(*store, **run);
    else ShowText(*store, **run);
    return kExitOk;
  }
  auto runs = store->ListRuns(limit);
  if (!runs) return ReportError(runs.error());
  std::cout << fmt::format("{:>5}  {:<12} {:<10}  {:<24}  {:<10}  {}\n", "id", "job", "as of",
                           "started", "status", "summary");
  for (const auto& r : *runs) {
    // One line per run, whatever the message holds: its first line, cut to
    // a screen's worth (`runs show ID` has all of it).
    std::string first_line = r.message.substr(0, r.message.find('\n'));
    std::cout << fmt::format("{:>5}  {:<12} {:<10}  {:<24}  {:<10}  {}\n", r.id, OneLine(r.job), OneLine(r.as_of),
                             OneLine(r.started_at), OneLine(r.status), OneLine(Truncate(first_line, 300)));
  }
  return kExitOk;
}

}  // namespace vigil::app
