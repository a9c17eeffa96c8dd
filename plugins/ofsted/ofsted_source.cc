// The Ofsted data-source plugin: reads Ofsted's management information on
// state-funded schools' inspections and outcomes, in both shapes it is
// published in:
//  - "all inspections" files, one row per inspection (graded or ungraded);
//  - "latest inspections" (most recent) files, one row per school, holding
//    the latest graded (or full) inspection, the previous graded inspection,
//    the latest OEIF graded inspection and the latest ungraded inspection in
//    groups of columns.
// Every inspection becomes dated observations of the school (keyed by URN):
// judgements 1-4 (graded inspections to August 2024; sub-judgements only and
// an overall "Not judged" from September 2024), report-card grades 1-5 (from
// November 2025), safeguarding, category of concern and ungraded outcomes,
// each dated by its inspection's start date (report-card areas by their own
// date of grade). Columns are found by header name, never by position, each
// from the first of several names used over the years.
//
// Per row: a row whose field count differs from the header's, or whose URN is
// empty or not a number, is rejected whole. A cell that cannot be used (a
// judgement that is not one, a bad date) is rejected on its own and the rest
// of the row is kept; a bad inspection date loses that inspection's values
// (rejected with it, saying how many). NULL and empty cells give nothing.
#include <vigil/csv.hpp>
#include <vigil/mapping.hpp>
#include <vigil/plugin.hpp>
#include <vigil/rows.hpp>
#include <vigil/values.hpp>

#include <algorithm>
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
     "Ofsted's state-funded schools inspections and outcomes file (management information), "
     "either \"all inspections\" (one row per inspection) or \"latest inspections\" (one row "
     "per school), any release since 2015."},
    {"kind", VIGIL_SETTING_STRING, 0, "school",
     "Entity kind the observations belong to, in snake_case; the key is the URN."},
    {"emit_entities", VIGIL_SETTING_BOOLEAN, 0, "false",
     "true to also emit each school as an entity named from \"School name\" (normally the "
     "GIAS register provides the schools and this stays false)."},
    {"skip_lines", VIGIL_SETTING_INTEGER, 0, "0",
     "Lines to skip above the header; a title line is also found without it (lines are "
     "skipped until one has a URN column)."},
    {"encoding", VIGIL_SETTING_STRING, 0, "auto",
     "Text encoding: auto (each field is read as UTF-8 when valid, otherwise as "
     "Windows-1252, as Ofsted publishes), utf-8 or windows-1252."},
    {"la_filter", VIGIL_SETTING_LIST, 0, nullptr,
     "Keep only schools of these local authorities, for national files: names as in the "
     "\"Local authority\" column (e.g. \"Birmingham\") or LAESTAB prefixes (e.g. \"330\"); "
     "other rows are counted as filtered, not rejected."},
};

// How often (in rows) progress is reported and cancellation checked.
constexpr std::uint64_t kProgressEvery = 4096;
// Lines searched for the header when a file starts with a title.
constexpr int kHeaderSearchLines = 20;

using Names = std::vector<std::string>;

// How a cell's value is read.
enum class Scale {
  kOverall,     // 1-4 or words, or "Not judged"
  kJudgement,   // 1 Outstanding .. 4 Inadequate
  kReportCard,  // 1 Exceptional .. 5 Urgent improvement
  kYesNo,       // safeguarding is effective?
  kMetNotMet,   // safeguarding standards
  kCategory,    // Special measures, Serious weaknesses
  kText,        // kept as written
};

struct MeasureSpec {
  std::string measure;
  Scale scale;
  Names columns;       // candidate names, the first one found is used
  Names date_columns;  // a report-card area's own "- date of grade"
};

// One inspection's columns in a row. Every group whose date column the
// header has is read for every row.
struct GroupSpec {
  std::string what;  // for messages, e.g. "previous graded inspection"
  Names date_columns;
  Names number_columns;
  Names type_columns;
  Names urn_columns;  // "URN at time of ..."
  std::vector<MeasureSpec> measures;
  bool ungraded = false;  // the latest ungraded inspection of a latest file
  bool main = false;      // the row's own inspection (graded or not)
};

// The OEIF (September 2019 to August 2024, and sub-judgements to November
// 2025) and CIF (2015 to August 2019) judgements; in the latest OEIF and
// previous groups each column is `prefix` + the name with a lowercase first
// letter ("Previous quality of education").
std::vector<MeasureSpec> GradedMeasures(const std::string& prefix, const Names& overall,
                                        const Names& category) {
  auto named = [&](std::initializer_list<std::string> names) {
    Names out;
    for (std::string n : names) {
      if (!prefix.empty() && n[0] >= 'A' && n[0] <= 'Z') n[0] = static_cast<char>(n[0] - 'A' + 'a');
      out.push_back(prefix + n);
    }
    return out;
  };
  return {
      {"ofsted_overall", Scale::kOverall, overall, {}},
      {"ofsted_category_of_concern", Scale::kCategory, category, {}},
      {"ofsted_quality_of_education", Scale::kJudgement, named({"Quality of education"}), {}},
      {"ofsted_behaviour_and_attitudes", Scale::kJudgement, named({"Behaviour and attitudes"}),
       {}},
      {"ofsted_personal_development", Scale::kJudgement, named({"Personal development"}), {}},
      {"ofsted_leadership", Scale::kJudgement,
       named({"Effectiveness of leadership and management"}), {}},
      {"ofsted_safeguarding", Scale::kYesNo, named({"Safeguarding is effective?"}), {}},
      {"ofsted_early_years", Scale::kJudgement,
       named({"Early years provision (where applicable)"}), {}},
      {"ofsted_sixth_form", Scale::kJudgement,
       named({"Sixth form provision (where applicable)", "16-19 study programmes"}), {}},
      {"ofsted_outcomes_for_pupils", Scale::kJudgement, named({"Outcomes for pupils"}), {}},
      {"ofsted_quality_of_teaching", Scale::kJudgement,
       named({"Quality of teaching, learning and assessment"}), {}},
      {"ofsted_personal_development_behaviour_welfare", Scale::kJudgement,
       named({"Personal development, behaviour and welfare"}), {}},
  };
}

const std::vector<GroupSpec>& Groups() {
  static const std::vector<GroupSpec> groups = [] {
    std::vector<GroupSpec> g;

    // The row's own inspection: every row of an "all inspections" file; the
    // latest graded (2023/24 and older) or latest full (current) inspection
    // of a "latest inspections" file.
    GroupSpec main{"inspection",
                   {"Inspection start date"},
                   {"Inspection number", "Inspection number of latest graded inspection",
                    "Inspection number of latest full inspection"},
                   {"Inspection type"},
                   {"URN at time of latest graded inspection",
                    "URN at time of latest full inspection"},
                   GradedMeasures("", {"Overall effectiveness"}, {"Category of concern"}),
                   false,
                   true};
    // Report cards (from 10 November 2025).
    const std::pair<std::string, std::string> areas[] = {
        {"inclusion", "Inclusion"},
        {"curriculum_and_teaching", "Curriculum and teaching"},
        {"achievement", "Achievement"},
        {"attendance_and_behaviour", "Attendance and behaviour"},
        {"personal_development_and_wellbeing", "Personal development and wellbeing"},
        {"leadership_and_governance", "Leadership and governance"},
    };
    for (const auto& [area, column] : areas)
      main.measures.push_back({"ofsted_rc_" + area, Scale::kReportCard, {column},
                               {column + " - date of grade"}});
    main.measures.push_back({"ofsted_rc_early_years", Scale::kReportCard,
                             {"Early years (where applicable)", "Early years"},
                             {"Early years - date of grade"}});
    main.measures.push_back({"ofsted_rc_post_16", Scale::kReportCard,
                             {"Post-16 provision (where applicable)", "Post-16 provision"},
                             {"Post-16 provision - date of grade"}});
    main.measures.push_back({"ofsted_safeguarding_standards", Scale::kMetNotMet,
                             {"Safeguarding standards"},
                             {"Safeguarding standards - date of grade"}});
    // Only an "all inspections" file has this dated by the row's own
    // inspection; a latest file has it in the ungraded group below.
    main.measures.push_back({"ofsted_ungraded_outcome", Scale::kText,
                             {"Ungraded inspection overall outcome",
                              "Section 8 inspection overall outcome"},
                             {}});
    g.push_back(std::move(main));

    // The latest OEIF graded inspection of the current latest layout.
    g.push_back({"latest OEIF graded inspection",
                 {"Inspection start date of latest OEIF graded inspection"},
                 {"Inspection number of latest OEIF graded inspection"},
                 {"Inspection type of latest OEIF graded inspection"},
                 {"URN at time of latest OEIF graded inspection"},
                 GradedMeasures("Latest OEIF ", {"Latest OEIF overall effectiveness"},
                                {"Latest OEIF category of concern"}),
                 false,
                 false});

    // The previous graded (before 2022: full) inspection of a latest file.
    g.push_back({"previous graded inspection",
                 {"Previous inspection start date"},
                 {"Previous graded inspection number", "Previous full inspection number"},
                 {},
                 {"URN at time of previous graded inspection",
                  "URN at time of previous full inspection"},
                 GradedMeasures("Previous ",
                                {"Previous graded inspection overall effectiveness",
                                 "Previous full inspection overall effectiveness",
                                 "Previous overall effectiveness"},
                                {"Previous category of concern"}),
                 false,
                 false});

    // The latest ungraded (before 2022: section 8) inspection of a latest file.
    g.push_back({"latest ungraded inspection",
                 {"Date of latest ungraded inspection", "Date of latest section 8 inspection"},
                 {"Latest ungraded inspection number",
                  "Latest ungraded inspection number since last graded inspection",
                  "Latest section 8 inspection number since last full inspection"},
                 {},
                 {"URN at time of the ungraded inspection",
                  "URN at time of the section 8 inspection"},
                 {{"ofsted_ungraded_outcome", Scale::kText,
                   {"Ungraded inspection overall outcome", "Section 8 inspection overall outcome"},
                   {}}},
                 true,
                 false});
    return g;
  }();
  return groups;
}

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// Lowercase, trimmed, spaces collapsed: how values are compared.
std::string Loose(std::string_view s) { return csv::Header::Loose(s); }

bool IsBlank(std::string_view cell) {
  const std::string l = Loose(cell);
  return l.empty() || l == "null";
}

// Cells that say there is no judgement: no observation, not a rejection.
bool IsNoJudgement(std::string_view cell) {
  const std::string l = Loose(cell);
  return l == "not applicable" || l == "n/a" || l == "na" || l == "not judged" || l == "9";
}

constexpr std::string_view kJudgements[] = {"Outstanding", "Good", "Requires improvement",
                                            "Inadequate"};
constexpr std::string_view kGrades[] = {"Exceptional", "Strong standard", "Expected standard",
                                        "Needs attention", "Urgent improvement"};

// 1..n from the digit or the word (any case); nullopt otherwise.
template <std::size_t N>
std::optional<std::size_t> Scaled(std::string_view cell, const std::string_view (&words)[N]) {
  const std::string l = Loose(cell);
  if (l.size() == 1 && l[0] >= '1' && l[0] < static_cast<char>('1' + N))
    return static_cast<std::size_t>(l[0] - '1');
  for (std::size_t i = 0; i < N; ++i)
    if (l == Loose(words[i])) return i;
  return std::nullopt;
}

class OfstedSource {
 public:
  OfstedSource(Host host, const Settings& settings);
  void Read();

 private:
  struct Measure {  // a MeasureSpec resolved against the header
    const MeasureSpec* spec;
    std::optional<std::size_t> column;
    std::optional<std::size_t> date_column;
  };
  struct Group {
    const GroupSpec* spec;
    std::optional<std::size_t> date, number, type, urn;
    std::vector<Measure> measures;
  };
  struct Pending {
    std::string_view measure;
    std::optional<double> number;
    std::string text;
    std::string date;  // its own date (report-card areas), else empty
  };

  void FindHeader(csv::Reader& reader, csv::Row& row);
  void ResolveColumns(const csv::Header& header, std::uint64_t line);
  void ProcessRow(const csv::Row& row);
  bool ProcessGroup(const Group& g, const csv::Row& row, std::string_view urn);
  bool IsUngraded(const Group& g, const csv::Row& row) const;
  void AddValue(const Measure& m, const csv::Row& row);
  std::string_view Cell(const csv::Row& row, std::optional<std::size_t> i) const;
  void Reject(std::uint64_t line, std::string_view field, std::string_view value,
              std::string_view reason);
  bool Keep(const csv::Row& row) const;

  Host host_;
  std::string file_;
  std::string kind_;
  bool emit_entities_ = false;
  std::vector<std::string> la_names_;     // loose
  std::vector<std::string> la_prefixes_;  // LAESTAB prefixes
  csv::Options options_;

  csv::Header header_;
  std::vector<Group> groups_;
  bool latest_layout_ = false;
  std::size_t urn_index_ = 0;
  std::optional<std::size_t> name_index_, la_index_, laestab_index_;
  std::optional<std::size_t> grouping_index_, event_index_;
  std::vector<std::pair<const char*, std::size_t>> entity_attributes_;

  std::vector<Pending> pending_;
  std::vector<vigil_attribute> attribute_views_;
  std::unordered_set<std::string> entities_;
  vigil::sdk::RowTally tally_;
  std::uint64_t inspections_ = 0;
  std::uint64_t observations_ = 0;
  std::uint64_t rejected_ = 0;
};

OfstedSource::OfstedSource(Host host, const Settings& settings)
    : host_(host),
      file_(settings.Required("file")),
      kind_(Trim(settings.GetOr("kind", "school"))),
      emit_entities_(settings.Flag("emit_entities", false)),
      tally_(file_) {
  if (kind_.empty()) kind_ = "school";
  vigil::sdk::CheckSnakeCase("kind", kind_, "school");

  options_.encoding = vigil::sdk::EncodingSetting(settings);

  options_.skip_lines = vigil::sdk::SkipLinesSetting(settings);

  for (std::string_view raw : settings.List("la_filter")) {
    const std::string_view item = Trim(raw);
    if (item.empty()) continue;
    if (IsDigits(item))
      la_prefixes_.emplace_back(item);
    else
      la_names_.push_back(Loose(item));
  }
}

void OfstedSource::Reject(std::uint64_t line, std::string_view field, std::string_view value,
                          std::string_view reason) {
  ++rejected_;
  host_.Reject({file_, line, field, value, reason});
}

// Skips title lines: the header is the first record with a URN column.
void OfstedSource::FindHeader(csv::Reader& reader, csv::Row& row) {
  for (int i = 0; i < kHeaderSearchLines; ++i) {
    if (!reader.Next(row)) {
      if (!reader.ok()) throw Error(reader.error());
      break;
    }
    for (std::string_view field : row.fields)
      if (Loose(field) == "urn") return;
  }
  throw Error(file_ + ": no header row: none of the first " +
              std::to_string(kHeaderSearchLines) + " records" +
              (options_.skip_lines > 0
                   ? " after skipping " + Plural(options_.skip_lines, "line")
                   : std::string()) +
              " has a URN column (is this an Ofsted inspections file?)");
}

void OfstedSource::ResolveColumns(const csv::Header& header, std::uint64_t line) {
  header_ = header;
  auto first = [&](const Names& names) -> std::optional<std::size_t> {
    for (const std::string& n : names)
      if (auto i = header.Resolve(n)) return i;
    return std::nullopt;
  };
  urn_index_ = *header.Resolve("URN");
  name_index_ = header.Resolve("School name");
  la_index_ = header.Resolve("Local authority");
  laestab_index_ = header.Resolve("LAESTAB");
  grouping_index_ = header.Resolve("Inspection type grouping");
  event_index_ = header.Resolve("Event type grouping");

  for (const GroupSpec& spec : Groups()) {
    Group g{&spec, first(spec.date_columns), first(spec.number_columns),
            first(spec.type_columns), first(spec.urn_columns), {}};
    for (const MeasureSpec& m : spec.measures) {
      auto column = first(m.columns);
      if (column) g.measures.push_back({&m, column, first(m.date_columns)});
    }
    if (!g.date) continue;  // the file does not have this inspection
    if (!spec.main) latest_layout_ = true;
    groups_.push_back(std::move(g));
  }
  if (groups_.empty())
    throw Error(file_ + ":" + std::to_string(line) +
                ": no inspection date column: expected 'Inspection start date' (all or latest "
                "inspections), 'Inspection start date of latest OEIF graded inspection', "
                "'Previous inspection start date' or 'Date of latest ungraded inspection'; the "
                "header has " + Plural(header.size(), "column"));
  // In a latest file the ungraded outcome belongs to the ungraded group.
  if (latest_layout_) {
    for (Group& g : groups_) {
      if (!g.spec->main) continue;
      auto outcome = [](const Measure& m) { return m.spec->measure == "ofsted_ungraded_outcome"; };
      g.measures.erase(std::remove_if(g.measures.begin(), g.measures.end(), outcome),
                       g.measures.end());
    }
  }
  if ((!la_names_.empty() && !la_index_) || (!la_prefixes_.empty() && !laestab_index_))
    throw Error(file_ + ":" + std::to_string(line) + ": setting 'la_filter' needs the " +
                (!la_names_.empty() && !la_index_ ? "'Local authority'" : "'LAESTAB'") +
                " column, which the file does not have");

  const std::pair<const char*, Names> attributes[] = {
      {"laestab", {"LAESTAB"}},
      {"local_authority", {"Local authority"}},
      {"ofsted_phase", {"Ofsted phase"}},
      {"type_of_education", {"Type of education"}},
      {"postcode", {"Postcode"}},
      {"web_link", {"Web Link (opens in new window)", "Web link", "Web Link"}},
  };
  for (const auto& [name, names] : attributes)
    if (auto i = first(names)) entity_attributes_.emplace_back(name, *i);
}

std::string_view OfstedSource::Cell(const csv::Row& row, std::optional<std::size_t> i) const {
  if (!i) return {};
  const std::string_view cell = Trim(row.fields[*i]);
  return IsBlank(cell) ? std::string_view{} : cell;
}

bool OfstedSource::Keep(const csv::Row& row) const {
  if (la_names_.empty() && la_prefixes_.empty()) return true;
  if (la_index_) {
    const std::string la = Loose(row.fields[*la_index_]);
    for (const std::string& n : la_names_)
      if (n == la) return true;
  }
  if (laestab_index_) {
    const std::string_view laestab = Trim(row.fields[*laestab_index_]);
    for (const std::string& p : la_prefixes_)
      if (laestab.substr(0, p.size()) == p) return true;
  }
  return false;
}

// Whether the row's own inspection (main group) was ungraded: by its type,
// grouping or event type ("Ungraded inspection", "Section 8", "S8
// Monitoring Inspection"), else by having only an ungraded outcome.
bool OfstedSource::IsUngraded(const Group& g, const csv::Row& row) const {
  if (latest_layout_ || !g.spec->main) return g.spec->ungraded;
  for (auto index : {grouping_index_, event_index_, g.type}) {
    const std::string t = Loose(Cell(row, index));
    if (t.empty()) continue;
    if (t.find("ungraded") != std::string::npos || t.find("section 8") != std::string::npos ||
        t.rfind("s8", 0) == 0 || t.find("monitoring") != std::string::npos)
      return true;
    if (t.find("graded") != std::string::npos || t.find("section 5") != std::string::npos ||
        t.find("full") != std::string::npos || t.rfind("s5", 0) == 0)
      return false;
  }
  bool outcome = false, judged = false;
  for (const Measure& m : g.measures) {
    if (Cell(row, m.column).empty()) continue;
    (m.spec->measure == "ofsted_ungraded_outcome" ? outcome : judged) = true;
  }
  return outcome && !judged;
}

// Reads one measure's cell into pending_, or rejects it.
void OfstedSource::AddValue(const Measure& m, const csv::Row& row) {
  const std::string_view cell = Cell(row, m.column);
  if (cell.empty()) return;
  const std::string& field = header_.name(*m.column);
  const std::string_view measure = m.spec->measure;
  auto reject = [&](const std::string& expected) {
    Reject(row.line, field, cell,
           Quoted(cell) + " is not " + expected + "; " + std::string(measure) +
               " was not loaded");
  };
  Pending p{measure, std::nullopt, {}, {}};
  switch (m.spec->scale) {
    case Scale::kOverall:
      if (Loose(cell) == "not judged") {
        pending_.push_back({"ofsted_overall_text", std::nullopt, "Not judged", {}});
        return;
      }
      [[fallthrough]];
    case Scale::kJudgement: {
      if (IsNoJudgement(cell)) return;
      auto i = Scaled(cell, kJudgements);
      if (!i && Loose(cell) == "satisfactory") i = 2;  // grade 3 before September 2012
      if (!i) {
        reject("an Ofsted judgement (1 Outstanding, 2 Good, 3 Requires improvement, "
               "4 Inadequate, or the word)");
        return;
      }
      p.number = static_cast<double>(*i + 1);
      p.text = kJudgements[*i];
      if (m.spec->scale == Scale::kOverall)
        pending_.push_back({"ofsted_overall_text", std::nullopt, p.text, {}});
      break;
    }
    case Scale::kReportCard: {
      if (IsNoJudgement(cell)) return;
      auto i = Scaled(cell, kGrades);
      if (!i) {
        reject("a report card grade (Exceptional, Strong standard, Expected standard, Needs "
               "attention, Urgent improvement)");
        return;
      }
      p.number = static_cast<double>(*i + 1);
      p.text = kGrades[*i];
      break;
    }
    case Scale::kYesNo: {
      const std::string l = Loose(cell);
      if (l == "yes" || l == "y") {
        p.text = "Yes";
      } else if (l == "no" || l == "n") {
        p.text = "No";
      } else if (IsNoJudgement(cell)) {
        return;
      } else {
        reject("Yes or No");
        return;
      }
      break;
    }
    case Scale::kMetNotMet: {
      const std::string l = Loose(cell);
      if (l == "met") {
        p.text = "Met";
      } else if (l == "not met") {
        p.text = "Not met";
      } else if (IsNoJudgement(cell)) {
        return;
      } else {
        reject("Met or Not met");
        return;
      }
      break;
    }
    case Scale::kCategory: {
      const std::string l = Loose(cell);
      if (l == "special measures" || l == "sm") {
        p.text = "Special measures";
      } else if (l == "serious weaknesses" || l == "serious weakness" || l == "swk" ||
                 l == "sw") {
        p.text = "Serious weaknesses";
      } else if (l == "notice to improve" || l == "nti") {
        p.text = "Notice to improve";
      } else if (l == "none" || l == "no" || l == "0" || IsNoJudgement(cell)) {
        return;  // no category of concern
      } else {
        reject("a category of concern (Special measures, Serious weaknesses)");
        return;
      }
      break;
    }
    case Scale::kText:
      p.text = cell;
      break;
  }
  // A report-card area dated by its own date of grade, when there is one.
  if (m.date_column) {
    const std::string_view date = Cell(row, m.date_column);
    if (!date.empty()) {
      auto parsed = vigil::sdk::ParseDate(date);
      if (!parsed.ok()) {
        Reject(row.line, header_.name(*m.date_column), date,
               parsed.error + "; " + std::string(measure) + " was not loaded");
        return;
      }
      p.date = *parsed.value;
    }
  }
  pending_.push_back(std::move(p));
}

// Returns whether the group gave the row any value.
bool OfstedSource::ProcessGroup(const Group& g, const csv::Row& row, std::string_view urn) {
  pending_.clear();
  for (const Measure& m : g.measures) AddValue(m, row);
  const bool ungraded = IsUngraded(g, row);
  if (auto number = Cell(row, g.number); !number.empty())
    pending_.push_back({ungraded ? "ofsted_ungraded_inspection_number" : "ofsted_inspection_number",
                        std::nullopt, std::string(number), {}});
  if (auto type = Cell(row, g.type); !type.empty())
    pending_.push_back({ungraded ? "ofsted_ungraded_inspection_type" : "ofsted_inspection_type",
                        std::nullopt, std::string(type), {}});
  if (pending_.empty()) return false;  // no such inspection for this school
  if (auto at = Cell(row, g.urn); !at.empty() && at != urn)
    pending_.push_back({"ofsted_inspection_urn", std::nullopt, std::string(at), {}});

  std::string date;
  const std::string_view cell = Trim(row.fields[*g.date]);
  std::size_t undated = 0;
  for (const Pending& p : pending_) undated += p.date.empty() ? 1 : 0;
  const std::string lost = "the " + std::string(g.spec->what) + "'s " +
                           Plural(undated, "value") + (undated == 1 ? " was" : " were") +
                           " not loaded";
  if (IsBlank(cell)) {
    if (undated > 0)
      Reject(row.line, header_.name(*g.date), cell, "the inspection date is empty; " + lost);
  } else if (auto parsed = vigil::sdk::ParseDate(cell); parsed.ok()) {
    date = *parsed.value;
  } else {
    Reject(row.line, header_.name(*g.date), cell,
           undated > 0 ? parsed.error + "; " + lost : parsed.error);
  }
  bool any = false;
  for (const Pending& p : pending_) {
    const std::string& as_of = p.date.empty() ? date : p.date;
    if (as_of.empty()) continue;
    host_.Observation(kind_, urn, p.measure, as_of, {p.number, p.text}, file_, row.line);
    ++observations_;
    any = true;
  }
  if (any) ++inspections_;
  return any;
}

void OfstedSource::ProcessRow(const csv::Row& row) {
  const auto& f = row.fields;
  tally_.Read();
  bool all_empty = true;
  for (std::string_view cell : f) all_empty = all_empty && Trim(cell).empty();
  if (all_empty) {
    tally_.Skip("empty row", row.line);
    return;
  }
  if (f.size() != header_.size()) {
    const auto ragged = vigil::sdk::DescribeRaggedRow(f, header_.size());
    Reject(row.line, ragged.field, ragged.value, ragged.reason);
    return;
  }
  const std::string_view urn = Trim(f[urn_index_]);
  if (!IsDigits(urn)) {
    Reject(row.line, header_.name(urn_index_), urn,
           IsBlank(urn) ? std::string("the URN is empty; the row was not loaded")
                        : Quoted(urn) + " is not a URN (a whole number); the row was not "
                                        "loaded");
    return;
  }
  if (!Keep(row)) {
    tally_.Skip("filtered (la_filter)", row.line);
    return;
  }
  bool stored = false;
  if (emit_entities_ && entities_.insert(std::string(urn)).second) {
    stored = true;
    attribute_views_.clear();
    for (const auto& [name, index] : entity_attributes_) {
      const std::string_view value = Cell(row, index);
      if (!value.empty()) attribute_views_.push_back({vigil::sdk::Str(name), vigil::sdk::Str(value)});
    }
    host_.Entity(kind_, urn, Cell(row, name_index_), attribute_views_);
  }
  const std::uint64_t rejected_before = rejected_;
  for (const Group& g : groups_) stored = ProcessGroup(g, row, urn) || stored;
  // A school with no inspection in this file yet (a latest file lists every
  // open school): valid, nothing to store.
  if (!stored && rejected_ == rejected_before) tally_.Skip("no inspection", row.line);
}

void OfstedSource::Read() {
  host_.ThrowIfCancelled();
  csv::Reader reader(file_, options_);
  if (!reader.ok()) throw Error(reader.error());
  csv::Row row;
  FindHeader(reader, row);
  if (row.line > options_.skip_lines + 1)
    host_.Info(file_ + ": the header is on line " + std::to_string(row.line) +
               "; the lines above it were skipped as a title");
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

  tally_.Report(host_);
  std::string summary = "read file=" + file_ + " layout=" + (latest_layout_ ? "latest" : "all") + " " +
                        tally_.Summary() + " inspections=" + std::to_string(inspections_) +
                        " observations=" + std::to_string(observations_) +
                        " rejected=" + std::to_string(rejected_);
  if (emit_entities_) summary += " entities=" + std::to_string(entities_.size());
  host_.Info(summary);
}

}  // namespace

VIGIL_PLUGIN_ENTRY((vigil::sdk::Describe<OfstedSource>(
    "ofsted", "1.0.0",
    "Reads Ofsted's state-funded schools inspections and outcomes files (all inspections or "
    "latest inspections, 2015 to report cards) into dated judgements per school.",
    "dated Ofsted observations of schools keyed by URN (school entities only with "
    "emit_entities)",
    kSettings)))
