// The ees data-source plugin: reads explore-education-statistics (EES) tidy
// CSV files, keeps the rows of one geographic level that match the job's
// filters, and turns the chosen indicator columns into dated observations of
// schools (by URN, or by LAESTAB mapped to a URN through a GIAS register),
// local authorities, regions or the country.
//
// Per row: rows at another geographic level, not matching the filters,
// keyed by a LAESTAB the register does not hold, or with no indicator value
// are skipped and counted by reason, never rejected. A row whose time period
// cannot be dated, or whose key is empty or not a key, is rejected whole
// (one rejection). Otherwise each indicator cell is read on its own: a
// suppression code (c, x, z, low, ...) is a missing value with its reason,
// an empty cell is nothing, and any other non-number is rejected alone while
// the row's other indicators are kept. A second value for the same entity,
// measure and period (usually a missing filter) is rejected, naming the line
// of the first.
#include <vigil/csv.hpp>
#include <vigil/mapping.hpp>
#include <vigil/plugin.hpp>
#include <vigil/rows.hpp>
#include <vigil/values.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <tuple>
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
     "The EES tidy CSV file to read (UTF-8, with or without a byte-order mark); "
     "columns are found by name, in any order."},
    {"kind", VIGIL_SETTING_STRING, 0, "school",
     "Entity kind of the emitted rows, in snake_case: \"school\" for School rows, "
     "e.g. \"local_authority\" or \"national\" for other levels."},
    {"geographic_level", VIGIL_SETTING_STRING, 0, "School",
     "The geographic_level whose rows are read, e.g. School, Local authority, "
     "Regional or National; rows at other levels are skipped and counted."},
    {"indicators", VIGIL_SETTING_LIST, 1, nullptr,
     "Indicator columns to load as \"measure_name = column\" items, e.g. "
     "\"persistent_absence = persistent_absence_percent\"; suppression codes are "
     "kept as missing values with their reason. An item may add \"where column = "
     "value\" conditions (several joined by \";\"), e.g. \"ks2_reading_expected = "
     "expected_standard_pupil_percent where subject = Reading\", so that one source "
     "reads a file once for measures that live on different rows."},
    {"filters", VIGIL_SETTING_LIST, 0, nullptr,
     "Keep only rows matching every \"column = value\" item, e.g. \"breakdown = "
     "Total\"; items on the same column are alternatives."},
    {"key", VIGIL_SETTING_STRING, 0, "auto",
     "Column keying each row: auto (School: school_urn if present, else laestab; "
     "Local authority: new_la_code; Regional: region_code; National: country_code), "
     "school_urn, laestab, or any column name."},
    {"laestab_register", VIGIL_SETTING_PATH, 0, nullptr,
     "A GIAS edubasealldata extract (URN, LA (code), EstablishmentNumber) used to "
     "map LAESTAB keys to URNs; a LAESTAB it does not hold is rejected."},
    {"emit_entities", VIGIL_SETTING_BOOLEAN, 0, "false",
     "Also emit an entity per key, named from school_name, la_name, region_name or "
     "country_name (normally the register provides the schools)."},
};

constexpr std::uint64_t kProgressEvery = 4096;

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// The key and name columns of a geographic level, and the kind to suggest.
struct Level {
  std::string_view level;  // loose form
  std::string_view key;
  std::string_view name;
  std::string_view kind;
};

constexpr Level kLevels[] = {
    {"school", "school_urn", "school_name", "school"},
    {"local authority", "new_la_code", "la_name", "local_authority"},
    {"regional", "region_code", "region_name", "region"},
    {"national", "country_code", "country_name", "national"},
    {"local authority district", "lad_code", "lad_name", "local_authority_district"},
    {"parliamentary constituency", "pcon_code", "pcon_name", "constituency"},
    {"ward", "ward_code", "ward_name", "ward"},
    {"mat", "trust_id", "trust_name", "trust"},
    {"sponsor", "sponsor_id", "sponsor_name", "sponsor"},
    {"opportunity area", "opportunity_area_code", "opportunity_area_name", "opportunity_area"},
    {"provider", "provider_urn", "provider_name", "provider"},
    {"institution", "institution_id", "institution_name", "institution"},
};

const Level* FindLevel(std::string_view loose) {
  for (const Level& l : kLevels)
    if (l.level == loose) return &l;
  return nullptr;
}

// GIAS establishments by LAESTAB (LA code and 4-digit establishment number).
class Register {
 public:
  struct Establishment {
    std::string urn;
    std::string open;   // ISO or empty
    std::string close;  // ISO or empty
  };

  void Load(const std::string& path, const Host& host);
  // The URN for `laestab` on `date`, or nullopt with `reason` set;
  // `absent` says the register does not hold the LAESTAB at all.
  std::optional<std::string_view> Urn(std::string_view laestab, std::string_view date,
                                      std::string& reason, bool& absent) const;

 private:
  std::string path_;
  std::unordered_map<std::string, std::vector<Establishment>> by_laestab_;
};

void Register::Load(const std::string& path, const Host& host) {
  path_ = path;
  csv::Reader reader(path);  // GIAS publishes Windows-1252; auto handles both
  if (!reader.ok()) throw Error("laestab_register: " + reader.error());
  csv::Row row;
  if (!reader.Next(row)) {
    if (!reader.ok()) throw Error("laestab_register: " + reader.error());
    throw Error("laestab_register: " + path + ": no header row: the file is empty");
  }
  const csv::Header header(row);
  const auto missing = header.Missing({"URN", "LA (code)", "EstablishmentNumber"});
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list.append(list.empty() ? "" : ", ").append(Quoted(m));
    throw Error("laestab_register: " + path + ":" + std::to_string(row.line) +
                ": the header lacks " + list +
                " (a GIAS edubasealldata extract has URN, LA (code) and "
                "EstablishmentNumber)");
  }
  const std::size_t urn = *header.Resolve("URN");
  const std::size_t la = *header.Resolve("LA (code)");
  const std::size_t estab = *header.Resolve("EstablishmentNumber");
  const auto open = header.Resolve("OpenDate");
  const auto close = header.Resolve("CloseDate");
  std::uint64_t skipped = 0;
  auto date = [&](std::optional<std::size_t> index) {
    if (!index || *index >= row.size()) return std::string();
    auto d = vigil::sdk::ParseDate(row[*index]);
    return d.ok() ? *d.value : std::string();
  };
  while (reader.Next(row)) {
    if (row.size() <= std::max({urn, la, estab})) {
      ++skipped;
      continue;
    }
    const std::string_view u = Trim(row[urn]), l = Trim(row[la]), e = Trim(row[estab]);
    if (u.empty() || !AllDigits(l) || !AllDigits(e) || e.size() > 4) {
      ++skipped;  // e.g. children's centres and other entries without a number
      continue;
    }
    std::string key(l);
    key.append(4 - e.size(), '0');
    key.append(e);
    by_laestab_[key].push_back({std::string(u), date(open), date(close)});
  }
  if (!reader.ok()) throw Error("laestab_register: " + reader.error());
  host.Info("laestab_register file=" + path + " laestabs=" + std::to_string(by_laestab_.size()) +
            " skipped_without_number=" + std::to_string(skipped));
}

std::optional<std::string_view> Register::Urn(std::string_view laestab, std::string_view date,
                                              std::string& reason, bool& absent) const {
  const auto it = by_laestab_.find(std::string(laestab));
  absent = it == by_laestab_.end();
  if (absent) {
    reason = "LAESTAB " + std::string(laestab) + " is not in the register " + path_ +
             " (" + Plural(by_laestab_.size(), "LAESTAB") + "), so its school is unknown";
    return std::nullopt;
  }
  const auto& candidates = it->second;
  if (candidates.size() == 1) return std::string_view(candidates[0].urn);
  // A reused LAESTAB: the establishment open on the period's last day.
  const Establishment* found = nullptr;
  int open_count = 0;
  std::string urns;
  for (const auto& c : candidates) {
    urns += (urns.empty() ? "" : ", ") + c.urn;
    const bool opened = c.open.empty() || c.open <= date;
    const bool not_closed = c.close.empty() || c.close >= date;
    if (opened && not_closed) {
      found = &c;
      ++open_count;
    }
  }
  if (open_count == 1) return std::string_view(found->urn);
  reason = "LAESTAB " + std::string(laestab) + " belongs to " +
           std::to_string(candidates.size()) + " establishments in the register (URN " + urns +
           ") and " + (open_count == 0 ? "none" : "more than one") + " of them was open on " +
           std::string(date);
  return std::nullopt;
}

class EesSource {
 public:
  EesSource(Host host, const Settings& settings);
  void Read();

 private:
  enum class KeyMode { kColumn, kLaestab, kLaestabParts };
  // A row matches when its `column` holds one of `values`.
  struct Filter {
    std::string column;
    std::vector<std::string> values;
    std::size_t index = 0;
  };
  struct Indicator {
    std::string measure;
    std::string column;
    std::size_t index = 0;
    std::vector<Filter> where;  // the rows this measure is read from (one value each)
  };
  // Whether the row matches every filter.
  static bool Matches(const csv::Row& row, const std::vector<Filter>& filters);

  void ResolveColumns(const csv::Header& header, std::uint64_t header_line);
  void ProcessRow(const csv::Row& row);
  const vigil::sdk::PeriodResult& RowPeriod(const csv::Row& row);
  // The entity key of the row, or nullopt after rejecting or skipping the row.
  std::optional<std::string> RowKey(const csv::Row& row, std::string_view date);
  void Reject(std::uint64_t line, std::string_view field, std::string_view value,
              std::string_view reason);

  Host host_;
  std::string file_;
  std::string kind_;
  std::string level_;        // as the job wrote it
  std::string level_loose_;
  const Level* level_info_ = nullptr;
  std::string key_setting_;  // auto, school_urn, laestab or a column
  std::string register_path_;
  bool emit_entities_ = false;
  std::vector<Indicator> indicators_;
  bool conditional_ = false;  // some indicator has `where` conditions
  std::vector<Filter> filters_;
  std::string filter_text_;
  Register register_;

  // Set by ResolveColumns().
  KeyMode key_mode_ = KeyMode::kColumn;
  std::string key_column_;  // the column named in rejections
  std::size_t header_size_ = 0;
  std::size_t period_index_ = 0;
  std::size_t identifier_index_ = 0;
  std::size_t level_index_ = 0;
  std::size_t key_index_ = 0;
  std::size_t la_index_ = 0;  // kLaestabParts: old_la_code and estab
  std::size_t estab_index_ = 0;
  std::optional<std::size_t> name_index_;

  // Per-file caches and counts.
  std::string last_period_, last_identifier_;
  vigil::sdk::PeriodResult last_;
  vigil::sdk::RowTally tally_;
  std::vector<std::string> outside_examples_;  // LAESTABs not in the register
  std::unordered_set<std::string> entity_keys_;
  // The first line of each (key, period), or with `where` conditions of each
  // (key, period, indicator): a second one means the filters left two rows
  // (e.g. two subjects). Keys and dates are numbered so the map holds numbers,
  // not strings.
  std::unordered_map<std::string, std::uint32_t> key_numbers_;
  std::unordered_map<std::string, std::uint32_t> date_numbers_;
  std::unordered_map<std::uint64_t, std::uint64_t> seen_;  // key and date numbers -> line
  std::map<std::string, std::uint64_t> other_levels_;
  std::uint64_t kept_ = 0;
  std::uint64_t observations_ = 0;
  std::uint64_t rejected_ = 0;
  std::unordered_set<std::uint64_t> observed_keys_;  // key numbers with an observation
};

EesSource::EesSource(Host host, const Settings& settings)
    : host_(host),
      file_(settings.Required("file")),
      kind_(Trim(settings.GetOr("kind", "school"))),
      level_(Trim(settings.GetOr("geographic_level", "School"))),
      key_setting_(Trim(settings.GetOr("key", "auto"))),
      register_path_(Trim(settings.GetOr("laestab_register", ""))),
      emit_entities_(settings.Flag("emit_entities", false)),
      tally_(file_) {
  if (kind_.empty()) kind_ = "school";
  if (level_.empty()) level_ = "School";
  if (key_setting_.empty()) key_setting_ = "auto";
  vigil::sdk::CheckSnakeCase("kind", kind_, "school");
  level_loose_ = csv::Header::Loose(level_);
  level_info_ = FindLevel(level_loose_);
  const bool school = level_loose_ == "school";
  if (!school && kind_ == "school")
    throw Error("setting 'kind': rows at geographic_level " + Quoted(level_) +
                " are not schools; set kind, e.g. \"" +
                std::string(level_info_ != nullptr ? level_info_->kind : "area") + "\"");
  if (key_setting_ == "auto" && level_info_ == nullptr)
    throw Error("setting 'key': geographic_level " + Quoted(level_) +
                " has no known key column; name the column holding the key, e.g. key = "
                "\"lad_code\"");
  if (!school && (key_setting_ == "school_urn" || key_setting_ == "laestab"))
    throw Error("setting 'key': " + Quoted(key_setting_) +
                " keys School rows; geographic_level is " + Quoted(level_));
  if (!register_path_.empty() && !school)
    throw Error("setting 'laestab_register' maps school LAESTABs to URNs; geographic_level "
                "is " + Quoted(level_));

  for (auto& item :
       vigil::sdk::ParseNameItems(settings, "indicators", "\"measure_name = column\"")) {
    for (const Indicator& seen : indicators_)
      if (seen.measure == item.left)
        throw Error("setting 'indicators': measure " + Quoted(item.left) + " is mapped twice");
    Indicator indicator{std::move(item.left), std::move(item.right), 0, {}};
    // "column where a = b; c = d": the measure is read only from rows matching every condition.
    if (auto at = indicator.column.find(" where "); at != std::string::npos) {
      std::string conditions = indicator.column.substr(at + 7);
      indicator.column = std::string(Trim(std::string_view(indicator.column).substr(0, at)));
      std::size_t start = 0;
      while (start <= conditions.size()) {
        std::size_t end = conditions.find(';', start);
        if (end == std::string::npos) end = conditions.size();
        std::string_view condition = Trim(std::string_view(conditions).substr(start, end - start));
        auto equals = condition.find('=');
        if (equals == std::string_view::npos || Trim(condition.substr(0, equals)).empty() ||
            Trim(condition.substr(equals + 1)).empty())
          throw Error("setting 'indicators': measure " + Quoted(indicator.measure) + ": condition " +
                      Quoted(condition) + " is not \"column = value\"");
        indicator.where.push_back({std::string(Trim(condition.substr(0, equals))),
                                   {std::string(Trim(condition.substr(equals + 1)))}, 0});
        start = end + 1;
      }
      conditional_ = true;
    }
    indicators_.push_back(std::move(indicator));
  }
  if (indicators_.size() >= 0xFFFF)  // ProcessRow numbers them in 16 bits
    throw Error("setting 'indicators': more than 65,534 indicators in one source; split the source");
  if (indicators_.empty())
    throw Error("setting 'indicators' is required: list the indicator columns to load as "
                "\"measure_name = column\"");
  for (auto& item : vigil::sdk::ParseValueItems(settings, "filters", "\"column = value\"")) {
    if (!filter_text_.empty()) filter_text_ += "; ";
    filter_text_ += item.left + " = " + item.right;
    Filter* filter = nullptr;
    for (Filter& f : filters_)
      if (f.column == item.left) filter = &f;
    if (filter == nullptr) filter = &filters_.emplace_back(Filter{item.left, {}, 0});
    filter->values.push_back(std::move(item.right));
  }
}

void EesSource::ResolveColumns(const csv::Header& header, std::uint64_t header_line) {
  std::string missing;
  std::size_t missing_count = 0;
  auto need = [&](std::string_view column, std::string_view setting, std::size_t& index) {
    if (auto found = header.Resolve(column)) {
      index = *found;
      return;
    }
    const std::string entry = Quoted(column) + " (" + std::string(setting) + ")";
    if (missing.find(entry) != std::string::npos) return;
    ++missing_count;
    missing += (missing.empty() ? "" : ", ") + entry;
  };
  need("time_period", "EES", period_index_);
  need("time_identifier", "EES", identifier_index_);
  need("geographic_level", "EES", level_index_);

  const bool school = level_loose_ == "school";
  const auto laestab_column = [&]() -> std::optional<std::size_t> {
    if (auto i = header.Resolve("laestab")) return i;
    return header.Resolve("school_laestab");
  };
  const auto estab_column = [&]() -> std::optional<std::size_t> {
    if (auto i = header.Resolve("estab")) return i;
    return header.Resolve("school_estab");
  };
  const auto use_laestab = [&] {
    if (auto i = laestab_column()) {
      key_mode_ = KeyMode::kLaestab;
      key_index_ = *i;
      key_column_ = header.name(*i);
    } else if (header.Resolve("old_la_code") && estab_column()) {
      key_mode_ = KeyMode::kLaestabParts;
      la_index_ = *header.Resolve("old_la_code");
      estab_index_ = *estab_column();
      key_column_ = header.name(estab_index_);
    } else {
      std::size_t ignored = 0;
      need("laestab", "key", ignored);
    }
  };
  if (school && key_setting_ == "laestab") {
    use_laestab();
  } else if (school && key_setting_ == "auto" && !header.Resolve("school_urn") &&
             (laestab_column() || estab_column())) {
    use_laestab();
  } else {
    key_mode_ = KeyMode::kColumn;
    key_column_ = key_setting_ == "auto" ? std::string(level_info_->key) : key_setting_;
    need(key_column_, "key", key_index_);
  }
  if (level_info_ != nullptr) name_index_ = header.Resolve(level_info_->name);
  for (Indicator& i : indicators_) {
    need(i.column, "indicators", i.index);
    for (Filter& c : i.where) need(c.column, "indicators", c.index);
  }
  for (Filter& f : filters_) need(f.column, "filters", f.index);

  if (missing_count > 0)
    throw Error(file_ + ":" + std::to_string(header_line) + ": the header lacks " +
                (missing_count == 1 ? "a column" : std::to_string(missing_count) + " columns") +
                " this source needs: " + missing + "; the header has " +
                Plural(header.size(), "column") +
                " (names are matched ignoring case and repeated spaces)");
  header_size_ = header.size();
  if (!register_path_.empty() && key_mode_ == KeyMode::kColumn)
    host_.Warn("laestab_register is not used: rows are keyed by " + key_column_ +
               " (set key = \"laestab\" to map LAESTABs through the register)");
  if (register_path_.empty() && key_mode_ != KeyMode::kColumn)
    host_.Warn("rows are keyed by LAESTAB, not URN: set laestab_register to a GIAS extract to "
               "key them by URN" +
               std::string(emit_entities_ ? ""
                                          : ", or emit_entities = true to create schools keyed by "
                                            "LAESTAB (with no register, nothing else names them)"));
}

void EesSource::Reject(std::uint64_t line, std::string_view field, std::string_view value,
                       std::string_view reason) {
  ++rejected_;
  host_.Reject({file_, line, field, value, reason});
}

const vigil::sdk::PeriodResult& EesSource::RowPeriod(const csv::Row& row) {
  // Rows of one file mostly share a period: date each distinct pair once.
  const std::string_view period = row[period_index_];
  const std::string_view identifier = row[identifier_index_];
  if (period != last_period_ || identifier != last_identifier_) {
    last_period_ = period;
    last_identifier_ = identifier;
    last_ = vigil::sdk::EesPeriodEnd(period, identifier);
  }
  return last_;
}

std::optional<std::string> EesSource::RowKey(const csv::Row& row, std::string_view date) {
  std::string laestab;
  std::string_view cell;
  if (key_mode_ == KeyMode::kLaestabParts) {
    const std::string_view la = Trim(row[la_index_]), estab = Trim(row[estab_index_]);
    cell = estab;
    if (!AllDigits(la) || !AllDigits(estab) || estab.size() > 4) {
      Reject(row.line, key_column_, std::string(la) + "/" + std::string(estab),
             "old_la_code and " + key_column_ +
                 " do not make a LAESTAB (a 3-digit LA code and an establishment number "
                 "of up to 4 digits); the row's values were not loaded");
      return std::nullopt;
    }
    laestab.assign(la);
    laestab.append(4 - estab.size(), '0');
    laestab.append(estab);
  } else {
    cell = Trim(row[key_index_]);
  }
  if (key_mode_ != KeyMode::kLaestabParts && (cell.empty() || vigil::sdk::IsMissing(cell))) {
    Reject(row.line, key_column_, cell,
           cell.empty() ? "the key is empty; the row's values were not loaded"
                        : "the key is a missing-value code (" +
                              std::string(*vigil::sdk::MissingReason(cell)) +
                              "); the row's values were not loaded");
    return std::nullopt;
  }
  if (key_mode_ == KeyMode::kColumn) return std::string(cell);
  if (key_mode_ == KeyMode::kLaestab) {
    if (!AllDigits(cell)) {
      Reject(row.line, key_column_, cell,
             "LAESTAB " + Quoted(cell) +
                 " is not a number (an LA code and a 4-digit establishment number, e.g. "
                 "3302003); the row's values were not loaded");
      return std::nullopt;
    }
    laestab.assign(cell);
  }
  if (register_path_.empty()) return laestab;
  std::string reason;
  bool absent = false;
  if (auto urn = register_.Urn(laestab, date, reason, absent)) return std::string(*urn);
  if (absent) {  // a school the register does not hold: valid, not used
    tally_.Skip("outside the register", row.line);
    if (outside_examples_.size() < 5 &&
        std::find(outside_examples_.begin(), outside_examples_.end(), laestab) == outside_examples_.end())
      outside_examples_.push_back(laestab);
    return std::nullopt;
  }
  Reject(row.line, key_column_, laestab, reason + "; the row's values were not loaded");
  return std::nullopt;
}

bool EesSource::Matches(const csv::Row& row, const std::vector<Filter>& filters) {
  for (const Filter& filter : filters) {
    const std::string_view cell = Trim(row.fields[filter.index]);
    if (std::find(filter.values.begin(), filter.values.end(), cell) == filter.values.end()) return false;
  }
  return true;
}

void EesSource::ProcessRow(const csv::Row& row) {
  const auto& f = row.fields;
  tally_.Read();
  bool all_empty = true;
  for (std::string_view cell : f) all_empty = all_empty && Trim(cell).empty();
  if (all_empty) {
    tally_.Skip("empty row", row.line);
    return;
  }
  if (f.size() != header_size_) {
    const auto ragged = vigil::sdk::DescribeRaggedRow(f, header_size_);
    Reject(row.line, ragged.field, ragged.value, ragged.reason);
    return;
  }
  const std::string_view level = Trim(f[level_index_]);
  if (csv::Header::Loose(level) != level_loose_) {
    tally_.Skip("other geographic level", row.line);
    ++other_levels_[std::string(level)];
    return;
  }
  if (!Matches(row, filters_)) {
    tally_.Skip("filtered (filters)", row.line);
    return;
  }
  ++kept_;

  const vigil::sdk::PeriodResult& period = RowPeriod(row);
  if (!period.ok()) {
    const std::size_t index = period.identifier_error ? identifier_index_ : period_index_;
    Reject(row.line, period.identifier_error ? "time_identifier" : "time_period", Trim(f[index]),
           period.error + "; the row's values were not loaded");
    return;
  }
  const std::string date = *period.value;
  const std::uint64_t rejected_before = rejected_;
  const std::uint64_t skipped_before = tally_.skipped();
  const auto key = RowKey(row, date);
  if (!key) return;

  bool entity_emitted = false;
  if (emit_entities_ && entity_keys_.insert(*key).second) {
    std::string_view name;
    if (name_index_) name = Trim(f[*name_index_]);
    if (vigil::sdk::IsMissing(name)) name = {};
    host_.Entity(kind_, *key, name, {});
    entity_emitted = true;
  }

  const std::uint64_t key_number = key_numbers_.try_emplace(*key, key_numbers_.size()).first->second;
  const std::uint64_t date_number = date_numbers_.try_emplace(date, date_numbers_.size()).first->second;
  if (date_number > 0xFFFF)
    throw Error(file_ + ": more than 65,535 periods in one source; split the source");
  // One row per key and period; with `where` conditions, one per key, period
  // and measure (the measures come from different rows).
  const std::uint64_t row_slot = (key_number << 32) | (date_number << 16);
  const auto [first, fresh] = conditional_ ? std::pair{seen_.end(), true} : seen_.emplace(row_slot, row.line);
  bool observed = false;
  for (std::size_t i = 0; i < indicators_.size(); ++i) {
    const Indicator& ind = indicators_[i];
    if (!Matches(row, ind.where)) continue;
    const std::string_view cell = Trim(f[ind.index]);
    if (cell.empty()) continue;  // nothing published: no observation
    auto seen = first;
    bool first_time = fresh;
    if (conditional_) std::tie(seen, first_time) = seen_.emplace(row_slot | (i + 1), row.line);
    if (!first_time) {
      Reject(row.line, ind.column, cell,
             "a second " + ind.measure + " value for " + *key + " in " + std::string(date) +
                 " (the first is on line " + std::to_string(seen->second) +
                 "): add filters so that one row per " + kind_ + " and period remains");
      continue;
    }
    vigil::sdk::Value value;
    if (auto reason = vigil::sdk::MissingReason(cell)) {
      value.text = *reason;
    } else {
      auto number = vigil::sdk::ParseNumber(cell);
      if (!number.ok()) {
        Reject(row.line, ind.column, cell, number.error);
        continue;
      }
      value.number = number.value;
    }
    host_.Observation(kind_, *key, ind.measure, date, value, file_, row.line);
    ++observations_;
    observed = true;
  }
  if (observed) observed_keys_.insert(key_number);
  // Kept, but nothing in it for this source: every indicator cell empty, or
  // (with `where` conditions) none of the indicators comes from this row.
  if (!observed && !entity_emitted && rejected_ == rejected_before && tally_.skipped() == skipped_before)
    tally_.Skip("no indicator value", row.line);
}

void EesSource::Read() {
  host_.ThrowIfCancelled();
  if (!register_path_.empty()) register_.Load(register_path_, host_);
  csv::Reader reader(file_);
  if (!reader.ok()) throw Error(reader.error());
  csv::Row row;
  if (!reader.Next(row)) {
    if (!reader.ok()) throw Error(reader.error());
    throw Error(file_ + ": no header row: the file is empty");
  }
  const csv::Header header(row);
  vigil::sdk::WarnRepeatedColumns(host_, file_, header);
  ResolveColumns(header, row.line);

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
  vigil::sdk::WarnRepairedUtf8(host_, reader);

  if (!other_levels_.empty()) {
    std::string levels;
    for (const auto& [level, count] : other_levels_)
      levels += (levels.empty() ? "" : ", ") + (level.empty() ? "(empty)" : level) + ": " +
                std::to_string(count);
    host_.Info("skipped " + Plural(tally_.skipped("other geographic level"), "row") +
               " at other geographic levels (" + levels + "); reading " + level_);
  }
  if (!filters_.empty())
    host_.Info("kept " + Plural(kept_, "row") + ", filtered " +
               std::to_string(tally_.skipped("filtered (filters)")) + " (filters " + filter_text_ + ")");
  if (!outside_examples_.empty()) {
    std::string examples;
    for (const auto& e : outside_examples_) examples += (examples.empty() ? "" : ", ") + e;
    host_.Info(Plural(tally_.skipped("outside the register"), "row") + " name LAESTABs that the register " +
               register_path_ + " does not hold (e.g. " + examples + "); they were skipped");
  }
  tally_.Report(host_);
  std::string summary = "read file=" + file_ + " " + tally_.Summary() +
                        " kept=" + std::to_string(kept_) +
                        " keys=" + std::to_string(observed_keys_.size()) +
                        " observations=" + std::to_string(observations_) +
                        " rejected=" + std::to_string(rejected_);
  if (emit_entities_) summary += " entities=" + std::to_string(entity_keys_.size());
  host_.Info(summary);
}

}  // namespace

VIGIL_PLUGIN_ENTRY((vigil::sdk::Describe<EesSource>(
    "ees", "1.0.0",
    "Reads explore-education-statistics tidy CSV files: one geographic level, "
    "filtered rows, chosen indicators dated by time period, schools by URN or "
    "LAESTAB.",
    "dated observations of schools (or local authorities, regions, the country); "
    "entities only with emit_entities",
    kSettings)))
