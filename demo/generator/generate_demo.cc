// Generates Vigil's demo authority: a fictional local authority shaped like Birmingham
// (LA 330) as of 30 November 2023, written in the real published file layouts (GIAS,
// Ofsted management information, Explore Education Statistics) plus an officer's local
// spreadsheets, and a PROFILE.md stating the figures the data reproduces.
//
// Usage: vigil_demo_generator OUT_DIR
//
// Determinism: every choice comes from fixed-seed splitmix64 streams and integer
// arithmetic (no std:: distributions, no floating point), and output order never depends
// on hashing, so the same bytes come out on every run, compiler and platform.

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "civil_days.h"
#include "gias_layout.h"

namespace {

using i64 = std::int64_t;
using u64 = std::uint64_t;

[[noreturn]] void Die(const std::string& message) {
  std::cerr << "vigil_demo_generator: " << message << '\n';
  std::exit(1);
}

// ---------------------------------------------------------------------------------------
// Random numbers: splitmix64, with integer helpers. Each purpose gets its own stream so a
// change to one part of the data does not reshuffle every other part.

class Rng {
 public:
  explicit Rng(u64 seed) : state_(seed) {}

  u64 Next() {
    state_ += 0x9E3779B97F4A7C15ULL;
    u64 z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n); the modulo bias is far below anything the demo can show.
  i64 Below(i64 n) { return static_cast<i64>(Next() % static_cast<u64>(n)); }
  // Uniform in [lo, hi], both included.
  i64 Range(i64 lo, i64 hi) { return lo + Below(hi - lo + 1); }
  bool Chance(i64 per_mille) { return Below(1000) < per_mille; }
  // Triangular noise in [-spread, spread], peaked at zero.
  i64 Noise(i64 spread) { return (Range(-spread, spread) + Range(-spread, spread)) / 2; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(Below(static_cast<i64>(v.size())))];
  }
  template <typename T>
  void Shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i) {
      const auto j = static_cast<size_t>(Below(static_cast<i64>(i)));
      std::swap(v[i - 1], v[j]);
    }
  }

 private:
  u64 state_;
};

constexpr u64 kSeed = 0x5EED0330B1A7ULL;

Rng Stream(u64 purpose, u64 id = 0) {
  Rng r(kSeed ^ (purpose * 0x9E3779B97F4A7C15ULL) ^ (id * 0xD1B54A32D192ED03ULL));
  r.Next();
  return r;
}

i64 Clamp(i64 v, i64 lo, i64 hi) { return std::max(lo, std::min(hi, v)); }

// Integer division rounded half away from zero.
i64 DivRound(i64 num, i64 den) {
  if (den < 0) {
    num = -num;
    den = -den;
  }
  return num >= 0 ? (num + den / 2) / den : -((-num + den / 2) / den);
}

// ---------------------------------------------------------------------------------------
// Dates as day numbers since 1970-01-01 (proleptic Gregorian; H. Hinnant's algorithms).

constexpr i64 kNoDate = std::numeric_limits<i64>::min();

using civil_days::Civil;
using civil_days::Day;
using civil_days::Ymd;

i64 Weekday(i64 day) { return ((day % 7) + 11) % 7; }  // 0 = Sunday; day 0 was a Thursday

std::string Two(i64 v) { return (v < 10 ? "0" : "") + std::to_string(v); }

std::string Dmy(i64 day, char sep) {
  if (day == kNoDate) return "";
  const Ymd c = Civil(day);
  return Two(c.d) + sep + Two(c.m) + sep + std::to_string(c.y);
}

const i64 kAsOf = Day(2023, 11, 30);
const i64 kFiveYearsBefore = Day(2018, 11, 30);
const i64 kHistoryStart = Day(2008, 9, 1);
const i64 kCovidPause = Day(2020, 3, 17);    // routine inspections suspended
const i64 kCovidResume = Day(2021, 5, 4);    // graded inspections resumed
const i64 kCifStart = Day(2015, 9, 1);       // "Safeguarding is effective?" judged from here
const i64 kEifStart = Day(2019, 9, 1);       // education inspection framework sub-judgements
const i64 kLatestStart = Day(2023, 10, 20);  // later starts would not be published by as_of
const i64 kCensus = Day(2023, 1, 19);

// Moves a day forward into term time, onto a Tuesday or Wednesday, and out of the pause
// in routine inspection during the pandemic.
i64 InspectionDay(i64 day) {
  for (int guard = 0; guard < 20; ++guard) {
    const Ymd c = Civil(day);
    // Days pushed out of a holiday spread over the following weeks (by the day they came
    // from) rather than all landing on the first day of term.
    const i64 spread = ((day % 37) + 37) % 37;
    if (day >= kCovidPause && day < kCovidResume) {
      day = kCovidResume + spread;
    } else if (c.m == 8 || (c.m == 7 && c.d > 17) || (c.m == 9 && c.d < 8)) {
      day = Day(c.y, 9, 8) + spread;
    } else if (c.m == 12 && c.d > 14) {
      day = Day(c.y + 1, 1, 9) + spread / 2;
    } else if (c.m == 1 && c.d < 9) {
      day = Day(c.y, 1, 9) + spread / 2;
    } else if (c.m == 4 && c.d < 15) {
      day = Day(c.y, 4, 17) + spread / 3;
    } else {
      const i64 wd = Weekday(day);
      if (wd == 2 || wd == 3) return day;
      day += wd < 2 ? 2 - wd : 9 - wd;
    }
  }
  return day;
}

// ---------------------------------------------------------------------------------------
// Number formatting.

std::string Fixed(i64 v, int decimals) {
  i64 scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  const bool neg = v < 0;
  const i64 a = neg ? -v : v;
  std::string s = std::to_string(a / scale);
  if (decimals > 0) {
    const std::string frac = std::to_string(a % scale);
    s += '.';
    s.append(static_cast<size_t>(decimals) - std::min(frac.size(), static_cast<size_t>(decimals)), '0');
    s += frac;
  }
  return (neg && a != 0 ? "-" : "") + s;
}

std::string Thousands(i64 v) {
  const bool neg = v < 0;
  std::string digits = std::to_string(neg ? -v : v);
  std::string out;
  const size_t n = digits.size();
  for (size_t i = 0; i < n; ++i) {
    out += digits[i];
    const size_t left = n - 1 - i;
    if (left > 0 && left % 3 == 0) out += ',';
  }
  return (neg ? "-" : "") + out;
}

// ---------------------------------------------------------------------------------------
// Text encodings and CSV writing. Text is held as UTF-8; Windows-1252 files convert the
// few non-ASCII characters the demo uses and refuse anything else.

std::string ToCp1252(const std::string& s) {
  static const std::array<std::pair<const char*, unsigned char>, 6> kMap = {{
      {"\xE2\x80\x99", 0x92},  // right single quotation mark (the curly apostrophe)
      {"\xE2\x80\x98", 0x91},  // left single quotation mark
      {"\xE2\x80\x93", 0x96},  // en dash
      {"\xC3\xA9", 0xE9},      // e acute
      {"\xC2\xA3", 0xA3},      // pound sign
      {"\xC3\xA8", 0xE8},      // e grave
  }};
  std::string out;
  for (size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      out += s[i++];
      continue;
    }
    bool mapped = false;
    for (const auto& [utf8, byte] : kMap) {
      const std::string seq(utf8);
      if (s.compare(i, seq.size(), seq) == 0) {
        out += static_cast<char>(byte);
        i += seq.size();
        mapped = true;
        break;
      }
    }
    if (!mapped) Die("no Windows-1252 mapping in: " + s);
  }
  return out;
}

enum class Encoding { kUtf8, kUtf8Bom, kCp1252 };

class CsvFile {
 public:
  CsvFile(std::filesystem::path path, Encoding encoding, std::string eol)
      : path_(std::move(path)), encoding_(encoding), eol_(std::move(eol)) {
    if (encoding_ == Encoding::kUtf8Bom) text_ = "\xEF\xBB\xBF";
  }

  // quote_all: quote every field (GIAS style) except those flagged bare, which are
  // written unquoted when they are not empty. Otherwise quote only where needed.
  void Row(const std::vector<std::string>& fields, bool quote_all,
           const std::vector<bool>& bare = {}) {
    std::string line;
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) line += ',';
      const std::string& f = fields[i];
      const bool is_bare = i < bare.size() && bare[i] && !f.empty();
      const bool needs = f.find_first_of(",\"\r\n") != std::string::npos;
      if ((quote_all && !is_bare) || needs) {
        line += '"';
        for (char c : f) {
          if (c == '"') line += '"';
          line += c;
        }
        line += '"';
      } else {
        line += f;
      }
    }
    text_ += (encoding_ == Encoding::kCp1252 ? ToCp1252(line) : line) + eol_;
    ++rows_;
  }

  size_t DataRows() const { return rows_ == 0 ? 0 : rows_ - 1; }
  size_t Bytes() const { return text_.size(); }
  const std::filesystem::path& Path() const { return path_; }

  void Save() const {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out << text_;
    if (!out) Die("cannot write " + path_.string());
  }

 private:
  std::filesystem::path path_;
  Encoding encoding_;
  std::string eol_;
  std::string text_;
  size_t rows_ = 0;
};

void SaveText(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) Die("cannot write " + path.string());
}

// ---------------------------------------------------------------------------------------
// Reference data: districts, wards, names. Ward names are Birmingham's own; every school,
// trust and person is invented.

struct District {
  const char* name;
  const char* constituency_code;
  i64 easting, northing;
  i64 fsm_tenths;  // typical percentage of pupils eligible for free school meals, x10
  i64 open_schools;
  const char* town;
  std::vector<const char*> wards;
  std::vector<const char*> outward;  // postcode districts
};

const std::vector<District>& Districts() {
  static const std::vector<District> kDistricts = {
      {"Edgbaston", "E14000560", 403200, 284900, 300, 38, "Birmingham",
       {"Bartley Green", "Edgbaston", "Harborne", "North Edgbaston", "Quinton"},
       {"B15", "B16", "B17", "B32"}},
      {"Erdington", "E14000561", 411600, 292400, 420, 45, "Birmingham",
       {"Castle Vale", "Erdington", "Gravelly Hill", "Kingstanding", "Perry Common", "Pype Hayes",
        "Stockland Green"},
       {"B23", "B24", "B35", "B44"}},
      {"Hall Green", "E14000562", 410100, 281700, 380, 46, "Birmingham",
       {"Hall Green North", "Hall Green South", "Moseley", "Sparkbrook & Balsall Heath East",
        "Sparkhill", "Springfield"},
       {"B11", "B12", "B13", "B28"}},
      {"Hodge Hill", "E14000563", 414300, 288200, 480, 50, "Birmingham",
       {"Alum Rock", "Bordesley Green", "Glebe Farm & Tile Cross", "Heartlands", "Hodge Hill",
        "Shard End", "Ward End"},
       {"B8", "B9", "B33", "B34", "B36"}},
      {"Ladywood", "E14000564", 406700, 287600, 500, 52, "Birmingham",
       {"Aston", "Balsall Heath West", "Bordesley & Highgate", "Ladywood", "Nechells",
        "Soho & Jewellery Quarter", "Newtown"},
       {"B1", "B5", "B6", "B7", "B18", "B19"}},
      {"Northfield", "E14000565", 401800, 278600, 400, 44, "Birmingham",
       {"Allens Cross", "Frankley Great Park", "King's Norton North", "King's Norton South",
        "Longbridge & West Heath", "Northfield"},
       {"B30", "B31", "B38", "B45"}},
      {"Perry Barr", "E14000566", 406200, 292300, 440, 42, "Birmingham",
       {"Handsworth", "Handsworth Wood", "Holyhead", "Lozells", "Oscott", "Perry Barr",
        "Birchfield"},
       {"B20", "B21", "B42", "B43"}},
      {"Selly Oak", "E14000567", 405400, 281200, 320, 40, "Birmingham",
       {"Billesley", "Bournbrook & Selly Park", "Bournville & Cotteridge",
        "Brandwood & King's Heath", "Highter's Heath", "Stirchley", "Weoley & Selly Oak"},
       {"B14", "B29", "B30"}},
      {"Sutton Coldfield", "E14000984", 412400, 296500, 130, 38, "Sutton Coldfield",
       {"Sutton Four Oaks", "Sutton Mere Green", "Sutton Reddicap", "Sutton Roughley",
        "Sutton Trinity", "Sutton Vesey", "Sutton Walmley & Minworth", "Sutton Wylde Green"},
       {"B72", "B73", "B74", "B75", "B76"}},
      {"Yardley", "E14000568", 414200, 285300, 430, 49, "Birmingham",
       {"Acocks Green", "Garretts Green", "Sheldon", "South Yardley", "Tyseley & Hay Mills",
        "Yardley East", "Yardley West & Stechford"},
       {"B25", "B26", "B27", "B33"}},
  };
  return kDistricts;
}

// Global ward index -> (district, ward name, invented ward code).
struct WardRef {
  int district;
  std::string name;
  std::string code;
};

const std::vector<WardRef>& Wards() {
  static const std::vector<WardRef> kWards = [] {
    std::vector<WardRef> w;
    int n = 0;
    for (size_t d = 0; d < Districts().size(); ++d) {
      for (const char* name : Districts()[d].wards) {
        w.push_back({static_cast<int>(d), name, "E05011" + std::to_string(118 + n)});
        ++n;
      }
    }
    return w;
  }();
  return kWards;
}

const std::vector<std::string> kStemA = {
    "Ash",   "Beech",   "Birch",  "Bramble", "Brook",  "Cedar", "Cherry", "Clover",   "Elm",
    "Fern",  "Fox",     "Hawthorn", "Hazel", "Heath",  "Holly", "Kings",  "Lark",     "Linden",
    "Maple", "Meadow",  "Mill",   "Oak",     "Orchard", "Pine", "Queens", "Rose",     "Rowan",
    "Spring", "Stone",  "Sycamore", "Thorn", "Willow", "Yew",   "Alder",  "Bay",      "Copper",
    "Hart",  "Lime",    "Marsh",  "Wren",    "Kingsbury", "Foxglove", "Laburnum", "Primrose"};
const std::vector<std::string> kStemB = {
    "bank", "brook", "croft", "dale", "field", "ford",  "gate",  "hill", "hurst",
    "lands", "lea",  "mead",  "mere", "moor",  "ridge", "side",  "vale", "well",
    "wood", "way",  "combe", "bury", "green", "hall",  "ley"};
const std::vector<std::string> kSuffix = {"",      "",      "",      "",      "",
                                          "",      " Road", " Road", " Lane", " Park",
                                          " Grove", " Hill", " Road", " Lane", ""};
const std::vector<std::string> kSaints = {
    "Aidan",   "Alban",    "Anselm",   "Bede",      "Benedict", "Brendan",  "Chad",
    "Clement", "Columba",  "Cuthbert", "Dunstan",   "Edmund",   "Gregory",  "Hilda",
    "Oswald",  "Wilfrid",  "Ninian",   "Swithun",   "Augustine", "Boniface", "Catherine",
    "Bernadette", "Teresa", "Joseph",  "Francis",   "Patrick",  "Margaret", "Thomas",
    "Jude",    "Winifred", "Agnes",    "Barnabas",  "Lawrence", "Martin",   "Dominic",
    "Kenelm",  "Werburgh", "Ambrose",  "Anne",      "Clare",    "Mary",     "Peter",
    "Paul",    "John",     "Michael",  "Luke",      "Mark",     "Matthew",  "Andrew"};
const std::vector<std::string> kDedications = {
    "Holy Family",     "Sacred Heart",       "Holy Trinity",   "Our Lady of Lourdes",
    "Our Lady of Fatima", "Holy Cross",      "Corpus Christi", "Christ the King",
    "Guardian Angels", "English Martyrs",    "Holy Souls",     "Our Lady of the Wayside",
    "Immaculate Conception", "Holy Spirit",  "Good Shepherd",  "Blessed Sacrament"};
const std::vector<std::string> kFemaleNames = {
    "Alison", "Amrit",  "Anjali", "Bernadette", "Claire", "Deborah", "Emma",   "Farah",
    "Hannah", "Helen",  "Jacqueline", "Joanne", "Karen",  "Kuldip",  "Lisa",   "Nadia",
    "Nicola", "Priya",  "Rachel", "Rebecca",   "Ruth",   "Samina",  "Sarah",  "Shabana",
    "Yasmin", "Zoe",    "Gemma",  "Louise",    "Fiona",  "Harpreet"};
const std::vector<std::string> kMaleNames = {
    "Andrew", "Daniel", "Gareth", "Graham", "Imran",   "James", "Jonathan", "Mark",
    "Michael", "Paul",  "Richard", "Simon", "Stephen", "Tahir", "Adrian",   "Kamran",
    "Neil",   "Owen",   "Rajinder", "Tom"};
const std::vector<std::string> kSurnameA = {"Ash",  "Brack", "Cres", "Dun",  "Elms", "Fen",
                                            "Garn", "Hal",   "Kel",  "Lang", "Mar",  "Nor",
                                            "Pem",  "Rad",   "Stan", "Thorn", "Wil", "Ald",
                                            "Brin", "Cal",   "Hex",  "Quar", "Vel",  "Yar"};
const std::vector<std::string> kSurnameB = {"bury", "croft", "dale", "field", "ford", "hurst",
                                            "ley",  "mere",  "ridge", "stow", "ton",  "wick",
                                            "wood", "worth", "by",   "cote"};

struct Trust {
  std::string code;
  std::string name;
  int faith;  // 0 any, 1 Roman Catholic, 2 Church of England
};

const std::vector<Trust>& Trusts() {
  static const std::vector<Trust> kTrusts = {
      {"16204", "Arden Vale Learning Trust", 0},
      {"16311", "Blythe Meadow Academy Trust", 0},
      {"15872", "Cole Valley Schools Partnership", 0},
      {"16590", "Rea Valley Learning Trust", 0},
      {"17022", "Tame Bridge Academies", 0},
      {"16045", "Lickey Edge Education Trust", 0},
      {"15533", "Shire Oak Learning Partnership", 0},
      {"16877", "Woodgate Learning Alliance", 0},
      {"17240", "Hockley Brook Academy Trust", 0},
      {"15961", "Bourn Valley Schools Trust", 0},
      {"16432", "Plants Brook Learning Trust", 0},
      {"17108", "Kingfisher Free Schools Trust", 0},
      {"16725", "Horizon Ways Learning Trust", 0},
      {"15690", "Saint Chad's Catholic Multi Academy Company", 1},
      {"15702", "Blessed Dominic Catholic Multi Academy Company", 1},
      {"16118", "Emmanuel Diocesan Schools Trust", 2},
  };
  return kTrusts;
}

// ---------------------------------------------------------------------------------------
// Establishment types (GIAS codes and names).

struct TypeInfo {
  const char* code;
  const char* name;
  const char* group_code;
  const char* group_name;
  bool maintained;  // the LA maintains it (its budget and governing body)
  bool academy;     // academy or free school
  bool sponsored;   // linked to a sponsor
};

// Indices into Types().
enum TypeId {
  kCommunity, kVoluntaryAided, kVoluntaryControlled, kFoundation, kCommunitySpecial,
  kFoundationSpecial, kPru, kLaNursery, kSponsorLed, kSpecialSponsorLed, kConverter, kFree,
  kFreeSpecial, kFreeAp, kFree1619, kUtc, kApSponsorLed, kSpecialConverter, k1619Converter
};

const std::vector<TypeInfo>& Types() {
  static const std::vector<TypeInfo> kTypes = {
      {"01", "Community school", "4", "Local authority maintained schools", true, false, false},
      {"02", "Voluntary aided school", "4", "Local authority maintained schools", true, false,
       false},
      {"03", "Voluntary controlled school", "4", "Local authority maintained schools", true,
       false, false},
      {"05", "Foundation school", "4", "Local authority maintained schools", true, false, false},
      {"07", "Community special school", "5", "Special schools", true, false, false},
      {"12", "Foundation special school", "5", "Special schools", true, false, false},
      {"14", "Pupil referral unit", "4", "Local authority maintained schools", true, false,
       false},
      {"15", "Local authority nursery school", "4", "Local authority maintained schools", true,
       false, false},
      {"28", "Academy sponsor led", "10", "Academies", false, true, true},
      {"33", "Academy special sponsor led", "10", "Academies", false, true, true},
      {"34", "Academy converter", "10", "Academies", false, true, false},
      {"35", "Free schools", "11", "Free Schools", false, true, false},
      {"36", "Free schools special", "11", "Free Schools", false, true, false},
      {"38", "Free schools alternative provision", "11", "Free Schools", false, true, false},
      {"39", "Free schools 16 to 19", "11", "Free Schools", false, true, false},
      {"40", "University technical college", "11", "Free Schools", false, true, false},
      {"43", "Academy alternative provision sponsor led", "10", "Academies", false, true, true},
      {"44", "Academy special converter", "10", "Academies", false, true, false},
      {"45", "Academy 16-19 converter", "10", "Academies", false, true, false},
  };
  return kTypes;
}

// ---------------------------------------------------------------------------------------
// The establishments.

enum class Setting { kNursery, kPrimary, kInfant, kJunior, kSecondary, kAllThrough,
                     kSixteenPlus, kSpecial, kAltProv, kPru };
enum class Faith { kNone, kCatholic, kAnglican, kJewish, kMuslim, kSikh };
enum class Sex { kMixed, kBoys, kGirls };

// The latest graded judgement an open school is given, which fixes the Ofsted profile.
enum class Target { kUnset, kNotInspected, kOutstandingOld, kOutstanding, kGoodOld, kGood,
                    kRequiresImprovement, kInadequate, kInadequateOld };

struct School {
  int urn = 0;
  int estab = 0;
  std::string name;
  TypeId type = kCommunity;
  Setting setting = Setting::kPrimary;
  Faith faith = Faith::kNone;
  Sex sex = Sex::kMixed;
  bool selective = false;
  bool open = true;
  bool tiny = false;
  i64 open_date = kNoDate;
  i64 close_date = kNoDate;
  std::string open_reason_code = "00", open_reason = "Not applicable";
  std::string close_reason_code = "00", close_reason = "Not applicable";
  int low_age = 4, high_age = 11;
  bool nursery_classes = false;
  bool sixth_form = false;
  int ward = 0;
  int district = 0;
  std::string street, postcode, uprn, ukprn, phone;
  i64 easting = 0, northing = 0;
  int msoa = 1;
  int lsoa_letter = 0;
  std::string head_title, head_first, head_last, head_job;
  i64 pupils = 0;  // January 2023 census (closed schools: their last size, not published)
  i64 boys = 0, girls = 0;
  i64 capacity = 0;
  i64 fsm_tenths = 0;
  int trust = -1;
  int federation = -1;
  std::vector<int> predecessors;  // indices of closed schools this one replaced
  int successor = -1;
  bool amalgamation = false;
  bool recent_conversion = false;
  i64 last_changed = kNoDate;
  // Risk model.
  i64 badness = 0;     // latent weakness used to hand out Ofsted judgements
  Target target = Target::kUnset;
  i64 risk = 500;      // 0..1000, drives every other indicator of the school's lineage
  int lineage = 0;     // index of the open school this URN leads to (itself if none)

  const TypeInfo& Type() const { return Types()[static_cast<size_t>(type)]; }
  bool Maintained() const { return Type().maintained; }
  bool Academy() const { return Type().academy; }
  bool OpenOn(i64 day) const {
    return (open_date == kNoDate || open_date <= day) && (close_date == kNoDate || day <= close_date);
  }
  std::string Laestab() const { return "330" + std::to_string(estab); }
};

struct PhaseInfo {
  const char* code;
  const char* name;
};

PhaseInfo Phase(Setting s) {
  switch (s) {
    case Setting::kNursery: return {"1", "Nursery"};
    case Setting::kPrimary:
    case Setting::kInfant:
    case Setting::kJunior: return {"2", "Primary"};
    case Setting::kSecondary: return {"4", "Secondary"};
    case Setting::kAllThrough: return {"7", "All-through"};
    case Setting::kSixteenPlus: return {"6", "16 plus"};
    case Setting::kSpecial:
    case Setting::kAltProv:
    case Setting::kPru: return {"0", "Not applicable"};
  }
  return {"0", "Not applicable"};
}

struct FaithInfo {
  const char* code;
  const char* name;
  const char* ethos;
  const char* diocese_code;
  const char* diocese;
};

FaithInfo FaithOf(Faith f) {
  switch (f) {
    case Faith::kNone: return {"00", "Does not apply", "Does not apply", "0000", "Not applicable"};
    case Faith::kCatholic:
      return {"03", "Roman Catholic", "Roman Catholic", "RC01", "Archdiocese of Birmingham"};
    case Faith::kAnglican:
      return {"02", "Church of England", "Church of England", "CE04", "Diocese of Birmingham"};
    case Faith::kJewish: return {"05", "Jewish", "Jewish", "0000", "Not applicable"};
    case Faith::kMuslim: return {"07", "Muslim", "Muslim", "0000", "Not applicable"};
    case Faith::kSikh: return {"08", "Sikh", "Sikh", "0000", "Not applicable"};
  }
  return {"00", "Does not apply", "Does not apply", "0000", "Not applicable"};
}

bool HasKs2(const School& s) {
  return s.setting == Setting::kPrimary || s.setting == Setting::kJunior ||
         s.setting == Setting::kAllThrough;
}
bool HasKs4(const School& s) {
  return s.setting == Setting::kSecondary || s.setting == Setting::kAllThrough;
}
bool IsSpecial(const School& s) { return s.setting == Setting::kSpecial; }
bool IsPrimaryLike(const School& s) {
  return s.setting == Setting::kPrimary || s.setting == Setting::kInfant ||
         s.setting == Setting::kJunior;
}

class Authority {
 public:
  std::vector<School> schools;

  void Build() {
    schools.reserve(600);  // references into the vector stay valid while it grows
    PlanOpenSchools();
    AddClosedSchools();
    AssignPlaces();
    AssignNumbers();
    AssignNames();
    AssignPeopleAndSizes();
    ScalePupils(215287);
    AssignTrusts();
  }

 private:
  std::set<int> urns_;
  std::set<int> estabs_;
  std::set<std::string> names_;

  void Add(TypeId type, Setting setting, Faith faith, Sex sex, int count, bool selective = false) {
    for (int i = 0; i < count; ++i) {
      School s;
      s.type = type;
      s.setting = setting;
      s.faith = faith;
      s.sex = sex;
      s.selective = selective;
      schools.push_back(s);
    }
  }

  // The open schools, by type and phase: 212 maintained, 232 academies and free schools;
  // 293 primary, 82 secondary, 24 nursery, 6 all-through, 3 sixteen plus, 36 not applicable.
  void PlanOpenSchools() {
    using F = Faith;
    using S = Setting;
    // Local authority maintained (212).
    Add(kCommunity, S::kPrimary, F::kNone, Sex::kMixed, 98);  // one is the 2017 amalgamation
    Add(kCommunity, S::kInfant, F::kNone, Sex::kMixed, 3);
    Add(kCommunity, S::kJunior, F::kNone, Sex::kMixed, 3);
    Add(kVoluntaryAided, S::kPrimary, F::kCatholic, Sex::kMixed, 18);
    Add(kVoluntaryAided, S::kPrimary, F::kAnglican, Sex::kMixed, 12);
    Add(kVoluntaryAided, S::kPrimary, F::kJewish, Sex::kMixed, 1);
    Add(kVoluntaryAided, S::kPrimary, F::kMuslim, Sex::kMixed, 1);
    Add(kVoluntaryAided, S::kPrimary, F::kSikh, Sex::kMixed, 1);
    Add(kVoluntaryControlled, S::kPrimary, F::kAnglican, Sex::kMixed, 6);
    Add(kFoundation, S::kPrimary, F::kNone, Sex::kMixed, 7);
    Add(kFoundation, S::kInfant, F::kNone, Sex::kMixed, 1);
    Add(kFoundation, S::kJunior, F::kNone, Sex::kMixed, 1);
    Add(kCommunity, S::kSecondary, F::kNone, Sex::kMixed, 4);
    Add(kCommunity, S::kSecondary, F::kNone, Sex::kGirls, 2);
    Add(kVoluntaryAided, S::kSecondary, F::kCatholic, Sex::kMixed, 4);
    Add(kVoluntaryAided, S::kSecondary, F::kCatholic, Sex::kGirls, 1);
    Add(kVoluntaryAided, S::kSecondary, F::kAnglican, Sex::kMixed, 1);
    Add(kFoundation, S::kSecondary, F::kNone, Sex::kMixed, 3);
    Add(kFoundation, S::kSecondary, F::kNone, Sex::kBoys, 1);
    Add(kLaNursery, S::kNursery, F::kNone, Sex::kMixed, 24);
    Add(kCommunitySpecial, S::kSpecial, F::kNone, Sex::kMixed, 17);
    Add(kFoundationSpecial, S::kSpecial, F::kNone, Sex::kMixed, 2);
    Add(kPru, S::kPru, F::kNone, Sex::kMixed, 1);
    // Academies and free schools (232).
    Add(kConverter, S::kPrimary, F::kNone, Sex::kMixed, 71);
    Add(kConverter, S::kPrimary, F::kCatholic, Sex::kMixed, 12);
    Add(kConverter, S::kPrimary, F::kAnglican, Sex::kMixed, 8);
    Add(kConverter, S::kInfant, F::kNone, Sex::kMixed, 2);
    Add(kConverter, S::kJunior, F::kNone, Sex::kMixed, 2);
    Add(kSponsorLed, S::kPrimary, F::kNone, Sex::kMixed, 39);
    Add(kSponsorLed, S::kPrimary, F::kAnglican, Sex::kMixed, 3);
    Add(kFree, S::kPrimary, F::kNone, Sex::kMixed, 3);
    Add(kFree, S::kPrimary, F::kMuslim, Sex::kMixed, 1);
    Add(kConverter, S::kSecondary, F::kNone, Sex::kMixed, 22);
    Add(kConverter, S::kSecondary, F::kNone, Sex::kBoys, 3, true);
    Add(kConverter, S::kSecondary, F::kNone, Sex::kGirls, 3, true);
    Add(kConverter, S::kSecondary, F::kNone, Sex::kGirls, 3);
    Add(kConverter, S::kSecondary, F::kNone, Sex::kBoys, 1);
    Add(kConverter, S::kSecondary, F::kCatholic, Sex::kMixed, 4);
    Add(kConverter, S::kSecondary, F::kAnglican, Sex::kMixed, 2);
    Add(kSponsorLed, S::kSecondary, F::kNone, Sex::kMixed, 20);
    Add(kFree, S::kSecondary, F::kNone, Sex::kMixed, 5);
    Add(kFree, S::kSecondary, F::kMuslim, Sex::kGirls, 1);
    Add(kFree, S::kSecondary, F::kSikh, Sex::kMixed, 1);
    Add(kUtc, S::kSecondary, F::kNone, Sex::kMixed, 1);
    Add(kSpecialConverter, S::kSpecial, F::kNone, Sex::kMixed, 5);
    Add(kSpecialSponsorLed, S::kSpecial, F::kNone, Sex::kMixed, 2);
    Add(kFreeSpecial, S::kSpecial, F::kNone, Sex::kMixed, 4);
    Add(kConverter, S::kAllThrough, F::kNone, Sex::kMixed, 2);
    Add(kSponsorLed, S::kAllThrough, F::kNone, Sex::kMixed, 1);
    Add(kFree, S::kAllThrough, F::kNone, Sex::kMixed, 3);
    Add(kFreeAp, S::kAltProv, F::kNone, Sex::kMixed, 3);
    Add(kApSponsorLed, S::kAltProv, F::kNone, Sex::kMixed, 2);
    Add(kFree1619, S::kSixteenPlus, F::kNone, Sex::kMixed, 2);
    Add(k1619Converter, S::kSixteenPlus, F::kNone, Sex::kMixed, 1);
    if (schools.size() != 444) Die("open school plan does not add up to 444");

    // Opening dates of academies and free schools.
    Rng rng = Stream(1);
    for (School& s : schools) {
      if (!s.Academy()) continue;
      const TypeInfo& t = s.Type();
      if (s.type == kFree || s.type == kFreeSpecial || s.type == kFreeAp || s.type == kFree1619) {
        s.open_date = Day(rng.Range(2012, 2021), 9, 1);
        s.open_reason_code = "03";
        s.open_reason = "New Provision";
      } else if (s.type == kUtc) {
        s.open_date = Day(2015, 9, 1);
        s.open_reason_code = "03";
        s.open_reason = "New Provision";
      } else {
        // Converters mostly converted early; sponsored academies spread over the decade.
        const i64 year = t.sponsored ? rng.Range(2012, 2021)
                                     : (rng.Chance(550) ? rng.Range(2011, 2014) : rng.Range(2015, 2021));
        s.open_date = Day(year, rng.Pick(std::vector<i64>{1, 4, 9, 9, 9, 11}), 1);
        s.open_reason_code = t.sponsored ? "11" : "10";
        s.open_reason = t.sponsored ? "Academy Sponsor Led" : "Academy Converter";
      }
    }
    // A few long-standing maintained schools carry an opening date, as in the real file.
    for (School& s : schools) {
      if (s.Academy() || !rng.Chance(180)) continue;
      s.open_date = Day(rng.Range(1950, 1999), 9, 1);
    }
  }

  int NewClosed(const School& like, TypeId type) {
    School c = like;
    c.type = type;
    c.open = false;
    c.open_date = kNoDate;
    c.predecessors.clear();
    c.recent_conversion = false;
    c.amalgamation = false;
    c.trust = -1;
    c.open_reason_code = "00";
    c.open_reason = "Not applicable";
    schools.push_back(c);
    return static_cast<int>(schools.size()) - 1;
  }

  // 40 closed establishments: 36 maintained schools that became academies (closed old URN
  // beside the open new one), an infant and a junior school amalgamated into a new primary
  // in 2017, and two plain closures.
  void AddClosedSchools() {
    Rng rng = Stream(2);
    // Pick the converting academies: 24 primary, 10 secondary, 2 special.
    std::vector<int> primary, secondary, special;
    for (int i = 0; i < static_cast<int>(schools.size()); ++i) {
      const School& s = schools[static_cast<size_t>(i)];
      if (s.type != kConverter && s.type != kSponsorLed && s.type != kSpecialConverter) continue;
      if (s.setting == Setting::kPrimary) primary.push_back(i);
      if (s.setting == Setting::kSecondary && !s.selective) secondary.push_back(i);
      if (s.setting == Setting::kSpecial) special.push_back(i);
    }
    rng.Shuffle(primary);
    rng.Shuffle(secondary);
    rng.Shuffle(special);
    std::vector<int> converting(primary.begin(), primary.begin() + 24);
    converting.insert(converting.end(), secondary.begin(), secondary.begin() + 10);
    converting.insert(converting.end(), special.begin(), special.begin() + 2);
    std::sort(converting.begin(), converting.end());
    // Seven of them converted in the last year and have not been inspected since.
    const std::vector<i64> recent_dates = {Day(2023, 9, 1), Day(2023, 9, 1), Day(2023, 9, 1),
                                           Day(2023, 9, 1), Day(2023, 4, 1), Day(2023, 1, 1),
                                           Day(2022, 11, 1)};
    std::vector<int> recent_pool;
    for (int idx : converting) {
      if (schools[static_cast<size_t>(idx)].setting != Setting::kSpecial) recent_pool.push_back(idx);
    }
    rng.Shuffle(recent_pool);
    std::set<int> recent(recent_pool.begin(), recent_pool.begin() + 7);
    size_t next_recent = 0;
    for (int idx : converting) {
      School& a = schools[static_cast<size_t>(idx)];
      if (recent.count(idx)) {
        a.open_date = recent_dates[next_recent++];
        a.recent_conversion = true;
      } else {
        // Spread over 2012-2021, never in the future of the data.
        a.open_date = Day(rng.Range(2012, 2021), rng.Pick(std::vector<i64>{1, 4, 9, 9, 11}), 1);
      }
      TypeId old_type = kCommunity;
      if (a.setting == Setting::kSpecial) {
        old_type = kCommunitySpecial;
      } else if (a.faith == Faith::kCatholic) {
        old_type = kVoluntaryAided;
      } else if (a.faith == Faith::kAnglican) {
        old_type = rng.Chance(500) ? kVoluntaryAided : kVoluntaryControlled;
      } else if (!a.Type().sponsored && rng.Chance(150)) {
        old_type = kFoundation;
      }
      const int c = NewClosed(a, old_type);
      School& closed = schools[static_cast<size_t>(c)];
      School& academy = schools[static_cast<size_t>(idx)];
      closed.close_date = academy.open_date - 1;
      closed.close_reason_code = academy.Type().sponsored ? "11" : "10";
      closed.close_reason = academy.Type().sponsored ? "Academy Sponsor Led" : "Academy Converter";
      closed.successor = idx;
      academy.predecessors.push_back(c);
    }
    // The 2017 amalgamation: the first community primary is the new school.
    for (size_t i = 0; i < schools.size(); ++i) {
      School& s = schools[i];
      if (s.type != kCommunity || s.setting != Setting::kPrimary) continue;
      s.open_date = Day(2017, 9, 1);
      s.amalgamation = true;
      s.open_reason_code = "01";
      s.open_reason = "Result of Amalgamation/Merger";
      const int infant = NewClosed(s, kCommunity);
      const int junior = NewClosed(schools[i], kCommunity);
      schools[static_cast<size_t>(infant)].setting = Setting::kInfant;
      schools[static_cast<size_t>(junior)].setting = Setting::kJunior;
      for (int c : {infant, junior}) {
        School& closed = schools[static_cast<size_t>(c)];
        closed.close_date = Day(2017, 8, 31);
        closed.close_reason_code = "01";
        closed.close_reason = "Result of Amalgamation/Merger";
        closed.successor = static_cast<int>(i);
        schools[i].predecessors.push_back(c);
      }
      break;
    }
    // Two plain closures: a nursery school and a small primary.
    School nursery;
    nursery.type = kLaNursery;
    nursery.setting = Setting::kNursery;
    nursery.open = false;
    nursery.close_date = Day(2019, 8, 31);
    nursery.close_reason_code = "03";
    nursery.close_reason = "Closure";
    schools.push_back(nursery);
    School small;
    small.type = kCommunity;
    small.setting = Setting::kPrimary;
    small.open = false;
    small.tiny = true;
    small.close_date = Day(2021, 8, 31);
    small.close_reason_code = "03";
    small.close_reason = "Closure";
    schools.push_back(small);
    if (schools.size() != 484) Die("expected 444 open and 40 closed establishments");
  }

  // Districts and wards: open schools spread to match each district's count; a closed
  // school stands where its successor stands.
  void AssignPlaces() {
    Rng rng = Stream(3);
    std::vector<int> slots;
    for (size_t d = 0; d < Districts().size(); ++d) {
      for (i64 k = 0; k < Districts()[d].open_schools; ++k) slots.push_back(static_cast<int>(d));
    }
    rng.Shuffle(slots);
    size_t next = 0;
    for (School& s : schools) {
      if (!s.open) continue;
      s.district = slots[next++];
    }
    for (School& s : schools) {
      if (!s.open && s.successor >= 0) s.district = schools[static_cast<size_t>(s.successor)].district;
      if (!s.open && s.successor < 0) s.district = static_cast<int>(rng.Below(10));
    }
    for (size_t i = 0; i < schools.size(); ++i) {
      School& s = schools[i];
      if (!s.open && s.successor >= 0) continue;  // copied below from the successor
      const District& d = Districts()[static_cast<size_t>(s.district)];
      std::vector<int> wards;
      for (size_t w = 0; w < Wards().size(); ++w) {
        if (Wards()[w].district == s.district) wards.push_back(static_cast<int>(w));
      }
      s.ward = rng.Pick(wards);
      static const std::string kLetters = "ABDEFGHJLNPQRSTUWXYZ";
      s.postcode = std::string(rng.Pick(d.outward)) + " " + std::to_string(rng.Range(1, 9)) +
                   kLetters[static_cast<size_t>(rng.Below(20))] +
                   kLetters[static_cast<size_t>(rng.Below(20))];
      s.easting = d.easting + rng.Noise(2200);
      s.northing = d.northing + rng.Noise(2200);
      s.msoa = s.district * 13 + static_cast<int>(rng.Range(1, 13));
      s.lsoa_letter = static_cast<int>(rng.Below(6));
      s.uprn = rng.Chance(950) ? "1000705" + std::to_string(rng.Range(10000, 99999)) : "";
      s.phone = "01214960" + std::to_string(rng.Range(100, 999));
    }
    for (School& s : schools) {
      if (s.open || s.successor < 0) continue;
      const School& succ = schools[static_cast<size_t>(s.successor)];
      s.ward = succ.ward;
      s.postcode = succ.postcode;
      s.easting = succ.easting;
      s.northing = succ.northing;
      s.msoa = succ.msoa;
      s.lsoa_letter = succ.lsoa_letter;
      s.uprn = succ.uprn;
      s.phone = succ.phone;
    }
  }

  int NewUrn(Rng& rng, i64 open_date) {
    for (;;) {
      int urn = 0;
      if (open_date == kNoDate || open_date < Day(2011, 1, 1)) {
        urn = static_cast<int>(rng.Range(103250, 104399));
      } else {
        const Ymd c = Civil(open_date);
        urn = static_cast<int>(136000 + (c.y - 2011) * 1150 + (c.m - 1) * 90 + rng.Below(90));
      }
      if (urns_.insert(urn).second) return urn;
    }
  }

  int NewEstab(Rng& rng, const School& s) {
    i64 lo = 2000, hi = 3999;
    switch (s.setting) {
      case Setting::kNursery: lo = 1000; hi = 1099; break;
      case Setting::kPru:
      case Setting::kAltProv: lo = 1100; hi = 1149; break;
      case Setting::kSpecial: lo = 7000; hi = 7798; break;
      case Setting::kSecondary:
      case Setting::kAllThrough: lo = 4000; hi = 4899; break;
      case Setting::kSixteenPlus: lo = 4900; hi = 4999; break;
      default:
        if (s.type == kVoluntaryAided || s.type == kVoluntaryControlled) {
          lo = 3300; hi = 3999;
        } else if (s.type == kFoundation) {
          lo = 5200; hi = 5299;
        } else {
          lo = 2000; hi = 3299;
        }
    }
    if (s.type == kFoundation && s.setting == Setting::kSecondary) {
      lo = 5400;
      hi = 5499;
    }
    for (;;) {
      const int e = static_cast<int>(rng.Range(lo, hi));
      if (estabs_.insert(e).second) return e;
    }
  }

  void AssignNumbers() {
    Rng rng = Stream(4);
    for (School& s : schools) {
      s.urn = NewUrn(rng, s.open_date);
      s.estab = NewEstab(rng, s);
    }
    // Predecessors are older than their successors: give closed ones an old-style URN.
    for (School& s : schools) {
      if (!s.open && s.urn > 104999) Die("closed school with a new-style URN");
    }
  }

  std::string Stem(Rng& rng) {
    for (;;) {
      const std::string& a = rng.Pick(kStemA);
      const std::string& b = rng.Pick(kStemB);
      std::string lower_a = a;
      for (char& ch : lower_a) ch = static_cast<char>(ch | 0x20);
      if (lower_a.size() >= b.size() &&
          lower_a.compare(lower_a.size() - b.size(), b.size(), b) == 0) {
        continue;
      }
      std::string stem = a + b;
      const std::string& suffix = rng.Pick(kSuffix);
      if (!(suffix == " Hill" && b == "hill")) stem += suffix;
      return stem;
    }
  }

  std::string SaintName(Rng& rng) {
    if (rng.Chance(250)) return rng.Pick(kDedications);
    return "St " + rng.Pick(kSaints) + "\xE2\x80\x99s";  // curly apostrophe
  }

  std::string MakeName(Rng& rng, const School& s) {
    const bool academy = s.Academy();
    const std::string stem = Stem(rng);
    const std::string sex_suffix =
        s.sex == Sex::kGirls ? (rng.Chance(500) ? " School for Girls" : " Girls\xE2\x80\x99 School")
                             : " School for Boys";
    switch (s.setting) {
      case Setting::kNursery: return stem + " Nursery School";
      case Setting::kInfant: return stem + (academy ? " Infant Academy" : " Infant School");
      case Setting::kJunior: return stem + (academy ? " Junior Academy" : " Junior School");
      case Setting::kSpecial:
        return stem + rng.Pick(std::vector<std::string>{" School", " School", " Academy",
                                                        " Special School"});
      case Setting::kAltProv:
        return stem + rng.Pick(std::vector<std::string>{" Alternative Provision Academy",
                                                        " Learning Centre"});
      case Setting::kPru: return "City " + stem + " Tuition Service";
      case Setting::kSixteenPlus: return stem + " Sixth Form College";
      case Setting::kAllThrough: return stem + (academy ? " Academy" : " All-Through School");
      case Setting::kSecondary: {
        if (s.type == kUtc) return stem + " University Technical College";
        if (s.faith == Faith::kCatholic) {
          return SaintName(rng) + " Catholic " +
                 (s.sex == Sex::kGirls ? "School for Girls" : "High School");
        }
        if (s.faith == Faith::kAnglican) return SaintName(rng) + " Church of England Academy";
        if (s.faith == Faith::kMuslim) return "Al-Noor Girls\xE2\x80\x99 School";
        if (s.faith == Faith::kSikh) return "Guru Amar Das Academy";
        if (s.selective) return stem + " Grammar School" + (s.sex == Sex::kGirls ? " for Girls" : " for Boys");
        if (s.sex != Sex::kMixed) return stem + sex_suffix;
        if (academy) return stem + rng.Pick(std::vector<std::string>{" Academy", " Academy", " School", " High School"});
        return stem + rng.Pick(std::vector<std::string>{" School", " Community School", " High School"});
      }
      case Setting::kPrimary: break;
    }
    switch (s.faith) {
      case Faith::kCatholic: return SaintName(rng) + " Catholic Primary School";
      case Faith::kAnglican:
        return SaintName(rng) + (rng.Chance(500) ? " C of E Primary School"
                                                 : " Church of England Primary School");
      case Faith::kJewish: return "Beth Shalom Jewish Primary School";
      case Faith::kMuslim: return academy ? "Al-Hikmah Primary Academy" : "Al-Falah Primary School";
      case Faith::kSikh: return "Guru Tegh Bahadur Primary School";
      case Faith::kNone: break;
    }
    if (academy) {
      return stem + rng.Pick(std::vector<std::string>{" Primary Academy", " Primary School",
                                                      " Academy", " Primary Academy"});
    }
    return stem + rng.Pick(std::vector<std::string>{" Primary School", " Primary School",
                                                    " Junior and Infant School",
                                                    " Community Primary School"});
  }

  void AssignNames() {
    Rng rng = Stream(5);
    for (School& s : schools) {
      if (!s.open && s.successor >= 0) continue;
      for (int attempt = 0;; ++attempt) {
        std::string name = MakeName(rng, s);
        if (attempt > 6) name += ", " + Wards()[static_cast<size_t>(s.ward)].name;
        if (names_.insert(name).second) {
          s.name = name;
          break;
        }
      }
    }
    // A predecessor carries the maintained form of its successor's name (often the same).
    for (School& s : schools) {
      if (s.open || s.successor < 0) continue;
      const School& succ = schools[static_cast<size_t>(s.successor)];
      std::string name = succ.name;
      if (s.setting == Setting::kInfant || s.setting == Setting::kJunior) {
        size_t cut = std::string::npos;
        for (const char* tail : {" Community Primary", " Primary", " Junior and Infant"}) {
          cut = std::min(cut, name.find(tail));
        }
        if (cut == std::string::npos) cut = name.rfind(' ');
        name = name.substr(0, cut) + (s.setting == Setting::kInfant ? " Infant School" : " Junior School");
      } else {
        static const std::vector<std::pair<std::string, std::string>> kForms = {
            {" Primary Academy", " Primary School"},
            {" Infant Academy", " Infant School"},
            {" Junior Academy", " Junior School"},
            {" Church of England Academy", " Church of England School"},
        };
        bool done = false;
        for (const auto& [from, to] : kForms) {
          const size_t at = name.find(from);
          if (at != std::string::npos) {
            name.replace(at, from.size(), to);
            done = true;
            break;
          }
        }
        const std::string academy = " Academy";
        if (!done && name.size() > academy.size() &&
            name.compare(name.size() - academy.size(), academy.size(), academy) == 0) {
          name.replace(name.size() - academy.size(), academy.size(),
                       s.setting == Setting::kPrimary ? " Primary School" : " School");
        }
      }
      s.name = name;
    }
  }

  void AssignPeopleAndSizes() {
    Rng rng = Stream(6);
    // Three very small primaries, whose Key Stage 2 results are suppressed.
    int tiny = 0;
    for (School& s : schools) {
      if (tiny < 3 && s.open && s.type == kCommunity && s.setting == Setting::kPrimary &&
          !s.amalgamation && rng.Chance(100)) {
        s.tiny = true;
        ++tiny;
      }
    }
    for (School& s : schools) {
      const bool female = rng.Chance(IsPrimaryLike(s) || s.setting == Setting::kNursery ? 760 : 480);
      s.head_title = female ? rng.Pick(std::vector<std::string>{"Mrs", "Mrs", "Ms", "Miss", "Dr"})
                            : rng.Pick(std::vector<std::string>{"Mr", "Mr", "Mr", "Dr"});
      s.head_first = female ? rng.Pick(kFemaleNames) : rng.Pick(kMaleNames);
      s.head_last = rng.Pick(kSurnameA) + rng.Pick(kSurnameB);
      s.head_job = s.Academy() ? rng.Pick(std::vector<std::string>{"Principal", "Headteacher",
                                                                   "Headteacher", "Head of School"})
                               : rng.Pick(std::vector<std::string>{"Headteacher", "Headteacher",
                                                                   "Headteacher", "Executive Headteacher"});
      const District& d = Districts()[static_cast<size_t>(s.district)];
      s.street = Stem(rng);
      if (s.street.find(' ') == std::string::npos) {
        s.street += rng.Pick(std::vector<std::string>{" Road", " Lane", " Avenue", " Street", " Close"});
      }
      s.ukprn = rng.Chance(s.open ? 930 : 600) ? "100" + std::to_string(rng.Range(10000, 89999)) : "";
      // Ages and size.
      switch (s.setting) {
        case Setting::kNursery:
          s.low_age = 2; s.high_age = 5; s.nursery_classes = true;
          s.pupils = rng.Range(55, 140);
          break;
        case Setting::kPrimary: {
          s.nursery_classes = rng.Chance(600);
          s.low_age = s.nursery_classes ? 3 : 4;
          s.high_age = 11;
          const i64 roll = rng.Below(1000);
          const i64 halves = roll < 260 ? 2 : roll < 350 ? 3 : roll < 750 ? 4 : roll < 950 ? 6 : 8;
          s.pupils = halves * 105 * rng.Range(880, 1040) / 1000 + (s.nursery_classes ? 26 * (halves >= 4 ? 2 : 1) : 0);
          if (s.tiny) s.pupils = rng.Range(62, 78);
          break;
        }
        case Setting::kInfant:
          s.nursery_classes = rng.Chance(500);
          s.low_age = s.nursery_classes ? 3 : 4; s.high_age = 7;
          s.pupils = rng.Range(2, 4) * 90 * rng.Range(900, 1030) / 1000 + (s.nursery_classes ? 39 : 0);
          break;
        case Setting::kJunior:
          s.low_age = 7; s.high_age = 11;
          s.pupils = rng.Range(2, 4) * 120 * rng.Range(900, 1030) / 1000;
          break;
        case Setting::kSecondary:
          s.low_age = s.type == kUtc ? 14 : 11;
          s.sixth_form = s.selective || s.type == kUtc || rng.Chance(550);
          s.high_age = s.sixth_form ? 18 : 16;
          if (s.type == kUtc) {
            s.pupils = rng.Range(250, 480);
          } else if (s.selective) {
            s.pupils = 750 + rng.Range(250, 330);
          } else {
            s.pupils = rng.Range(6, 10) * 150 * rng.Range(900, 1030) / 1000 + (s.sixth_form ? rng.Range(150, 300) : 0);
          }
          break;
        case Setting::kAllThrough:
          s.low_age = rng.Chance(500) ? 3 : 4; s.high_age = 18; s.sixth_form = true;
          s.nursery_classes = s.low_age == 3;
          s.pupils = rng.Range(1300, 1900);
          break;
        case Setting::kSixteenPlus:
          s.low_age = 16; s.high_age = 19; s.sixth_form = true;
          s.pupils = rng.Range(300, 650);
          break;
        case Setting::kSpecial: {
          const i64 kind = rng.Below(3);
          s.low_age = kind == 0 ? 2 : kind == 1 ? 4 : 11;
          s.high_age = kind == 1 ? 11 : 19;
          s.sixth_form = s.high_age == 19;
          s.pupils = rng.Range(70, 260);
          break;
        }
        case Setting::kAltProv:
          s.low_age = 11; s.high_age = 16;
          s.pupils = rng.Range(25, 90);
          break;
        case Setting::kPru:
          s.low_age = 5; s.high_age = 16;
          s.pupils = rng.Range(140, 190);
          break;
      }
      i64 fsm = d.fsm_tenths + rng.Noise(130);
      if (s.selective) fsm = fsm / 3;
      if (s.setting == Setting::kSpecial) fsm += 90;
      if (s.setting == Setting::kAltProv || s.setting == Setting::kPru) fsm += 180;
      if (s.setting == Setting::kNursery) fsm -= 60;
      s.fsm_tenths = Clamp(fsm, 30, 780);
    }
    // A federation of two nursery schools, as several LAs have.
    int in_fed = 0;
    for (School& s : schools) {
      if (s.open && s.setting == Setting::kNursery && in_fed < 2) {
        s.federation = 0;
        ++in_fed;
      }
    }
  }

  // Scales open schools' pupil numbers so the authority totals exactly `target`.
  void ScalePupils(i64 target) {
    i64 total = 0;
    for (const School& s : schools) total += s.open ? s.pupils : 0;
    i64 scaled = 0;
    for (School& s : schools) {
      if (!s.open || s.tiny) continue;
      s.pupils = s.pupils * target / total;
    }
    for (const School& s : schools) scaled += s.open ? s.pupils : 0;
    // Hand out the remainder one pupil at a time, largest schools first.
    std::vector<size_t> order;
    for (size_t i = 0; i < schools.size(); ++i) {
      if (schools[i].open && !schools[i].tiny) order.push_back(i);
    }
    std::stable_sort(order.begin(), order.end(), [this](size_t a, size_t b) {
      return schools[a].pupils > schools[b].pupils;
    });
    for (size_t k = 0; scaled != target; k = (k + 1) % order.size()) {
      schools[order[k]].pupils += scaled < target ? 1 : -1;
      scaled += scaled < target ? 1 : -1;
    }
    Rng rng = Stream(7);
    for (School& s : schools) {
      i64 boys_share = rng.Range(490, 525);
      if (s.setting == Setting::kSpecial) boys_share = rng.Range(660, 760);
      if (s.setting == Setting::kAltProv || s.setting == Setting::kPru) boys_share = rng.Range(640, 780);
      if (s.sex == Sex::kBoys) boys_share = 1000;
      if (s.sex == Sex::kGirls) boys_share = 0;
      s.boys = DivRound(s.pupils * boys_share, 1000);
      s.girls = s.pupils - s.boys;
      if (rng.Chance(130)) {
        s.capacity = s.pupils * rng.Range(900, 990) / 1000;
      } else {
        s.capacity = s.pupils * rng.Range(1000, 1150) / 1000;
      }
      s.capacity = DivRound(s.capacity, 5) * 5;
      s.last_changed = s.open ? Day(2023, 1, 5) + rng.Range(0, 320)
                              : std::min(s.close_date + rng.Range(10, 200), kAsOf - 1);
    }
  }

  void AssignTrusts() {
    Rng rng = Stream(8);
    for (size_t i = 0; i < schools.size(); ++i) {
      School& s = schools[i];
      if (!s.open || !s.Academy()) continue;
      std::vector<int> fits;
      for (size_t t = 0; t < Trusts().size(); ++t) {
        const int faith = Trusts()[t].faith;
        const bool ok = (faith == 1 && s.faith == Faith::kCatholic) ||
                        (faith == 2 && s.faith == Faith::kAnglican) ||
                        (faith == 0 && s.faith != Faith::kCatholic && s.faith != Faith::kAnglican);
        if (ok) fits.push_back(static_cast<int>(t));
      }
      // About one converter in six stands alone as a single-academy trust (-2).
      if (s.type == kConverter && s.faith == Faith::kNone && rng.Chance(170)) {
        s.trust = -2;
      } else {
        s.trust = rng.Pick(fits);
      }
    }
  }
};

// ---------------------------------------------------------------------------------------
// Ofsted: each open school's latest graded judgement is fixed first (to reproduce the
// authority's profile exactly), then a plausible history is built back to 2008.

struct Inspection {
  int school = 0;
  i64 start = 0;
  i64 published = 0;
  i64 number = 0;
  bool graded = false;
  int overall = 0;  // 1 Outstanding .. 4 Inadequate; 0 for ungraded
  std::string concern;
  int qoe = 0, behaviour = 0, personal = 0, leadership = 0;
  std::string safeguarding;
  std::string type, outcome;
};

bool OldTarget(Target t) {
  return t == Target::kOutstandingOld || t == Target::kGoodOld || t == Target::kInadequateOld;
}

int GradeOf(Target t) {
  switch (t) {
    case Target::kOutstanding:
    case Target::kOutstandingOld: return 1;
    case Target::kGood:
    case Target::kGoodOld: return 2;
    case Target::kRequiresImprovement: return 3;
    case Target::kInadequate:
    case Target::kInadequateOld: return 4;
    default: return 0;
  }
}

void AssignTargets(std::vector<School>& schools) {
  Rng rng = Stream(10);
  for (School& s : schools) {
    i64 b = rng.Range(0, 1000) + (s.fsm_tenths - 380) / 3;
    if (s.Type().sponsored) b += 120;
    if (s.setting == Setting::kNursery) b -= 260;
    if (s.setting == Setting::kSpecial) b -= 120;
    if (s.selective) b -= 320;
    if (s.setting == Setting::kAltProv || s.setting == Setting::kPru) b += 80;
    s.badness = b;
  }
  const auto old_ok = [](const School& s) {
    return s.open_date == kNoDate || s.open_date <= Day(2016, 6, 30);
  };
  std::vector<size_t> order;
  for (size_t i = 0; i < schools.size(); ++i) {
    School& s = schools[i];
    if (!s.open) continue;
    if (s.recent_conversion) {
      s.target = Target::kNotInspected;
    } else {
      order.push_back(i);
    }
  }
  std::stable_sort(order.begin(), order.end(), [&schools](size_t a, size_t b) {
    return schools[a].badness > schools[b].badness;
  });
  int inadequate_old = 0, inadequate = 0, ri = 0;
  for (size_t i : order) {
    School& s = schools[i];
    if (inadequate_old < 6 && s.Maintained() && old_ok(s) &&
        (IsPrimaryLike(s) || s.setting == Setting::kSecondary)) {
      s.target = Target::kInadequateOld;
      ++inadequate_old;
    } else if (inadequate < 11) {
      s.target = Target::kInadequate;
      ++inadequate;
    } else if (ri < 38) {
      s.target = Target::kRequiresImprovement;
      ++ri;
    }
  }
  std::vector<size_t> rest;
  for (size_t i : order) {
    if (schools[i].target == Target::kUnset) rest.push_back(i);
  }
  std::reverse(rest.begin(), rest.end());  // best first
  std::vector<size_t> outstanding(rest.begin(), rest.begin() + 89);
  std::vector<size_t> good(rest.begin() + 89, rest.end());
  const auto split = [&](std::vector<size_t>& pool, int old_count, Target old_target,
                         Target recent_target) {
    std::vector<size_t> eligible;
    for (size_t i : pool) {
      if (old_ok(schools[i])) eligible.push_back(i);
    }
    rng.Shuffle(eligible);
    if (static_cast<int>(eligible.size()) < old_count) Die("too few schools eligible for an old judgement");
    std::set<size_t> old(eligible.begin(), eligible.begin() + old_count);
    for (size_t i : pool) schools[i].target = old.count(i) ? old_target : recent_target;
  };
  split(outstanding, 59, Target::kOutstandingOld, Target::kOutstanding);
  split(good, 74, Target::kGoodOld, Target::kGood);
  if (good.size() != 293) Die("good count is not 293");

  // Lineages: an academy's predecessor shares its story; amalgamated schools keep their own.
  for (size_t i = 0; i < schools.size(); ++i) {
    School& s = schools[i];
    s.lineage = static_cast<int>(i);
    if (!s.open && s.successor >= 0 && !schools[static_cast<size_t>(s.successor)].amalgamation) {
      s.lineage = s.successor;
    }
  }
  Rng risk_rng = Stream(11);
  for (School& s : schools) {
    i64 base = 560;
    switch (s.target) {
      case Target::kInadequateOld: base = 840; break;
      case Target::kInadequate: base = 800; break;
      case Target::kRequiresImprovement: base = 620; break;
      case Target::kGood:
      case Target::kGoodOld: base = 330; break;
      case Target::kOutstanding:
      case Target::kOutstandingOld: base = 170; break;
      case Target::kNotInspected: base = 460; break;
      default: break;
    }
    i64 risk = base + risk_rng.Noise(230) + (s.fsm_tenths - 380) / 5;
    // Some good and outstanding schools have declined since their last inspection: the
    // schools a risk assessment exists to find before Ofsted does.
    const bool judged_well = GradeOf(s.target) == 1 || GradeOf(s.target) == 2;
    if (judged_well && risk_rng.Chance(OldTarget(s.target) ? 360 : 260)) risk += risk_rng.Range(220, 360);
    s.risk = Clamp(risk, 0, 1000);
  }
  for (School& s : schools) {
    if (s.lineage != static_cast<int>(&s - schools.data())) {
      s.risk = schools[static_cast<size_t>(s.lineage)].risk;
    }
  }
}

// A day in [lo, hi] that suits an inspection; hi is respected even when the day found
// first falls in a holiday.
i64 InspectionBetween(Rng& rng, i64 lo, i64 hi) {
  if (hi < lo) hi = lo;
  i64 candidate = rng.Range(lo, hi);
  for (int tries = 0; tries < 80; ++tries) {
    const i64 d = InspectionDay(candidate);
    if (d <= hi && d >= lo) return d;
    candidate -= 9;
    if (candidate < lo) candidate = lo + rng.Below(std::max<i64>(1, (hi - lo) / 2 + 1));
  }
  return InspectionDay(lo);
}

class OfstedHistory {
 public:
  std::vector<Inspection> inspections;

  void Build(const std::vector<School>& schools) {
    for (size_t i = 0; i < schools.size(); ++i) BuildOne(schools, static_cast<int>(i));
    AssignNumbers();
  }

 private:
  void Graded(Rng& rng, int school, i64 day, int grade, Target target) {
    Inspection in;
    in.school = school;
    in.start = day;
    in.graded = true;
    in.overall = grade;
    in.type = "S5 Inspection";
    const auto sub = [&rng](int g) {
      const i64 roll = rng.Below(1000);
      return static_cast<int>(Clamp(g + (roll < 140 ? -1 : roll > 840 ? 1 : 0), 1, 4));
    };
    in.leadership = grade == 4 ? (rng.Chance(700) ? 4 : 3) : sub(grade);
    if (day >= kEifStart) {
      in.qoe = sub(grade);
      in.behaviour = sub(grade);
      in.personal = std::min(sub(grade), grade);
    }
    if (day >= kCifStart) in.safeguarding = grade == 4 && rng.Chance(400) ? "No" : "Yes";
    if (grade == 4) {
      in.concern = target == Target::kInadequateOld || in.safeguarding == "No" || rng.Chance(650)
                       ? "Special measures"
                       : "Serious weaknesses";
    }
    inspections.push_back(in);
  }

  void Ungraded(int school, i64 day, const std::string& type, const std::string& outcome) {
    Inspection in;
    in.school = school;
    in.start = day;
    in.type = type;
    in.outcome = outcome;
    inspections.push_back(in);
  }

  // Monitoring visits after a judgement of `grade`, from `from` until before `until`.
  void Monitoring(Rng& rng, int school, int grade, i64 from, i64 until) {
    if (grade < 3) return;
    i64 day = from + rng.Range(120, 190);
    int visits = 0;
    while (day < until && day <= kLatestStart && visits < 6) {
      if (day >= kCovidPause && day < kCovidResume) day = kCovidResume + rng.Range(0, 60);
      const i64 d = InspectionDay(day);
      if (d >= until || d > kLatestStart) break;
      std::string outcome = "Taking effective action";
      if (grade == 4 && rng.Chance(220)) outcome = "Not taking effective action";
      Ungraded(school, d, "S8 Monitoring Inspection", outcome);
      ++visits;
      if (grade == 3) break;  // one visit for a school that requires improvement
      day = d + rng.Range(150, 260);
    }
  }

  static int PreviousGrade(Rng& rng, int later) {
    const i64 roll = rng.Below(1000);
    switch (later) {
      case 1: return roll < 500 ? 1 : 2;
      case 2: return roll < 560 ? 2 : roll < 840 ? 3 : roll < 930 ? 1 : 4;
      case 3: return roll < 280 ? 3 : roll < 800 ? 2 : roll < 920 ? 4 : 1;
      default: return roll < 450 ? 3 : roll < 900 ? 2 : 1;
    }
  }

  static i64 GapAfter(Rng& rng, int grade) {
    switch (grade) {
      case 1: return rng.Range(5 * 365, 9 * 365);
      case 2: return rng.Range(1250, 1800);
      case 3: return rng.Range(640, 900);
      default: return rng.Range(480, 760);
    }
  }

  // Graded inspections before (day, grade), back to lo, with what happened in between.
  void ChainBack(Rng& rng, int school, i64 day, int grade, i64 lo) {
    for (int guard = 0; guard < 10; ++guard) {
      const int prev = PreviousGrade(rng, grade);
      i64 raw = day - GapAfter(rng, prev);
      if (raw >= kCovidPause && raw < kCovidResume) raw = kCovidPause - rng.Range(20, 240);
      const i64 prev_day = InspectionDay(raw);
      if (prev_day >= day - 200 || prev_day < lo) return;
      Graded(rng, school, prev_day, prev, Target::kUnset);
      if (prev >= 3) Monitoring(rng, school, prev, prev_day, day - 60);
      if (prev == 2 && prev_day + 1150 >= kCifStart && prev_day + 1150 < day - 250) {
        const i64 short_day = InspectionDay(prev_day + rng.Range(1100, 1250));
        if (short_day < day - 200 && (short_day < kCovidPause || short_day >= kCovidResume)) {
          Ungraded(school, short_day, "S8 Inspection of a Good School", "School remains Good");
        }
      }
      day = prev_day;
      grade = prev;
    }
  }

  void BuildOne(const std::vector<School>& schools, int index) {
    const School& s = schools[static_cast<size_t>(index)];
    Rng rng = Stream(20, static_cast<u64>(s.urn));
    i64 lo = kHistoryStart;
    if (s.open_date != kNoDate) lo = std::max(lo, s.open_date + 200);
    if (s.open) {
      if (s.target == Target::kNotInspected || s.target == Target::kUnset) return;
      const int grade = GradeOf(s.target);
      i64 from = Day(2021, 5, 4), to = kLatestStart;
      switch (s.target) {
        case Target::kOutstandingOld:
          if (rng.Chance(700)) {
            from = Day(2008, 10, 1); to = Day(2013, 7, 10);
          } else {
            from = Day(2013, 9, 10); to = Day(2018, 10, 15);
          }
          break;
        case Target::kGoodOld:
          if (rng.Chance(800)) {
            from = Day(2016, 6, 1); to = Day(2018, 10, 15);
          } else {
            from = Day(2013, 9, 10); to = Day(2016, 5, 31);
          }
          break;
        case Target::kInadequateOld: from = Day(2016, 9, 10); to = Day(2018, 7, 10); break;
        case Target::kRequiresImprovement:
        case Target::kInadequate:
          if (rng.Chance(150)) { from = Day(2019, 1, 10); to = Day(2020, 3, 10); }
          break;
        default:
          if (rng.Chance(250)) { from = Day(2019, 1, 10); to = Day(2020, 3, 10); }
          break;
      }
      if (from < lo) from = lo;
      if (OldTarget(s.target) && from > Day(2018, 10, 15)) Die("old judgement impossible for " + s.name);
      if (to < from) to = OldTarget(s.target) ? Day(2018, 10, 15) : kLatestStart;
      const i64 latest = InspectionBetween(rng, from, to);
      Graded(rng, index, latest, grade, s.target);
      ChainBack(rng, index, latest, grade, lo);
      if (grade >= 3) Monitoring(rng, index, grade, latest, kAsOf);
      return;
    }
    // A closed school: its own story up to its closure.
    const i64 hi = std::min(s.close_date - 30, kLatestStart);
    if (hi < lo + 200) return;
    int grade = 2;
    i64 latest = 0;
    const bool sponsored_successor =
        s.successor >= 0 && schools[static_cast<size_t>(s.successor)].Type().sponsored;
    if (sponsored_successor) {
      grade = 4;
      latest = InspectionBetween(rng, std::max(lo, hi - 520), hi - 90);
    } else {
      const i64 roll = rng.Below(1000);
      grade = s.risk > 600 ? (roll < 450 ? 3 : roll < 850 ? 2 : 4)
                           : (roll < 600 ? 2 : roll < 900 ? 1 : 3);
      latest = InspectionBetween(rng, std::max(lo, hi - 1400), hi - 60);
    }
    Graded(rng, index, latest, grade, Target::kUnset);
    ChainBack(rng, index, latest, grade, lo);
    if (grade >= 3) Monitoring(rng, index, grade, latest, s.close_date);
  }

  // Ofsted numbers inspections in date order: six digits before September 2015, eight after.
  void AssignNumbers() {
    std::stable_sort(inspections.begin(), inspections.end(),
                     [](const Inspection& a, const Inspection& b) {
                       if (a.start != b.start) return a.start < b.start;
                       return a.school < b.school;
                     });
    Rng rng = Stream(21);
    std::set<i64> used;
    for (Inspection& in : inspections) {
      i64 n = in.start < kCifStart ? 300000 + (in.start - Day(2008, 1, 1)) * 40 + rng.Below(40)
                                   : 10000000 + (in.start - kCifStart) * 60 + rng.Below(60);
      while (!used.insert(n).second) ++n;
      in.number = n;
      in.published = std::min(in.start + (in.graded ? rng.Range(18, 38) : rng.Range(14, 30)), kAsOf - 1);
    }
  }
};

// ---------------------------------------------------------------------------------------
// Performance, attendance and behaviour: a series per lineage (an academy and the
// maintained school it replaced tell one story), each year written under the URN that was
// open at the time.

const std::vector<int> kKsYears = {2017, 2018, 2019, 2022, 2023};  // no KS2/KS4 in 2020, 2021
const std::vector<int> kAbsenceYears = {2017, 2018, 2019, 2021, 2022, 2023};
const std::vector<int> kExclusionYears = {2017, 2018, 2019, 2020, 2021, 2022, 2023};

// EES time_period of the academic year ending in `end_year`: 2023 -> "202223".
std::string TimePeriod(int end_year) {
  return std::to_string(end_year - 1) + Two(end_year % 100);
}

std::string AcademicYear(int end_year) {
  return std::to_string(end_year - 1) + "/" + Two(end_year % 100);
}

struct Lineage {
  int head = 0;
  std::vector<int> members;
  i64 risk = 500;
  i64 growth = 0;  // per mille a year
};

struct KeyedRow {
  int year;
  int urn;
  int order;
  std::vector<std::string> fields;
};

void SortRows(std::vector<KeyedRow>& rows) {
  std::stable_sort(rows.begin(), rows.end(), [](const KeyedRow& a, const KeyedRow& b) {
    if (a.year != b.year) return a.year < b.year;
    if (a.urn != b.urn) return a.urn < b.urn;
    return a.order < b.order;
  });
}

// Attainment and absence files key schools by URN; the exclusions file adds laestab.
const std::vector<std::string> kEesPrefix = {
    "time_period", "time_identifier", "geographic_level", "country_code", "country_name",
    "region_code", "region_name",     "old_la_code",      "new_la_code",  "la_name",
    "school_urn",  "school_name"};

std::vector<std::string> EesPrefix(int year, const School& s) {
  return {TimePeriod(year), "Academic year", "School", "E92000001", "England", "E12000005",
          "West Midlands", "330", "E08000025", "Birmingham", std::to_string(s.urn), s.name};
}

// Counts of signals seeded in the latest data, reported in PROFILE.md.
struct Signals {
  int ks2_falling = 0, ks2_below_floor = 0, ks4_weak_p8 = 0, pa_high = 0, excl_high = 0;
  int s175_not_returned = 0, s175_actions = 0, gov_high = 0, gov_medium = 0, gov_vacancy = 0;
  int deficit = 0, deficit_large = 0, safeguarding_no = 0, roll_fell = 0;
};

class Performance {
 public:
  Performance(const std::vector<School>& schools, Signals& signals)
      : schools_(schools), signals_(signals) {
    for (size_t i = 0; i < schools_.size(); ++i) {
      const School& s = schools_[i];
      if (s.lineage != static_cast<int>(i)) continue;
      Lineage l;
      l.head = static_cast<int>(i);
      l.risk = s.risk;
      for (size_t j = 0; j < schools_.size(); ++j) {
        if (schools_[j].lineage == static_cast<int>(i)) l.members.push_back(static_cast<int>(j));
      }
      Rng rng = Stream(30, static_cast<u64>(s.urn));
      l.growth = rng.Range(-15, 25);
      lineages_.push_back(l);
    }
  }

  // The URN of the lineage open on `day`, or nullptr.
  const School* Holder(const Lineage& l, i64 day) const {
    for (int m : l.members) {
      const School& s = schools_[static_cast<size_t>(m)];
      if (s.OpenOn(day)) return &s;
    }
    return nullptr;
  }

  i64 PupilsIn(const Lineage& l, int year) const {
    const School& head = schools_[static_cast<size_t>(l.head)];
    return std::max<i64>(5, head.pupils * (1000 - (2023 - year) * l.growth) / 1000);
  }

  // Lineages whose data starts only once the school's first pupils reach the key stage.
  static bool TooNew(const School& holder, int year, int years_to_reach) {
    if (holder.open_date == kNoDate || !holder.predecessors.empty()) return false;
    if (holder.open_reason != "New Provision") return false;
    return Civil(holder.open_date).y + years_to_reach > year;
  }

  void WriteKs2(CsvFile& out) {
    std::vector<std::string> header = kEesPrefix;
    for (const char* h : {"establishment_type_group", "breakdown_topic", "breakdown", "subject",
                          "expected_standard_pupil_percent", "higher_standard_pupil_percent",
                          "average_scaled_score", "progress_measure_score"}) {
      header.push_back(h);
    }
    out.Row(header, false);
    const std::vector<i64> la = {53, 57, 58, 51, 52};
    std::vector<KeyedRow> rows;
    for (const Lineage& l : lineages_) {
      const School& head = schools_[static_cast<size_t>(l.head)];
      if (!HasKs2(head)) continue;
      Rng rng = Stream(31, static_cast<u64>(head.urn));
      const i64 effect = (500 - l.risk) * 40 / 1000 + rng.Noise(11);
      const i64 progress_effect = (500 - l.risk) * 11 / 100 + rng.Noise(30);
      const bool falling = rng.Chance(45 + l.risk / 10 + (head.target == Target::kOutstandingOld ? 90 : 0));
      std::vector<i64> rwm(5), progress(5);
      for (size_t y = 0; y < 5; ++y) {
        rwm[y] = la[y] + effect + rng.Noise(7);
        progress[y] = progress_effect + rng.Noise(22);
      }
      if (falling) {
        rwm[2] += 4;
        rwm[3] = std::min(rwm[3] - rng.Range(2, 6), rwm[2] - 4);
        rwm[4] = std::min(rwm[4] - rng.Range(8, 14), rwm[3] - 5);
        progress[3] -= 10;
        progress[4] -= 22;
      }
      for (size_t y = 0; y < 5; ++y) rwm[y] = Clamp(rwm[y], 5, 97);
      for (size_t y = 0; y < 5; ++y) {
        const int year = kKsYears[y];
        const School* holder = Holder(l, Day(year, 6, 15));
        if (holder == nullptr || TooNew(*holder, year, 7)) continue;
        const i64 pupils = PupilsIn(l, year) - (holder->nursery_classes ? 26 : 0);
        const i64 cohort = holder->setting == Setting::kJunior ? pupils / 4
                           : holder->setting == Setting::kAllThrough ? pupils / 14
                                                                      : pupils / 7;
        const bool suppressed = cohort < 11;
        const bool unavailable = rng.Chance(12);
        const i64 v = rwm[y];
        struct Subject {
          const char* name;
          i64 expected, higher, scaled, progress;
          bool has_progress;
        };
        const i64 reading = Clamp(v + 15 + rng.Noise(4), 5, 100);
        const i64 maths = Clamp(v + 16 + rng.Noise(4), 5, 100);
        const std::vector<Subject> subjects = {
            {"Reading, writing and maths", v, Clamp(v * 10 / 75 - 2 + rng.Noise(3), 0, 60), 0, 0, false},
            {"Reading", reading, Clamp(v / 2 + rng.Noise(6), 0, 80), 96 + reading * 12 / 100,
             Clamp(progress[y] + rng.Noise(6), -90, 90), true},
            {"Maths", maths, Clamp(v * 2 / 5 + rng.Noise(6), 0, 80), 96 + maths * 12 / 100,
             Clamp(progress[y] + rng.Noise(6), -90, 90), true},
        };
        if (year == 2023 && holder->open && !suppressed && !unavailable) {
          if (falling) ++signals_.ks2_falling;
          if (v < 65 && (subjects[1].progress < -50 || subjects[2].progress < -50)) {
            ++signals_.ks2_below_floor;
          }
        }
        int order = 0;
        for (const Subject& sub : subjects) {
          std::vector<std::string> f = EesPrefix(year, *holder);
          f.push_back(holder->Type().group_name);
          f.push_back("Total");
          f.push_back("Total");
          f.push_back(sub.name);
          const std::string code = suppressed ? "c" : unavailable ? "x" : "";
          if (!code.empty()) {
            f.push_back(code);
            f.push_back(code);
            f.push_back(sub.has_progress ? code : "z");
            f.push_back(sub.has_progress ? code : "z");
          } else {
            f.push_back(std::to_string(sub.expected));
            f.push_back(sub.higher == 0 ? "low" : std::to_string(sub.higher));
            f.push_back(sub.has_progress ? std::to_string(sub.scaled) : "z");
            f.push_back(sub.has_progress ? Fixed(sub.progress, 1) : "z");
          }
          rows.push_back({year, holder->urn, order++, f});
        }
      }
    }
    SortRows(rows);
    for (const KeyedRow& r : rows) out.Row(r.fields, false);
  }

  void WriteKs4(CsvFile& out) {
    std::vector<std::string> header = kEesPrefix;
    for (const char* h : {"establishment_type_group", "breakdown_topic", "breakdown", "pupil_count",
                          "attainment8_average", "progress8_average", "engmath_95_percent",
                          "ebacc_aps_average"}) {
      header.push_back(h);
    }
    out.Row(header, false);
    const std::vector<i64> la_a8 = {446, 451, 455, 478, 458};
    const std::vector<i64> la_p8 = {-3, -2, 0, 2, 1};
    std::vector<KeyedRow> rows;
    for (const Lineage& l : lineages_) {
      const School& head = schools_[static_cast<size_t>(l.head)];
      if (!HasKs4(head)) continue;
      Rng rng = Stream(32, static_cast<u64>(head.urn));
      const i64 effect = (500 - l.risk) * 9 / 100 + rng.Noise(35) + (head.selective ? 55 : 0);
      const bool falling = rng.Chance(40 + l.risk / 10);
      for (size_t y = 0; y < 5; ++y) {
        const int year = kKsYears[y];
        i64 p8 = la_p8[y] + effect + rng.Noise(22);
        if (falling) {
          if (year == 2019) p8 += 8;
          if (year == 2022) p8 -= 18 + rng.Range(0, 10);
          if (year == 2023) p8 -= 42 + rng.Range(0, 15);
        }
        p8 = Clamp(p8, -250, 180);
        const i64 a8 = Clamp(la_a8[y] + p8 - (head.fsm_tenths - 380) / 8 +
                                 (head.selective ? 200 : 0) + rng.Noise(20),
                             150, 850);
        const School* holder = Holder(l, Day(year, 6, 15));
        if (holder == nullptr || TooNew(*holder, year, holder->type == kUtc ? 2 : 5)) continue;
        const i64 pupils = PupilsIn(l, year);
        const i64 cohort = holder->type == kUtc ? pupils / 4
                           : holder->setting == Setting::kAllThrough ? pupils / 13
                           : holder->sixth_form ? pupils * 82 / 500
                                                : pupils / 5;
        if (year == 2023 && holder->open && p8 < -25) ++signals_.ks4_weak_p8;
        std::vector<std::string> f = EesPrefix(year, *holder);
        f.push_back(holder->Type().group_name);
        f.push_back("Total");
        f.push_back("Total");
        if (cohort < 11 || rng.Chance(10)) {
          const char* code = cohort < 11 ? "c" : "x";  // x: results not available
          for (int k = 0; k < 5; ++k) f.push_back(code);
        } else {
          f.push_back(std::to_string(cohort));
          f.push_back(Fixed(a8, 1));
          f.push_back(Fixed(p8, 2));
          f.push_back(std::to_string(Clamp((a8 - 300) / 4 + rng.Noise(4), 1, 99)));
          f.push_back(Fixed(a8 * 88 / 100, 2));
        }
        rows.push_back({year, holder->urn, 0, f});
      }
    }
    SortRows(rows);
    for (const KeyedRow& r : rows) out.Row(r.fields, false);
  }

  void WriteAbsence(CsvFile& out) {
    std::vector<std::string> header = kEesPrefix;
    for (const char* h : {"education_phase", "enrolments", "overall_absence_percent",
                          "persistent_absence_percent"}) {
      header.push_back(h);
    }
    out.Row(header, false);
    // Typical percentages x10 by phase and year (2017, 2018, 2019, 2021, 2022, 2023).
    const std::vector<i64> pa_primary = {95, 100, 98, 90, 190, 185};
    const std::vector<i64> pa_secondary = {145, 148, 153, 170, 290, 295};
    const std::vector<i64> pa_special = {260, 265, 270, 300, 380, 385};
    const std::vector<i64> oa_primary = {41, 43, 42, 38, 62, 61};
    const std::vector<i64> oa_secondary = {55, 56, 57, 60, 90, 93};
    const std::vector<i64> oa_special = {92, 95, 97, 108, 128, 131};
    std::vector<KeyedRow> rows;
    for (const Lineage& l : lineages_) {
      const School& head = schools_[static_cast<size_t>(l.head)];
      const bool primary = IsPrimaryLike(head);
      const bool secondary = head.setting == Setting::kSecondary || head.setting == Setting::kAllThrough;
      if (!primary && !secondary && !IsSpecial(head)) continue;
      const std::vector<i64>& pa = primary ? pa_primary : secondary ? pa_secondary : pa_special;
      const std::vector<i64>& oa = primary ? oa_primary : secondary ? oa_secondary : oa_special;
      const char* phase = primary ? "State-funded primary" : secondary ? "State-funded secondary" : "Special";
      Rng rng = Stream(33, static_cast<u64>(head.urn));
      i64 factor = 520 + l.risk + rng.Noise(140);
      if (rng.Chance(20 + l.risk / 12)) factor += rng.Range(350, 550);
      // Falling rolls: about one primary school in twenty-five lost more than a tenth of its
      // pupils in the last year (families leaving the area), so its earlier enrolments were
      // higher. A stream of its own leaves every other figure as it was.
      Rng roll = Stream(35, static_cast<u64>(head.urn));
      const i64 roll_lost = primary && roll.Chance(40) ? roll.Range(150, 250) : 0;  // per mille of today's roll
      for (size_t y = 0; y < kAbsenceYears.size(); ++y) {
        const int year = kAbsenceYears[y];
        const i64 p = Clamp(pa[y] * factor / 1000 + rng.Noise(pa[y] / 7), 10, 900);
        const i64 o = Clamp(oa[y] * (1000 + (factor - 1000) * 55 / 100) / 1000 + rng.Noise(oa[y] / 10), 10, 400);
        const School* holder = Holder(l, Day(year, 6, 15));
        if (holder == nullptr) continue;
        if (year == 2023 && holder->open) {
          const i64 limit = primary ? 250 : secondary ? 350 : 450;
          if (p > limit) ++signals_.pa_high;
        }
        std::vector<std::string> f = EesPrefix(year, *holder);
        f.push_back(phase);
        const i64 enrolled = PupilsIn(l, year) - (holder->nursery_classes ? 26 : 0);
        f.push_back(std::to_string(year < 2023 ? enrolled * (1000 + roll_lost) / 1000 : enrolled));
        if (year == 2023 && holder->open && roll_lost > 0 && Holder(l, Day(2022, 6, 15)) == holder) ++signals_.roll_fell;
        if (rng.Chance(6)) {
          f.push_back("x");
          f.push_back("x");
        } else {
          f.push_back(Fixed(o, 1));
          f.push_back(Fixed(p, 1));
        }
        rows.push_back({year, holder->urn, 0, f});
      }
    }
    SortRows(rows);
    for (const KeyedRow& r : rows) out.Row(r.fields, false);
  }

  void WriteExclusions(CsvFile& out) {
    out.Row({"time_identifier", "time_period", "geographic_level", "country_code", "country_name",
             "region_code", "region_name", "old_la_code", "new_la_code", "la_name", "school_urn",
             "laestab", "school_name", "academy_type", "academy_open_date", "school_type",
             "headcount", "perm_excl", "perm_excl_rate", "susp", "susp_rate", "one_plus_susp",
             "one_plus_susp_rate"},
            false);
    const std::vector<i64> perm_year = {1000, 1050, 1000, 600, 550, 900, 1100};
    const std::vector<i64> susp_year = {560, 600, 640, 420, 560, 880, 1000};
    std::vector<KeyedRow> rows;
    for (const Lineage& l : lineages_) {
      const School& head = schools_[static_cast<size_t>(l.head)];
      if (head.setting == Setting::kNursery || head.setting == Setting::kSixteenPlus) continue;
      const bool primary = IsPrimaryLike(head);
      const bool ap = head.setting == Setting::kAltProv || head.setting == Setting::kPru;
      // Permanent exclusions per 100,000 pupils and suspensions per 10,000, before factors.
      i64 perm_rate = 200, susp_rate = 1600;
      const char* school_type = "State-funded secondary";
      if (primary) { perm_rate = 30; susp_rate = 160; school_type = "State-funded primary"; }
      if (IsSpecial(head)) { perm_rate = 60; susp_rate = 1000; school_type = "Special"; }
      if (ap) { perm_rate = 400; susp_rate = 4000; school_type = "Pupil referral unit"; }
      if (head.setting == Setting::kAllThrough) { perm_rate = 150; susp_rate = 1100; }
      Rng rng = Stream(34, static_cast<u64>(head.urn));
      i64 factor = 300 + l.risk * 16 / 10 + rng.Noise(150);
      if (rng.Chance(15 + l.risk / 9)) factor = factor * 5 / 2;
      factor = std::max<i64>(factor, 100);
      for (size_t y = 0; y < kExclusionYears.size(); ++y) {
        const int year = kExclusionYears[y];
        const School* holder = Holder(l, Day(year, 6, 15));
        const i64 headcount = PupilsIn(l, year);
        const i64 perm_milli = headcount * perm_rate * perm_year[y] * factor / 100000 / 1000;
        i64 perm = perm_milli / 1000 + (rng.Below(1000) < perm_milli % 1000 ? 1 : 0);
        perm = std::max<i64>(0, perm + (perm > 2 ? rng.Noise(perm / 3) : 0));
        const i64 susp_milli = headcount * susp_rate * susp_year[y] * factor / 10000 / 1000;
        i64 susp = susp_milli / 1000 + (rng.Below(1000) < susp_milli % 1000 ? 1 : 0);
        susp = std::max<i64>(0, susp + rng.Noise(susp / 5 + 1));
        const i64 one_plus = std::min(susp, DivRound(susp * rng.Range(450, 600), 1000) + (susp > 0 ? 1 : 0));
        if (holder == nullptr) continue;
        const i64 perm_h = DivRound(perm * 10000, headcount);
        const i64 susp_h = DivRound(susp * 10000, headcount);
        if (year == 2023 && holder->open) {
          const bool high = primary ? (perm_h >= 15 || susp_h >= 500)
                                    : (perm_h >= 40 || susp_h >= (ap ? 10000 : 3500));
          if (high) ++signals_.excl_high;
        }
        std::vector<std::string> f = {"Academic year", TimePeriod(year), "School", "E92000001",
                                      "England", "E12000005", "West Midlands", "330", "E08000025",
                                      "Birmingham", std::to_string(holder->urn), holder->Laestab(),
                                      holder->name};
        f.push_back(holder->Academy() ? holder->Type().name : "z");
        f.push_back(holder->Academy() ? Dmy(holder->open_date, '/') : "z");
        f.push_back(school_type);
        f.push_back(std::to_string(headcount));
        f.push_back(std::to_string(perm));
        f.push_back(Fixed(perm_h, 2));
        if (ap && rng.Chance(120)) {
          for (const char* c : {"x", "x", "x", "x"}) f.push_back(c);
        } else {
          f.push_back(std::to_string(susp));
          f.push_back(Fixed(susp_h, 2));
          f.push_back(std::to_string(one_plus));
          f.push_back(Fixed(DivRound(one_plus * 10000, headcount), 2));
        }
        rows.push_back({year, holder->urn, 0, f});
      }
    }
    SortRows(rows);
    for (const KeyedRow& r : rows) out.Row(r.fields, false);
  }

  const std::vector<Lineage>& Lineages() const { return lineages_; }

 private:
  const std::vector<School>& schools_;
  Signals& signals_;
  std::vector<Lineage> lineages_;
};

// ---------------------------------------------------------------------------------------
// The officer's local spreadsheets: s175 safeguarding audit returns, governance reviews and
// maintained schools' revenue balances, exported from Excel as UTF-8 CSV.

class LocalData {
 public:
  LocalData(const std::vector<School>& schools, const Performance& performance, Signals& signals)
      : schools_(schools), performance_(performance), signals_(signals) {}

  void WriteS175(CsvFile& out) {
    out.Row({"URN", "School", "Academic year", "Due date", "Date received", "Status",
             "Actions outstanding"},
            false);
    std::vector<KeyedRow> rows;
    for (const Lineage& l : performance_.Lineages()) {
      const School& head = schools_[static_cast<size_t>(l.head)];
      Rng rng = Stream(40, static_cast<u64>(head.urn));
      for (int year : {2021, 2022, 2023}) {
        const i64 due = Day(year, 6, 30);
        const School* holder = performance_.Holder(l, due);
        if (holder == nullptr) continue;
        const bool latest = year == 2023;
        const i64 not_returned = 15 + l.risk * 7 / 100 + (year == 2021 ? 20 : 0);
        std::string received, status, actions;
        if (rng.Chance(not_returned)) {
          status = "Not returned";
          if (latest && holder->open) ++signals_.s175_not_returned;
        } else {
          const bool late = rng.Chance(80 + l.risk / 6);
          received = Dmy(late ? due + rng.Range(3, 70) : due - rng.Range(0, 45), '/');
          if (rng.Chance(90 + l.risk * 25 / 100)) {
            status = "Returned with actions";
            i64 outstanding = latest ? rng.Range(0, 2) + (l.risk > 600 ? rng.Range(0, 3) : 0)
                                     : (rng.Chance(100) ? 1 : 0);
            actions = std::to_string(outstanding);
            if (latest && holder->open && outstanding > 0) ++signals_.s175_actions;
          } else {
            status = "Returned";
            actions = "0";
          }
        }
        rows.push_back({year, holder->urn, 0,
                        {std::to_string(holder->urn), holder->name, AcademicYear(year),
                         Dmy(due, '/'), received, status, actions}});
      }
    }
    SortRows(rows);
    for (const KeyedRow& r : rows) out.Row(r.fields, false);
  }

  // Maintained schools, plus the academies whose trusts buy the governor service.
  void WriteGovernance(CsvFile& out) {
    out.Row({"URN", "School", "Review date", "Governor places", "Governor vacancies",
             "Vacancy rate (%)", "Governance risk rating"},
            false);
    std::vector<KeyedRow> rows;
    for (const Lineage& l : performance_.Lineages()) {
      const School& head = schools_[static_cast<size_t>(l.head)];
      Rng rng = Stream(41, static_cast<u64>(head.urn));
      for (int year : {2022, 2023}) {
        const i64 review = Day(year, 3, 1) + rng.Range(0, 75);
        const School* holder = performance_.Holder(l, review);
        if (holder == nullptr) continue;
        const bool buys_service = holder->trust >= 0 && holder->trust % 2 == 0;
        if (!holder->Maintained() && !buys_service) continue;
        i64 places = rng.Range(9, 12);
        if (holder->setting == Setting::kNursery) places = rng.Range(8, 10);
        if (holder->setting == Setting::kSecondary || holder->setting == Setting::kAllThrough) {
          places = rng.Range(12, 16);
        }
        i64 vacancies = rng.Range(0, 1) + (rng.Chance(l.risk / 3) ? rng.Range(1, 2) : 0) +
                        (rng.Chance(40) ? rng.Range(2, 4) : 0);
        vacancies = std::min(vacancies, places - 3);
        const i64 rate = DivRound(vacancies * 1000, places);
        const i64 score = rate + l.risk / 4 + rng.Noise(80);
        const std::string rating = score >= 480 ? "High" : score >= 330 ? "Medium" : "Low";
        if (year == 2023 && holder->open) {
          if (rating == "High") ++signals_.gov_high;
          if (rating == "Medium") ++signals_.gov_medium;
          if (rate >= 250) ++signals_.gov_vacancy;
        }
        rows.push_back({year, holder->urn, 0,
                        {std::to_string(holder->urn), holder->name, Dmy(review, '/'),
                         std::to_string(places), std::to_string(vacancies),
                         Fixed(rate, 1) + "%", rating}});
      }
    }
    SortRows(rows);
    for (const KeyedRow& r : rows) out.Row(r.fields, false);
  }

  // Revenue balances at each financial year end, for maintained schools only.
  void WriteBudgets(CsvFile& out) {
    out.Row({"URN", "School", "Financial year", "Year end", "Revenue balance (\xC2\xA3)"}, false);
    std::vector<KeyedRow> rows;
    for (const Lineage& l : performance_.Lineages()) {
      const School& head = schools_[static_cast<size_t>(l.head)];
      Rng rng = Stream(42, static_cast<u64>(head.urn));
      const bool nursery = head.setting == Setting::kNursery;
      const bool big = head.setting == Setting::kSecondary || head.setting == Setting::kAllThrough;
      i64 balance = 0;
      if (nursery) {
        balance = rng.Range(-40000, 60000);
      } else if (big) {
        balance = rng.Range(80000, 700000);
      } else if (IsSpecial(head)) {
        balance = rng.Range(20000, 300000);
      } else {
        balance = rng.Range(30000, 240000) * std::max<i64>(head.pupils, 100) / 400;
      }
      const bool deficit = rng.Chance((l.risk > 600 ? 110 : 35) + (nursery ? 250 : 0));
      if (deficit) balance = rng.Range(-40000, 40000) * (big ? 3 : 1);
      for (int year : {2021, 2022, 2023}) {
        if (year > 2021) {
          balance = deficit ? balance - rng.Range(8000, 60000) * (big ? 3 : 1)
                            : balance + rng.Noise(45000) - 8000;
        }
        const i64 year_end = Day(year, 3, 31);
        const School* holder = performance_.Holder(l, year_end);
        if (holder == nullptr || !holder->Maintained()) continue;
        if (year == 2023 && holder->open && balance < 0) {
          ++signals_.deficit;
          if (balance < -100000) ++signals_.deficit_large;
        }
        rows.push_back({year, holder->urn, 0,
                        {std::to_string(holder->urn), holder->name,
                         std::to_string(year - 1) + "-" + Two(year % 100), Dmy(year_end, '/'),
                         Thousands(balance)}});
      }
    }
    SortRows(rows);
    for (const KeyedRow& r : rows) out.Row(r.fields, false);
  }

 private:
  const std::vector<School>& schools_;
  const Performance& performance_;
  Signals& signals_;
};

// ---------------------------------------------------------------------------------------
// GIAS establishment extract (2025 layout, 135 columns) and its links file.

const std::vector<std::string> kGiasColumns(kGiasLayout.begin(), kGiasLayout.end());

// Columns the published file writes without quotes when they hold a value.
const std::set<std::string> kGiasBare = {
    "URN", "StatutoryLowAge", "StatutoryHighAge", "SchoolCapacity", "UKPRN", "Easting", "Northing",
    "SENStat", "SENNoStat", "SenUnitOnRoll", "SenUnitCapacity", "ResourcedProvisionOnRoll",
    "ResourcedProvisionCapacity"};

class GiasRow {
 public:
  GiasRow() : values_(kGiasColumns.size()) {}
  void Set(const std::string& column, const std::string& value) {
    const auto it = std::find(kGiasColumns.begin(), kGiasColumns.end(), column);
    if (it == kGiasColumns.end()) Die("unknown GIAS column " + column);
    values_[static_cast<size_t>(it - kGiasColumns.begin())] = value;
  }
  const std::vector<std::string>& Values() const { return values_; }

 private:
  std::vector<std::string> values_;
};

void WriteGias(const std::vector<School>& schools, CsvFile& out) {
  if (kGiasColumns.size() != 135) Die("the GIAS layout must have 135 columns");
  std::vector<bool> bare;
  for (const std::string& c : kGiasColumns) bare.push_back(kGiasBare.count(c) > 0);
  out.Row(kGiasColumns, true);
  std::vector<const School*> sorted;
  for (const School& s : schools) sorted.push_back(&s);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const School* a, const School* b) { return a->urn < b->urn; });
  for (const School* sp : sorted) {
    const School& s = *sp;
    const TypeInfo& t = s.Type();
    const PhaseInfo phase = Phase(s.setting);
    const FaithInfo faith = FaithOf(s.faith);
    const District& d = Districts()[static_cast<size_t>(s.district)];
    const WardRef& w = Wards()[static_cast<size_t>(s.ward)];
    GiasRow r;
    r.Set("URN", std::to_string(s.urn));
    r.Set("LA (code)", "330");
    r.Set("LA (name)", "Birmingham");
    r.Set("EstablishmentNumber", std::to_string(s.estab));
    r.Set("EstablishmentName", s.name);
    r.Set("TypeOfEstablishment (code)", t.code);
    r.Set("TypeOfEstablishment (name)", t.name);
    r.Set("EstablishmentTypeGroup (code)", t.group_code);
    r.Set("EstablishmentTypeGroup (name)", t.group_name);
    r.Set("EstablishmentStatus (code)", s.open ? "1" : "2");
    r.Set("EstablishmentStatus (name)", s.open ? "Open" : "Closed");
    r.Set("ReasonEstablishmentOpened (code)", s.open_reason_code);
    r.Set("ReasonEstablishmentOpened (name)", s.open_reason);
    r.Set("OpenDate", Dmy(s.open_date, '-'));
    r.Set("ReasonEstablishmentClosed (code)", s.close_reason_code);
    r.Set("ReasonEstablishmentClosed (name)", s.close_reason);
    r.Set("CloseDate", Dmy(s.close_date, '-'));
    r.Set("PhaseOfEducation (code)", phase.code);
    r.Set("PhaseOfEducation (name)", phase.name);
    r.Set("StatutoryLowAge", std::to_string(s.low_age));
    r.Set("StatutoryHighAge", std::to_string(s.high_age));
    r.Set("Boarders (code)", "1");
    r.Set("Boarders (name)", "No boarders");
    r.Set("NurseryProvision (name)", !s.open ? "Not applicable"
                                     : s.nursery_classes ? "Has Nursery Classes"
                                                         : "No Nursery Classes");
    const bool secondary_age = s.high_age > 11;
    r.Set("OfficialSixthForm (code)", !s.open ? "0" : s.sixth_form ? "1" : secondary_age ? "2" : "0");
    r.Set("OfficialSixthForm (name)", !s.open         ? "Not applicable"
                                      : s.sixth_form  ? "Has a sixth form"
                                      : secondary_age ? "Does not have a sixth form"
                                                      : "Not applicable");
    r.Set("Gender (code)", s.sex == Sex::kBoys ? "1" : s.sex == Sex::kGirls ? "2" : "3");
    r.Set("Gender (name)", s.sex == Sex::kBoys ? "Boys" : s.sex == Sex::kGirls ? "Girls" : "Mixed");
    r.Set("ReligiousCharacter (code)", faith.code);
    r.Set("ReligiousCharacter (name)", faith.name);
    r.Set("ReligiousEthos (name)", faith.ethos);
    r.Set("Diocese (code)", faith.diocese_code);
    r.Set("Diocese (name)", faith.diocese);
    const bool admits = s.setting == Setting::kSecondary || s.setting == Setting::kAllThrough;
    r.Set("AdmissionsPolicy (code)", s.selective ? "2" : admits ? "1" : "0");
    r.Set("AdmissionsPolicy (name)", s.selective ? "Selective" : admits ? "Non-selective" : "Not applicable");
    r.Set("SpecialClasses (code)", s.setting == Setting::kSpecial ? "1" : "2");
    r.Set("SpecialClasses (name)", s.setting == Setting::kSpecial ? "Has Special Classes" : "No Special Classes");
    if (s.open) {
      r.Set("SchoolCapacity", std::to_string(s.capacity));
      r.Set("CensusDate", Dmy(kCensus, '-'));
      r.Set("NumberOfPupils", std::to_string(s.pupils));
      r.Set("NumberOfBoys", std::to_string(s.boys));
      r.Set("NumberOfGirls", std::to_string(s.girls));
      r.Set("PercentageFSM", Fixed(s.fsm_tenths, 1));
      r.Set("FSM", std::to_string(DivRound(s.pupils * s.fsm_tenths, 1000)));
    }
    std::string trust_code, trust_name, trust_flag_code = "0", trust_flag = "Not applicable";
    if (s.open && s.trust >= 0) {
      trust_code = Trusts()[static_cast<size_t>(s.trust)].code;
      trust_name = Trusts()[static_cast<size_t>(s.trust)].name;
      trust_flag_code = "5";
      trust_flag = "Supported by a multi-academy trust";
    } else if (s.open && s.trust == -2) {
      trust_code = std::to_string(17500 + s.urn % 997);
      trust_name = s.name + " Trust";
      trust_flag_code = "6";
      trust_flag = "Supported by a single-academy trust";
    }
    r.Set("TrustSchoolFlag (code)", trust_flag_code);
    r.Set("TrustSchoolFlag (name)", trust_flag);
    r.Set("Trusts (code)", trust_code);
    r.Set("Trusts (name)", trust_name);
    const bool sponsored = s.open && t.sponsored && s.trust >= 0;
    r.Set("SchoolSponsorFlag (name)", sponsored ? "Linked to a sponsor" : "Not applicable");
    r.Set("SchoolSponsors (name)", sponsored ? trust_name : "");
    if (s.federation >= 0) {
      r.Set("FederationFlag (name)", "Supported by a federation");
      r.Set("Federations (code)", "F" + std::to_string(3300 + s.federation));
      r.Set("Federations (name)", "Hollyfield and Marshgate Nursery Schools Federation");
    } else {
      r.Set("FederationFlag (name)", s.Maintained() ? "Not under a federation" : "Not applicable");
    }
    r.Set("UKPRN", s.ukprn);
    r.Set("FurtherEducationType (name)", "Not applicable");
    r.Set("LastChangedDate", Dmy(s.last_changed, '-'));
    r.Set("Street", s.street);
    const std::string& ward_name = w.name;
    r.Set("Locality", ward_name.find('&') == std::string::npos ? ward_name : "");
    r.Set("Town", d.town);
    r.Set("County (name)", s.urn % 2 == 0 ? "West Midlands" : "");
    r.Set("Postcode", s.postcode);
    r.Set("TelephoneNum", s.open ? s.phone : "");
    if (s.open) {
      r.Set("HeadTitle (name)", s.head_title);
      r.Set("HeadFirstName", s.head_first);
      r.Set("HeadLastName", s.head_last);
      r.Set("HeadPreferredJobTitle", s.head_job);
    } else {
      r.Set("HeadTitle (name)", "Not applicable");
    }
    for (const char* c : {"TeenMoth (name)", "CCF (name)", "EdByOther (name)", "Section41Approved (name)"}) {
      r.Set(c, "Not applicable");
    }
    const bool pru = s.setting == Setting::kPru || s.setting == Setting::kAltProv;
    r.Set("SENPRU (name)", pru ? "PRU Does have Provision for SEN" : "Not applicable");
    r.Set("EBD (name)", pru ? "PRU Does have EBD provision" : "Not applicable");
    r.Set("FTProv (name)", pru ? "PRU offers full time provision" : "");
    if (pru) r.Set("PlacesPRU", std::to_string(s.capacity));
    if (s.setting == Setting::kSpecial) {
      static const std::vector<std::string> kNeeds = {
          "SLD - Severe Learning Difficulty", "PMLD - Profound and Multiple Learning Difficulty",
          "ASD - Autistic Spectrum Disorder", "SEMH - Social, Emotional and Mental Health",
          "MLD - Moderate Learning Difficulty"};
      const size_t first = static_cast<size_t>(s.urn) % kNeeds.size();
      r.Set("SEN1 (name)", kNeeds[first]);
      r.Set("SEN2 (name)", kNeeds[(first + 2) % kNeeds.size()]);
    }
    r.Set("GOR (code)", "F");
    r.Set("GOR (name)", "West Midlands");
    r.Set("DistrictAdministrative (code)", "E08000025");
    r.Set("DistrictAdministrative (name)", "Birmingham");
    r.Set("AdministrativeWard (code)", w.code);
    r.Set("AdministrativeWard (name)", w.name);
    r.Set("ParliamentaryConstituency (code)", d.constituency_code);
    r.Set("ParliamentaryConstituency (name)", d.name);
    r.Set("UrbanRural (code)", "A1");
    r.Set("UrbanRural (name)", "Urban major conurbation");
    r.Set("GSSLACode (name)", "E08000025");
    r.Set("Easting", std::to_string(s.easting));
    r.Set("Northing", std::to_string(s.northing));
    const std::string msoa = std::to_string(1000 + s.msoa).substr(1);
    r.Set("MSOA (name)", "Birmingham " + msoa);
    r.Set("LSOA (name)", "Birmingham " + msoa + std::string(1, static_cast<char>('A' + s.lsoa_letter)));
    r.Set("MSOA (code)", "E0200" + std::to_string(1825 + s.msoa));
    r.Set("LSOA (code)", "E0100" + std::to_string(8880 + s.msoa * 5 + s.lsoa_letter));
    r.Set("InspectorateName (name)", "Not applicable");
    r.Set("PreviousLA (code)", "999");
    r.Set("UPRN", s.uprn);
    out.Row(r.Values(), true, bare);
  }
}

void WriteLinks(const std::vector<School>& schools, CsvFile& out) {
  out.Row({"URN", "LinkURN", "LinkName", "LinkType", "LinkEstablishedDate"}, true);
  std::vector<std::pair<std::pair<int, int>, std::vector<std::string>>> rows;
  for (const School& s : schools) {
    if (s.successor < 0) continue;
    const School& succ = schools[static_cast<size_t>(s.successor)];
    const std::string when = Dmy(succ.open_date, '-');
    const std::string kind = succ.amalgamation ? " - amalgamated" : "";
    rows.push_back({{s.urn, succ.urn},
                    {std::to_string(s.urn), std::to_string(succ.urn), succ.name, "Successor" + kind, when}});
    rows.push_back({{succ.urn, s.urn},
                    {std::to_string(succ.urn), std::to_string(s.urn), s.name, "Predecessor" + kind, when}});
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  const std::vector<bool> bare = {true, true, false, false, false};
  for (const auto& row : rows) out.Row(row.second, true, bare);
}

// ---------------------------------------------------------------------------------------
// Ofsted inspections: every inspection, one row each, in the management-information style.

const char* OfstedPhase(const School& s) {
  switch (s.setting) {
    case Setting::kNursery: return "Nursery";
    case Setting::kPrimary:
    case Setting::kInfant:
    case Setting::kJunior: return "Primary";
    case Setting::kSpecial: return "Special";
    case Setting::kAltProv:
    case Setting::kPru: return "PRU";
    default: return "Secondary";
  }
}

std::string Grade(int g) { return g == 0 ? "NULL" : std::to_string(g); }
std::string OrNull(const std::string& s) { return s.empty() ? "NULL" : s; }

void WriteOfsted(const std::vector<School>& schools, std::vector<Inspection> inspections,
                 CsvFile& out) {
  out.Row({"URN", "LAESTAB", "School name", "Ofsted phase", "Type of education", "Local authority",
           "Parliamentary constituency", "Postcode", "Inspection number", "Inspection type",
           "Inspection type grouping", "Event type grouping", "Inspection start date",
           "Inspection end date", "Publication date", "Overall effectiveness", "Category of concern",
           "Quality of education", "Behaviour and attitudes", "Personal development",
           "Effectiveness of leadership and management", "Safeguarding is effective?",
           "Ungraded inspection overall outcome"},
          false);
  std::stable_sort(inspections.begin(), inspections.end(),
                   [&schools](const Inspection& a, const Inspection& b) {
                     const int ua = schools[static_cast<size_t>(a.school)].urn;
                     const int ub = schools[static_cast<size_t>(b.school)].urn;
                     if (ua != ub) return ua < ub;
                     return a.start < b.start;
                   });
  for (const Inspection& in : inspections) {
    const School& s = schools[static_cast<size_t>(in.school)];
    out.Row({std::to_string(s.urn), s.Laestab(), s.name, OfstedPhase(s), s.Type().name,
             "Birmingham", Districts()[static_cast<size_t>(s.district)].name, s.postcode,
             std::to_string(in.number), in.type,
             in.graded ? "Graded inspection" : "Ungraded inspection",
             in.graded ? "Section 5" : "Section 8", Dmy(in.start, '/'),
             Dmy(in.start + (in.graded ? 1 : 0), '/'), Dmy(in.published, '/'),
             Grade(in.overall), OrNull(in.concern), Grade(in.qoe), Grade(in.behaviour),
             Grade(in.personal), Grade(in.leadership), OrNull(in.safeguarding),
             OrNull(in.outcome)},
            false);
  }
}

// ---------------------------------------------------------------------------------------
// PROFILE.md: the figures the data reproduces, counted from the data itself (and checked).

struct OfstedSummary {
  std::map<Target, int> by_target;
  std::map<int, Target> of_school;  // open school index -> what its inspections say
  int safeguarding_no = 0;
};

OfstedSummary Summarise(const std::vector<School>& schools, const std::vector<Inspection>& all) {
  OfstedSummary out;
  std::map<int, const Inspection*> latest;
  for (const Inspection& in : all) {
    if (!in.graded) continue;
    auto it = latest.find(in.school);
    if (it == latest.end() || it->second->start < in.start) latest[in.school] = &in;
  }
  for (size_t i = 0; i < schools.size(); ++i) {
    const School& s = schools[i];
    if (!s.open) continue;
    const auto it = latest.find(static_cast<int>(i));
    Target t = Target::kNotInspected;
    if (it != latest.end()) {
      const bool old = it->second->start <= kFiveYearsBefore;
      switch (it->second->overall) {
        case 1: t = old ? Target::kOutstandingOld : Target::kOutstanding; break;
        case 2: t = old ? Target::kGoodOld : Target::kGood; break;
        case 3: t = old ? Target::kUnset : Target::kRequiresImprovement; break;
        default: t = old ? Target::kInadequateOld : Target::kInadequate; break;
      }
      if (it->second->safeguarding == "No") ++out.safeguarding_no;
    }
    if (t != s.target) Die("inspection history of " + s.name + " does not match its target");
    out.of_school[static_cast<int>(i)] = t;
    ++out.by_target[t];
  }
  return out;
}

std::string Percent(i64 part, i64 whole) {
  return whole == 0 ? "-" : Fixed(DivRound(part * 1000, whole), 1) + "%";
}

std::string Profile(const std::vector<School>& schools, const OfstedSummary& ofsted,
                    const Signals& signals, const std::vector<const CsvFile*>& files) {
  std::string md;
  const auto line = [&md](const std::string& s) { md += s + "\n"; };
  i64 open = 0, closed = 0, pupils = 0, maintained = 0;
  for (const School& s : schools) {
    if (!s.open) {
      ++closed;
      continue;
    }
    ++open;
    pupils += s.pupils;
    if (s.Maintained()) ++maintained;
  }
  const auto count = [&](Target t) {
    const auto it = ofsted.by_target.find(t);
    return it == ofsted.by_target.end() ? 0 : it->second;
  };
  const int outstanding = count(Target::kOutstanding) + count(Target::kOutstandingOld);
  const int good = count(Target::kGood) + count(Target::kGoodOld);
  const int ri = count(Target::kRequiresImprovement);
  const int inadequate = count(Target::kInadequate) + count(Target::kInadequateOld);

  line("# Demo authority profile");
  line("");
  line("Generated by `demo/generator/generate_demo.cc`; do not edit by hand (run");
  line("`demo/generate.sh`). Every figure below is counted from the generated files.");
  line("");
  line("A fictional local authority shaped like Birmingham (LA code 330, GSS E08000025, West");
  line("Midlands) as of **30 November 2023**. The school, trust and head teacher names are");
  line("invented; the district and ward names are Birmingham's own. The headline figures match");
  line("those the council published in November 2023 (444 schools, 212 maintained, 293 primary,");
  line("82 secondary, 215,287 pupils, 382 good or outstanding, 133 of them not inspected for five");
  line("years or more).");
  line("");
  line("## Headline figures (open schools)");
  line("");
  line("| figure | value |");
  line("| --- | --- |");
  line("| open schools | " + std::to_string(open) + " |");
  line("| closed establishments also in the register | " + std::to_string(closed) + " |");
  line("| local-authority maintained | " + std::to_string(maintained) + " (" + Percent(maintained, open) + ") |");
  line("| academies and free schools | " + std::to_string(open - maintained) + " |");
  line("| pupils (January 2023 census, `NumberOfPupils`) | " + Thousands(pupils) + " |");
  line("| good or outstanding at the latest graded inspection | " + std::to_string(outstanding + good) + " (" + Percent(outstanding + good, open) + ") |");
  line("| good or outstanding, latest graded inspection 5+ years before 30 Nov 2023 | " +
       std::to_string(count(Target::kOutstandingOld) + count(Target::kGoodOld)) + " (" +
       std::to_string(count(Target::kOutstandingOld)) + " outstanding of " + std::to_string(outstanding) + ", " +
       std::to_string(count(Target::kGoodOld)) + " good of " + std::to_string(good) + ") |");
  line("| requires improvement or inadequate, inspected within 5 years | " +
       std::to_string(ri + count(Target::kInadequate)) + " (" + std::to_string(ri) +
       " requires improvement, " + std::to_string(count(Target::kInadequate)) + " inadequate) |");
  line("| inadequate, latest graded inspection 5+ years ago | " + std::to_string(count(Target::kInadequateOld)) + " |");
  line("| not yet inspected (converted to academies in the last year, new URN) | " + std::to_string(count(Target::kNotInspected)) + " |");
  line("");
  line("**Maintained** means the local authority maintains the school: types Community,");
  line("Voluntary aided, Voluntary controlled, Foundation, Local authority nursery school and");
  line("Pupil referral unit (type group \"Local authority maintained schools\") plus Community");
  line("special and Foundation special schools (type group \"Special schools\"). A filter on the");
  line("type group alone would miss the " +
       std::to_string(std::count_if(schools.begin(), schools.end(), [](const School& s) {
         return s.open && (s.type == kCommunitySpecial || s.type == kFoundationSpecial);
       })) + " maintained special schools.");
  line("");
  line("**How " + std::to_string(open) + " adds up.** " + std::to_string(outstanding + good) +
       " good or outstanding + " + std::to_string(ri + count(Target::kInadequate)) +
       " requires improvement or inadequate inspected within five years +");
  line(std::to_string(count(Target::kInadequateOld)) +
       " inadequate whose last graded inspection is older (maintained schools in special measures");
  line("since 2016-18, awaiting academy conversion, with monitoring visits since) + " +
       std::to_string(count(Target::kNotInspected)) + " not yet inspected = " + std::to_string(open) + ".");
  line("This follows the council's own reading of its figures: the 49 are 89% of the " +
       std::to_string(ri + inadequate) + " schools");
  line("judged requires improvement or inadequate, and 6 inadequate schools had not been");
  line("inspected for five years or more.");
  line("\"5+ years\" means the latest graded inspection started on or before 30 November 2018;");
  line("the data leaves a gap (no latest graded inspection between 16 October 2018 and 9 January");
  line("2019) so a rule's rounding cannot move a school across the line.");
  line("");

  // By phase and type group.
  line("## Open schools by phase and type group");
  line("");
  line("| phase | LA maintained schools | Special schools (maintained) | Academies | Free Schools | total | of which maintained |");
  line("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  const std::vector<std::string> phases = {"Nursery", "Primary", "Secondary", "All-through", "16 plus", "Not applicable"};
  const std::vector<std::string> groups = {"Local authority maintained schools", "Special schools", "Academies", "Free Schools"};
  std::vector<i64> group_totals(groups.size(), 0);
  for (const std::string& ph : phases) {
    std::string row = "| " + ph + " |";
    i64 total = 0, m = 0;
    for (size_t g = 0; g < groups.size(); ++g) {
      i64 n = 0;
      for (const School& s : schools) {
        if (s.open && Phase(s.setting).name == ph && s.Type().group_name == groups[g]) ++n;
      }
      row += " " + std::to_string(n) + " |";
      total += n;
      group_totals[g] += n;
      if (g < 2) m += n;
    }
    line(row + " " + std::to_string(total) + " | " + std::to_string(m) + " (" + Percent(m, total) + ") |");
  }
  line("| **total** | " + std::to_string(group_totals[0]) + " | " + std::to_string(group_totals[1]) + " | " +
       std::to_string(group_totals[2]) + " | " + std::to_string(group_totals[3]) + " | " + std::to_string(open) +
       " | " + std::to_string(maintained) + " |");
  line("");
  line("Primary includes infant and junior schools; \"Not applicable\" is special schools,");
  line("alternative provision and the pupil referral unit.");
  line("");

  // By type.
  line("## Open schools by type of establishment");
  line("");
  line("| type | schools | pupils |");
  line("| --- | ---: | ---: |");
  for (const TypeInfo& t : Types()) {
    i64 n = 0, p = 0;
    for (const School& s : schools) {
      if (s.open && std::string(s.Type().name) == t.name) {
        ++n;
        p += s.pupils;
      }
    }
    if (n > 0) line("| " + std::string(t.name) + " | " + std::to_string(n) + " | " + Thousands(p) + " |");
  }
  line("");

  // By district.
  line("## Open schools by district");
  line("");
  line("District = `ParliamentaryConstituency (name)`; ward = `AdministrativeWard (name)`.");
  line("");
  line("| district | wards | schools | pupils | maintained | academies and free | outstanding | good | requires improvement | inadequate | not yet inspected | G/O 5+ years |");
  line("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (size_t d = 0; d < Districts().size(); ++d) {
    i64 n = 0, p = 0, m = 0, o = 0, g = 0, r = 0, in = 0, nyi = 0, stale = 0;
    for (size_t i = 0; i < schools.size(); ++i) {
      const School& s = schools[i];
      if (!s.open || s.district != static_cast<int>(d)) continue;
      ++n;
      p += s.pupils;
      if (s.Maintained()) ++m;
      const Target t = ofsted.of_school.at(static_cast<int>(i));
      if (GradeOf(t) == 1) ++o;
      if (GradeOf(t) == 2) ++g;
      if (GradeOf(t) == 3) ++r;
      if (GradeOf(t) == 4) ++in;
      if (t == Target::kNotInspected) ++nyi;
      if (t == Target::kOutstandingOld || t == Target::kGoodOld) ++stale;
    }
    line("| " + std::string(Districts()[d].name) + " | " + std::to_string(Districts()[d].wards.size()) + " | " +
         std::to_string(n) + " | " + Thousands(p) + " | " + std::to_string(m) + " | " + std::to_string(n - m) + " | " +
         std::to_string(o) + " | " + std::to_string(g) + " | " + std::to_string(r) + " | " + std::to_string(in) + " | " +
         std::to_string(nyi) + " | " + std::to_string(stale) + " |");
  }
  line("");

  // Ofsted by phase.
  line("## Latest graded Ofsted judgement by phase (open schools)");
  line("");
  line("| phase | outstanding | good | requires improvement | inadequate | not yet inspected |");
  line("| --- | ---: | ---: | ---: | ---: | ---: |");
  for (const std::string& ph : phases) {
    std::array<int, 5> c{};
    for (size_t i = 0; i < schools.size(); ++i) {
      const School& s = schools[i];
      if (!s.open || Phase(s.setting).name != ph) continue;
      ++c[static_cast<size_t>(GradeOf(ofsted.of_school.at(static_cast<int>(i))))];
    }
    line("| " + ph + " | " + std::to_string(c[1]) + " | " + std::to_string(c[2]) + " | " + std::to_string(c[3]) +
         " | " + std::to_string(c[4]) + " | " + std::to_string(c[0]) + " |");
  }
  line("");
  line("Schools whose latest graded inspection found safeguarding not effective: " +
       std::to_string(ofsted.safeguarding_no) + " (all judged inadequate).");
  line("");

  // Closed.
  line("## Closed establishments");
  line("");
  line("| reason closed | establishments |");
  line("| --- | ---: |");
  std::map<std::string, int> reasons;
  for (const School& s : schools) {
    if (!s.open) ++reasons[s.close_reason];
  }
  for (const auto& [reason, n] : reasons) line("| " + reason + " | " + std::to_string(n) + " |");
  line("");
  line("Each academy conversion is a closed maintained URN and an open academy URN, joined in");
  line("the links file (Successor / Predecessor, both directions); the 2017 amalgamation of an");
  line("infant and a junior school into a new primary uses Successor - amalgamated /");
  line("Predecessor - amalgamated. Inspections, results and returns before a conversion sit under");
  line("the old URN, as in the published files.");
  line("");

  // Signals.
  line("## Risk signals in the latest data (open schools)");
  line("");
  line("The risk a school carries is correlated across sources: weaker Ofsted judgements go with");
  line("lower results, higher absence and exclusions, late audits, governor vacancies and");
  line("deficits. Counts of open schools showing each signal in the latest year, at the default");
  line("rule pack's thresholds (the pack's own counts differ a little: results can also fall by");
  line("chance, and it ignores suppressed or out-of-date figures):");
  line("");
  line("| signal | schools |");
  line("| --- | ---: |");
  line("| KS2 reading, writing and maths given a falling trend (2018/19, 2021/22, 2022/23) | " + std::to_string(signals.ks2_falling) + " |");
  line("| KS2 below the 2016 floor (under 65% expected standard and reading or maths progress below -5) | " + std::to_string(signals.ks2_below_floor) + " |");
  line("| KS4 Progress 8 below -0.25 in 2022/23 | " + std::to_string(signals.ks4_weak_p8) + " |");
  line("| persistent absence above 25% (primary), 35% (secondary), 45% (special) in 2022/23 | " + std::to_string(signals.pa_high) + " |");
  line("| permanent exclusion rate of 0.15 (primary) / 0.40 (other) or more, or suspension rate of 5 (primary) / 35 (other) or more, in 2022/23 | " + std::to_string(signals.excl_high) + " |");
  line("| s175 safeguarding audit 2022/23 not returned | " + std::to_string(signals.s175_not_returned) + " |");
  line("| s175 audit 2022/23 returned with actions still outstanding | " + std::to_string(signals.s175_actions) + " |");
  line("| governance risk rating High / Medium (2023 review) | " + std::to_string(signals.gov_high) + " / " + std::to_string(signals.gov_medium) + " |");
  line("| governor vacancy rate 25% or more (2023 review) | " + std::to_string(signals.gov_vacancy) + " |");
  line("| maintained school revenue deficit at 31 March 2023 / deficit beyond 100,000 | " + std::to_string(signals.deficit) + " / " + std::to_string(signals.deficit_large) + " |");
  line("| primary school enrolments down by more than a tenth from 2021/22 to 2022/23 (the README's worked example) | " + std::to_string(signals.roll_fell) + " |");
  line("");

  // Files.
  line("## Files");
  line("");
  line("| file | rows | bytes | what | encoding |");
  line("| --- | ---: | ---: | --- | --- |");
  static const std::map<std::string, std::pair<std::string, std::string>> kAbout = {
      {"edubasealldata20231130.csv", {"GIAS establishment extract, 2025 layout (135 columns), open and closed; quoted as published, dd-mm-yyyy dates, codes as strings", "Windows-1252"}},
      {"links_edubasealldata20231130.csv", {"GIAS links: predecessor and successor URNs of conversions and the amalgamation", "Windows-1252"}},
      {"ofsted_inspections.csv", {"every Ofsted inspection since September 2008, graded (section 5) and ungraded (section 8, monitoring), one row each; empty values are NULL; dd/mm/yyyy", "Windows-1252"}},
      {"ks2_school_attainment.csv", {"EES KS2 school level, 2016/17-2018/19 and 2021/22-2022/23: Reading, writing and maths; Reading; Maths", "UTF-8 with BOM"}},
      {"ks4_school_attainment.csv", {"EES KS4 school level, same years: Attainment 8, Progress 8, English and maths grade 5+, EBacc APS", "UTF-8 with BOM"}},
      {"school_absence.csv", {"EES absence by school, 2016/17-2018/19 and 2020/21-2022/23: overall and persistent absence", "UTF-8 with BOM"}},
      {"school_exclusions.csv", {"EES exclusions by school, 2016/17-2022/23: permanent exclusions and suspensions (keyed by school_urn and laestab)", "UTF-8 with BOM"}},
      {"s175_safeguarding_returns.csv", {"local: s175 safeguarding audit returns 2020/21-2022/23", "UTF-8 with BOM, CRLF (Excel export)"}},
      {"governance.csv", {"local: governance reviews 2022 and 2023 (maintained schools and academies buying the service)", "UTF-8 with BOM, CRLF (Excel export)"}},
      {"budget_balances.csv", {"local: maintained schools' revenue balances at 31 March 2021-2023", "UTF-8 with BOM, CRLF (Excel export)"}},
  };
  for (const CsvFile* f : files) {
    const std::string name = f->Path().filename().string();
    const auto it = kAbout.find(name);
    line("| `" + name + "` | " + std::to_string(f->DataRows()) + " | " + Thousands(static_cast<i64>(f->Bytes())) +
         " | " + (it == kAbout.end() ? "" : it->second.first) + " | " + (it == kAbout.end() ? "" : it->second.second) + " |");
  }
  line("");
  line("EES files use the published symbols for missing values: `c` (confidential: Key Stage");
  line("cohorts under 11 pupils), `x` (not available), `z` (not applicable: no progress measure");
  line("for reading, writing and maths combined; no academy fields for maintained schools) and");
  line("`low` (rounds to zero). Several 2022/23 school-level releases (absence, exclusions, KS2)");
  line("were in reality published after 30 November 2023; the demo includes them so every");
  line("indicator has a latest year. Code values (type, phase, reason, trust flag) follow GIAS");
  line("conventions; Vigil's demo job and rules read the names, not the codes.");
  return md;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: vigil_demo_generator OUT_DIR\n";
    return 2;
  }
  const std::filesystem::path dir(argv[1]);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) Die("cannot create " + dir.string() + ": " + ec.message());

  Authority authority;
  authority.Build();
  std::vector<School>& schools = authority.schools;
  AssignTargets(schools);
  OfstedHistory ofsted;
  ofsted.Build(schools);
  const OfstedSummary summary = Summarise(schools, ofsted.inspections);

  Signals signals;
  signals.safeguarding_no = summary.safeguarding_no;
  CsvFile gias(dir / "edubasealldata20231130.csv", Encoding::kCp1252, "\n");
  CsvFile links(dir / "links_edubasealldata20231130.csv", Encoding::kCp1252, "\n");
  CsvFile inspections(dir / "ofsted_inspections.csv", Encoding::kCp1252, "\r\n");
  CsvFile ks2(dir / "ks2_school_attainment.csv", Encoding::kUtf8Bom, "\n");
  CsvFile ks4(dir / "ks4_school_attainment.csv", Encoding::kUtf8Bom, "\n");
  CsvFile absence(dir / "school_absence.csv", Encoding::kUtf8Bom, "\n");
  CsvFile exclusions(dir / "school_exclusions.csv", Encoding::kUtf8Bom, "\n");
  CsvFile s175(dir / "s175_safeguarding_returns.csv", Encoding::kUtf8Bom, "\r\n");
  CsvFile governance(dir / "governance.csv", Encoding::kUtf8Bom, "\r\n");
  CsvFile budgets(dir / "budget_balances.csv", Encoding::kUtf8Bom, "\r\n");

  WriteGias(schools, gias);
  WriteLinks(schools, links);
  WriteOfsted(schools, ofsted.inspections, inspections);
  Performance performance(schools, signals);
  performance.WriteKs2(ks2);
  performance.WriteKs4(ks4);
  performance.WriteAbsence(absence);
  performance.WriteExclusions(exclusions);
  LocalData local(schools, performance, signals);
  local.WriteS175(s175);
  local.WriteGovernance(governance);
  local.WriteBudgets(budgets);

  const std::vector<const CsvFile*> files = {&gias, &links, &inspections, &ks2, &ks4, &absence,
                                             &exclusions, &s175, &governance, &budgets};
  for (const CsvFile* f : files) f->Save();
  SaveText(dir / "PROFILE.md", Profile(schools, summary, signals, files));
  std::cout << "wrote " << files.size() + 1 << " files to " << dir.string() << '\n';
  return 0;
}
