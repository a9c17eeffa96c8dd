// The ees data-source plugin: reads explore-education-statistics (EES) tidy
// CSV files, keeps the rows of one geographic level that match the job's
// filters, and turns the chosen indicator columns into dated observations of
// schools (by URN, or by LAESTAB mapped to a URN through a GIAS register),
// local authorities, regions or the country.
//
// Per row: rows at another geographic level or not matching the filters are
// skipped and counted, never rejected. A row whose time period cannot be
// dated, or whose key is empty or unknown to the register, is rejected whole
// (one rejection). Otherwise each indicator cell is read on its own: a
// suppression code (c, x, z, low, ...) is a missing value with its reason,
// an empty cell is nothing, and any other non-number is rejected alone while
// the row's other indicators are kept. A second value for the same entity,
// measure and period (usually a missing filter) is rejected, naming the line
// of the first.
#include <vigil/csv.hpp>
#include <vigil/mapping.hpp>
#include <vigil/plugin.hpp>
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

int ToInt(std::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

std::string Iso(int y, int m, int d) {
  std::string out = std::to_string(y);  // years here have four digits (1000-10000)
  out += m < 10 ? "-0" : "-";
  out += std::to_string(m);
  out += d < 10 ? "-0" : "-";
  out += std::to_string(d);
  return out;
}

std::string MonthEnd(int y, int m) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return Iso(y, m, m == 2 && IsLeap(y) ? 29 : kDays[m - 1]);
}

// A row's period, dated by its last day, or why it cannot be dated.
struct Period {
  std::string iso;           // set when dated
  std::string error;         // set otherwise
  bool identifier = false;   // the error is about time_identifier, not time_period
};

Period PeriodError(std::string reason, bool identifier = false) {
  Period p;
  p.error = std::move(reason);
  p.identifier = identifier;
  return p;
}

Period Dated(std::string iso) {
  Period p;
  p.iso = std::move(iso);
  return p;
}

// The last day of the period an EES (time_period, time_identifier) pair
// names. Six digits are a two-year period "202223" (first year 2022); four
// digits one year. See README.md for the table of rules.
Period PeriodEnd(std::string_view period_text, std::string_view identifier_text) {
  const std::string_view period = Trim(period_text);
  const std::string id = csv::Header::Loose(identifier_text);
  if (!AllDigits(period) || (period.size() != 4 && period.size() != 6))
    return PeriodError(Quoted(period) +
                       " is not an EES time period (four digits such as 2023, or six "
                       "such as 202223)");
  const int year = ToInt(period.substr(0, 4));
  const bool two_year = period.size() == 6;
  if (two_year && (year + 1) % 100 != ToInt(period.substr(4, 2)))
    return PeriodError(Quoted(period) + " is not a two-year period: " +
                       std::string(period.substr(4, 2)) + " does not follow " +
                       std::string(period.substr(0, 4)));
  if (year < 1000 || year > 9000)
    return PeriodError(Quoted(period) + " is not a plausible year");

  auto needs_two_years = [&](const char* what) {
    return PeriodError(Quoted(period) + " is not an academic year: " + what +
                       " needs six digits, e.g. 202223");
  };
  if (id == "academic year") {
    if (!two_year) return needs_two_years("an academic year");
    return Dated(Iso(year + 1, 8, 31));
  }
  // "Financial year 2023" (four digits) is the year from April 2023, as
  // HMRC names financial years; 202324 is the same year.
  if (id == "financial year") return Dated(Iso(year + 1, 3, 31));
  if (id == "tax year") return Dated(Iso(year + 1, 4, 5));
  if (id == "calendar year") {
    if (two_year)
      return PeriodError(Quoted(period) +
                         " is not a calendar year: calendar years have four digits, "
                         "e.g. 2023");
    return Dated(Iso(year, 12, 31));
  }
  if (id == "autumn term") {
    if (!two_year) return needs_two_years("a term");
    return Dated(Iso(year, 12, 31));
  }
  if (id == "spring term" || id == "autumn and spring term") {
    if (!two_year) return needs_two_years("a term");
    return Dated(Iso(year + 1, 3, 31));
  }
  if (id == "summer term" || id == "spring and summer term") {
    if (!two_year) return needs_two_years("a term");
    return Dated(Iso(year + 1, 8, 31));
  }
  static constexpr const char* kMonths[12] = {
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  for (int m = 1; m <= 12; ++m) {
    if (id != kMonths[m - 1]) continue;
    // In an academic year September to December fall in its first year.
    const int y = two_year && m < 9 ? year + 1 : year;
    return Dated(MonthEnd(y, m));
  }
  if (id.size() == 16 && id.compare(0, 15, "calendar year q") == 0 && id[15] >= '1' &&
      id[15] <= '4') {
    if (two_year)
      return PeriodError(Quoted(period) +
                         " is not a calendar year: calendar years have four digits, "
                         "e.g. 2023");
    return Dated(MonthEnd(year, (id[15] - '0') * 3));
  }
  if (id.size() == 17 && id.compare(0, 16, "financial year q") == 0 && id[16] >= '1' &&
      id[16] <= '4') {
    const int q = id[16] - '0';  // Q1 is April to June of the first year
    return Dated(q == 4 ? MonthEnd(year + 1, 3) : MonthEnd(year, 3 + q * 3));
  }
  if (id.compare(0, 5, "week ") == 0)
    return PeriodError(Quoted(Trim(identifier_text)) +
                           ": weekly periods are not supported; keep other rows with a "
                           "filter such as \"time_identifier = Academic year\"",
                       true);
  return PeriodError(Quoted(Trim(identifier_text)) +
                         " is not a supported time_identifier (Academic year, Financial "
                         "year, Calendar year, Tax year, Autumn term, Spring term, Summer "
                         "term, Autumn and spring term, a month, Calendar year Q1-Q4, "
                         "Financial year Q1-Q4)",
                     true);
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
  // The URN for `laestab` on `date`, or nullopt with `reason` set.
  std::optional<std::string_view> Urn(std::string_view laestab, std::string_view date,
                                      std::string& reason) const;

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
                                              std::string& reason) const {
  const auto it = by_laestab_.find(std::string(laestab));
  if (it == by_laestab_.end()) {
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
  const Period& RowPeriod(const csv::Row& row);
  // The entity key of the row, or nullopt after rejecting the row.
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
  Period last_;
  std::unordered_set<std::string> entity_keys_;
  // The first line of each (key, period), or with `where` conditions of each
  // (key, period, indicator): a second one means the filters left two rows
  // (e.g. two subjects). Keys and dates are numbered so the map holds numbers,
  // not strings.
  std::unordered_map<std::string, std::uint32_t> key_numbers_;
  std::unordered_map<std::string, std::uint32_t> date_numbers_;
  std::unordered_map<std::uint64_t, std::uint64_t> seen_;  // key and date numbers -> line
  std::map<std::string, std::uint64_t> other_levels_;
  std::uint64_t rows_ = 0;
  std::uint64_t kept_ = 0;
  std::uint64_t empty_rows_ = 0;
  std::uint64_t skipped_levels_ = 0;
  std::uint64_t filtered_ = 0;
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
      emit_entities_(settings.Flag("emit_entities", false)) {
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
    host_.Warn("rows are keyed by LAESTAB, not URN: set laestab_register to a GIAS extract "
               "to key them by URN");
}

void EesSource::Reject(std::uint64_t line, std::string_view field, std::string_view value,
                       std::string_view reason) {
  ++rejected_;
  host_.Reject({file_, line, field, value, reason});
}

const Period& EesSource::RowPeriod(const csv::Row& row) {
  // Rows of one file mostly share a period: date each distinct pair once.
  const std::string_view period = row[period_index_];
  const std::string_view identifier = row[identifier_index_];
  if (period != last_period_ || identifier != last_identifier_) {
    last_period_ = period;
    last_identifier_ = identifier;
    last_ = PeriodEnd(period, identifier);
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
  if (auto urn = register_.Urn(laestab, date, reason)) return std::string(*urn);
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
  bool all_empty = true;
  for (std::string_view cell : f) all_empty = all_empty && Trim(cell).empty();
  if (all_empty) {
    ++empty_rows_;
    return;
  }
  ++rows_;
  if (f.size() != header_size_) {
    const auto ragged = vigil::sdk::DescribeRaggedRow(f, header_size_);
    Reject(row.line, ragged.field, ragged.value, ragged.reason);
    return;
  }
  const std::string_view level = Trim(f[level_index_]);
  if (csv::Header::Loose(level) != level_loose_) {
    ++skipped_levels_;
    ++other_levels_[std::string(level)];
    return;
  }
  if (!Matches(row, filters_)) {
    ++filtered_;
    return;
  }
  ++kept_;

  const Period& period = RowPeriod(row);
  if (!period.error.empty()) {
    const std::size_t index = period.identifier ? identifier_index_ : period_index_;
    Reject(row.line, period.identifier ? "time_identifier" : "time_period", Trim(f[index]),
           period.error + "; the row's values were not loaded");
    return;
  }
  const std::string date = period.iso;
  const auto key = RowKey(row, date);
  if (!key) return;

  if (emit_entities_ && entity_keys_.insert(*key).second) {
    std::string_view name;
    if (name_index_) name = Trim(f[*name_index_]);
    if (vigil::sdk::IsMissing(name)) name = {};
    host_.Entity(kind_, *key, name, {});
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
    host_.Observation(kind_, *key, ind.measure, date, value);
    ++observations_;
    observed = true;
  }
  if (observed) observed_keys_.insert(key_number);
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

  if (!other_levels_.empty()) {
    std::string levels;
    for (const auto& [level, count] : other_levels_)
      levels += (levels.empty() ? "" : ", ") + (level.empty() ? "(empty)" : level) + ": " +
                std::to_string(count);
    host_.Info("skipped " + Plural(skipped_levels_, "row") + " at other geographic levels (" +
               levels + "); reading " + level_);
  }
  if (!filters_.empty())
    host_.Info("kept " + Plural(kept_, "row") + ", filtered " + std::to_string(filtered_) +
               " (filters " + filter_text_ + ")");
  std::string summary = "read file=" + file_ + " rows=" + std::to_string(rows_) +
                        " kept=" + std::to_string(kept_) +
                        " keys=" + std::to_string(observed_keys_.size()) +
                        " observations=" + std::to_string(observations_) +
                        " rejected=" + std::to_string(rejected_) +
                        " other_levels=" + std::to_string(skipped_levels_) +
                        " filtered=" + std::to_string(filtered_);
  if (emit_entities_) summary += " entities=" + std::to_string(entity_keys_.size());
  if (empty_rows_ > 0) summary += " empty_rows=" + std::to_string(empty_rows_);
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
