// Fuzz target: the SDK's streaming CSV reader (vigil/csv.hpp) and the value
// parsers (vigil/values.hpp) on arbitrary bytes.
//
// The input is read as a CSV file with every encoding and several small
// chunk sizes (so records straddle chunk boundaries in every possible way).
// Beyond "no crash, no hang, no sanitizer report" it checks what csv.hpp
// promises:
//  - every field is valid UTF-8, whatever the bytes and the encoding;
//  - row lines start at 1 and strictly increase (each record starts on a
//    later physical line than the one before);
//  - an error reads "NAME:LINE: message" and names a line;
//  - the chunk size changes nothing: the rows, fields, lines and error are
//    the same whether the input is read one byte at a time or all at once;
//  - the encoding changes no structure (same rows, lines, field counts and
//    error), only the text of fields with bytes >= 0x80, and kAuto gives, per
//    field, either the UTF-8 reading or the Windows-1252 one;
//  - after the end all input is consumed, and Next() stays false.
// Each field also goes through ParseNumber, ParseDate, MissingReason and
// ToSnakeCase, whose results must be self-consistent.
#include <unistd.h>

#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <vigil/csv.hpp>
#include <vigil/values.hpp>

#include "fuzz_check.h"

namespace {

namespace csv = vigil::sdk::csv;

struct Parsed {
  std::vector<std::uint64_t> lines;
  std::vector<std::vector<std::string>> rows;
  bool ok = true;
  std::string error;
  std::uint64_t error_line = 0;
};

const char* EncodingName(csv::Encoding e) {
  switch (e) {
    case csv::Encoding::kUtf8: return "utf-8";
    case csv::Encoding::kWindows1252: return "windows-1252";
    case csv::Encoding::kAuto: return "auto";
  }
  return "?";
}

// Reads `data` from memory, or (with `path`) the same bytes from a file.
Parsed Read(const std::string& data, csv::Options options, const std::string* path = nullptr) {
  const std::string name = path != nullptr ? *path : "fuzz.csv";
  csv::Reader reader = path != nullptr ? csv::Reader(*path, options)
                                       : csv::Reader::FromString(data, name, options);
  Parsed out;
  csv::Row row;
  std::uint64_t previous_line = 0;
  while (reader.Next(row)) {
    FUZZ_CHECK(row.size() >= 1, "a record with no field");
    FUZZ_CHECK(row.line > previous_line, "line %llu after line %llu (encoding %s, chunk %zu)",
               static_cast<unsigned long long>(row.line),
               static_cast<unsigned long long>(previous_line), EncodingName(options.encoding),
               options.chunk_size);
    FUZZ_CHECK(row.line >= 1 + options.skip_lines, "line %llu inside the skipped lines",
               static_cast<unsigned long long>(row.line));
    previous_line = row.line;
    std::vector<std::string> fields;
    fields.reserve(row.size());
    for (std::string_view f : row.fields) {
      FUZZ_CHECK(csv::detail::IsValidUtf8(f), "a field is not valid UTF-8 (encoding %s)",
                 EncodingName(options.encoding));
      fields.emplace_back(f);
    }
    out.lines.push_back(row.line);
    out.rows.push_back(std::move(fields));
    FUZZ_CHECK(reader.bytes_consumed() <= reader.size(), "consumed more than the input");
  }
  out.ok = reader.ok();
  out.error = reader.error();
  out.error_line = reader.error_line();
  if (out.ok) {
    FUZZ_CHECK(out.error.empty(), "ok() but an error message");
    FUZZ_CHECK(reader.bytes_consumed() == reader.size(), "ended at byte %llu of %llu",
               static_cast<unsigned long long>(reader.bytes_consumed()),
               static_cast<unsigned long long>(reader.size()));
  } else {
    // Nothing here can fail to open or read: every error is about a line.
    FUZZ_CHECK(out.error_line >= 1, "an error without a line: %s", out.error.c_str());
    const std::string prefix = name + ":" + std::to_string(out.error_line) + ": ";
    FUZZ_CHECK(out.error.compare(0, prefix.size(), prefix) == 0, "error '%s' does not start with '%s'",
               out.error.c_str(), prefix.c_str());
  }
  FUZZ_CHECK(!reader.Next(row), "Next() returned a row after the end");
  FUZZ_CHECK(row.fields.empty(), "Next() left fields in the row after the end");
  return out;
}

void CheckSame(const Parsed& a, const Parsed& b, const char* what) {
  FUZZ_CHECK(a.ok == b.ok && a.error == b.error && a.error_line == b.error_line,
             "%s: errors differ: '%s' vs '%s'", what, a.error.c_str(), b.error.c_str());
  FUZZ_CHECK(a.lines == b.lines, "%s: row lines differ", what);
  FUZZ_CHECK(a.rows == b.rows, "%s: fields differ", what);
}

void CheckSameShape(const Parsed& a, const Parsed& b, const char* what) {
  FUZZ_CHECK(a.ok == b.ok && a.error == b.error && a.error_line == b.error_line,
             "%s: errors differ: '%s' vs '%s'", what, a.error.c_str(), b.error.c_str());
  FUZZ_CHECK(a.lines == b.lines, "%s: row lines differ", what);
  for (std::size_t i = 0; i < a.rows.size(); ++i)
    FUZZ_CHECK(a.rows[i].size() == b.rows[i].size(), "%s: field counts differ on line %llu", what,
               static_cast<unsigned long long>(a.lines[i]));
}

// A file of this process for the file code path; removed at exit.
// Allocated once and never freed: the exit handler runs after static
// objects are destroyed.
const std::string& TempFile() {
  static const std::string* const path = [] {
    auto* p = new std::string((FuzzScratchFolder() /
                               ("vigil-csv-fuzz-" + std::to_string(::getpid()) + ".csv")).string());
    std::atexit([] { std::remove(TempFile().c_str()); });
    return p;
  }();
  return *path;
}

bool IsIsoDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

void CheckValues(std::string_view field) {
  const auto number = vigil::sdk::ParseNumber(field);
  if (number.ok()) {
    FUZZ_CHECK(std::isfinite(*number.value), "ParseNumber gave a non-finite value");
    FUZZ_CHECK(number.error.empty(), "ParseNumber gave a value and an error");
  } else {
    FUZZ_CHECK(!number.error.empty(), "ParseNumber failed without a reason");
    FUZZ_CHECK(csv::detail::IsValidUtf8(number.error), "ParseNumber's reason is not UTF-8");
  }

  const auto date = vigil::sdk::ParseDate(field);
  if (date.ok()) {
    FUZZ_CHECK(IsIsoDate(*date.value), "ParseDate gave '%s'", date.value->c_str());
    FUZZ_CHECK(date.error.empty(), "ParseDate gave a value and an error");
    const auto again = vigil::sdk::ParseDate(*date.value);
    FUZZ_CHECK(again.ok() && *again.value == *date.value, "ParseDate('%s') is not stable",
               date.value->c_str());
  } else {
    FUZZ_CHECK(!date.error.empty(), "ParseDate failed without a reason");
    FUZZ_CHECK(csv::detail::IsValidUtf8(date.error), "ParseDate's reason is not UTF-8");
  }

  const auto missing = vigil::sdk::MissingReason(field);
  if (vigil::sdk::IsSuppressed(field)) FUZZ_CHECK(missing.has_value(), "suppressed but not missing");
  if (missing) FUZZ_CHECK(!missing->empty(), "a missing code without a reason");

  const std::string snake = vigil::sdk::ToSnakeCase(field);
  for (char c : snake)
    FUZZ_CHECK((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_',
               "ToSnakeCase kept '%c'", c);
  if (!snake.empty()) {
    FUZZ_CHECK(snake.front() != '_' && snake.back() != '_', "ToSnakeCase left an edge '_'");
    FUZZ_CHECK(snake.find("__") == std::string::npos, "ToSnakeCase left '__'");
  }
}

void CheckHeader(const std::vector<std::string>& names) {
  std::vector<std::string_view> views(names.begin(), names.end());
  csv::Header header(views);
  FUZZ_CHECK(header.size() == names.size(), "header size");
  for (std::size_t i = 0; i < header.size(); ++i) {
    const auto found = header.Resolve(header.name(i));
    FUZZ_CHECK(found.has_value(), "Resolve cannot find its own column '%s'", header.name(i).c_str());
    FUZZ_CHECK(header.name(*found) == header.name(i), "Resolve found another column");
  }
  FUZZ_CHECK(header.Missing(views).empty(), "Missing() lists a column the header has");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);

  // Large chunks first: the reference every other reading must match.
  const std::vector<std::size_t> chunks =
      size <= 4096 ? std::vector<std::size_t>{1, 2, 3, 7, 64} : std::vector<std::size_t>{7, 61, 4096};
  Parsed by_encoding[3];
  const csv::Encoding encodings[3] = {csv::Encoding::kUtf8, csv::Encoding::kWindows1252,
                                      csv::Encoding::kAuto};
  for (int e = 0; e < 3; ++e) {
    csv::Options options;
    options.encoding = encodings[e];
    by_encoding[e] = Read(input, options);
    for (std::size_t chunk : chunks) {
      options.chunk_size = chunk;
      CheckSame(by_encoding[e], Read(input, options), EncodingName(encodings[e]));
    }
  }
  CheckSameShape(by_encoding[0], by_encoding[1], "utf-8 vs windows-1252");
  CheckSameShape(by_encoding[0], by_encoding[2], "utf-8 vs auto");
  for (std::size_t r = 0; r < by_encoding[2].rows.size(); ++r) {
    for (std::size_t f = 0; f < by_encoding[2].rows[r].size(); ++f) {
      const std::string& automatic = by_encoding[2].rows[r][f];
      FUZZ_CHECK(automatic == by_encoding[0].rows[r][f] || automatic == by_encoding[1].rows[r][f],
                 "auto gave neither the UTF-8 nor the Windows-1252 reading on line %llu",
                 static_cast<unsigned long long>(by_encoding[2].lines[r]));
    }
  }

  // The same bytes from a file: the same rows, and the error named after
  // the file instead of the string.
  {
    std::ofstream(TempFile(), std::ios::binary | std::ios::trunc) << input;
    csv::Options options;
    options.chunk_size = 3;
    Parsed from_file = Read(input, options, &TempFile());
    FUZZ_CHECK(from_file.lines == by_encoding[2].lines && from_file.rows == by_encoding[2].rows,
               "a file gives other rows than the same bytes in memory");
    FUZZ_CHECK(from_file.ok == by_encoding[2].ok && from_file.error_line == by_encoding[2].error_line,
               "a file gives another error than the same bytes in memory: '%s' vs '%s'",
               from_file.error.c_str(), by_encoding[2].error.c_str());
  }

  // Other delimiters, a skipped title line, and a record size cap the input
  // can exceed (the cap may stop the reading early: only no crash counts).
  for (char delimiter : {';', '\t'}) {
    csv::Options options;
    options.delimiter = delimiter;
    options.skip_lines = 1;
    options.chunk_size = 5;
    Read(input, options);
  }
  csv::Options capped;
  capped.chunk_size = 3;
  capped.max_record_size = 32;
  const Parsed short_records = Read(input, capped);
  if (!short_records.ok)
    FUZZ_CHECK(short_records.error.find("longer than 32 bytes") != std::string::npos ||
                   short_records.error.find("unclosed quote") != std::string::npos,
               "unexpected error with a record cap: %s", short_records.error.c_str());

  // The value parsers on every field, as the csv plugin calls them.
  const Parsed& automatic = by_encoding[2];
  if (!automatic.rows.empty()) CheckHeader(automatic.rows.front());
  for (const auto& row : automatic.rows)
    for (const auto& field : row) CheckValues(field);
  return 0;
}
