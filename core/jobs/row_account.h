// Where every data row of a source's files went, for the data quality
// section: the plugin says how many rows it read and skipped (ABI 1.2), the
// host counts the rows it rejected and those whose values named no known
// entity; the rest were stored. See FileRows in reports/report_model.h.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "reports/report_model.h"

namespace vigil::jobs {

// The skip reason given to rows whose values named an entity no source had
// registered (so nothing of them was stored).
inline constexpr std::string_view kNoEntityReason = "no such entity: values not stored";

class RowAccount {
 public:
  void Read(std::string_view file, std::uint64_t rows);
  void Skipped(std::string_view file, std::string_view reason, std::uint64_t count);
  // A rejected value on `line` of `file` (line 0: not about a row).
  void Rejected(std::string_view file, std::uint64_t line);
  // A value on `line` of `file` whose entity is unknown.
  void Dropped(std::string_view file, std::uint64_t line);

  // The account of each file, in the order first seen.
  std::vector<reports::FileRows> Rows() const;

 private:
  struct File {
    std::string name;
    bool counted = false;
    std::uint64_t read = 0;
    std::vector<std::pair<std::string, std::uint64_t>> skipped;
    std::unordered_set<std::uint64_t> rejected_lines;
    std::vector<std::uint64_t> dropped_lines;  // distinct, in the order met
  };
  File& Of(std::string_view file);
  std::vector<File> files_;
};

}  // namespace vigil::jobs
