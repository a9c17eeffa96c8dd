// Why an entity's category changed since the previous run, in the reader's
// words: indicator titles and category labels, arrows, one sentence per
// cause (a level or points change, an override begun or ended, the rules).
#pragma once

#include <string>
#include <vector>

#include "reports/report_model.h"
#include "store/store.h"

namespace vigil::reports {

// The causes of the change from `before` (the previous run's result, or
// null when the entity was not assessed then) to `now` (this run's, or null
// when it is not assessed now). `pack` gives titles, labels, the previous
// run's id and whether the rules changed. Never empty.
std::vector<std::string> ExplainChange(const PackReport& pack, const store::StoredResult* before,
                                       const rules::EntityOutcome* now);

// "Latest graded Ofsted judgement" for "ofsted_judgement" (the id when the pack has no such indicator).
std::string IndicatorTitle(const PackReport& pack, const std::string& id);
// "Intensive support" for "intensive".
std::string CategoryLabel(const PackReport& pack, const std::string& id);

}  // namespace vigil::reports
