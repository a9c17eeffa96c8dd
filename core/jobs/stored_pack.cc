#include "jobs/stored_pack.h"

#include <cstdio>
#include <limits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace vigil::jobs {

Status SaveRunPack(store::Store& store, std::int64_t run_id, const rules::RulePack& pack) {
  std::vector<store::PackFile> files;
  for (const auto& source : pack.sources()) files.push_back({source.path, source.text});
  return store.SaveRunPackFiles(run_id, pack.name(), files);
}

Result<std::unique_ptr<rules::RulePack>> LoadRunPack(store::Store& store, std::int64_t run_id,
                                                     const std::string& pack_name) {
  VIGIL_ASSIGN_OR_RETURN(auto run, store.GetRun(run_id));
  if (!run) return Fail(ErrorCode::kNotFound, fmt::format("the store has no run {}", run_id));
  std::string folder, recorded_hash;
  auto packs = nlohmann::json::parse(run->rule_packs, nullptr, false);
  if (packs.is_array())
    for (const auto& p : packs)
      if (p.is_object() && p.value("name", std::string()) == pack_name) {
        folder = p.value("folder", std::string());
        recorded_hash = p.value("sha256", std::string());
      }
  if (folder.empty())
    return Fail(ErrorCode::kNotFound, fmt::format("run {} did not use a rule pack named '{}'", run_id, pack_name));
  VIGIL_ASSIGN_OR_RETURN(auto files, store.LoadRunPackFiles(run_id, pack_name));
  if (files.empty())
    return Fail(ErrorCode::kNotFound,
                fmt::format("run {} kept no copy of rule pack '{}' (it was made by an older Vigil)", run_id,
                            pack_name));
  std::vector<rules::PackSource> sources;
  for (auto& f : files) sources.push_back({std::move(f.path), std::move(f.content)});
  VIGIL_ASSIGN_OR_RETURN(auto pack, rules::RulePack::LoadFromSources(folder, std::move(sources)));
  if (pack->hash() != recorded_hash)
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("the store's copy of rule pack '{}' for run {} does not match the hash the run "
                            "recorded ({} against {})", pack_name, run_id, pack->hash(), recorded_hash));
  return pack;
}

Result<std::optional<store::RunRecord>> RunShownInLatest(store::Store& store, const JobSpec& job) {
  // `latest` links to "run-<id>-<time>" (report_output.cc).
  std::error_code ec;
  std::filesystem::path target = std::filesystem::read_symlink(job.output / "latest", ec);
  long long id = 0;
  if (!ec && std::sscanf(target.filename().string().c_str(), "run-%lld-", &id) == 1) {
    VIGIL_ASSIGN_OR_RETURN(auto run, store.GetRun(id));
    if (run && run->job == job.name && run->status == "succeeded") return run;
  }
  VIGIL_ASSIGN_OR_RETURN(auto newest, store.PreviousSucceededRun(job.name, std::numeric_limits<std::int64_t>::max()));
  if (!newest) return std::optional<store::RunRecord>();
  return store.GetRun(*newest);
}

std::vector<std::string> RunPackNames(const store::RunRecord& run) {
  std::vector<std::string> names;
  auto packs = nlohmann::json::parse(run.rule_packs, nullptr, false);
  if (packs.is_array())
    for (const auto& p : packs)
      if (p.is_object() && p.contains("name") && p["name"].is_string()) names.push_back(p["name"]);
  return names;
}

}  // namespace vigil::jobs
