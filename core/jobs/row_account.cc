#include "jobs/row_account.h"

namespace vigil::jobs {

RowAccount::File& RowAccount::Of(std::string_view file) {
  for (File& f : files_)
    if (f.name == file) return f;
  return files_.emplace_back(File{std::string(file), false, 0, {}, {}, {}});
}

void RowAccount::Read(std::string_view file, std::uint64_t rows) {
  File& f = Of(file);
  f.counted = true;
  f.read += rows;
}

void RowAccount::Skipped(std::string_view file, std::string_view reason, std::uint64_t count) {
  File& f = Of(file);
  for (auto& [r, n] : f.skipped) {
    if (r != reason) continue;
    n += count;
    return;
  }
  f.skipped.emplace_back(std::string(reason), count);
}

void RowAccount::Rejected(std::string_view file, std::uint64_t line) {
  if (file.empty() || line == 0) return;
  Of(file).rejected_lines.insert(line);
}

void RowAccount::Dropped(std::string_view file, std::uint64_t line) {
  if (file.empty() || line == 0) return;
  File& f = Of(file);
  // A row's values arrive together, so a repeat is the previous line.
  if (f.dropped_lines.empty() || f.dropped_lines.back() != line) f.dropped_lines.push_back(line);
}

std::vector<reports::FileRows> RowAccount::Rows() const {
  std::vector<reports::FileRows> out;
  for (const File& f : files_) {
    reports::FileRows rows;
    rows.file = f.name;
    rows.counted = f.counted;
    rows.read = f.read;
    rows.rejected = f.rejected_lines.size();
    rows.skipped = f.skipped;
    std::uint64_t dropped = 0;  // a rejected row stays rejected
    for (std::uint64_t line : f.dropped_lines) dropped += f.rejected_lines.count(line) == 0 ? 1 : 0;
    if (dropped > 0) rows.skipped.emplace_back(std::string(kNoEntityReason), dropped);
    const std::uint64_t accounted = rows.Skipped() + rows.rejected;
    rows.stored = rows.read > accounted ? rows.read - accounted : 0;
    out.push_back(std::move(rows));
  }
  return out;
}

}  // namespace vigil::jobs
