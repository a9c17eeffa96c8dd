// Generates England-scale benchmark data in the published file layouts Vigil's plugins
// read: the GIAS register and its links file, Ofsted's inspection file, Explore
// Education Statistics school-level files (KS2, KS4, absence, exclusions, census,
// workforce) and an officer's local spreadsheets (budgets, governance, section 175).
//
// Usage: vigil_england_generator SIZE OUT_DIR
//   SIZE: S (~450 establishments, one authority), M (~5,000), L (~50,000: England with
//   closed establishments, ~27,000 open), or a number of establishments.
//
// Shape: a "site" is a school building with a history; about half the sites changed
// URN once or twice (academy conversion, re-brokering), which is why England's register
// holds ~50,000 establishments for ~27,000 open schools. Each year's results belong to
// the URN open at that year's census. Ten academic years of history, 2014/15 to
// 2023/24, with the real gaps (no KS2/KS4 results in 2019/20 and 2020/21, no absence
// in 2019/20).
//
// Determinism: every value is a hash of (what, site, year), so the same bytes come out
// on every run, compiler and platform, and generating M does not depend on L.

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "../../demo/generator/civil_days.h"
#include "../../demo/generator/gias_layout.h"

namespace {

using i64 = std::int64_t;
using u64 = std::uint64_t;

[[noreturn]] void Die(const std::string& message) {
  std::cerr << "vigil_england_generator: " << message << '\n';
  std::exit(2);
}

// ---------------------------------------------------------------- hashing
u64 Mix(u64 z) {
  z += 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
u64 Hash(u64 a, u64 b = 0, u64 c = 0, u64 d = 0) { return Mix(Mix(Mix(Mix(a) ^ b) ^ c) ^ d); }
// Uniform in [0, n).
i64 Below(u64 h, i64 n) { return static_cast<i64>(h % static_cast<u64>(n)); }
// Roughly normal in about [-3, 3] (sum of four uniforms), in thousandths.
i64 Normal(u64 h) {
  i64 sum = 0;
  for (int i = 0; i < 4; ++i) sum += static_cast<i64>((h >> (16 * i)) & 0xFFFF);
  return (sum - 2 * 65535) * 1732 / 65535;  // variance 1 after scaling
}
i64 Clamp(i64 v, i64 lo, i64 hi) { return std::max(lo, std::min(hi, v)); }

enum What : u64 {
  kChain = 1, kPhase, kQuality, kTrend, kSize, kConvert, kNames, kFaith, kInspect, kGrade,
  kValue, kSuppress, kTrust, kGender, kFsm
};

// ---------------------------------------------------------------- dates (days since 1970-01-01)
using civil_days::Civil;
using civil_days::Day;
using civil_days::Ymd;

constexpr i64 kFirstYear = 2015;  // academic years end 2015 .. 2024
constexpr i64 kLastYear = 2024;
const i64 kToday = Day(2024, 11, 30);

// ---------------------------------------------------------------- output
// A CSV file written through a large buffer; fields are quoted only when needed.
class Csv {
 public:
  Csv(const std::filesystem::path& path, bool bom) : path_(path.string()) {
    file_ = std::fopen(path_.c_str(), "wb");
    if (!file_) Die("cannot write " + path_);
    if (bom) buffer_ += "\xEF\xBB\xBF";
  }
  ~Csv() {
    Flush();
    if (std::fclose(file_) != 0) Die("cannot finish " + path_);
  }
  Csv(const Csv&) = delete;
  Csv& operator=(const Csv&) = delete;

  Csv& Text(std::string_view s) {
    Sep();
    if (s.find_first_of(",\"\n") == std::string_view::npos) {
      buffer_ += s;
      return *this;
    }
    buffer_ += '"';
    for (char c : s) {
      if (c == '"') buffer_ += '"';
      buffer_ += c;
    }
    buffer_ += '"';
    return *this;
  }
  Csv& Quoted(std::string_view s) {  // GIAS quotes every text field
    Sep();
    buffer_ += '"';
    buffer_ += s;
    buffer_ += '"';
    return *this;
  }
  Csv& Int(i64 v) { return Text(std::to_string(v)); }
  // A value in tenths (or hundredths) as a decimal: 523, 1 -> "52.3".
  Csv& Fixed(i64 v, int decimals) {
    Sep();
    if (v < 0) {
      buffer_ += '-';
      v = -v;
    }
    i64 scale = decimals == 1 ? 10 : 100;
    buffer_ += std::to_string(v / scale);
    buffer_ += '.';
    std::string frac = std::to_string(v % scale);
    if (decimals == 2 && frac.size() < 2) buffer_ += '0';
    buffer_ += frac;
    return *this;
  }
  Csv& Date(i64 day, char sep);
  void End() {
    buffer_ += '\n';
    first_ = true;
    ++rows_;
    if (buffer_.size() > (1u << 20)) Flush();
  }
  void Row(std::initializer_list<std::string_view> cells) {
    for (auto c : cells) Text(c);
    End();
  }
  u64 rows() const { return rows_; }

 private:
  void Sep() {
    if (!first_) buffer_ += ',';
    first_ = false;
  }
  void Flush() {
    if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size())
      Die("cannot write " + path_);
    buffer_.clear();
  }
  std::string path_;
  std::FILE* file_ = nullptr;
  std::string buffer_;
  bool first_ = true;
  u64 rows_ = 0;
};

// ---------------------------------------------------------------- the establishments
enum class Phase { kPrimary, kSecondary, kSpecial, kNursery, kPru, kSixteenPlus, kIndependent };

struct Authority {
  int code;          // 201 ..
  std::string name;  // invented
  std::string gss;   // E06000001-like
  int region;
};

const std::array<std::string_view, 9> kRegions = {
    "North East", "North West", "Yorkshire and The Humber", "East Midlands", "West Midlands",
    "East of England", "London", "South East", "South West"};

struct Site {
  int authority;
  Phase phase;
  i64 quality;  // thousandths of a standard deviation; higher is better
  i64 trend;    // change in quality per year, thousandths
  i64 pupils;
  int constituency;
  int ward;
  std::string name;
};

struct Establishment {
  i64 urn;
  std::size_t site;
  int number;        // EstablishmentNumber within the authority
  int generation;    // 0 the first URN of the site, then conversions
  bool last;         // still open
  i64 open_day;      // -1: before records began
  i64 close_day;     // -1: open
};

const std::array<std::string_view, 24> kPlaces = {
    "Ashford", "Brookfield", "Castleton", "Deanbrook", "Elmhurst", "Fairview", "Greenhill",
    "Hawthorn", "Ivydale", "Juniper", "Kingsmead", "Larkrise", "Meadowbank", "Northgate",
    "Oakwood", "Parkside", "Queensway", "Riverside", "Stonebridge", "Thornbury", "Upton",
    "Valley", "Westfield", "Yew Tree"};
const std::array<std::string_view, 10> kSyllables = {"Ash", "Brad", "Cal", "Dun", "El",
                                                     "Fen", "Gar", "Hol", "Kes", "Lan"};
const std::array<std::string_view, 10> kEndings = {"bury", "ford", "shire", "ham", "ton",
                                                   "field", "worth", "dale", "ley", "wick"};

std::string AuthorityName(int i) {
  u64 h = Hash(kNames, 7, static_cast<u64>(i));
  std::string name(kSyllables[static_cast<std::size_t>(Below(h, 10))]);
  name.append(kEndings[static_cast<std::size_t>(Below(h >> 8, 10))]);
  if (i >= 100) name.append(" ").append(std::to_string(i / 100 + 1));
  return name;
}

Phase PickPhase(u64 h) {
  i64 r = Below(h, 1000);
  if (r < 600) return Phase::kPrimary;
  if (r < 750) return Phase::kSecondary;
  if (r < 820) return Phase::kSpecial;
  if (r < 840) return Phase::kNursery;
  if (r < 860) return Phase::kPru;
  if (r < 880) return Phase::kSixteenPlus;
  return Phase::kIndependent;
}

std::string_view PhaseName(Phase p) {
  switch (p) {
    case Phase::kPrimary: return "Primary";
    case Phase::kSecondary: return "Secondary";
    case Phase::kSpecial: return "Not applicable";
    case Phase::kNursery: return "Nursery";
    case Phase::kPru: return "Not applicable";
    case Phase::kSixteenPlus: return "16 plus";
    case Phase::kIndependent: return "Not applicable";
  }
  return "";
}

std::string_view OfstedPhase(Phase p) {
  switch (p) {
    case Phase::kPrimary: return "Primary";
    case Phase::kSecondary: case Phase::kSixteenPlus: return "Secondary";
    case Phase::kSpecial: return "Special";
    case Phase::kNursery: return "Nursery";
    case Phase::kPru: return "PRU";
    case Phase::kIndependent: return "Independent";
  }
  return "";
}

// Type of establishment and its group by generation: the first URN is maintained, a
// conversion makes an academy converter, a second change a sponsor-led academy.
std::pair<std::string_view, std::string_view> TypeOf(Phase p, int generation) {
  if (p == Phase::kIndependent) return {"Other independent school", "Independent schools"};
  if (p == Phase::kSixteenPlus) return {"Academy 16-19 converter", "Academies"};
  if (generation == 0) {
    switch (p) {
      case Phase::kSpecial: return {"Community special school", "Local authority maintained schools"};
      case Phase::kNursery: return {"Local authority nursery school", "Local authority maintained schools"};
      case Phase::kPru: return {"Pupil referral unit", "Local authority maintained schools"};
      default: return {"Community school", "Local authority maintained schools"};
    }
  }
  if (p == Phase::kSpecial) return {generation == 1 ? "Academy special converter" : "Academy special sponsor led", "Academies"};
  if (p == Phase::kPru) return {"Academy alternative provision sponsor led", "Academies"};
  return {generation == 1 ? "Academy converter" : "Academy sponsor led", "Academies"};
}

bool StateFunded(Phase p) { return p != Phase::kIndependent; }

struct World {
  std::vector<Authority> authorities;
  std::vector<Site> sites;
  std::vector<Establishment> establishments;
};

World Build(i64 target) {
  World w;
  // ~330 establishments per authority, as England's ~150 authorities hold ~50,000.
  int authorities = static_cast<int>(std::max<i64>(1, (target + 165) / 330));
  for (int i = 0; i < authorities; ++i) {
    char gss[16];
    std::snprintf(gss, sizeof gss, "E0%d%06d", 6 + i % 3, i + 1);
    w.authorities.push_back({201 + i, AuthorityName(i), gss, i % 9});
  }
  std::vector<int> next_number(static_cast<std::size_t>(authorities), 2000);
  i64 urn = 100000;
  for (std::size_t s = 0; static_cast<i64>(w.establishments.size()) < target; ++s) {
    Site site;
    site.authority = static_cast<int>(Below(Hash(kSize, s, 1), authorities));
    site.phase = PickPhase(Hash(kPhase, s));
    site.quality = Normal(Hash(kQuality, s));
    site.trend = Normal(Hash(kTrend, s)) / 8;
    i64 base = site.phase == Phase::kSecondary ? 1000 : site.phase == Phase::kPrimary ? 320 : 120;
    site.pupils = base / 2 + Below(Hash(kSize, s), base);
    site.constituency = static_cast<int>(Below(Hash(kSize, s, 2), 4));
    site.ward = static_cast<int>(Below(Hash(kSize, s, 3), 20));
    site.name = std::string(kPlaces[static_cast<std::size_t>(Below(Hash(kNames, s), 24))]) + " " +
                std::string(kPlaces[static_cast<std::size_t>(Below(Hash(kNames, s, 1), 24))]);
    w.sites.push_back(site);
    // Conversions: none for a third of sites, one for about half, two for the rest.
    i64 r = Below(Hash(kChain, s), 100);
    int changes = !StateFunded(site.phase) || site.phase == Phase::kSixteenPlus ? 0 : r < 30 ? 0 : r < 85 ? 1 : 2;
    i64 open = -1;
    for (int g = 0; g <= changes && static_cast<i64>(w.establishments.size()) < target; ++g) {
      Establishment e;
      e.urn = urn++;
      e.site = s;
      auto& number = next_number[static_cast<std::size_t>(site.authority)];
      e.number = number++;
      e.generation = g;
      e.open_day = open;
      // Conversions fall between 2011 and 2024, the second after the first.
      i64 close = -1;
      if (g < changes) {
        i64 lo = open < 0 ? Day(2011, 4, 1) : open + 365;
        close = lo + Below(Hash(kConvert, s, static_cast<u64>(g)), std::max<i64>(1, kToday - 60 - lo));
        close = Day(Civil(close).y, Civil(close).m, 1) - 1;  // the end of a month
      }
      e.close_day = close;
      e.last = close < 0;
      w.establishments.push_back(e);
      open = close + 1;
    }
  }
  return w;
}

// The establishment of a site that was open on `day`, if any.
const Establishment* OpenOn(const World& w, const std::vector<std::vector<std::size_t>>& by_site,
                            std::size_t site, i64 day) {
  for (std::size_t i : by_site[site]) {
    const Establishment& e = w.establishments[i];
    if ((e.open_day < 0 || e.open_day <= day) && (e.close_day < 0 || day <= e.close_day)) return &e;
  }
  return nullptr;
}

std::string Postcode(std::size_t site) {
  u64 h = Hash(kNames, site, 9);
  char out[12];
  std::snprintf(out, sizeof out, "%c%c%d %d%c%c", 'A' + static_cast<int>(Below(h, 26)),
                'A' + static_cast<int>(Below(h >> 5, 26)), static_cast<int>(Below(h >> 10, 20)) + 1,
                static_cast<int>(Below(h >> 15, 9)) + 1, 'A' + static_cast<int>(Below(h >> 20, 26)),
                'A' + static_cast<int>(Below(h >> 25, 26)));
  return out;
}

std::string SchoolName(const World& w, const Establishment& e) {
  const Site& s = w.sites[e.site];
  std::string name = s.name;
  switch (s.phase) {
    case Phase::kPrimary: name += " Primary School"; break;
    case Phase::kSecondary: name += " High School"; break;
    case Phase::kSpecial: name += " Special School"; break;
    case Phase::kNursery: name += " Nursery School"; break;
    case Phase::kPru: name += " Pupil Referral Unit"; break;
    case Phase::kSixteenPlus: name += " Sixth Form College"; break;
    case Phase::kIndependent: name += " School"; break;
  }
  if (e.generation > 0) name += " Academy";
  return name;
}

std::string Constituency(const World& w, const Site& s) {
  return w.authorities[static_cast<std::size_t>(s.authority)].name + " " +
         std::string(kPlaces[static_cast<std::size_t>(s.constituency * 5 % 24)]);
}

// ---------------------------------------------------------------- GIAS register
// The published extract's columns (shared with the demo generator); the generator
// fills the ones a register holds for a school and leaves the rest empty, as most
// are for most schools.
constexpr const auto& kGiasColumns = kGiasLayout;
constexpr std::size_t kGiasColumnCount = std::size(kGiasColumns);

// One register row: cells by column name; numbers are written bare, text quoted.
class GiasRow {
 public:
  GiasRow() : cells_(kGiasColumnCount), bare_(kGiasColumnCount, false) {}
  static std::size_t Index(std::string_view column) {
    for (std::size_t i = 0; i < kGiasColumnCount; ++i)
      if (kGiasColumns[i] == column) return i;
    Die("no GIAS column " + std::string(column));
  }
  void Set(std::size_t column, std::string value, bool bare = false) {
    cells_[column] = std::move(value);
    bare_[column] = bare;
  }
  void Write(Csv& out) {
    for (std::size_t i = 0; i < kGiasColumnCount; ++i) {
      if (bare_[i]) out.Text(cells_[i]); else out.Quoted(cells_[i]);
      cells_[i].clear();
      bare_[i] = false;
    }
    out.End();
  }

 private:
  std::vector<std::string> cells_;
  std::vector<bool> bare_;
};

std::string DateText(i64 day, char sep) {
  if (day < 0) return "";
  Ymd c = Civil(day);
  char out[64];
  std::snprintf(out, sizeof out, "%02lld%c%02lld%c%04lld", static_cast<long long>(c.d), sep,
                static_cast<long long>(c.m), sep, static_cast<long long>(c.y));
  return out;
}

Csv& Csv::Date(i64 day, char sep) { return Text(DateText(day, sep)); }

void WriteGias(const World& w, const std::filesystem::path& folder) {
  Csv out(folder / "edubasealldata20241130.csv", false);
  for (auto column : kGiasColumns) out.Quoted(column);
  out.End();
  // Column positions, looked up once.
  const auto c = [](std::string_view name) { return GiasRow::Index(name); };
  const std::size_t urn = c("URN"), la_code = c("LA (code)"), la_name = c("LA (name)"),
      number = c("EstablishmentNumber"), name = c("EstablishmentName"),
      type = c("TypeOfEstablishment (name)"), group = c("EstablishmentTypeGroup (name)"),
      status_code = c("EstablishmentStatus (code)"), status = c("EstablishmentStatus (name)"),
      opened = c("ReasonEstablishmentOpened (name)"), open_date = c("OpenDate"),
      closed = c("ReasonEstablishmentClosed (name)"), close_date = c("CloseDate"),
      phase = c("PhaseOfEducation (name)"), low_age = c("StatutoryLowAge"),
      high_age = c("StatutoryHighAge"), gender = c("Gender (name)"),
      religion = c("ReligiousCharacter (name)"), admissions = c("AdmissionsPolicy (name)"),
      capacity = c("SchoolCapacity"), census = c("CensusDate"), pupils_c = c("NumberOfPupils"),
      boys = c("NumberOfBoys"), girls_c = c("NumberOfGirls"), fsm_c = c("PercentageFSM"),
      trusts = c("Trusts (name)"), changed = c("LastChangedDate"), street = c("Street"),
      town = c("Town"), postcode = c("Postcode"), gor_code = c("GOR (code)"), gor = c("GOR (name)"),
      district_code = c("DistrictAdministrative (code)"), district = c("DistrictAdministrative (name)"),
      ward = c("AdministrativeWard (name)"), constituency = c("ParliamentaryConstituency (name)"),
      ukprn = c("UKPRN");
  GiasRow row;
  for (const Establishment& e : w.establishments) {
    const Site& s = w.sites[e.site];
    const Authority& a = w.authorities[static_cast<std::size_t>(s.authority)];
    auto [type_name, group_name] = TypeOf(s.phase, e.generation);
    i64 pupils = s.pupils + Below(Hash(kSize, e.site, 5), 21) - 10;
    i64 girls = pupils / 2 + Below(Hash(kGender, e.site), 11) - 5;
    i64 fsm = Clamp(240 - s.quality / 8 + Below(Hash(kFsm, e.site), 60), 20, 700);  // tenths
    bool open = e.last;
    bool primary = s.phase == Phase::kPrimary || s.phase == Phase::kNursery;
    row.Set(urn, std::to_string(e.urn), true);
    row.Set(la_code, std::to_string(a.code));
    row.Set(la_name, a.name);
    row.Set(number, std::to_string(e.number));
    row.Set(name, SchoolName(w, e));
    row.Set(type, std::string(type_name));
    row.Set(group, std::string(group_name));
    row.Set(status_code, open ? "1" : "2");
    row.Set(status, open ? "Open" : "Closed");
    row.Set(opened, e.generation > 0 ? "Academy Converter" : "Not applicable");
    row.Set(open_date, DateText(e.open_day, '-'));
    row.Set(closed, open ? "Not applicable" : "Academy Converter");
    row.Set(close_date, DateText(e.close_day, '-'));
    row.Set(phase, std::string(PhaseName(s.phase)));
    row.Set(low_age, primary ? "4" : "11", true);
    row.Set(high_age, primary ? "11" : "16", true);
    row.Set(gender, "Mixed");
    row.Set(religion, "Does not apply");
    row.Set(admissions, "Not applicable");
    if (open) {
      row.Set(capacity, std::to_string(pupils + pupils / 8), true);
      row.Set(census, "18-01-2024");
      row.Set(pupils_c, std::to_string(pupils), true);
      row.Set(boys, std::to_string(pupils - girls), true);
      row.Set(girls_c, std::to_string(girls), true);
      row.Set(fsm_c, std::to_string(fsm / 10) + "." + std::to_string(fsm % 10));
    }
    if (e.generation > 0) row.Set(trusts, a.name + " Learning Trust " + std::to_string(e.site % 7 + 1));
    row.Set(ukprn, std::to_string(10000000 + e.urn), true);
    row.Set(changed, "30-11-2024");
    row.Set(street, "1 School Lane");
    row.Set(town, a.name);
    row.Set(postcode, Postcode(e.site));
    row.Set(gor_code, std::string(1, static_cast<char>('A' + a.region)));
    row.Set(gor, std::string(kRegions[static_cast<std::size_t>(a.region)]));
    row.Set(district_code, a.gss);
    row.Set(district, a.name);
    row.Set(ward, a.name + " ward " + std::to_string(s.ward + 1));
    row.Set(constituency, Constituency(w, s));
    row.Write(out);
  }
}

void WriteLinks(const World& w, const std::filesystem::path& folder) {
  Csv out(folder / "links_edubasealldata20241130.csv", false);
  for (auto c : {"URN", "LinkURN", "LinkName", "LinkType", "LinkEstablishedDate"}) out.Quoted(c);
  out.End();
  for (std::size_t i = 0; i + 1 < w.establishments.size(); ++i) {
    const Establishment& e = w.establishments[i];
    const Establishment& next = w.establishments[i + 1];
    if (next.site != e.site) continue;
    out.Int(e.urn).Int(next.urn).Quoted(SchoolName(w, next)).Quoted("Successor").Date(next.open_day, '-').End();
    out.Int(next.urn).Int(e.urn).Quoted(SchoolName(w, e)).Quoted("Predecessor").Date(next.open_day, '-').End();
  }
}

// ---------------------------------------------------------------- Ofsted
// A site's graded judgement at a date: its quality then, with some luck.
int GradeAt(const Site& s, std::size_t site, i64 day, u64 salt) {
  i64 years = (day - Day(2015, 1, 1)) / 365;
  i64 q = s.quality + s.trend * years + Normal(Hash(kGrade, site, static_cast<u64>(day), salt)) / 2;
  if (q > 1100) return 1;
  if (q > -700) return 2;
  if (q > -1700) return 3;
  return 4;
}

void WriteOfsted(const World& w, const std::vector<std::vector<std::size_t>>& by_site,
                 const std::filesystem::path& folder) {
  Csv out(folder / "ofsted_inspections.csv", false);
  out.Row({"URN", "LAESTAB", "School name", "Ofsted phase", "Type of education", "Local authority",
           "Parliamentary constituency", "Postcode", "Inspection number", "Inspection type",
           "Inspection type grouping", "Event type grouping", "Inspection start date",
           "Inspection end date", "Publication date", "Overall effectiveness", "Category of concern",
           "Quality of education", "Behaviour and attitudes", "Personal development",
           "Effectiveness of leadership and management", "Safeguarding is effective?",
           "Ungraded inspection overall outcome"});
  i64 inspection_number = 10000000;
  const i64 covid_from = Day(2020, 3, 17), covid_to = Day(2021, 5, 4);
  for (std::size_t site = 0; site < w.sites.size(); ++site) {
    const Site& s = w.sites[site];
    // Graded inspections every three to five years from before the window; ungraded ones
    // of good schools in between.
    i64 day = Day(2012, 1, 9) + Below(Hash(kInspect, site), 4 * 365);
    for (int visit = 0; day < kToday - 30; ++visit) {
      if (day >= covid_from && day < covid_to) day = covid_to + Below(Hash(kInspect, site, 7), 500);
      const Establishment* e = OpenOn(w, by_site, site, day);
      int grade = GradeAt(s, site, day, 0);
      i64 weekday = ((day % 7) + 11) % 7;  // 0 = Sunday
      if (weekday == 0 || weekday == 6) day += weekday == 0 ? 1 : 2;
      if (e != nullptr) {
        const Authority& a = w.authorities[static_cast<std::size_t>(s.authority)];
        bool ungraded = visit % 2 == 1 && grade <= 2;
        bool eif = day >= Day(2019, 9, 1);
        bool cif = day >= Day(2015, 9, 1);
        auto [type, group] = TypeOf(s.phase, e->generation);
        (void)group;
        out.Int(e->urn).Int(a.code * 10000 + e->number).Text(SchoolName(w, *e)).Text(OfstedPhase(s.phase))
            .Text(type).Text(a.name).Text(Constituency(w, s)).Text(Postcode(site)).Int(inspection_number++);
        if (ungraded) {
          out.Text("S8 Inspection of a Good School").Text("Ungraded inspection").Text("Section 8");
        } else {
          out.Text("S5 Inspection").Text("Graded inspection").Text("Section 5");
        }
        out.Date(day, '/').Date(day + 1, '/').Date(day + 24, '/');
        auto judgement = [&](bool present, u64 salt) {
          if (!present) {
            out.Text("NULL");
            return;
          }
          out.Int(std::max(1, std::min(4, grade + static_cast<int>(Below(Hash(kGrade, site, static_cast<u64>(day), salt), 3)) - 1)));
        };
        if (ungraded) {
          for (int i = 0; i < 7; ++i) out.Text("NULL");
          out.Text(GradeAt(s, site, day, 1) <= 2 ? "School remains Good" : "Taking effective action");
        } else {
          out.Int(grade).Text(grade == 4 ? (s.quality < -2000 ? "Special measures" : "Serious weaknesses") : "NULL");
          judgement(eif, 1);
          judgement(eif, 2);
          judgement(eif, 3);
          out.Int(grade);
          out.Text(!cif ? "NULL" : grade == 4 && Below(Hash(kGrade, site, 9), 3) == 0 ? "No" : "Yes");
          out.Text("NULL");
        }
        out.End();
      }
      // Weak schools are seen again sooner.
      i64 gap = grade >= 3 ? 2 * 365 : 3 * 365 + Below(Hash(kInspect, site, static_cast<u64>(visit)), 2 * 365);
      if (visit % 2 == 0 && grade <= 2) gap /= 2;
      day += gap;
    }
  }
}

// ---------------------------------------------------------------- Explore education statistics
// One school's value of a measure in one year: the site's quality, its trend and noise.
i64 Value(const Site& s, std::size_t site, i64 year, u64 measure, i64 mean, i64 spread, i64 lo, i64 hi) {
  i64 q = s.quality + s.trend * (year - kFirstYear);
  i64 noise = Normal(Hash(kValue, site, static_cast<u64>(year), measure)) / 3;
  return Clamp(mean + (q + noise) * spread / 1000, lo, hi);
}

// A small share of published cells are suppressed: "c" (confidential) or "x".
bool Suppressed(std::size_t site, i64 year, u64 measure) {
  return Below(Hash(kSuppress, site, static_cast<u64>(year), measure), 1000) < 8;
}

struct EesPrefix {
  std::string time_period;
  const Authority* authority;
};

void EesHeader(Csv& out, bool identifier_first) {
  if (identifier_first) out.Text("time_identifier").Text("time_period");
  else out.Text("time_period").Text("time_identifier");
  for (auto c : {"geographic_level", "country_code", "country_name", "region_code", "region_name",
                 "old_la_code", "new_la_code", "la_name", "school_urn"})
    out.Text(c);
}

void EesRow(Csv& out, const Authority& a, i64 year, const Establishment& e, bool identifier_first) {
  std::string period = std::to_string(year - 1) + std::to_string(year % 100);
  if (identifier_first) out.Text("Academic year").Text(period);
  else out.Text(period).Text("Academic year");
  char region[32];
  std::snprintf(region, sizeof region, "E1200000%d", a.region + 1);
  out.Text("School").Text("E92000001").Text("England").Text(region)
      .Text(kRegions[static_cast<std::size_t>(a.region)]).Int(a.code).Text(a.gss).Text(a.name).Int(e.urn);
}

template <typename Visit>
void ForEachSchoolYear(const World& w, const std::vector<std::vector<std::size_t>>& by_site,
                       const std::vector<i64>& years, bool (*wanted)(Phase), Visit visit) {
  for (i64 year : years) {
    i64 census = Day(year, 1, 18);
    for (std::size_t site = 0; site < w.sites.size(); ++site) {
      const Site& s = w.sites[site];
      if (!wanted(s.phase)) continue;
      const Establishment* e = OpenOn(w, by_site, site, census);
      if (e != nullptr) visit(year, site, s, *e);
    }
  }
}

bool IsPrimary(Phase p) { return p == Phase::kPrimary; }
bool IsSecondary(Phase p) { return p == Phase::kSecondary; }
bool IsSchool(Phase p) { return StateFunded(p) && p != Phase::kNursery && p != Phase::kSixteenPlus; }

std::vector<i64> Years(std::initializer_list<i64> skip) {
  std::vector<i64> years;
  for (i64 y = kFirstYear; y <= kLastYear; ++y)
    if (std::find(skip.begin(), skip.end(), y) == skip.end()) years.push_back(y);
  return years;
}

void WriteKs2(const World& w, const std::vector<std::vector<std::size_t>>& by_site, const std::filesystem::path& folder) {
  Csv out(folder / "ks2_school_attainment.csv", true);
  EesHeader(out, false);
  out.Row({"school_name", "establishment_type_group", "breakdown_topic", "breakdown", "subject",
           "expected_standard_pupil_percent", "higher_standard_pupil_percent", "average_scaled_score",
           "progress_measure_score"});
  const std::array<std::string_view, 5> subjects = {"Reading, writing and maths", "Reading", "Writing", "Maths",
                                                    "Grammar, punctuation and spelling"};
  ForEachSchoolYear(w, by_site, Years({2020, 2021}), IsPrimary, [&](i64 year, std::size_t site, const Site& s, const Establishment& e) {
    const Authority& a = w.authorities[static_cast<std::size_t>(s.authority)];
    auto [type, group] = TypeOf(s.phase, e.generation);
    (void)type;
    for (std::size_t k = 0; k < subjects.size(); ++k) {
      for (int disadvantaged = 0; disadvantaged < (k == 0 ? 2 : 1); ++disadvantaged) {
        u64 m = k * 10 + static_cast<u64>(disadvantaged);
        EesRow(out, a, year, e, false);
        out.Text(SchoolName(w, e)).Text(group).Text(disadvantaged ? "Disadvantage" : "Total")
            .Text(disadvantaged ? "Disadvantaged" : "Total").Text(subjects[k]);
        i64 mean = (k == 0 ? 60 : 72) - disadvantaged * 15;
        if (Suppressed(site, year, m)) out.Text("c").Text("c");
        else out.Int(Value(s, site, year, m, mean, 12, 0, 100)).Int(Value(s, site, year, m + 1, mean / 4, 5, 0, 100));
        if (k == 0 || k == 2) out.Text("z");
        else out.Int(Value(s, site, year, m + 2, 105, 3, 94, 118));
        if (k == 1 || k == 3) out.Fixed(Value(s, site, year, m + 3, 0, 25, -120, 120), 1);
        else out.Text("z");
        out.End();
      }
    }
  });
}

void WriteKs4(const World& w, const std::vector<std::vector<std::size_t>>& by_site, const std::filesystem::path& folder) {
  Csv out(folder / "ks4_school_attainment.csv", true);
  EesHeader(out, false);
  out.Row({"school_name", "establishment_type_group", "breakdown_topic", "breakdown", "pupil_count",
           "attainment8_average", "progress8_average", "engmath_95_percent", "ebacc_aps_average"});
  ForEachSchoolYear(w, by_site, Years({2020, 2021}), IsSecondary, [&](i64 year, std::size_t site, const Site& s, const Establishment& e) {
    const Authority& a = w.authorities[static_cast<std::size_t>(s.authority)];
    EesRow(out, a, year, e, false);
    out.Text(SchoolName(w, e)).Text(TypeOf(s.phase, e.generation).second).Text("Total").Text("Total");
    out.Int(s.pupils / 5).Fixed(Value(s, site, year, 50, 460, 80, 100, 800), 1)
        .Fixed(Value(s, site, year, 51, 0, 50, -300, 300), 2).Int(Value(s, site, year, 52, 45, 15, 0, 100))
        .Fixed(Value(s, site, year, 53, 400, 60, 100, 800), 2);
    out.End();
  });
}

void WriteAbsence(const World& w, const std::vector<std::vector<std::size_t>>& by_site, const std::filesystem::path& folder) {
  Csv out(folder / "school_absence.csv", true);
  EesHeader(out, false);
  out.Row({"school_name", "education_phase", "enrolments", "overall_absence_percent",
           "authorised_absence_percent", "unauthorised_absence_percent", "persistent_absence_percent"});
  ForEachSchoolYear(w, by_site, Years({2020}), IsSchool, [&](i64 year, std::size_t site, const Site& s, const Establishment& e) {
    const Authority& a = w.authorities[static_cast<std::size_t>(s.authority)];
    EesRow(out, a, year, e, false);
    i64 overall = Value(s, site, year, 60, 55, -12, 20, 300);  // tenths: better schools lose less
    i64 unauthorised = overall / 4;
    out.Text(SchoolName(w, e)).Text(std::string("State-funded ") + std::string(PhaseName(s.phase)))
        .Int(s.pupils).Fixed(overall, 1).Fixed(overall - unauthorised, 1).Fixed(unauthorised, 1)
        .Fixed(Value(s, site, year, 61, 160, -50, 10, 800), 1);
    out.End();
  });
}

void WriteExclusions(const World& w, const std::vector<std::vector<std::size_t>>& by_site, const std::filesystem::path& folder) {
  Csv out(folder / "school_exclusions.csv", true);
  out.Row({"time_identifier", "time_period", "geographic_level", "country_code", "country_name",
           "region_code", "region_name", "old_la_code", "new_la_code", "la_name", "school_urn",
           "laestab", "school_name", "academy_type", "academy_open_date", "school_type", "headcount",
           "perm_excl", "perm_excl_rate", "susp", "susp_rate", "one_plus_susp", "one_plus_susp_rate"});
  ForEachSchoolYear(w, by_site, Years({}), IsSchool, [&](i64 year, std::size_t site, const Site& s, const Establishment& e) {
    const Authority& a = w.authorities[static_cast<std::size_t>(s.authority)];
    EesRow(out, a, year, e, true);
    out.Int(a.code * 10000 + e.number).Text(SchoolName(w, e)).Text(e.generation > 0 ? "Converter" : "z");
    if (e.generation > 0) out.Date(e.open_day, '/'); else out.Text("z");
    out.Text(std::string("State-funded ") + std::string(PhaseName(s.phase)));
    i64 headcount = s.pupils;
    i64 perm = Value(s, site, year, 70, 1, -1, 0, 20);
    i64 susp = Value(s, site, year, 71, headcount / 25, -headcount / 60, 0, headcount);
    i64 pupils = susp * 2 / 3;
    out.Int(headcount).Int(perm).Fixed(perm * 10000 / std::max<i64>(1, headcount), 2)
        .Int(susp).Fixed(susp * 10000 / std::max<i64>(1, headcount), 2)
        .Int(pupils).Fixed(pupils * 10000 / std::max<i64>(1, headcount), 2);
    out.End();
  });
}

void WriteCensus(const World& w, const std::vector<std::vector<std::size_t>>& by_site, const std::filesystem::path& folder) {
  Csv out(folder / "school_pupils_characteristics.csv", true);
  EesHeader(out, false);
  out.Row({"school_name", "phase_type_grouping", "headcount_of_pupils", "percent_of_fsm_eligible_pupils",
           "percent_of_pupils_whose_first_language_is_known_or_believed_to_be_other_than_english",
           "percent_of_pupils_with_sen_support", "percent_of_pupils_with_an_ehc_plan"});
  ForEachSchoolYear(w, by_site, Years({}), StateFunded, [&](i64 year, std::size_t site, const Site& s, const Establishment& e) {
    const Authority& a = w.authorities[static_cast<std::size_t>(s.authority)];
    EesRow(out, a, year, e, false);
    out.Text(SchoolName(w, e)).Text(std::string("State-funded ") + std::string(PhaseName(s.phase)))
        .Int(s.pupils + Value(s, site, year, 80, 0, 4, -40, 40)).Fixed(Value(s, site, year, 81, 240, -60, 10, 800), 1)
        .Fixed(Value(s, site, year, 82, 200, -40, 0, 950), 1).Fixed(Value(s, site, year, 83, 130, -20, 0, 600), 1)
        .Fixed(Value(s, site, year, 84, 25, -8, 0, 1000), 1);
    out.End();
  });
}

void WriteWorkforce(const World& w, const std::vector<std::vector<std::size_t>>& by_site, const std::filesystem::path& folder) {
  Csv out(folder / "school_workforce.csv", true);
  EesHeader(out, false);
  out.Row({"school_name", "pupil_to_qual_teacher_ratio", "fte_teachers", "fte_teaching_assistants",
           "teacher_vacancies", "sickness_days_per_teacher"});
  ForEachSchoolYear(w, by_site, Years({}), StateFunded, [&](i64 year, std::size_t site, const Site& s, const Establishment& e) {
    const Authority& a = w.authorities[static_cast<std::size_t>(s.authority)];
    EesRow(out, a, year, e, false);
    i64 teachers = std::max<i64>(20, s.pupils * 10 / 18);  // tenths
    out.Text(SchoolName(w, e)).Fixed(Value(s, site, year, 90, 180, -10, 80, 300), 1).Fixed(teachers, 1)
        .Fixed(teachers * 6 / 10, 1).Int(Value(s, site, year, 91, 1, -1, 0, 12))
        .Fixed(Value(s, site, year, 92, 45, -15, 0, 400), 1);
    out.End();
  });
}

// ---------------------------------------------------------------- local spreadsheets
void WriteLocal(const World& w, const std::vector<std::vector<std::size_t>>& by_site, const std::filesystem::path& folder) {
  Csv budgets(folder / "budget_balances.csv", true);
  budgets.Row({"URN", "School", "Financial year", "Year end", "Revenue balance (£)"});
  Csv governance(folder / "governance.csv", true);
  governance.Row({"URN", "School", "Review date", "Governor places", "Governor vacancies", "Vacancy rate (%)",
                  "Governance risk rating"});
  Csv s175(folder / "s175_safeguarding_returns.csv", true);
  s175.Row({"URN", "School", "Academic year", "Due date", "Date received", "Status", "Actions outstanding"});
  auto maintained = [](Phase p) { return StateFunded(p) && p != Phase::kSixteenPlus; };
  for (i64 year : Years({})) {
    for (std::size_t site = 0; site < w.sites.size(); ++site) {
      const Site& s = w.sites[site];
      if (!maintained(s.phase)) continue;
      const Establishment* e = OpenOn(w, by_site, site, Day(year, 3, 31));
      if (e == nullptr) continue;
      std::string name = SchoolName(w, *e);
      std::string fy = std::to_string(year - 1) + "-" + std::to_string(year % 100);
      i64 balance = Value(s, site, year, 100, 40000, 60000, -400000, 600000);
      std::string money = std::to_string(balance < 0 ? -balance : balance);
      for (int at = static_cast<int>(money.size()) - 3; at > 0; at -= 3) money.insert(static_cast<std::size_t>(at), 1, ',');
      budgets.Int(e->urn).Text(name).Text(fy).Date(Day(year, 3, 31), '/').Text(balance < 0 ? "-" + money : money).End();

      i64 places = 9 + Below(Hash(kValue, site, 101), 6);
      i64 vacancies = Value(s, site, year, 102, 1, -1, 0, places);
      std::string_view risk = vacancies * 4 >= places ? "High" : vacancies * 8 >= places ? "Medium" : "Low";
      governance.Int(e->urn).Text(name).Date(Day(year, 4, 3), '/').Int(places).Int(vacancies)
          .Fixed(vacancies * 1000 / places, 1).Text(risk).End();

      std::string ay = std::to_string(year - 1) + "/" + std::to_string(year % 100);
      i64 lateness = Value(s, site, year, 103, 0, -20, -30, 60);
      bool returned = lateness < 40;
      s175.Int(e->urn).Text(name).Text(ay).Date(Day(year, 6, 30), '/');
      if (returned) s175.Date(Day(year, 6, 30) + lateness, '/').Text(lateness > 0 ? "Returned late" : "Returned");
      else s175.Text("").Text("Not returned");
      s175.Int(Value(s, site, year, 104, 0, -2, 0, 9)).End();
    }
  }
}

i64 ParseSize(std::string_view size) {
  if (size == "S") return 450;
  if (size == "M") return 5000;
  if (size == "L") return 50000;
  i64 n = 0;
  for (char c : size) {
    if (c < '0' || c > '9' || n > 10'000'000) Die("SIZE must be S, M, L or a number of establishments, not '" + std::string(size) + "'");
    n = n * 10 + (c - '0');
  }
  if (n < 1) Die("SIZE must be at least 1");
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) Die("usage: vigil_england_generator S|M|L|COUNT OUT_DIR");
  i64 target = ParseSize(argv[1]);
  std::filesystem::path folder = argv[2];
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) Die("cannot create " + folder.string() + ": " + ec.message());
  World w = Build(target);
  std::vector<std::vector<std::size_t>> by_site(w.sites.size());
  for (std::size_t i = 0; i < w.establishments.size(); ++i) by_site[w.establishments[i].site].push_back(i);
  WriteGias(w, folder);
  WriteLinks(w, folder);
  WriteOfsted(w, by_site, folder);
  WriteKs2(w, by_site, folder);
  WriteKs4(w, by_site, folder);
  WriteAbsence(w, by_site, folder);
  WriteExclusions(w, by_site, folder);
  WriteCensus(w, by_site, folder);
  WriteWorkforce(w, by_site, folder);
  WriteLocal(w, by_site, folder);
  std::size_t open = 0;
  for (const auto& e : w.establishments) open += e.last;
  std::cout << "establishments=" << w.establishments.size() << " open=" << open
            << " authorities=" << w.authorities.size() << " folder=" << folder.string() << '\n';
  return 0;
}
