// The generic CSV data-source plugin: maps the columns of any CSV file
// (GIAS extracts, Ofsted management information, EES tidy files, local
// spreadsheets) or of one sheet of an Excel workbook (.xlsx) to entities and
// dated observations, as the job's settings say. Columns are found by header
// name, never by position.
//
// Per row: rows whose field count differs from the header's (short ones are
// padded with empty cells instead with short_rows = "empty"), or whose key is
// empty, are rejected whole. Otherwise the entity is emitted the first time
// its key is seen in the file, then the row's values: a measure cell that is
// not a number (nor a missing code, nor empty) is rejected on its own and the
// row's other values are kept; a row whose date is invalid has its values
// rejected (its entity is still emitted: nothing about it depends on the
// date). Filtered rows (`where`), rows whose every cell is empty and rows
// after the end of the table (`end_at`) are skipped and counted by reason
// (ABI 1.2), not rejected. With date_column = time_period and a
// time_identifier column (EES), each row is dated by the end of its own
// period (a week, a term, a month), so weeks never collapse onto one date.
#include <vigil/csv.hpp>
#include <vigil/mapping.hpp>
#include <vigil/plugin.hpp>
#include <vigil/rows.hpp>
#include <vigil/values.hpp>

#include <cstddef>
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "xlsx_reader.h"

namespace {

using vigil::sdk::Error;
using vigil::sdk::Host;
using vigil::sdk::Plural;
using vigil::sdk::Quoted;
using vigil::sdk::Settings;
using vigil::sdk::Trim;
namespace csv = vigil::sdk::csv;

constexpr vigil_setting_decl kSettings[] = {
    {"file", VIGIL_SETTING_PATH, 1, nullptr,
     "The CSV file or Excel workbook (.xlsx) to read; its first line or row (after "
     "skip_lines) must be the header."},
    {"sheet", VIGIL_SETTING_STRING, 0, nullptr,
     "Workbooks only: the sheet to read, by name (e.g. \"SN list\") or number (1 is the "
     "first); default the first sheet."},
    {"header_row", VIGIL_SETTING_INTEGER, 0, nullptr,
     "The line (CSV) or row (workbook) of the header, e.g. 3 below two title rows; the "
     "same as skip_lines = 2."},
    {"end_at", VIGIL_SETTING_STRING, 0, nullptr,
     "Where the table ends: \"empty row\" (the first row with every cell empty) or a text "
     "that a row's first cell starts with, e.g. \"Old SNs:\"; that row and all below are "
     "counted as after the end of the table, not read."},
    {"kind", VIGIL_SETTING_STRING, 1, nullptr,
     "Entity kind given to every row, in snake_case, e.g. \"school\"."},
    {"key_column", VIGIL_SETTING_STRING, 1, nullptr,
     "Column holding each entity's key, e.g. \"URN\"; a row with an empty key is "
     "rejected."},
    {"name_column", VIGIL_SETTING_STRING, 0, nullptr,
     "Column holding the entity's display name, e.g. \"EstablishmentName\"."},
    {"attributes", VIGIL_SETTING_LIST, 0, nullptr,
     "Entity attributes as \"attr_name = Column Name\" items, e.g. \"type = "
     "TypeOfEstablishment (name)\"; empty and NULL cells are left out."},
    {"measures", VIGIL_SETTING_LIST, 0, nullptr,
     "Numeric measures as \"measure_name = Column Name\" items, e.g. \"pupils = "
     "NumberOfPupils\"; codes such as c, x, z and low are kept as missing values "
     "with their reason, empty cells are skipped and other non-numbers are "
     "rejected."},
    {"text_measures", VIGIL_SETTING_LIST, 0, nullptr,
     "Textual measures as \"measure_name = Column Name\" items, e.g. "
     "\"overall_effectiveness = Overall effectiveness\"; empty and NULL cells "
     "are skipped."},
    {"measure_column", VIGIL_SETTING_STRING, 0, nullptr,
     "Long format: the column naming each row's measure (turned into snake_case, "
     "e.g. \"Reading, writing and maths\" becomes reading_writing_and_maths); "
     "needs value_column."},
    {"value_column", VIGIL_SETTING_STRING, 0, nullptr,
     "Long format: the column holding each row's numeric value, read like a "
     "measures cell; needs measure_column."},
    {"date_column", VIGIL_SETTING_STRING, 0, nullptr,
     "Column holding each row's as-of date (YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY, "
     "or an EES time_period such as 202223 for the academic year 2022/23, dated by "
     "the file's time_identifier column when it has one: Week 30, Autumn term...); "
     "measures need this or as_of."},
    {"as_of", VIGIL_SETTING_STRING, 0, nullptr,
     "Fixed as-of date (YYYY-MM-DD) for files without a date column; with "
     "date_column, the date of rows whose date cell is empty."},
    {"encoding", VIGIL_SETTING_STRING, 0, "auto",
     "Text encoding: auto (each field is read as UTF-8 when valid, otherwise as "
     "Windows-1252, as DfE and Ofsted publish), utf-8 or windows-1252."},
    {"delimiter", VIGIL_SETTING_STRING, 0, ",",
     "Field separator: one character such as \",\" or \";\", or \"tab\"."},
    {"skip_lines", VIGIL_SETTING_INTEGER, 0, "0",
     "Number of lines above the header to skip, e.g. 1 for Ofsted files that "
     "start with a title line."},
    {"short_rows", VIGIL_SETTING_STRING, 0, "reject",
     "Rows with fewer fields than the header: reject (a broken file) or empty (the "
     "missing trailing fields are empty cells, as in the DfE performance tables, "
     "whose rows of schools with no results stop early). Longer rows are always "
     "rejected."},
    {"where", VIGIL_SETTING_LIST, 0, nullptr,
     "Keep only rows matching every \"Column Name = value\" item (items on the "
     "same column are alternatives), e.g. \"LA (code) = 330\"; other rows are "
     "counted as filtered, not rejected."},
};

// How often (in rows) progress is reported and cancellation checked.
constexpr std::uint64_t kProgressEvery = 4096;

bool IsNull(std::string_view cell) {
  return cell.size() == 4 && (cell == "NULL" || cell == "null" || cell == "Null");
}

// One "name = Column Name" item of a mapping setting.
struct Mapping {
  std::string name;    // attribute or measure name
  std::string column;
  std::size_t index = 0;  // the column's index once the header is read
};

// The "name = Column Name" items of a mapping setting.
std::vector<Mapping> ParseMappings(const Settings& settings, std::string_view setting) {
  std::vector<Mapping> items;
  for (auto& item : vigil::sdk::ParseNameItems(settings, setting, "\"name = Column Name\""))
    items.push_back({std::move(item.left), std::move(item.right)});
  return items;
}

class CsvSource {
 public:
  CsvSource(Host host, const Settings& settings);
  void Read();

 private:
  // A column a setting refers to, resolved against the header.
  struct ColumnUse {
    std::string column;
    std::string setting;
    std::size_t* index;
  };
  struct PendingObservation {
    std::string_view measure;
    vigil::sdk::Value value;
  };
  struct Filter {
    std::string column;
    std::vector<std::string> values;
    std::size_t index = 0;
  };

  void ResolveColumns(const csv::Header& header, std::uint64_t header_line);
  void ProcessRow(csv::Row& row);
  void AddNumber(std::string_view measure, std::string_view column, std::string_view cell,
                 std::uint64_t line);
  std::optional<std::string_view> RowDate(const csv::Row& row);
  // Whether the row is at or past the end of the table (`end_at`).
  bool PastEnd(const csv::Row& row);
  void Reject(std::uint64_t line, std::string_view field, std::string_view value,
              std::string_view reason);

  Host host_;
  std::string file_;
  std::string kind_;
  std::string key_column_;
  std::string name_column_;
  std::string measure_column_;
  std::string value_column_;
  std::string date_column_;
  std::string as_of_;  // ISO, or empty
  std::vector<Mapping> attributes_;
  std::vector<Mapping> measures_;
  std::vector<Mapping> text_measures_;
  std::vector<Filter> filters_;
  std::string where_text_;  // the filter as the job wrote it, for the log
  csv::Options options_;

  // Column indices, set by ResolveColumns().
  std::size_t header_size_ = 0;
  std::size_t key_index_ = 0;
  std::size_t name_index_ = 0;
  std::size_t measure_index_ = 0;
  std::size_t value_index_ = 0;
  std::size_t date_index_ = 0;

  // Per-row work space, kept to reuse its memory.
  std::vector<PendingObservation> pending_;
  std::vector<vigil_attribute> attribute_values_;
  std::string long_measure_;
  std::string last_date_cell_;
  std::string last_identifier_cell_;
  std::string last_date_iso_;
  bool last_date_valid_ = false;
  bool last_identifier_error_ = false;

  // Workbooks, and where the table ends.
  std::string sheet_;
  std::string end_at_;
  bool workbook_ = false;
  bool ended_ = false;
  // short_rows = "empty": a row that stops early has empty trailing cells.
  bool short_rows_empty_ = false;
  // EES: the time_identifier column that dates a time_period date column.
  std::optional<std::size_t> identifier_index_;

  std::unordered_set<std::string> keys_;
  vigil::sdk::RowTally tally_;
  std::uint64_t observations_ = 0;
  std::uint64_t rejected_ = 0;
};

CsvSource::CsvSource(Host host, const Settings& settings)
    : host_(host),
      file_(settings.Required("file")),
      kind_(Trim(settings.Required("kind"))),
      key_column_(Trim(settings.Required("key_column"))),
      name_column_(Trim(settings.GetOr("name_column", ""))),
      measure_column_(Trim(settings.GetOr("measure_column", ""))),
      value_column_(Trim(settings.GetOr("value_column", ""))),
      date_column_(Trim(settings.GetOr("date_column", ""))),
      attributes_(ParseMappings(settings, "attributes")),
      measures_(ParseMappings(settings, "measures")),
      text_measures_(ParseMappings(settings, "text_measures")),
      sheet_(Trim(settings.GetOr("sheet", ""))),
      end_at_(Trim(settings.GetOr("end_at", ""))),
      tally_(file_) {
  vigil::sdk::CheckSnakeCase("kind", kind_, "school");
  if (key_column_.empty()) throw Error("setting 'key_column' is required");

  if (measure_column_.empty() != value_column_.empty())
    throw Error(measure_column_.empty()
                    ? "setting 'value_column' needs 'measure_column' (long format uses both)"
                    : "setting 'measure_column' needs 'value_column' (long format uses both)");

  std::vector<std::string_view> names;
  for (const auto* list : {&measures_, &text_measures_})
    for (const Mapping& m : *list) names.push_back(m.name);
  if (auto twice = vigil::sdk::FirstRepeat(names))
    throw Error("measure " + Quoted(*twice) +
                " is mapped twice (in 'measures' or 'text_measures')");

  if (auto as_of = settings.Get("as_of"); as_of && !Trim(*as_of).empty()) {
    auto date = vigil::sdk::ParseDate(*as_of);
    if (!date.ok()) throw Error("setting 'as_of': " + date.error);
    as_of_ = *date.value;
  }
  const bool has_measures =
      !measures_.empty() || !text_measures_.empty() || !measure_column_.empty();
  if (has_measures && date_column_.empty() && as_of_.empty())
    throw Error(
        "measures are mapped but nothing dates them: set 'date_column' (a column "
        "holding each row's date) or 'as_of' (one date for the whole file)");

  options_.encoding = vigil::sdk::EncodingSetting(settings);

  const std::string_view delimiter = settings.GetOr("delimiter", ",");
  if (delimiter == "tab" || delimiter == "\\t" || delimiter == "\t")
    options_.delimiter = '\t';
  else if (delimiter.empty())
    options_.delimiter = ',';
  else if (delimiter.size() == 1 && delimiter != "\"" && delimiter != "\n" && delimiter != "\r")
    options_.delimiter = delimiter.front();
  else
    throw Error("setting 'delimiter': " + Quoted(delimiter) +
                " must be one character other than a quote or line break, or \"tab\"");

  options_.skip_lines = vigil::sdk::SkipLinesSetting(settings);
  if (auto header_row = settings.Get("header_row"); header_row && !Trim(*header_row).empty()) {
    const std::string_view row = Trim(*header_row);
    std::uint64_t n = 0;
    for (char c : row) {
      if (c < '0' || c > '9' || n > 1000000)
        throw Error("setting 'header_row': " + Quoted(row) + " must be a line or row number, 1 or more");
      n = n * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (n == 0) throw Error("setting 'header_row': rows are numbered from 1");
    if (options_.skip_lines > 0 && options_.skip_lines != n - 1)
      throw Error("settings 'header_row' (" + std::string(row) + ") and 'skip_lines' (" +
                  std::to_string(options_.skip_lines) + ") disagree: set one of them");
    options_.skip_lines = n - 1;
  }
  const std::string_view short_rows = Trim(settings.GetOr("short_rows", "reject"));
  if (short_rows == "empty")
    short_rows_empty_ = true;
  else if (!short_rows.empty() && short_rows != "reject")
    throw Error("setting 'short_rows': " + Quoted(short_rows) + " must be \"reject\" or \"empty\"");
  workbook_ = vigil::xlsx::LooksLikeZip(file_);
  if (!sheet_.empty() && !workbook_)
    throw Error("setting 'sheet': " + file_ + " is not an Excel workbook (.xlsx), so it has no sheets");

  // Items on the same column are alternatives; columns must all match.
  for (const auto& item : vigil::sdk::ParseValueItems(settings, "where", "\"Column Name = value\"",
                                                      "the column name is missing")) {
    Filter* filter = nullptr;
    for (Filter& f : filters_)
      if (f.column == item.left) filter = &f;
    if (filter == nullptr) filter = &filters_.emplace_back(Filter{item.left, {}, 0});
    filter->values.push_back(item.right);
    if (!where_text_.empty()) where_text_ += "; ";
    where_text_ += item.left + " = " + item.right;
  }
}

// Finds every column the settings name, and fails with all the missing ones
// at once so that one run shows everything to fix.
void CsvSource::ResolveColumns(const csv::Header& header, std::uint64_t header_line) {
  std::vector<ColumnUse> uses;
  uses.push_back({key_column_, "key_column", &key_index_});
  if (!name_column_.empty()) uses.push_back({name_column_, "name_column", &name_index_});
  if (!date_column_.empty()) uses.push_back({date_column_, "date_column", &date_index_});
  if (!measure_column_.empty()) {
    uses.push_back({measure_column_, "measure_column", &measure_index_});
    uses.push_back({value_column_, "value_column", &value_index_});
  }
  for (Mapping& m : attributes_) uses.push_back({m.column, "attributes", &m.index});
  for (Mapping& m : measures_) uses.push_back({m.column, "measures", &m.index});
  for (Mapping& m : text_measures_) uses.push_back({m.column, "text_measures", &m.index});
  for (Filter& f : filters_) uses.push_back({f.column, "where", &f.index});

  std::string missing;
  std::size_t missing_count = 0;
  std::vector<std::string_view> reported;
  for (const ColumnUse& use : uses) {
    if (auto index = header.Resolve(use.column)) {
      *use.index = *index;
      continue;
    }
    bool seen = false;
    for (std::string_view r : reported) seen = seen || r == use.column;
    if (seen) continue;
    reported.push_back(use.column);
    ++missing_count;
    if (!missing.empty()) missing += ", ";
    missing += Quoted(use.column) + " (" + use.setting + ")";
  }
  if (missing_count > 0)
    throw Error(file_ + ":" + std::to_string(header_line) + ": the header lacks " +
                (missing_count == 1 ? "a column" : std::to_string(missing_count) + " columns") +
                " the job maps: " + missing + "; the header has " +
                Plural(header.size(), "column") +
                " (names are matched ignoring case and repeated spaces)");
  header_size_ = header.size();
  // EES files date a time_period by its time_identifier (Week 30, Autumn term...).
  if (!date_column_.empty() && csv::Header::Loose(header.name(date_index_)) == "time_period")
    identifier_index_ = header.Resolve("time_identifier");
}

void CsvSource::Reject(std::uint64_t line, std::string_view field, std::string_view value,
                       std::string_view reason) {
  ++rejected_;
  host_.Reject({file_, line, field, value, reason});
}

// Queues a numeric value (wide measures and long format share the rules).
void CsvSource::AddNumber(std::string_view measure, std::string_view column,
                          std::string_view cell, std::uint64_t line) {
  if (auto reason = vigil::sdk::MissingReason(cell)) {
    pending_.push_back({measure, {std::nullopt, *reason}});
    return;
  }
  auto number = vigil::sdk::ParseNumber(cell);
  if (number.ok())
    pending_.push_back({measure, {number.value, {}}});
  else
    Reject(line, column, cell, number.error);
}

// The ISO date of the row's pending values, or nullopt after rejecting them.
std::optional<std::string_view> CsvSource::RowDate(const csv::Row& row) {
  if (date_column_.empty()) return std::string_view(as_of_);
  const std::string_view cell = Trim(row.fields[date_index_]);
  const std::string lost = "; the row's " + Plural(pending_.size(), "value") +
                           (pending_.size() == 1 ? " was" : " were") + " not loaded";
  if (cell.empty() || IsNull(cell)) {
    if (!as_of_.empty()) return std::string_view(as_of_);
    Reject(row.line, date_column_, cell, "the date is empty" + lost);
    return std::nullopt;
  }
  const std::string_view identifier =
      identifier_index_ ? Trim(row.fields[*identifier_index_]) : std::string_view{};
  // Rows of one file mostly share a date: parse each distinct one once.
  if (cell != last_date_cell_ || identifier != last_identifier_cell_) {
    last_date_cell_ = cell;
    last_identifier_cell_ = identifier;
    last_identifier_error_ = false;
    if (identifier_index_) {  // EES: the end of this row's own period
      auto period = vigil::sdk::EesPeriodEnd(cell, identifier);
      last_date_valid_ = period.ok();
      last_identifier_error_ = period.identifier_error;
      last_date_iso_ = period.ok() ? *period.value : period.error;
    } else {
      auto date = vigil::sdk::ParseDate(cell);
      last_date_valid_ = date.ok();
      last_date_iso_ = date.ok() ? *date.value : date.error;
    }
  }
  if (last_date_valid_) return std::string_view(last_date_iso_);
  if (last_identifier_error_)
    Reject(row.line, "time_identifier", identifier, last_date_iso_ + lost);
  else
    Reject(row.line, date_column_, cell, last_date_iso_ + lost);
  return std::nullopt;
}

bool CsvSource::PastEnd(const csv::Row& row) {
  if (ended_) return true;
  if (end_at_.empty()) return false;
  std::string_view first;
  for (std::string_view cell : row.fields)
    if (!(first = Trim(cell)).empty()) break;
  if (csv::Header::Loose(end_at_) == "empty row")
    ended_ = first.empty();
  else
    ended_ = !first.empty() && csv::Header::Loose(first).rfind(csv::Header::Loose(end_at_), 0) == 0;
  return ended_;
}

void CsvSource::ProcessRow(csv::Row& row) {
  tally_.Read();
  if (PastEnd(row)) {
    tally_.Skip("after the end of the table (end_at)", row.line);
    return;
  }
  auto& f = row.fields;
  bool all_empty = true;
  for (std::string_view cell : f) all_empty = all_empty && Trim(cell).empty();
  if (all_empty) {  // e.g. ",,,," rows left by Excel: nothing to lose
    tally_.Skip("empty row", row.line);
    return;
  }
  // A sheet leaves out trailing empty cells, and so do the performance
  // tables (short_rows = "empty"); elsewhere a short row is a broken one.
  if (workbook_ || short_rows_empty_)
    while (f.size() < header_size_) f.emplace_back();
  // Cells beyond the header are ignored only when empty, in a sheet.
  if (workbook_)
    while (f.size() > header_size_ && Trim(f.back()).empty()) f.pop_back();
  if (f.size() != header_size_) {
    auto ragged = vigil::sdk::DescribeRaggedRow(f, header_size_);
    if (f.size() < header_size_)
      ragged.reason += " (if the file's rows stop early by design, as the DfE performance "
                       "tables' do, set short_rows = \"empty\")";
    Reject(row.line, ragged.field, ragged.value, ragged.reason);
    return;
  }
  for (const Filter& filter : filters_) {
    const std::string_view cell = Trim(f[filter.index]);
    bool match = false;
    for (const std::string& v : filter.values) match = match || cell == v;
    if (!match) {
      tally_.Skip("filtered (where)", row.line);
      return;
    }
  }
  const std::string_view key = Trim(f[key_index_]);
  if (key.empty()) {
    Reject(row.line, key_column_, {}, "the key is empty");
    return;
  }

  // Values first (rejecting bad cells), then the date they need.
  pending_.clear();
  for (const Mapping& m : measures_) {
    const std::string_view cell = Trim(f[m.index]);
    if (cell.empty()) continue;  // nothing published: no observation
    AddNumber(m.name, m.column, cell, row.line);
  }
  for (const Mapping& m : text_measures_) {
    const std::string_view cell = Trim(f[m.index]);
    if (cell.empty() || IsNull(cell)) continue;
    pending_.push_back({m.name, {std::nullopt, cell}});
  }
  if (!measure_column_.empty()) {
    const std::string_view cell = Trim(f[value_index_]);
    if (!cell.empty()) {
      const std::string_view raw_name = Trim(f[measure_index_]);
      long_measure_ = vigil::sdk::ToSnakeCase(raw_name);
      if (long_measure_.empty()) {
        Reject(row.line, measure_column_, raw_name,
               "the measure name is empty or has no letter or digit");
      } else {
        AddNumber(long_measure_, value_column_, cell, row.line);
      }
    }
  }
  std::optional<std::string_view> as_of;
  if (!pending_.empty()) as_of = RowDate(row);

  if (keys_.insert(std::string(key)).second) {
    const std::string_view name = name_column_.empty() ? std::string_view{}
                                                       : Trim(f[name_index_]);
    attribute_values_.clear();
    for (const Mapping& m : attributes_) {
      const std::string_view cell = Trim(f[m.index]);
      if (cell.empty() || IsNull(cell)) continue;
      attribute_values_.push_back({vigil::sdk::Str(m.name), vigil::sdk::Str(cell)});
    }
    host_.Entity(kind_, key, IsNull(name) ? std::string_view{} : name, attribute_values_);
  }
  if (!as_of) return;
  for (const PendingObservation& o : pending_) {
    host_.Observation(kind_, key, o.measure, *as_of, o.value, file_, row.line);
    ++observations_;
  }
}

void CsvSource::Read() {
  host_.ThrowIfCancelled();
  // A CSV file or a workbook's sheet, read alike.
  std::optional<csv::Reader> text;
  std::optional<vigil::xlsx::Reader> sheet;
  if (workbook_) {
    sheet.emplace(file_, sheet_);
    if (!sheet->ok()) throw Error(sheet->error());
  } else {
    text.emplace(file_, options_);
    if (!text->ok()) throw Error(text->error());
  }
  auto next = [&](csv::Row& row) { return text ? text->Next(row) : sheet->Next(row); };
  auto fail_if_broken = [&] {
    if (text && !text->ok()) throw Error(text->error());
    if (sheet && !sheet->ok()) throw Error(sheet->error());
  };
  auto progress = [&] {
    if (text) host_.Progress(text->bytes_consumed(), text->size());
    else host_.Progress(sheet->bytes_consumed(), sheet->size());
  };

  csv::Row row;
  bool found = next(row);
  if (workbook_) {  // skip_lines counts the sheet's rows; then, as in a CSV file, empty ones
    while (found && (row.line <= options_.skip_lines ||
                     std::all_of(row.fields.begin(), row.fields.end(),
                                 [](std::string_view c) { return Trim(c).empty(); })))
      found = next(row);
  }
  if (!found) {
    fail_if_broken();
    throw Error(file_ + (workbook_ ? ", sheet " + Quoted(sheet->sheet_name()) : std::string()) +
                ": no header row: the " + (workbook_ ? "sheet" : "file") + " is empty" +
                (options_.skip_lines > 0 ? " after skipping " + Plural(options_.skip_lines, workbook_ ? "row" : "line")
                                         : std::string()));
  }
  if (workbook_)  // a header's trailing empty cells are not columns
    while (!row.fields.empty() && Trim(row.fields.back()).empty()) row.fields.pop_back();
  const csv::Header header(row);
  vigil::sdk::WarnRepeatedColumns(host_, file_, header);
  ResolveColumns(header, row.line);

  std::uint64_t records = 0;
  while (next(row)) {
    ProcessRow(row);
    if (++records % kProgressEvery == 0) {
      progress();
      host_.ThrowIfCancelled();
    }
  }
  fail_if_broken();
  progress();
  if (text) vigil::sdk::WarnRepairedUtf8(host_, *text);

  if (!filters_.empty())
    host_.Info("filtered " + Plural(tally_.skipped("filtered (where)"), "row") + " (where " +
               where_text_ + ")");
  tally_.Report(host_);
  std::string summary = "read file=" + file_ + (workbook_ ? " sheet=" + Quoted(sheet->sheet_name()) : "") +
                        " " + tally_.Summary() + " entities=" + std::to_string(keys_.size()) +
                        " observations=" + std::to_string(observations_) +
                        " rejected=" + std::to_string(rejected_);
  host_.Info(summary);
}

}  // namespace

VIGIL_PLUGIN_ENTRY((vigil::sdk::Describe<CsvSource>(
    "csv", "1.0.0",
    "Reads any CSV file (GIAS, Ofsted, EES or local) or a sheet of an Excel workbook "
    "(.xlsx) and maps its columns to entities and dated observations by header name.",
    "entities of the configured kind, dated observations", kSettings)))
