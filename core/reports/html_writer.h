// The HTML report: one self-contained page (inline CSS and SVG, no scripts,
// nothing fetched), every value escaped, readable on screen and on A4.
#pragma once

#include <string>

#include "reports/report_model.h"

namespace vigil::reports {

std::string RenderHtml(const RunReport& report);

}  // namespace vigil::reports
