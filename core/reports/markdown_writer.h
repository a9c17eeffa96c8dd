// The Markdown report: the same content as the HTML page in plain tables,
// for pasting into committee papers.
#pragma once

#include <string>

#include "reports/report_model.h"

namespace vigil::reports {

std::string RenderMarkdown(const RunReport& report);

}  // namespace vigil::reports
