// CSV reports: one file per table, UTF-8, RFC 4180, formula-safe cells.
#pragma once

#include <map>
#include <string>

#include "reports/report_model.h"

namespace vigil::reports {

// File name -> content: results.csv, indicators.csv, rejections.csv.
std::map<std::string, std::string> RenderCsv(const RunReport& report);

}  // namespace vigil::reports
