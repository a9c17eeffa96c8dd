// The recommendations data-source plugin: reads the log in which a scrutiny
// office tracks its reviews, their recommendations and the dated evidence
// of progress (with the proposed tracking category, 1 to 6), kept as one CSV
// file with a `record` column (review, recommendation or evidence) so that
// rows may come in any order. Emits one entity per recommendation, keyed
// "<review id>/<number>", and its history as dated observations.
//
// The whole log is read before anything is emitted (it is small), because an
// evidence row may come before its recommendation. Rows that cannot be used
// are rejected with file, line, field, value and reason: unknown record
// types, recommendations of unknown reviews, evidence of unknown
// recommendations, duplicate recommendation numbers, invalid dates and
// categories. A bad date or category in an otherwise usable row rejects that
// cell only; the row's other values are kept.
#include <vigil/csv.hpp>
#include <vigil/mapping.hpp>
#include <vigil/plugin.hpp>
#include <vigil/values.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
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
     "The recommendation tracking log: one CSV file with columns record, review, number, "
     "date, category, anticipated_date, responsibility, lead_member, lead_officer, text."},
    {"kind", VIGIL_SETTING_STRING, 0, "recommendation",
     "Entity kind of the emitted recommendations, in snake_case."},
    {"encoding", VIGIL_SETTING_STRING, 0, "auto",
     "Text encoding: auto (each field is read as UTF-8 when valid, otherwise as "
     "Windows-1252, as Excel saves), utf-8 or windows-1252."},
};

// The six tracking categories of the scrutiny tracking process.
constexpr std::string_view kCategories[6] = {
    "Achieved (Fully)",        "Achieved (Late)",
    "Not Achieved (Progress Made)", "Not Achieved (Obstacle)",
    "Not Achieved (Insufficient Progress)", "In Progress"};

// Longest entity name before the recommendation text is shortened.
constexpr std::size_t kNameLimit = 120;

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Only the ASCII letters and digits, lowercased: "Not Achieved - (Obstacle)"
// and "not achieved (obstacle)" compare equal.
std::string Letters(std::string_view s) {
  std::string out;
  for (char c : s)
    if (IsAlpha(c) || IsDigit(c)) out.push_back(Lower(c));
  return out;
}

std::string CategoryList() {
  std::string out;
  for (int i = 0; i < 6; ++i)
    out += (i == 0 ? "" : ", ") + std::to_string(i + 1) + " " + std::string(kCategories[i]);
  return out;
}

// A tracking category written as "2", "2 - Achieved (Late)", "2 – Achieved
// (Late)" or "Achieved (Late)": its number, or the reason it is not one.
struct CategoryResult {
  int number = 0;
  std::string error;
};

CategoryResult ParseCategory(std::string_view text) {
  CategoryResult r;
  const std::string_view t = Trim(text);
  std::size_t digits = 0;
  while (digits < t.size() && IsDigit(t[digits])) ++digits;
  if (digits > 0) {
    const std::string_view number = t.substr(0, digits);
    const std::string rest = Letters(t.substr(digits));
    const int n = digits > 2 ? 99 : std::stoi(std::string(number));
    if (n < 1 || n > 6) {
      r.error = "category " + std::string(number) + " is not one of 1 to 6 (" + CategoryList() +
                ")";
      return r;
    }
    if (!rest.empty() && rest != Letters(kCategories[n - 1])) {
      r.error = Quoted(t) + ": category " + std::to_string(n) + " is " +
                std::string(kCategories[n - 1]) + ", not what the words say";
      return r;
    }
    r.number = n;
    return r;
  }
  const std::string key = Letters(t);
  for (int i = 0; i < 6; ++i)
    if (key == Letters(kCategories[i])) {
      r.number = i + 1;
      return r;
    }
  r.error = Quoted(t) + " is not a tracking category (" + CategoryList() + ")";
  return r;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysIn(int y, int m) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

std::string Iso(int y, int m, int d) {
  std::string out = std::to_string(y);
  out.insert(0, 4 - std::min<std::size_t>(4, out.size()), '0');
  out += m < 10 ? "-0" : "-";
  out += std::to_string(m);
  out += d < 10 ? "-0" : "-";
  out += std::to_string(d);
  return out;
}

// 1-12 for a month name or its abbreviation ("Sept" too), 0 otherwise.
int MonthNumber(std::string_view word) {
  static constexpr std::string_view kMonths[12] = {
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  std::string w;
  for (char c : word) w.push_back(Lower(c));
  if (!w.empty() && w.back() == '.') w.pop_back();
  if (w.size() < 3) return 0;
  for (int m = 0; m < 12; ++m) {
    if (w == kMonths[m]) return m + 1;
    if (w.size() <= 4 && kMonths[m].substr(0, w.size()) == w) return m + 1;
  }
  return 0;
}

// A date as officers write it: 2013-01-08, 08/01/2013, "8 January 2013",
// "8th Jan 2013", or a month alone ("April 2013"), which means its last day
// (recommendations are due "by April 2013"). ISO "YYYY-MM-DD", or an error.
vigil::sdk::DateResult ParseOfficerDate(std::string_view text) {
  const std::string_view s = Trim(text);
  bool has_letter = false;
  for (char c : s) has_letter = has_letter || IsAlpha(c);
  if (!has_letter) return vigil::sdk::ParseDate(s);

  vigil::sdk::DateResult r;
  const std::string expected =
      Quoted(s) + " is not a date (expected YYYY-MM-DD, DD/MM/YYYY, \"8 January 2013\" or "
                  "\"April 2013\")";
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == ',' || s[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < s.size() && s[i] != ' ' && s[i] != ',' && s[i] != '\t') ++i;
    if (i > start) words.push_back(s.substr(start, i - start));
  }
  auto number = [](std::string_view w) {
    if (w.empty() || w.size() > 4) return -1;
    int v = 0;
    for (char c : w) {
      if (!IsDigit(c)) return -1;
      v = v * 10 + (c - '0');
    }
    return v;
  };
  int day = 0, month = 0, year = -1;
  if (words.size() == 2) {
    month = MonthNumber(words[0]);
    if (words[1].size() == 4) year = number(words[1]);
  } else if (words.size() == 3) {
    std::string_view d = words[0];
    std::size_t digits = 0;
    while (digits < d.size() && IsDigit(d[digits])) ++digits;
    const std::string suffix = Letters(d.substr(digits));
    if (digits > 0 && digits <= 2 &&
        (suffix.empty() || suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th"))
      day = number(d.substr(0, digits));
    month = MonthNumber(words[1]);
    if (words[2].size() == 4) year = number(words[2]);
    if (day <= 0) month = 0;
  }
  if (month == 0 || year < 1) {
    r.error = expected;
    return r;
  }
  if (words.size() == 2) day = DaysIn(year, month);
  if (day > DaysIn(year, month)) {
    r.error = Quoted(s) + " is not a valid date: there are " +
              std::to_string(DaysIn(year, month)) + " days in that month";
    return r;
  }
  r.value = Iso(year, month, day);
  return r;
}

// "R3", "r03", "R 3", "3" and "R3a" name recommendations "R03", "R03",
// "R03", "R03" and "R03a"; nullopt when the text is not a number.
std::optional<std::string> CanonicalNumber(std::string_view text) {
  std::string_view t = Trim(text);
  if (!t.empty() && (t.front() == 'R' || t.front() == 'r')) t = Trim(t.substr(1));
  std::size_t digits = 0;
  while (digits < t.size() && IsDigit(t[digits])) ++digits;
  if (digits == 0 || digits > 3) return std::nullopt;
  const std::string_view suffix = t.substr(digits);
  if (suffix.size() > 1 || (suffix.size() == 1 && !IsAlpha(suffix[0]))) return std::nullopt;
  std::string out = "R";
  if (digits == 1) out += '0';
  out.append(t.substr(0, digits));
  if (!suffix.empty()) out.push_back(Lower(suffix[0]));
  if (out == "R00") return std::nullopt;
  return out;
}

bool IsReviewId(std::string_view id) {
  if (id.empty() || !(IsAlpha(id.front()) || IsDigit(id.front()))) return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || IsDigit(c) || c == '-' || c == '_')) return false;
  return true;
}

// The recommendation text as an entity name: on one line, and cut at a word
// boundary with an ellipsis when longer than kNameLimit bytes.
std::string ShortName(std::string_view text) {
  std::string one_line;
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !one_line.empty();
      continue;
    }
    if (space) one_line.push_back(' ');
    space = false;
    one_line.push_back(c);
  }
  if (one_line.size() <= kNameLimit) return one_line;
  std::size_t cut = one_line.rfind(' ', kNameLimit - 3);
  if (cut == std::string::npos || cut < kNameLimit / 2) {
    cut = kNameLimit - 3;  // no space near: cut inside the word, not inside a character
    while (cut > 0 && (static_cast<unsigned char>(one_line[cut]) & 0xC0) == 0x80) --cut;
  }
  one_line.resize(cut);
  while (!one_line.empty() && (one_line.back() == ' ' || one_line.back() == ',' ||
                               one_line.back() == ';' || one_line.back() == ':'))
    one_line.pop_back();
  return one_line + "\u2026";
}

// The columns of the log, in the order of kColumnNames.
enum Column : std::size_t {
  kRecord,
  kReview,
  kNumber,
  kDate,
  kCategory,
  kAnticipated,
  kResponsibility,
  kLeadMember,
  kLeadOfficer,
  kText,
  kColumnCount
};
constexpr std::string_view kColumnNames[kColumnCount] = {
    "record",         "review",      "number",       "date", "category", "anticipated_date",
    "responsibility", "lead_member", "lead_officer", "text"};
constexpr bool kRequired[kColumnCount] = {true,  true,  true,  true,  false,
                                          false, false, false, false, true};

enum class RecordType { kReview, kRecommendation, kEvidence };

struct Row {
  std::uint64_t line = 0;
  RecordType type = RecordType::kReview;
  std::string cells[kColumnCount];

  const std::string& operator[](Column c) const { return cells[c]; }
};

struct Review {
  std::string id, title, approved, lead_member, lead_officer;
  std::uint64_t line = 0;
};

struct Evidence {
  std::string date;
  int category = 0;  // 0: none given (or rejected)
  std::string anticipated, text;
  std::uint64_t line = 0;
};

struct Recommendation {
  const Review* review = nullptr;
  std::string number, text, responsibility, original;
  std::uint64_t line = 0;
  std::vector<Evidence> evidence;
};

class RecommendationsSource {
 public:
  RecommendationsSource(Host host, const Settings& settings);
  void Read();

 private:
  void ReadRows();
  void CheckUnused(const Row& row, std::initializer_list<Column> unused, std::string_view what);
  // The ISO date in `row[column]`, or nullopt after rejecting it (also when
  // empty and `required`).
  std::optional<std::string> Date(const Row& row, Column column, bool required,
                                  std::string_view consequence);
  void Reviews();
  void Recommendations();
  void EvidenceRows();
  void Emit();
  void Reject(std::uint64_t line, Column column, std::string_view value,
              std::string_view reason);
  Recommendation* FindRecommendation(std::string_view review, std::string_view number);

  Host host_;
  std::string file_;
  std::string kind_;
  csv::Options options_;

  std::string column_names_[kColumnCount];  // as the header spells them
  std::vector<Row> rows_;
  std::vector<Review> reviews_;  // reserved up front: recommendations point into it
  std::vector<Recommendation> recommendations_;
  std::uint64_t comments_ = 0;
  std::uint64_t empty_rows_ = 0;
  std::uint64_t rows_read_ = 0;
  std::uint64_t evidence_count_ = 0;
  std::uint64_t observations_ = 0;
  std::uint64_t rejected_ = 0;
};

RecommendationsSource::RecommendationsSource(Host host, const Settings& settings)
    : host_(host),
      file_(settings.Required("file")),
      kind_(Trim(settings.GetOr("kind", "recommendation"))) {
  if (kind_.empty()) kind_ = "recommendation";
  vigil::sdk::CheckSnakeCase("kind", kind_, "recommendation");
  options_.encoding = vigil::sdk::EncodingSetting(settings);
}

void RecommendationsSource::Reject(std::uint64_t line, Column column, std::string_view value,
                                   std::string_view reason) {
  ++rejected_;
  const std::string_view field =
      column == kColumnCount ? std::string_view{} : std::string_view(column_names_[column]);
  host_.Reject({file_, line, field, value, reason});
}

void RecommendationsSource::ReadRows() {
  csv::Reader reader(file_, options_);
  if (!reader.ok()) throw Error(reader.error());
  csv::Row row;
  if (!reader.Next(row)) {
    if (!reader.ok()) throw Error(reader.error());
    throw Error(file_ + ": no header row: the file is empty");
  }
  const csv::Header header(row);
  std::optional<std::size_t> index[kColumnCount];
  std::string missing;
  std::size_t missing_count = 0;
  for (std::size_t c = 0; c < kColumnCount; ++c) {
    index[c] = header.Resolve(kColumnNames[c]);
    if (index[c]) {
      column_names_[c] = header.name(*index[c]);
    } else {
      column_names_[c] = kColumnNames[c];
      if (kRequired[c]) {
        ++missing_count;
        missing += (missing.empty() ? "" : ", ") + Quoted(kColumnNames[c]);
      }
    }
  }
  if (missing_count > 0)
    throw Error(file_ + ":" + std::to_string(row.line) + ": the header lacks " +
                (missing_count == 1 ? "the column " : "the columns ") + missing +
                "; a recommendations log has the columns record, review, number, date, "
                "category, anticipated_date, responsibility, lead_member, lead_officer and "
                "text (see the plugin's README)");

  const std::size_t header_size = header.size();
  while (reader.Next(row)) {
    ++rows_read_;
    bool all_empty = true;
    for (std::string_view cell : row.fields) all_empty = all_empty && Trim(cell).empty();
    if (all_empty) {
      ++empty_rows_;
      continue;
    }
    const std::string_view record = Trim(row[*index[kRecord]]);
    if (!record.empty() && record.front() == '#') {
      ++comments_;
      continue;
    }
    // Fewer fields are fine (a text editor's line may stop after its last
    // value); more mean an unquoted comma, and the values would be shifted.
    if (row.size() > header_size) {
      Reject(row.line, kColumnCount, {},
             "row has " + Plural(row.size(), "field") + ", the header has " +
                 std::to_string(header_size) +
                 ": put text containing commas in double quotes");
      continue;
    }
    Row r;
    r.line = row.line;
    for (std::size_t c = 0; c < kColumnCount; ++c)
      if (index[c] && *index[c] < row.size()) r.cells[c] = std::string(Trim(row[*index[c]]));
    const std::string type = Letters(record);
    if (type == "review") {
      r.type = RecordType::kReview;
    } else if (type == "recommendation") {
      r.type = RecordType::kRecommendation;
    } else if (type == "evidence") {
      r.type = RecordType::kEvidence;
    } else {
      Reject(row.line, kRecord, record,
             record.empty() ? "the record type is empty (expected review, recommendation or "
                              "evidence); the row was not loaded"
                            : Quoted(record) +
                                  " is not a record type (expected review, recommendation "
                                  "or evidence); the row was not loaded");
      continue;
    }
    rows_.push_back(std::move(r));
  }
  if (!reader.ok()) throw Error(reader.error());
  host_.Progress(reader.bytes_consumed(), reader.size());
}

void RecommendationsSource::CheckUnused(const Row& row, std::initializer_list<Column> unused,
                                        std::string_view what) {
  for (Column c : unused)
    if (!row[c].empty())
      Reject(row.line, c, row[c],
             std::string(kColumnNames[c]) + " is not read on " + std::string(what) +
                 " rows, so this value was ignored");
}

std::optional<std::string> RecommendationsSource::Date(const Row& row, Column column,
                                                       bool required,
                                                       std::string_view consequence) {
  const std::string& cell = row[column];
  if (cell.empty()) {
    if (required) Reject(row.line, column, cell, "the date is empty; " + std::string(consequence));
    return std::nullopt;
  }
  auto date = ParseOfficerDate(cell);
  if (date.ok()) return *date.value;
  Reject(row.line, column, cell, date.error + "; " + std::string(consequence));
  return std::nullopt;
}

void RecommendationsSource::Reviews() {
  std::size_t count = 0;
  for (const Row& row : rows_) count += row.type == RecordType::kReview ? 1 : 0;
  reviews_.reserve(count);
  for (const Row& row : rows_) {
    if (row.type != RecordType::kReview) continue;
    const std::string& id = row[kReview];
    if (!IsReviewId(id)) {
      Reject(row.line, kReview, id,
             (id.empty() ? std::string("the review id is empty")
                         : Quoted(id) + " is not a review id") +
                 " (a short name of lowercase letters, digits, '-' and '_', e.g. "
                 "family-of-schools); the review was not loaded");
      continue;
    }
    const auto same = std::find_if(reviews_.begin(), reviews_.end(),
                                   [&](const Review& r) { return r.id == id; });
    if (same != reviews_.end()) {
      Reject(row.line, kReview, id,
             "review " + Quoted(id) + " is already defined on line " +
                 std::to_string(same->line) + "; this row was not loaded");
      continue;
    }
    Review review;
    review.id = id;
    review.line = row.line;
    review.title = row[kText];
    review.lead_member = row[kLeadMember];
    review.lead_officer = row[kLeadOfficer];
    if (auto date = Date(row, kDate, false,
                         "the review's approval date was not loaded (it dates each "
                         "recommendation's original_date)"))
      review.approved = *date;
    CheckUnused(row, {kNumber, kCategory, kAnticipated, kResponsibility}, "review");
    reviews_.push_back(std::move(review));
  }
}

void RecommendationsSource::Recommendations() {
  for (const Row& row : rows_) {
    if (row.type != RecordType::kRecommendation) continue;
    const std::string& id = row[kReview];
    const auto review = std::find_if(reviews_.begin(), reviews_.end(),
                                     [&](const Review& r) { return r.id == id; });
    if (review == reviews_.end()) {
      Reject(row.line, kReview, id,
             "recommendation of an unknown review " + Quoted(id) +
                 " (no review row has this id); the recommendation was not loaded");
      continue;
    }
    const auto number = CanonicalNumber(row[kNumber]);
    if (!number) {
      Reject(row.line, kNumber, row[kNumber],
             (row[kNumber].empty() ? std::string("the recommendation number is empty")
                                   : Quoted(row[kNumber]) + " is not a recommendation number") +
                 " (expected R1, R01 or 1); the recommendation was not loaded");
      continue;
    }
    if (const Recommendation* same = FindRecommendation(id, *number)) {
      Reject(row.line, kNumber, row[kNumber],
             "review " + Quoted(id) + " already has recommendation " + *number + " (line " +
                 std::to_string(same->line) + "); this row was not loaded");
      continue;
    }
    Recommendation rec;
    rec.review = &*review;
    rec.number = *number;
    rec.text = row[kText];
    rec.responsibility = row[kResponsibility];
    rec.line = row.line;
    if (auto date = Date(row, kDate, false, "the original completion date was not loaded"))
      rec.original = *date;
    CheckUnused(row, {kCategory, kAnticipated, kLeadMember, kLeadOfficer}, "recommendation");
    recommendations_.push_back(std::move(rec));
  }
}

Recommendation* RecommendationsSource::FindRecommendation(std::string_view review,
                                                          std::string_view number) {
  for (Recommendation& r : recommendations_)
    if (r.review->id == review && r.number == number) return &r;
  return nullptr;
}

void RecommendationsSource::EvidenceRows() {
  for (const Row& row : rows_) {
    if (row.type != RecordType::kEvidence) continue;
    const std::string& id = row[kReview];
    const auto number = CanonicalNumber(row[kNumber]);
    Recommendation* rec = number ? FindRecommendation(id, *number) : nullptr;
    if (rec == nullptr) {
      const std::string name = id + "/" + (number ? *number : row[kNumber]);
      Reject(row.line, kNumber, row[kNumber],
             "evidence for an unknown recommendation " + Quoted(name) +
                 " (no recommendation row has this review and number); the evidence was not "
                 "loaded");
      continue;
    }
    Evidence ev;
    ev.line = row.line;
    const auto date = Date(row, kDate, true, "the evidence was not loaded");
    if (!date) continue;
    ev.date = *date;
    const auto same = std::find_if(rec->evidence.begin(), rec->evidence.end(),
                                   [&](const Evidence& e) { return e.date == ev.date; });
    if (same != rec->evidence.end()) {
      Reject(row.line, kDate, row[kDate],
             "recommendation " + id + "/" + rec->number + " already has evidence dated " +
                 ev.date + " (line " + std::to_string(same->line) +
                 "); merge the two entries or date them apart; this row was not loaded");
      continue;
    }
    if (!row[kCategory].empty()) {
      const CategoryResult category = ParseCategory(row[kCategory]);
      if (category.number > 0)
        ev.category = category.number;
      else
        Reject(row.line, kCategory, row[kCategory],
               category.error + "; the row's evidence text was still loaded");
    }
    if (auto anticipated = Date(row, kAnticipated, false,
                                "the anticipated completion date was not loaded"))
      ev.anticipated = *anticipated;
    ev.text = row[kText];
    CheckUnused(row, {kResponsibility, kLeadMember, kLeadOfficer}, "evidence");
    if (ev.category == 0 && ev.anticipated.empty() && ev.text.empty()) {
      if (row[kCategory].empty() && row[kAnticipated].empty())
        Reject(row.line, kText, {},
               "the evidence row has no category, anticipated date or text; nothing was "
               "loaded");
      continue;
    }
    ++evidence_count_;
    rec->evidence.push_back(std::move(ev));
  }
}

void RecommendationsSource::Emit() {
  std::vector<vigil_attribute> attributes;
  for (Recommendation& rec : recommendations_) {
    host_.ThrowIfCancelled();
    const Review& review = *rec.review;
    const std::string key = review.id + "/" + rec.number;
    attributes.clear();
    auto add = [&](std::string_view name, const std::string& value) {
      if (!value.empty()) attributes.push_back({vigil::sdk::Str(name), vigil::sdk::Str(value)});
    };
    add("review", review.id);
    add("review_title", review.title);
    add("number", rec.number);
    add("text", rec.text);
    add("responsibility", rec.responsibility);
    add("original_date", rec.original);
    add("date_approved", review.approved);
    add("lead_member", review.lead_member);
    add("lead_officer", review.lead_officer);
    host_.Entity(kind_, key, rec.text.empty() ? rec.number : ShortName(rec.text), attributes);

    if (!rec.original.empty() && !review.approved.empty()) {
      host_.Observation(kind_, key, "original_date", review.approved, {std::nullopt, rec.original});
      ++observations_;
    }
    std::stable_sort(rec.evidence.begin(), rec.evidence.end(),
                     [](const Evidence& a, const Evidence& b) { return a.date < b.date; });
    for (const Evidence& ev : rec.evidence) {
      if (ev.category > 0) {
        host_.Observation(kind_, key, "tracking_category", ev.date,
                          {static_cast<double>(ev.category), kCategories[ev.category - 1]});
        ++observations_;
      }
      if (!ev.anticipated.empty()) {
        host_.Observation(kind_, key, "anticipated_date", ev.date, {std::nullopt, ev.anticipated});
        ++observations_;
      }
      if (!ev.text.empty()) {
        host_.Observation(kind_, key, "evidence", ev.date, {std::nullopt, ev.text});
        ++observations_;
      }
    }
  }
}

void RecommendationsSource::Read() {
  host_.ThrowIfCancelled();
  ReadRows();
  Reviews();
  Recommendations();
  EvidenceRows();
  Emit();
  std::string summary = "read file=" + file_ + " reviews=" + std::to_string(reviews_.size()) +
                        " recommendations=" + std::to_string(recommendations_.size()) +
                        " evidence=" + std::to_string(evidence_count_) +
                        " observations=" + std::to_string(observations_) +
                        " rejected=" + std::to_string(rejected_);
  if (comments_ > 0) summary += " comments=" + std::to_string(comments_);
  if (empty_rows_ > 0) summary += " empty_rows=" + std::to_string(empty_rows_);
  host_.Info(summary);
  // Every row accounted for: the rest were stored or rejected.
  host_.Skipped(file_, "empty row", empty_rows_);
  host_.Skipped(file_, "comment", comments_);
  host_.RowsRead(file_, rows_read_);
}

}  // namespace

VIGIL_PLUGIN_ENTRY((vigil::sdk::Describe<RecommendationsSource>(
    "recommendations", "1.0.0",
    "Reads a scrutiny recommendation tracking log (reviews, recommendations and dated "
    "evidence with tracking categories 1-6) kept as one CSV file.",
    "recommendation entities, dated observations (tracking_category, anticipated_date, "
    "evidence, original_date)",
    kSettings)))
