// The HTML report: self-contained pages (inline CSS and SVG, one small
// script for sorting and filtering; nothing fetched, complete without the
// script), every value escaped, readable at 1280 and 1920 px and on A4.
// The sections are written by html_*.cc, one file each.
#pragma once

#include <string>

#include "reports/report_model.h"

namespace vigil::reports {

// The main page (or, with report.part set, one split_by value's page):
// contents; per pack the headline figures, the lists by category with
// reasons, the changes since the previous run and the breakdowns; then data
// quality.
std::string RenderHtml(const RunReport& report);

// One entity's page: its category and score, every indicator with its
// level, points, reason and the thresholds it used, charts of the pack's
// measures with those thresholds as lines, the timeline and its category in
// each period. With `in_report` it lives at EntityPagePath() in the report's
// folder and links back to the report; otherwise it stands alone
// (`vigil explain --html`).
std::string RenderEntityPage(const RunReport& report, const PackReport& pack, const rules::EntityOutcome& outcome,
                             bool in_report = true);

}  // namespace vigil::reports
