// Reads one sheet of an Excel workbook (.xlsx, Office Open XML) row by row,
// as csv::Reader reads a CSV file, so the csv plugin maps both alike. Built
// on libzip (the workbook is a zip archive) and expat (its parts are XML);
// the sheet is parsed as it is decompressed, so memory stays flat however
// many rows it has (the shared-strings table is held whole, compactly). A
// part that inflates like a zip bomb, or beyond the limits the .cc file
// documents, is refused with an error naming the file and the part.
//
// What a row holds: one string per cell, in column order, gaps filled with
// empty cells; Row::line is the sheet's row number (as Excel shows it), and
// rows the sheet leaves out (empty) come back as empty rows, so numbers and
// "stop at the first empty row" match what an officer sees. Cell values:
//  - text, from the shared-strings table (rich text joined) or inline;
//  - numbers as written in the file ("0.1", "45260"), except cells whose
//    style is a date, which become ISO dates ("2023-11-30"; Excel's day
//    serials, 1 = 1900-01-01 with its 1900 leap-year error, or the 1904
//    system when the workbook says so), and percentages, which become the
//    number shown ("12.5%", as a CSV export writes it);
//  - booleans TRUE/FALSE, errors as shown (#N/A); formulas by their result.
// Not thread-safe; one reader per thread.
#pragma once

#include <vigil/csv.hpp>

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace vigil::xlsx {

class Reader {
 public:
  // Opens `path` and the sheet named `sheet`, or numbered (1 is the first)
  // when `sheet` is digits, or the first sheet when it is empty. On failure
  // ok() is false and error() says why and what to do.
  Reader(const std::string& path, const std::string& sheet);
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // The next row, or false at the end of the sheet or on an error.
  bool Next(vigil::sdk::csv::Row& row);

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  const std::string& sheet_name() const { return sheet_name_; }
  // Uncompressed bytes of the sheet parsed so far, and in all (progress).
  std::uint64_t bytes_consumed() const { return consumed_; }
  std::uint64_t size() const { return sheet_size_; }

  struct Impl;

 private:
  void Open(const std::string& sheet);
  bool Fill();  // parses more of the sheet; false at its end or on an error

  std::string path_;
  std::string sheet_name_;
  std::string sheet_part_;  // its part in the archive (xl/worksheets/sheet1.xml)
  std::string error_;
  std::unique_ptr<Impl> impl_;
  std::vector<std::string> current_;  // the cells Next() returned last
  std::uint64_t consumed_ = 0;
  std::uint64_t sheet_size_ = 0;
};

// True when the file at `path` starts like a zip archive (an .xlsx, or an
// .ods) rather than text.
bool LooksLikeZip(const std::string& path);

}  // namespace vigil::xlsx
