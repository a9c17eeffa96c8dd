#include "reports/report_model.h"

#include <algorithm>

namespace vigil::reports {

void Finalise(PackReport& pack) {
  auto rank = [&](const std::string& id) {
    for (std::size_t i = 0; i < pack.categories.size(); ++i)
      if (pack.categories[i].id == id) return i;
    return pack.categories.size();
  };
  std::stable_sort(pack.outcomes.begin(), pack.outcomes.end(),
                   [&](const rules::EntityOutcome& a, const rules::EntityOutcome& b) {
                     auto ra = rank(a.category), rb = rank(b.category);
                     if (ra != rb) return ra < rb;
                     if (a.score != b.score) return a.score > b.score;
                     return a.entity.key < b.entity.key;
                   });
  pack.counts.clear();
  for (const auto& c : pack.categories) pack.counts[c.id] = 0;
  for (const auto& o : pack.outcomes) ++pack.counts[o.category];
}

}  // namespace vigil::reports
