// `vigil rules check PACK`: load a pack as a run would and say what is wrong.
#include <iostream>

#include <fmt/format.h>

#include "app/commands.h"
#include "rules/rule_pack.h"

namespace vigil::app {

int RulesCheckCommand(const std::string& folder) {
  auto pack = rules::RulePack::Load(folder);
  if (!pack) {
    std::cerr << pack.error().message << "\n";
    return kExitFindings;
  }
  const auto& p = **pack;
  std::cout << fmt::format("Rule pack '{}' ({}) assesses '{}' entities: {} indicators, {} categories.\n",
                           p.name(), p.title(), p.kind(), p.indicators().size(), p.categories().size());
  for (const auto& c : p.categories())
    std::cout << fmt::format("  category {:<14} from score {}\n", c.id, c.min_score);
  for (const auto& i : p.indicators())
    std::cout << fmt::format("  indicator {:<28} {}:{}\n", i.id, i.file, i.line);
  std::cout << "No errors.\n";
  return kExitOk;
}

}  // namespace vigil::app
