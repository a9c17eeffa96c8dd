#include "jobs/stored_pack.h"

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

}  // namespace vigil::jobs
