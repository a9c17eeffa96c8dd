// The JSON report: the whole run in one document (format in README).
#pragma once

#include <string>

#include "reports/report_model.h"

namespace vigil::reports {

std::string RenderJson(const RunReport& report);

}  // namespace vigil::reports
