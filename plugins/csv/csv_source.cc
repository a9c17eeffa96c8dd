// The generic CSV data-source plugin: maps the columns of any CSV file
// (GIAS extracts, Ofsted management information, EES tidy files, local
// spreadsheets) to entities and dated observations, as the job's settings
// say. Columns are found by header name, never by position.
//
// Per row: rows whose field count differs from the header's, or whose key is
// empty, are rejected whole. Otherwise the entity is emitted the first time
// its key is seen in the file, then the row's values: a measure cell that is
// not a number (nor a missing code, nor empty) is rejected on its own and the
// row's other values are kept; a row whose date is invalid has its values
// rejected (its entity is still emitted: nothing about it depends on the
// date). Filtered rows (`where`) and rows whose every cell is empty are
// skipped, counted and logged, not rejected.
#include <vigil/csv.hpp>
#include <vigil/mapping.hpp>
#include <vigil/plugin.hpp>
#include <vigil/values.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

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
     "The CSV file to read; its first line (after skip_lines) must be the header."},
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
     "or an EES time_period such as 202223 for the academic year 2022/23); "
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
  void ProcessRow(const csv::Row& row);
  void AddNumber(std::string_view measure, std::string_view column, std::string_view cell,
                 std::uint64_t line);
  std::optional<std::string_view> RowDate(const csv::Row& row);
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
  std::string last_date_iso_;
  bool last_date_valid_ = false;

  std::unordered_set<std::string> keys_;
  std::uint64_t rows_ = 0;
  std::uint64_t empty_rows_ = 0;
  std::uint64_t filtered_ = 0;
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
      text_measures_(ParseMappings(settings, "text_measures")) {
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
  // Rows of one file mostly share a date: parse each distinct one once.
  if (cell != last_date_cell_) {
    auto date = vigil::sdk::ParseDate(cell);
    last_date_cell_ = cell;
    last_date_valid_ = date.ok();
    last_date_iso_ = date.ok() ? *date.value : date.error;
  }
  if (last_date_valid_) return std::string_view(last_date_iso_);
  Reject(row.line, date_column_, cell, last_date_iso_ + lost);
  return std::nullopt;
}

void CsvSource::ProcessRow(const csv::Row& row) {
  const auto& f = row.fields;
  bool all_empty = true;
  for (std::string_view cell : f) all_empty = all_empty && Trim(cell).empty();
  if (all_empty) {  // e.g. ",,,," rows left by Excel: nothing to lose
    ++empty_rows_;
    return;
  }
  ++rows_;
  if (f.size() != header_size_) {
    const auto ragged = vigil::sdk::DescribeRaggedRow(f, header_size_);
    Reject(row.line, ragged.field, ragged.value, ragged.reason);
    return;
  }
  for (const Filter& filter : filters_) {
    const std::string_view cell = Trim(f[filter.index]);
    bool match = false;
    for (const std::string& v : filter.values) match = match || cell == v;
    if (!match) {
      ++filtered_;
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
  csv::Reader reader(file_, options_);
  if (!reader.ok()) throw Error(reader.error());
  csv::Row row;
  if (!reader.Next(row)) {
    if (!reader.ok()) throw Error(reader.error());
    throw Error(file_ + ": no header row: the file is empty" +
                (options_.skip_lines > 0 ? " after skipping " +
                                               Plural(options_.skip_lines, "line")
                                         : std::string()));
  }
  ResolveColumns(csv::Header(row), row.line);

  std::uint64_t records = 0;
  while (reader.Next(row)) {
    ProcessRow(row);
    if (++records % kProgressEvery == 0) {
      host_.Progress(reader.bytes_consumed(), reader.size());
      host_.ThrowIfCancelled();
    }
  }
  if (!reader.ok()) throw Error(reader.error());
  host_.Progress(reader.bytes_consumed(), reader.size());

  if (!filters_.empty())
    host_.Info("kept " + Plural(rows_ - filtered_, "row") + ", filtered " +
               std::to_string(filtered_) + " (where " + where_text_ + ")");
  std::string summary = "read file=" + file_ + " rows=" + std::to_string(rows_) +
                        " entities=" + std::to_string(keys_.size()) +
                        " observations=" + std::to_string(observations_) +
                        " rejected=" + std::to_string(rejected_);
  if (!filters_.empty()) summary += " filtered=" + std::to_string(filtered_);
  if (empty_rows_ > 0) summary += " empty_rows=" + std::to_string(empty_rows_);
  host_.Info(summary);
}

}  // namespace

VIGIL_PLUGIN_ENTRY((vigil::sdk::Describe<CsvSource>(
    "csv", "1.0.0",
    "Reads any CSV file (GIAS, Ofsted, EES or local) and maps its columns to "
    "entities and dated observations by header name.",
    "entities of the configured kind, dated observations", kSettings)))
