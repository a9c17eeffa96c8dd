// vigil/rows.hpp: a plugin's tally of one file's rows, so that every data row
// is accounted for (ABI 1.2): how many were read, and how many were skipped
// for each reason. Rejected rows are counted by the host from reject_row,
// and the rest were stored. Header-only, C++17.
//
// Use: one RowTally per file; Read() for every data row (empty ones too),
// Skip(reason, line) for a row that was valid but not used (never for a
// row that was also rejected), and Report(host) once the file is read.
// Reasons are short and plain ("filtered (where)", "outside the register",
// "no date", "not applicable", "empty row"); the host shows one count each.
#ifndef VIGIL_ROWS_HPP_
#define VIGIL_ROWS_HPP_

#include <vigil/plugin.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil::sdk {

class RowTally {
 public:
  struct Reason {
    std::string reason;
    std::uint64_t count = 0;
    std::uint64_t first_line = 0;
  };

  explicit RowTally(std::string file) : file_(std::move(file)) {}

  void Read() noexcept { ++read_; }
  void Skip(std::string_view reason, std::uint64_t line) {
    for (Reason& r : reasons_) {
      if (r.reason != reason) continue;
      ++r.count;
      return;
    }
    reasons_.push_back({std::string(reason), 1, line});
  }

  const std::string& file() const noexcept { return file_; }
  std::uint64_t read() const noexcept { return read_; }
  std::uint64_t skipped() const noexcept {
    std::uint64_t n = 0;
    for (const Reason& r : reasons_) n += r.count;
    return n;
  }
  std::uint64_t skipped(std::string_view reason) const noexcept {
    for (const Reason& r : reasons_)
      if (r.reason == reason) return r.count;
    return 0;
  }
  const std::vector<Reason>& reasons() const noexcept { return reasons_; }

  // Tells the host the skipped rows by reason, then the rows read.
  void Report(const Host& host) const {
    for (const Reason& r : reasons_) host.Skipped(file_, r.reason, r.count, r.first_line);
    host.RowsRead(file_, read_);
  }

  // "rows=12 skipped=3 (2 filtered (where), 1 empty row)" for a log line.
  std::string Summary() const {
    std::string out = "rows=" + std::to_string(read_) + " skipped=" + std::to_string(skipped());
    if (reasons_.empty()) return out;
    out += " (";
    for (std::size_t i = 0; i < reasons_.size(); ++i) {
      if (i > 0) out += ", ";
      out += std::to_string(reasons_[i].count) + " " + reasons_[i].reason;
    }
    return out + ")";
  }

 private:
  std::string file_;
  std::uint64_t read_ = 0;
  std::vector<Reason> reasons_;
};

}  // namespace vigil::sdk

#endif  // VIGIL_ROWS_HPP_
