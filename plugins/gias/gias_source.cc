// The GIAS data-source plugin: reads the Department for Education's "Get
// Information About Schools" establishment extract (edubasealldata*.csv) as
// published, in every layout since the 2015 EduBase one, and copies of it
// re-saved by Excel. Emits one entity per URN (open and closed
// establishments) with the register's attributes, dated census observations
// (pupils, capacity, free school meals) and, for layouts that still carried
// them, the register's Ofsted columns. An optional companion links file
// (links_edubasealldata*.csv) adds each school's predecessor and successor
// URNs, so history survives an academy conversion or an amalgamation.
//
// Columns are found by header name, never by position: each value comes from
// the first of several candidate column names that the file has.
//
// Per row: a row whose field count differs from the header's, with an empty
// or non-numeric URN, or repeating a URN already read, is rejected whole.
// Otherwise every cell that cannot be used (a bad date, code, age or number)
// is rejected on its own and the rest of the row is kept. Rows outside
// `la_codes`, closed establishments under `open_only` and empty rows are
// skipped and counted by reason (ABI 1.2), not rejected. Census figures of a
// row without a census date are not stored and are counted once, in a
// warning; the capacity, a property of the school, is also an attribute.
// Links-file rows about schools outside the register, or of a type that is
// not a change of URN, are skipped; a link with no date is kept undated.
#include <vigil/csv.hpp>
#include <vigil/mapping.hpp>
#include <vigil/plugin.hpp>
#include <vigil/rows.hpp>
#include <vigil/values.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
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
     "The GIAS establishment extract (edubasealldata*.csv) exactly as downloaded, in any "
     "layout since the 2015 EduBase one, or a copy re-saved by Excel."},
    {"kind", VIGIL_SETTING_STRING, 0, "school",
     "Entity kind given to every establishment, in snake_case; the key is the URN."},
    {"links_file", VIGIL_SETTING_PATH, 0, nullptr,
     "Optional GIAS links file (links_edubasealldata*.csv): each school gets its predecessor "
     "and successor URNs as attributes (predecessor_urns, successor_urns) and as "
     "observations dated by LinkEstablishedDate, so history survives a new URN."},
    {"district_column", VIGIL_SETTING_STRING, 0, "ParliamentaryConstituency (name)",
     "Column giving each school's district attribute: \"ParliamentaryConstituency (name)\" "
     "(Birmingham's ten districts follow its constituencies) or \"DistrictAdministrative "
     "(name)\" (the local authority district)."},
    {"census_date", VIGIL_SETTING_STRING, 0, nullptr,
     "Date of the pupil numbers (YYYY-MM-DD or DD/MM/YYYY) for rows whose CensusDate is "
     "empty, or for files without a CensusDate column."},
    {"open_only", VIGIL_SETTING_BOOLEAN, 0, "false",
     "true to leave out closed establishments (counted in the log, not rejected); by default "
     "they are emitted with status Closed so their history stays linked."},
    {"la_codes", VIGIL_SETTING_LIST, 0, nullptr,
     "Keep only these local authorities, e.g. [\"330\"]: LA codes (leading zeros ignored) or "
     "LA names such as \"Birmingham\"; other rows are counted as filtered, not rejected."},
    {"la_code", VIGIL_SETTING_STRING, 0, nullptr,
     "LA code to use for files without an \"LA (code)\" or LAESTAB column (older EduBase "
     "extracts), e.g. \"330\"; it gives the la_code and laestab attributes."},
    {"encoding", VIGIL_SETTING_STRING, 0, "auto",
     "Text encoding: auto (each field is read as UTF-8 when valid, otherwise as "
     "Windows-1252, as GIAS publishes), utf-8 or windows-1252."},
};

// How often (in rows) progress is reported and cancellation checked.
constexpr std::uint64_t kProgressEvery = 4096;

// The columns the plugin reads. Each comes from the first candidate name the
// header has (compared ignoring case and repeated spaces).
enum Column : std::size_t {
  kUrn,
  kName,
  kLaCode,
  kLaName,
  kLaestab,
  kEstablishmentNumber,
  kType,
  kTypeGroup,
  kPhase,
  kStatus,
  kWard,
  kTrust,
  kOpenDate,
  kCloseDate,
  kGender,
  kReligiousCharacter,
  kAdmissionsPolicy,
  kPostcode,
  kLowAge,
  kHighAge,
  kUprn,
  kCensusDate,
  kPupils,
  kBoys,
  kGirls,
  kCapacity,
  kFsm,
  kOfstedDate,
  kOfstedRating,
  kOfstedSpecialMeasures,
  kCloseReason,
  kDistrict,  // from the district_column setting
  kColumnCount
};

struct ColumnCandidates {
  Column column;
  std::array<const char*, 3> names;  // unused entries are nullptr
};

constexpr ColumnCandidates kColumns[] = {
    {kUrn, {"URN"}},
    {kName, {"EstablishmentName", "Establishment name"}},
    {kLaCode, {"LA (code)", "LA", "LA code"}},
    {kLaName, {"LA (name)", "LA name"}},
    {kLaestab, {"LAESTAB"}},
    {kEstablishmentNumber, {"EstablishmentNumber", "Establishment number"}},
    {kType, {"TypeOfEstablishment (name)", "TypeOfEstablishment", "Type of establishment"}},
    {kTypeGroup, {"EstablishmentTypeGroup (name)", "EstablishmentTypeGroup"}},
    {kPhase, {"PhaseOfEducation (name)", "PhaseOfEducation", "Phase of education"}},
    {kStatus, {"EstablishmentStatus (name)", "EstablishmentStatus", "Establishment status"}},
    {kWard, {"AdministrativeWard (name)", "AdministrativeWard"}},
    {kTrust, {"Trusts (name)", "Trusts"}},
    {kOpenDate, {"OpenDate"}},
    {kCloseDate, {"CloseDate"}},
    {kGender, {"Gender (name)", "Gender"}},
    {kReligiousCharacter, {"ReligiousCharacter (name)", "ReligiousCharacter"}},
    {kAdmissionsPolicy, {"AdmissionsPolicy (name)", "AdmissionsPolicy"}},
    {kPostcode, {"Postcode"}},
    {kLowAge, {"StatutoryLowAge"}},
    {kHighAge, {"StatutoryHighAge"}},
    {kUprn, {"UPRN"}},
    {kCensusDate, {"CensusDate"}},
    {kPupils, {"NumberOfPupils"}},
    {kBoys, {"NumberOfBoys"}},
    {kGirls, {"NumberOfGirls"}},
    {kCapacity, {"SchoolCapacity"}},
    {kFsm, {"PercentageFSM"}},
    {kOfstedDate, {"OfstedLastInsp"}},
    {kOfstedRating, {"OfstedRating (name)", "OfstedRating"}},
    {kOfstedSpecialMeasures, {"OfstedSpecialMeasures (name)", "OfstedSpecialMeasures"}},
    {kCloseReason, {"ReasonEstablishmentClosed (name)", "ReasonEstablishmentClosed"}},
};

// Simple text attributes: attribute name and the column holding it.
struct TextAttribute {
  const char* name;
  Column column;
};
constexpr TextAttribute kTextAttributes[] = {
    {"la_name", kLaName},
    {"type", kType},
    {"type_group", kTypeGroup},
    {"phase", kPhase},
    {"status", kStatus},
    {"district", kDistrict},
    {"ward", kWard},
    {"trust", kTrust},
    {"gender", kGender},
    {"religious_character", kReligiousCharacter},
    {"admissions_policy", kAdmissionsPolicy},
    {"postcode", kPostcode},
    {"uprn", kUprn},
};

// Census figures: measure name and column.
struct CensusMeasure {
  const char* measure;
  Column column;
};
constexpr CensusMeasure kCensusMeasures[] = {
    {"pupils", kPupils},     {"boys", kBoys},          {"girls", kGirls},
    {"capacity", kCapacity}, {"fsm_percent", kFsm},
};

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (Lower(a[i]) != Lower(b[i])) return false;
  return true;
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

bool IsNull(std::string_view cell) { return EqualsIgnoreCase(cell, "null"); }

// Empty or NULL: nothing published.
bool IsBlank(std::string_view cell) { return cell.empty() || IsNull(cell); }

// Digits without their leading zeros, padded back to `width` digits: Excel
// turns the code "0512" into 512, and this gives "0512" again.
std::string NormaliseCode(std::string_view digits, std::size_t width) {
  while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
  std::string out;
  if (digits.size() < width) out.assign(width - digits.size(), '0');
  out.append(digits);
  return out;
}

// The LA code as compared by `la_codes`: digits without leading zeros.
std::string_view WithoutLeadingZeros(std::string_view digits) {
  while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
  return digits;
}

// "maintained", "academy", "free", "independent" or "other": see README.md.
std::string_view Sector(std::string_view type, std::string_view group) {
  static constexpr std::string_view kMaintainedTypes[] = {
      "Community school",           "Voluntary aided school",
      "Voluntary controlled school", "Foundation school",
      "Community special school",   "Foundation special school",
      "Pupil referral unit",        "Local authority nursery school"};
  for (std::string_view t : kMaintainedTypes)
    if (EqualsIgnoreCase(type, t)) return "maintained";
  if (EqualsIgnoreCase(group, "Local authority maintained schools") ||
      EqualsIgnoreCase(group, "LA maintained schools"))
    return "maintained";
  if (EqualsIgnoreCase(group, "Academies")) return "academy";
  if (EqualsIgnoreCase(group, "Free Schools")) return "free";
  if (EqualsIgnoreCase(group, "Independent schools")) return "independent";
  // Other groups (special schools, older or re-saved files): by the type.
  if (StartsWithIgnoreCase(type, "Academy")) return "academy";
  if (StartsWithIgnoreCase(type, "Free school") ||
      EqualsIgnoreCase(type, "University technical college") ||
      EqualsIgnoreCase(type, "Studio schools"))
    return "free";
  if (StartsWithIgnoreCase(type, "Other independent") ||
      StartsWithIgnoreCase(type, "Independent"))
    return "independent";
  return "other";
}

// "Outstanding" 1 … "Inadequate" 4, as Ofsted numbers its judgements.
std::optional<double> JudgementNumber(std::string_view word) {
  static constexpr std::string_view kWords[] = {"Outstanding", "Good", "Requires improvement",
                                                "Inadequate"};
  for (std::size_t i = 0; i < 4; ++i)
    if (EqualsIgnoreCase(word, kWords[i])) return static_cast<double>(i + 1);
  if (EqualsIgnoreCase(word, "Satisfactory")) return 3.0;  // before September 2012
  return std::nullopt;
}

class GiasSource {
 public:
  GiasSource(Host host, const Settings& settings);
  void Read();

 private:
  // One link of the links file, merged into the entity of its URN.
  struct LinkGroup {
    bool predecessor = false;
    std::string date;  // ISO; empty when the link has no usable date
    std::string urns;  // linked URNs made on that date, joined by ','
  };
  struct Links {
    std::uint64_t rows = 0;        // rows of the links file about this URN, not rejected
    std::uint64_t first_line = 0;
    std::vector<LinkGroup> groups;
    std::string predecessors;  // joined by ','
    std::string successors;
  };
  struct Pending {
    std::string_view measure;
    vigil::sdk::Value value;
  };

  void ReadLinks();
  void ResolveColumns(const csv::Header& header, std::uint64_t line);
  void ProcessRow(const csv::Row& row);
  std::optional<std::string_view> Cell(const csv::Row& row, Column c) const;
  void AddAttribute(std::string_view name, std::string value);
  void AddNumber(const csv::Row& row, std::string_view measure, Column c);
  std::optional<std::string> Date(const csv::Row& row, Column c, std::string_view lost);
  void EmitOfstedRegister(const csv::Row& row, std::string_view urn);
  void Reject(std::uint64_t line, std::string_view field, std::string_view value,
              std::string_view reason);
  void RejectIn(const std::string& file, std::uint64_t line, std::string_view field,
                std::string_view value, std::string_view reason);
  bool KeepLa(const std::optional<std::string>& code, std::string_view name) const;

  Host host_;
  std::string file_;
  std::string kind_;
  std::string links_file_;
  std::string district_column_;
  std::string census_date_;  // ISO, or empty
  std::string la_code_;      // normalised, or empty
  bool open_only_ = false;
  std::vector<std::string> la_code_filter_;  // without leading zeros
  std::vector<std::string> la_name_filter_;
  csv::Options options_;

  std::array<std::optional<std::size_t>, kColumnCount> index_{};
  std::array<std::string, kColumnCount> column_name_{};
  std::size_t header_size_ = 0;

  std::unordered_map<std::string, Links> links_;
  std::unordered_map<std::string, std::uint64_t> seen_;  // URN -> line

  // Per-row work space.
  std::vector<std::pair<std::string_view, std::string>> attributes_;
  std::vector<vigil_attribute> attribute_views_;
  std::vector<Pending> pending_;

  vigil::sdk::RowTally tally_;
  vigil::sdk::RowTally link_tally_;
  std::uint64_t undated_census_ = 0;   // rows with census figures and no census date
  std::uint64_t undated_links_ = 0;    // links without a LinkEstablishedDate
  std::uint64_t observations_ = 0;
  std::uint64_t rejected_ = 0;
  std::uint64_t scientific_uprns_ = 0;
  std::uint64_t links_used_ = 0;
};

GiasSource::GiasSource(Host host, const Settings& settings)
    : host_(host),
      file_(settings.Required("file")),
      kind_(Trim(settings.GetOr("kind", "school"))),
      links_file_(Trim(settings.GetOr("links_file", ""))),
      district_column_(Trim(settings.GetOr("district_column", "ParliamentaryConstituency (name)"))),
      open_only_(settings.Flag("open_only", false)),
      tally_(file_),
      link_tally_(links_file_) {
  if (kind_.empty()) kind_ = "school";
  vigil::sdk::CheckSnakeCase("kind", kind_, "school");
  if (district_column_.empty()) district_column_ = "ParliamentaryConstituency (name)";

  if (auto date = settings.Get("census_date"); date && !Trim(*date).empty()) {
    auto parsed = vigil::sdk::ParseDate(*date);
    if (!parsed.ok()) throw Error("setting 'census_date': " + parsed.error);
    census_date_ = *parsed.value;
  }
  if (auto code = settings.Get("la_code"); code && !Trim(*code).empty()) {
    const std::string_view c = Trim(*code);
    if (!IsDigits(c) || WithoutLeadingZeros(c).size() > 3)
      throw Error("setting 'la_code': " + Quoted(c) +
                  " is not an LA code (up to three digits, e.g. \"330\")");
    la_code_ = NormaliseCode(c, 3);
  }
  for (std::string_view raw : settings.List("la_codes")) {
    const std::string_view item = Trim(raw);
    if (item.empty()) continue;
    if (IsDigits(item))
      la_code_filter_.emplace_back(WithoutLeadingZeros(item));
    else
      la_name_filter_.emplace_back(item);
  }

  options_.encoding = vigil::sdk::EncodingSetting(settings);
}

void GiasSource::Reject(std::uint64_t line, std::string_view field, std::string_view value,
                        std::string_view reason) {
  RejectIn(file_, line, field, value, reason);
}

void GiasSource::RejectIn(const std::string& file, std::uint64_t line, std::string_view field,
                          std::string_view value, std::string_view reason) {
  ++rejected_;
  host_.Reject({file, line, field, value, reason});
}

// Reads the links file into links_ (it is small: one row per link).
void GiasSource::ReadLinks() {
  csv::Reader reader(links_file_, options_);
  if (!reader.ok()) throw Error(reader.error());
  csv::Row row;
  if (!reader.Next(row)) {
    if (!reader.ok()) throw Error(reader.error());
    throw Error(links_file_ + ": no header row: the links file is empty");
  }
  const csv::Header header(row);
  const auto missing = header.Missing({"URN", "LinkURN", "LinkType", "LinkEstablishedDate"});
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list.append(list.empty() ? "" : ", ").append(Quoted(m));
    throw Error(links_file_ + ":" + std::to_string(row.line) + ": the links file lacks " +
                (missing.size() == 1 ? "the column " : "the columns ") + list +
                " (expected URN, LinkURN, LinkName, LinkType, LinkEstablishedDate)");
  }
  const std::size_t urn_i = *header.Resolve("URN");
  const std::size_t link_i = *header.Resolve("LinkURN");
  const std::size_t type_i = *header.Resolve("LinkType");
  const std::size_t date_i = *header.Resolve("LinkEstablishedDate");

  while (reader.Next(row)) {
    link_tally_.Read();
    bool all_empty = true;
    for (std::string_view cell : row.fields) all_empty = all_empty && Trim(cell).empty();
    if (all_empty) {
      link_tally_.Skip("empty row", row.line);
      continue;
    }
    if (row.size() != header.size()) {
      RejectIn(links_file_, row.line, {}, {},
               "row has " + Plural(row.size(), "field") + ", the header has " +
                   std::to_string(header.size()));
      continue;
    }
    const std::string_view urn = Trim(row[urn_i]);
    const std::string_view link = Trim(row[link_i]);
    const std::string_view type = Trim(row[type_i]);
    if (!IsDigits(urn)) {
      RejectIn(links_file_, row.line, header.name(urn_i), urn,
               urn.empty() ? "the URN is empty; the link was not loaded"
                           : Quoted(urn) + " is not a URN (a whole number); the link was "
                                           "not loaded");
      continue;
    }
    if (!IsDigits(link)) {
      RejectIn(links_file_, row.line, header.name(link_i), link,
               link.empty() ? "the linked URN is empty; the link was not loaded"
                            : Quoted(link) + " is not a URN (a whole number); the link was "
                                             "not loaded");
      continue;
    }
    bool predecessor = false;
    if (StartsWithIgnoreCase(type, "Predecessor")) {
      predecessor = true;
    } else if (!StartsWithIgnoreCase(type, "Successor")) {
      // e.g. "Sixth Form Centre Link": valid, but not a change of URN
      link_tally_.Skip("not a change of URN", row.line);
      continue;
    }
    std::string date;
    bool rejected = false;
    const std::string_view date_cell = Trim(row[date_i]);
    if (date_cell.empty() || EqualsIgnoreCase(date_cell, "null")) {
      ++undated_links_;  // published so: the link holds without a date
    } else if (auto parsed = vigil::sdk::ParseDate(date_cell); parsed.ok()) {
      date = *parsed.value;
    } else {
      rejected = true;
      RejectIn(links_file_, row.line, header.name(date_i), date_cell,
               parsed.error + "; the link is kept in the " +
                   (predecessor ? "predecessor_urns" : "successor_urns") +
                   " attribute but has no dated observation");
    }

    Links& links = links_[std::string(urn)];
    if (!rejected) {
      if (links.rows == 0) links.first_line = row.line;
      ++links.rows;
    }
    std::string& joined = predecessor ? links.predecessors : links.successors;
    bool known = false;
    for (std::size_t start = 0; start < joined.size();) {
      std::size_t end = joined.find(',', start);
      if (end == std::string::npos) end = joined.size();
      known = known || std::string_view(joined).substr(start, end - start) == link;
      start = end + 1;
    }
    if (!known) joined += (joined.empty() ? "" : ",") + std::string(link);
    if (date.empty()) continue;
    LinkGroup* group = nullptr;
    for (LinkGroup& g : links.groups)
      if (g.predecessor == predecessor && g.date == date) group = &g;
    if (group == nullptr) group = &links.groups.emplace_back(LinkGroup{predecessor, date, {}});
    if (group->urns.find(link) == std::string::npos)
      group->urns += (group->urns.empty() ? "" : ",") + std::string(link);
  }
  if (!reader.ok()) throw Error(reader.error());
}

void GiasSource::ResolveColumns(const csv::Header& header, std::uint64_t line) {
  for (const ColumnCandidates& c : kColumns) {
    for (const char* name : c.names) {
      if (name == nullptr) break;
      if (auto i = header.Resolve(name)) {
        index_[c.column] = *i;
        column_name_[c.column] = header.name(*i);
        break;
      }
    }
  }
  if (auto i = header.Resolve(district_column_)) {
    index_[kDistrict] = *i;
    column_name_[kDistrict] = header.name(*i);
  } else {
    host_.Warn(file_ + ": no district attribute: the file has no column " +
               Quoted(district_column_) + " (setting 'district_column')");
  }

  // Required: URN, EstablishmentName, a status and a type column.
  std::vector<std::string> missing;
  auto require = [&](Column c) {
    if (index_[c]) return;
    std::string names;
    for (const ColumnCandidates& cc : kColumns) {
      if (cc.column != c) continue;
      for (const char* name : cc.names) {
        if (name == nullptr) break;
        names += (names.empty() ? "" : " or ") + Quoted(name);
      }
    }
    missing.push_back(names);
  };
  require(kUrn);
  require(kName);
  require(kStatus);
  require(kType);
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    throw Error(file_ + ":" + std::to_string(line) + ": not a GIAS establishment extract: the " +
                "header lacks " +
                (missing.size() == 1 ? std::string("a required column")
                                     : std::to_string(missing.size()) + " required columns") +
                ": " + list + "; the header has " + Plural(header.size(), "column") +
                " (names are matched ignoring case and repeated spaces)");
  }

  bool has_census_values = false;
  for (const CensusMeasure& m : kCensusMeasures) has_census_values |= index_[m.column].has_value();
  if (has_census_values && !index_[kCensusDate] && census_date_.empty())
    throw Error(file_ + ":" + std::to_string(line) +
                ": the file has pupil numbers but no CensusDate column to date them: set "
                "'census_date' (the date of the census, e.g. \"2015-01-15\")");
  if (!la_code_filter_.empty() && !index_[kLaCode] && !index_[kLaestab] && la_code_.empty())
    throw Error(file_ + ":" + std::to_string(line) +
                ": setting 'la_codes' lists LA codes but the file has no 'LA (code)' or "
                "LAESTAB column: list LA names instead (e.g. \"Birmingham\") or set 'la_code'");
  header_size_ = header.size();
}

// The trimmed cell of column `c`, or nullopt when the file lacks the column
// or the cell is empty or NULL.
std::optional<std::string_view> GiasSource::Cell(const csv::Row& row, Column c) const {
  if (!index_[c]) return std::nullopt;
  const std::string_view cell = Trim(row.fields[*index_[c]]);
  if (IsBlank(cell)) return std::nullopt;
  return cell;
}

void GiasSource::AddAttribute(std::string_view name, std::string value) {
  attributes_.emplace_back(name, std::move(value));
}

// Queues a census figure: empty and NULL give nothing, suppression codes a
// missing value with its reason, anything else not a number is rejected.
void GiasSource::AddNumber(const csv::Row& row, std::string_view measure, Column c) {
  auto cell = Cell(row, c);
  if (!cell) return;
  if (auto reason = vigil::sdk::MissingReason(*cell)) {
    pending_.push_back({measure, {std::nullopt, *reason}});
    return;
  }
  auto number = vigil::sdk::ParseNumber(*cell);
  if (number.ok())
    pending_.push_back({measure, {number.value, {}}});
  else
    Reject(row.line, column_name_[c], *cell,
           number.error + "; " + std::string(measure) + " was not loaded");
}

// The ISO date in column `c`, nullopt when it is empty or (rejected) invalid.
std::optional<std::string> GiasSource::Date(const csv::Row& row, Column c,
                                            std::string_view lost) {
  auto cell = Cell(row, c);
  if (!cell) return std::nullopt;
  auto date = vigil::sdk::ParseDate(*cell);
  if (date.ok()) return *date.value;
  Reject(row.line, column_name_[c], *cell, date.error + "; " + std::string(lost));
  return std::nullopt;
}

bool GiasSource::KeepLa(const std::optional<std::string>& code, std::string_view name) const {
  if (la_code_filter_.empty() && la_name_filter_.empty()) return true;
  if (code) {
    const std::string_view c = WithoutLeadingZeros(*code);
    for (const std::string& f : la_code_filter_)
      if (f == c) return true;
  }
  for (const std::string& f : la_name_filter_)
    if (csv::Header::Loose(f) == csv::Header::Loose(name)) return true;
  return false;
}

// The register's own Ofsted columns (layouts up to early 2025), dated by the
// last inspection: the judgement it records (ofsted_rating_register, 1
// Outstanding .. 4 Inadequate) and a category of concern. The schools pack
// reads them as graded inspections where no Ofsted file has that inspection.
void GiasSource::EmitOfstedRegister(const csv::Row& row, std::string_view urn) {
  auto rating = Cell(row, kOfstedRating);
  auto special = Cell(row, kOfstedSpecialMeasures);
  std::string category;
  for (auto cell : {special, rating}) {
    if (!cell || !category.empty()) continue;
    const std::string l = csv::Header::Loose(*cell);
    if (l.rfind("not ", 0) == 0 || l == "no" || l == "0") continue;  // "Not in special measures"
    if (l.find("special measures") != std::string::npos) category = "Special measures";
    else if (l.find("serious weakness") != std::string::npos) category = "Serious weaknesses";
    else if (l.find("notice to improve") != std::string::npos) category = "Notice to improve";
  }
  if (!rating && category.empty()) return;
  std::string lost;
  if (rating) lost = "the register's Ofsted rating";
  if (!category.empty()) lost += std::string(lost.empty() ? "" : " and ") + "category of concern";
  auto date = Date(row, kOfstedDate, lost + " were not loaded");
  if (!date) {
    if (!index_[kOfstedDate])
      Reject(row.line, column_name_[rating ? kOfstedRating : kOfstedSpecialMeasures],
             rating ? *rating : *special,
             "the file has no OfstedLastInsp column to date " + lost + "; not loaded");
    else if (!Cell(row, kOfstedDate))
      Reject(row.line, column_name_[kOfstedDate], {},
             "the date of the last inspection is empty, so " + lost + " could not be dated; not "
             "loaded");
    return;
  }
  if (rating) {
    std::optional<double> number = JudgementNumber(*rating);
    if (!number && !category.empty()) number = 4.0;  // a category of concern is an Inadequate judgement
    host_.Observation(kind_, urn, "ofsted_rating_register", *date, {number, *rating}, file_, row.line);
    ++observations_;
  }
  if (!category.empty()) {
    host_.Observation(kind_, urn, "ofsted_category_register", *date, {std::nullopt, category}, file_,
                      row.line);
    ++observations_;
  }
}

void GiasSource::ProcessRow(const csv::Row& row) {
  const auto& f = row.fields;
  tally_.Read();
  bool all_empty = true;
  for (std::string_view cell : f) all_empty = all_empty && Trim(cell).empty();
  if (all_empty) {  // e.g. ",,,," rows left by Excel
    tally_.Skip("empty row", row.line);
    return;
  }
  if (f.size() != header_size_) {
    const auto ragged = vigil::sdk::DescribeRaggedRow(f, header_size_);
    Reject(row.line, ragged.field, ragged.value, ragged.reason);
    return;
  }
  const std::string_view urn = Trim(f[*index_[kUrn]]);
  if (urn.empty()) {
    Reject(row.line, column_name_[kUrn], {}, "the URN is empty; the row was not loaded");
    return;
  }
  if (!IsDigits(urn)) {
    Reject(row.line, column_name_[kUrn], urn,
           Quoted(urn) + " is not a URN (a whole number); the row was not loaded");
    return;
  }

  // The LA code: "LA (code)", else the first three digits of LAESTAB, else
  // the la_code setting. A bad cell is rejected once the row is kept.
  std::optional<std::string> la_code;
  std::optional<std::string> estab;
  std::string_view bad_la, bad_estab;
  if (auto cell = Cell(row, kLaCode)) {
    if (IsDigits(*cell) && WithoutLeadingZeros(*cell).size() <= 3)
      la_code = NormaliseCode(*cell, 3);
    else
      bad_la = *cell;
  }
  std::optional<std::string> laestab;
  std::string_view bad_laestab;
  if (auto cell = Cell(row, kLaestab)) {
    if (IsDigits(*cell) && WithoutLeadingZeros(*cell).size() <= 7)
      laestab = NormaliseCode(*cell, 7);
    else
      bad_laestab = *cell;
  }
  if (!la_code && laestab) la_code = laestab->substr(0, 3);
  if (!la_code && !la_code_.empty()) la_code = la_code_;

  const std::string_view la_name = Cell(row, kLaName).value_or(std::string_view{});
  if (!KeepLa(la_code, la_name)) {
    tally_.Skip("filtered (la_codes)", row.line);
    return;
  }
  const std::string_view status = Cell(row, kStatus).value_or(std::string_view{});
  if (open_only_ && EqualsIgnoreCase(status, "Closed")) {
    tally_.Skip("closed (open_only)", row.line);
    return;
  }
  if (auto [it, inserted] = seen_.emplace(std::string(urn), row.line); !inserted) {
    Reject(row.line, column_name_[kUrn], urn,
           "URN " + std::string(urn) + " was already read on line " +
               std::to_string(it->second) + "; this row was not loaded");
    return;
  }

  attributes_.clear();
  AddAttribute("urn", std::string(urn));
  if (!bad_la.empty())
    Reject(row.line, column_name_[kLaCode], bad_la,
           Quoted(bad_la) + " is not an LA code (up to three digits, e.g. 330); la_code was "
                            "left out");
  if (!bad_laestab.empty())
    Reject(row.line, column_name_[kLaestab], bad_laestab,
           Quoted(bad_laestab) + " is not a LAESTAB (LA code and establishment number, seven "
                                 "digits); it was left out");
  if (auto cell = Cell(row, kEstablishmentNumber)) {
    if (IsDigits(*cell) && WithoutLeadingZeros(*cell).size() <= 4)
      estab = NormaliseCode(*cell, 4);
    else
      Reject(row.line, column_name_[kEstablishmentNumber], *cell,
             Quoted(*cell) + " is not an establishment number (up to four digits); "
                             "establishment_number was left out");
  }
  if (!estab && laestab) estab = laestab->substr(3);
  if (la_code) AddAttribute("la_code", *la_code);
  if (estab) AddAttribute("establishment_number", *estab);
  if (la_code && estab)
    AddAttribute("laestab", *la_code + *estab);
  else if (laestab)
    AddAttribute("laestab", *laestab);

  for (const TextAttribute& a : kTextAttributes)
    if (auto cell = Cell(row, a.column)) AddAttribute(a.name, std::string(*cell));
  if (auto uprn = Cell(row, kUprn);
      uprn && uprn->find_first_of("eE") != std::string_view::npos)
    ++scientific_uprns_;  // "1.00063E+11": Excel lost the digits; kept as written
  AddAttribute("sector", std::string(Sector(Cell(row, kType).value_or(std::string_view{}),
                                            Cell(row, kTypeGroup).value_or(std::string_view{}))));
  if (auto d = Date(row, kOpenDate, "open_date was left out")) AddAttribute("open_date", *d);
  if (auto d = Date(row, kCloseDate, "close_date was left out")) AddAttribute("close_date", *d);
  if (auto reason = Cell(row, kCloseReason); reason && !EqualsIgnoreCase(*reason, "Not applicable"))
    AddAttribute("close_reason", std::string(*reason));
  // The capacity is a property of the school, not of a census: it needs no date.
  if (auto capacity = Cell(row, kCapacity); capacity && vigil::sdk::ParseNumber(*capacity).ok())
    AddAttribute("capacity", std::string(*capacity));
  for (auto [name, column] : {std::pair{"statutory_low_age", kLowAge},
                              std::pair{"statutory_high_age", kHighAge}}) {
    auto cell = Cell(row, column);
    if (!cell) continue;
    if (IsDigits(*cell) && cell->size() <= 2)
      AddAttribute(name, std::string(WithoutLeadingZeros(*cell)));
    else
      Reject(row.line, column_name_[column], *cell,
             Quoted(*cell) + " is not an age in whole years; " + name + " was left out");
  }

  const Links* links = nullptr;
  if (auto it = links_.find(std::string(urn)); it != links_.end()) {
    links = &it->second;
    ++links_used_;
    if (!links->predecessors.empty()) AddAttribute("predecessor_urns", links->predecessors);
    if (!links->successors.empty()) AddAttribute("successor_urns", links->successors);
  }

  std::string_view name;
  if (auto cell = Cell(row, kName))
    name = *cell;
  else
    Reject(row.line, column_name_[kName], Trim(f[*index_[kName]]),
           "the establishment name is empty; the school is listed without a name");

  attribute_views_.clear();
  for (const auto& [n, v] : attributes_)
    attribute_views_.push_back({vigil::sdk::Str(n), vigil::sdk::Str(v)});
  host_.Entity(kind_, urn, name, attribute_views_);

  // Census figures, dated by the census.
  pending_.clear();
  for (const CensusMeasure& m : kCensusMeasures) AddNumber(row, m.measure, m.column);
  if (!pending_.empty()) {
    const std::string lost = "the row's " + Plural(pending_.size(), "census figure") +
                             (pending_.size() == 1 ? " was" : " were") + " not loaded";
    std::optional<std::string> date = Date(row, kCensusDate, lost);
    if (!date && !Cell(row, kCensusDate)) {
      if (!census_date_.empty())
        date = census_date_;
      else if (std::any_of(pending_.begin(), pending_.end(),
                           [](const Pending& p) { return p.measure != "capacity"; }))
        ++undated_census_;  // e.g. opened after the census; said once, in Read()
    }
    if (date) {
      for (const Pending& p : pending_) {
        host_.Observation(kind_, urn, p.measure, *date, p.value, file_, row.line);
        ++observations_;
      }
    }
  }

  EmitOfstedRegister(row, urn);

  if (links != nullptr) {
    for (const LinkGroup& g : links->groups) {
      host_.Observation(kind_, urn, g.predecessor ? "predecessor_urn" : "successor_urn", g.date,
                        {std::nullopt, g.urns}, file_, row.line);
      ++observations_;
    }
  }
}

void GiasSource::Read() {
  host_.ThrowIfCancelled();
  if (!links_file_.empty()) ReadLinks();

  csv::Reader reader(file_, options_);
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

  if (scientific_uprns_ > 0)
    host_.Warn(file_ + ": " + Plural(scientific_uprns_, "UPRN") +
               " written in scientific notation (e.g. 1.00063E+11: a copy re-saved by Excel, "
               "which lost their last digits); kept as written in the uprn attribute");
  if (undated_census_ > 0)
    host_.Warn(file_ + ": " + Plural(undated_census_, "row") + (undated_census_ == 1 ? " has" : " have") +
               " census figures but no CensusDate (e.g. schools opened after the census): their "
               "pupils, boys, girls and fsm_percent were not stored (capacity is kept as an "
               "attribute); set 'census_date' to date them");
  tally_.Report(host_);
  if (!links_file_.empty()) {
    // Links about establishments the register did not give (outside
    // la_codes, closed under open_only, or not in this extract).
    for (const auto& [urn, links] : links_) {
      if (seen_.count(urn) > 0) continue;
      for (std::uint64_t i = 0; i < links.rows; ++i) link_tally_.Skip("outside the register", links.first_line);
    }
    if (undated_links_ > 0)
      host_.Info(links_file_ + ": " + Plural(undated_links_, "link") +
                 " have no LinkEstablishedDate: they are kept in predecessor_urns and successor_urns "
                 "without a dated observation");
    link_tally_.Report(host_);
    host_.Info("links file=" + links_file_ + " " + link_tally_.Summary() + " schools=" +
               std::to_string(links_.size()) + " used=" + std::to_string(links_used_));
  }
  std::string summary = "read file=" + file_ + " " + tally_.Summary() +
                        " entities=" + std::to_string(seen_.size()) +
                        " observations=" + std::to_string(observations_) +
                        " rejected=" + std::to_string(rejected_);
  host_.Info(summary);
}

}  // namespace

VIGIL_PLUGIN_ENTRY((vigil::sdk::Describe<GiasSource>(
    "gias", "1.0.0",
    "Reads the Get Information About Schools establishment extract (edubasealldata*.csv, "
    "2015 EduBase to 2025 layouts and Excel re-saves) and its links file.",
    "school entities keyed by URN with register attributes, dated census and link "
    "observations",
    kSettings)))
