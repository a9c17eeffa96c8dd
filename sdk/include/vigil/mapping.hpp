// vigil/mapping.hpp: parsing of the settings data-source plugins share
// (LIST items such as "name = Column" and "Column = value", snake_case names,
// the encoding and skip_lines settings) and the small helpers their messages
// use. Header-only, C++17; failures throw vigil::sdk::Error with a message
// that names the setting and item, as create() reports it to the host.
//
// Contract in short:
//  - ParseNameItems(settings, "measures", "\"name = column\"") splits each
//    non-blank item at its first '=', trims both sides, and requires both
//    sides and a snake_case name: "pupils = NumberOfPupils" is
//    {"pupils", "NumberOfPupils"}. ParseValueItems() is the same for filters
//    ("LA (code) = 330"): the right side may be empty, the name is free.
//  - FirstRepeat() finds a name mapped twice; the caller words the message.
//  - CheckSnakeCase(), EncodingSetting() and SkipLinesSetting() check one
//    setting each, with the same message in every plugin.
//  - Quoted("x") is "'x'"; Plural(2, "row") is "2 rows".
//  - DescribeRaggedRow() words the rejection of a row with too many or too
//    few fields, the same in every plugin.
//  - WarnRepeatedColumns() and WarnRepairedUtf8() give the same warning in
//    every plugin for a header with repeated names and for a file read as
//    UTF-8 that was not.
#ifndef VIGIL_MAPPING_HPP_
#define VIGIL_MAPPING_HPP_

#include <vigil/csv.hpp>
#include <vigil/plugin.hpp>
#include <vigil/values.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil::sdk {

// `s` in single quotes, as messages show values: 'Alpha Primary'.
inline std::string Quoted(std::string_view s) {
  std::string quoted;
  quoted.reserve(s.size() + 2);
  quoted.append(1, '\'').append(s).append(1, '\'');
  return quoted;
}

// A count and its word, plural unless the count is one: "1 row", "2 rows".
inline std::string Plural(std::uint64_t n, std::string_view word) {
  std::string out = std::to_string(n) + " " + std::string(word);
  if (n != 1) out += "s";
  return out;
}

// A row whose field count differs from the header's, as its rejection
// names it: the field is "fields" and the value the row as read (its
// fields joined by commas, cut to 200 bytes at a character boundary), so
// the officer can find the row without opening the file.
struct RaggedRow {
  std::string field = "fields";
  std::string value;
  std::string reason;
};
inline RaggedRow DescribeRaggedRow(const std::vector<std::string_view>& fields, std::size_t header_size) {
  RaggedRow r;
  for (std::size_t i = 0; i < fields.size() && r.value.size() <= 200; ++i) {
    if (i > 0) r.value += ',';
    r.value.append(fields[i]);
  }
  if (r.value.size() > 200) {
    std::size_t cut = 197;
    while (cut > 0 && (static_cast<unsigned char>(r.value[cut]) & 0xC0) == 0x80) --cut;
    r.value.resize(cut);
    r.value += "...";
  }
  r.reason = "row has " + Plural(fields.size(), "field") + ", the header has " + std::to_string(header_size) +
             "; the row was not loaded";
  return r;
}

// One "left = right" item of a LIST setting, both sides trimmed.
struct ListItem {
  std::string left;   // a name (mappings) or a column (filters)
  std::string right;  // a column (mappings) or a value (filters)
};

namespace mapping_detail {

// Splits the items of `setting` at their first '='. `named`: both sides are
// required and the left must be snake_case; otherwise only the left is, and
// an empty one fails with `empty_left`. `shape` (e.g. "\"name = column\"")
// is quoted in the messages.
inline std::vector<ListItem> ParseItems(const Settings& settings, std::string_view setting,
                                        std::string_view shape, bool named,
                                        std::string_view empty_left) {
  std::vector<ListItem> items;
  const std::string expected = " (expected " + std::string(shape) + ")";
  for (std::string_view raw : settings.List(setting)) {
    const std::string_view item = Trim(raw);
    if (item.empty()) continue;
    const auto eq = item.find('=');
    const std::string where = "setting '" + std::string(setting) + "', item " + Quoted(item);
    if (eq == std::string_view::npos) throw Error(where + ": no '='" + expected);
    ListItem it{std::string(Trim(item.substr(0, eq))), std::string(Trim(item.substr(eq + 1)))};
    if (named) {
      if (it.left.empty() || it.right.empty())
        throw Error(where + ": both sides of '=' are needed" + expected);
      if (!IsSnakeCase(it.left))
        throw Error(where + ": " + Quoted(it.left) +
                    " must be snake_case (lowercase letters, digits and '_', starting with "
                    "a letter)");
    } else if (it.left.empty()) {
      throw Error(where + ": " + std::string(empty_left) + expected);
    }
    items.push_back(std::move(it));
  }
  return items;
}

}  // namespace mapping_detail

// The "name = column" items of a LIST setting (attributes, measures): blank
// items are skipped; an item without '=', with an empty side, or whose name
// is not snake_case throws, naming the setting, the item and `shape`.
inline std::vector<ListItem> ParseNameItems(const Settings& settings, std::string_view setting,
                                            std::string_view shape) {
  return mapping_detail::ParseItems(settings, setting, shape, true, {});
}

// The "column = value" items of a LIST setting (filters): as ParseNameItems,
// but the value may be empty and the column is any text; an empty column
// throws with `empty_column` ("the column name is missing", say).
inline std::vector<ListItem> ParseValueItems(
    const Settings& settings, std::string_view setting, std::string_view shape,
    std::string_view empty_column = "both sides of '=' are needed") {
  return mapping_detail::ParseItems(settings, setting, shape, false, empty_column);
}

// The first name that equals an earlier one, if any.
inline std::optional<std::string_view> FirstRepeat(const std::vector<std::string_view>& names) {
  for (std::size_t i = 0; i < names.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (names[j] == names[i]) return names[i];
  return std::nullopt;
}

// Throws unless `value` of `setting` is snake_case; `example` ("school")
// ends the message.
inline void CheckSnakeCase(std::string_view setting, std::string_view value,
                           std::string_view example) {
  if (IsSnakeCase(value)) return;
  throw Error("setting '" + std::string(setting) + "': " + Quoted(value) +
              " must be snake_case (lowercase letters, digits and '_', starting with a "
              "letter), e.g. \"" + std::string(example) + "\"");
}

// The "encoding" setting: auto (the default, also when empty), utf-8 or
// windows-1252.
inline csv::Encoding EncodingSetting(const Settings& settings) {
  const std::string_view encoding = settings.GetOr("encoding", "auto");
  if (auto e = csv::ParseEncoding(encoding.empty() ? "auto" : encoding)) return *e;
  throw Error("setting 'encoding': " + Quoted(encoding) +
              " is not one of auto, utf-8, windows-1252");
}

// The "skip_lines" setting: a whole number of lines (default 0, at most
// about ten million).
inline std::uint64_t SkipLinesSetting(const Settings& settings) {
  const std::string_view skip = Trim(settings.GetOr("skip_lines", "0"));
  std::uint64_t skip_lines = 0;
  for (char c : skip) {
    if (c < '0' || c > '9' || skip_lines > 1000000)
      throw Error("setting 'skip_lines': " + Quoted(skip) +
                  " must be a whole number of lines, 0 or more");
    skip_lines = skip_lines * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return skip_lines;
}

// Warns once per name that several columns of `file`'s header share, saying
// the names they were given ("SNP", "SNP_2", ...): map them by those.
inline void WarnRepeatedColumns(const Host& host, std::string_view file, const csv::Header& header) {
  for (const auto& [name, given] : header.repeated()) {
    std::string names;
    for (const auto& g : given) names += (names.empty() ? "" : ", ") + Quoted(g);
    host.Warn(std::string(file) + ": " + std::to_string(given.size()) + " columns are named " +
              Quoted(name) + "; they are read as " + names +
              " in that order (map each by its own name; the first keeps the name)");
  }
}

// Warns when a file read as UTF-8 had bytes that are not UTF-8 (they became
// U+FFFD): it is usually a Windows-1252 file.
inline void WarnRepairedUtf8(const Host& host, const csv::Reader& reader) {
  if (reader.repaired_fields() == 0) return;
  host.Warn(reader.name() + ": " + Plural(reader.repaired_fields(), "field") +
            " (the first on line " + std::to_string(reader.first_repaired_line()) +
            ") had bytes that are not UTF-8 and were read as U+FFFD; the file is probably "
            "Windows-1252: set encoding = \"auto\" or \"windows-1252\"");
}

}  // namespace vigil::sdk

#endif  // VIGIL_MAPPING_HPP_
