// The sqlite data-source plugin: runs one read-only SELECT against an
// authority's own SQLite database and maps the result columns to entities
// and dated observations, as the csv plugin maps CSV columns.
//
// The database is never changed, by four independent guards: it is opened
// read-only and immutable, through the descriptor the host checksummed (see
// database_file.h), so nothing is created beside it; `PRAGMA query_only=1`
// is set; an authorizer allows only reading (SELECT, reading columns,
// calling functions but two that load code or take pointers, recursive
// CTEs) while the query is prepared, so INSERT, UPDATE, DELETE, ATTACH,
// PRAGMA, CREATE, DROP and transactions fail before anything runs; and the
// prepared statement must be sqlite3_stmt_readonly(), be the only statement
// in the text and return columns. Parameters are bound as values (?1, ?2, …),
// never spliced into the SQL. The time SQLite spends running the query is
// limited (setting query_seconds) and the host's stop is honoured inside it.
//
// Per result row (numbered from 1, used as the rejection "line"): a NULL or
// empty key rejects the row; a measure that is NULL gives no observation, a
// suppression code (c, x, …) a missing value with its reason, and text that
// is not a number is rejected alone while the row's other values are kept.
#include "database_file.h"

#include <sqlite3.h>
#include <vigil/csv.hpp>
#include <vigil/mapping.hpp>
#include <vigil/plugin.hpp>
#include <vigil/values.hpp>

#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
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

constexpr vigil_setting_decl kSettings[] = {
    {"database", VIGIL_SETTING_PATH, 1, nullptr,
     "The SQLite database file to read; it is opened read-only and never changed."},
    {"query", VIGIL_SETTING_STRING, 1, nullptr,
     "One SELECT statement whose result columns the mapping names, e.g. \"SELECT urn, "
     "name, pupils, census_date FROM schools WHERE la = ?1\"; anything that could write is "
     "refused."},
    {"parameters", VIGIL_SETTING_LIST, 0, nullptr,
     "Values bound in order to the query's ?1, ?2, ... (as text; SQLite compares them with "
     "numeric columns as numbers); they are never spliced into the SQL."},
    {"kind", VIGIL_SETTING_STRING, 1, nullptr,
     "Entity kind given to every row, in snake_case, e.g. \"school\"."},
    {"key_column", VIGIL_SETTING_STRING, 1, nullptr,
     "Result column holding each entity's key, e.g. \"urn\"; a row whose key is NULL or "
     "empty is rejected."},
    {"name_column", VIGIL_SETTING_STRING, 0, nullptr,
     "Result column holding the entity's display name."},
    {"attributes", VIGIL_SETTING_LIST, 0, nullptr,
     "Entity attributes as \"attr_name = column\" items; NULL and empty values are left "
     "out."},
    {"measures", VIGIL_SETTING_LIST, 0, nullptr,
     "Numeric measures as \"measure_name = column\" items; NULL gives no observation, codes "
     "such as c, x, z and low are kept as missing values with their reason, other text "
     "that is not a number is rejected."},
    {"text_measures", VIGIL_SETTING_LIST, 0, nullptr,
     "Textual measures as \"measure_name = column\" items; NULL and empty values are "
     "skipped."},
    {"date_column", VIGIL_SETTING_STRING, 0, nullptr,
     "Result column holding each row's as-of date as text (YYYY-MM-DD, DD/MM/YYYY) or an "
     "EES time period (202223); measures need this or as_of."},
    {"as_of", VIGIL_SETTING_STRING, 0, nullptr,
     "Fixed as-of date (YYYY-MM-DD) when there is no date column; with date_column, the "
     "date of rows whose date is NULL or empty."},
    {"query_seconds", VIGIL_SETTING_INTEGER, 0, "300",
     "The longest SQLite may spend running the query, in seconds (1 to 86400); a query "
     "that runs longer (a recursive view that never ends) is stopped and the source "
     "fails, naming this setting."},
};

constexpr long long kMaxQuerySeconds = 86400;
// How many SQLite virtual-machine instructions run between two looks at the
// clock and the host's stop: well under a millisecond of work.
constexpr int kProgressInstructions = 10000;

constexpr std::uint64_t kProgressEvery = 4096;

// The SQL as shown in a message: on one line and cut short if long.
std::string Excerpt(std::string_view sql) {
  std::string out;
  bool space = false;
  for (char c : Trim(sql)) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  if (out.size() > 60) out = out.substr(0, 57) + "...";
  return Quoted(out);
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// One "name = column" item of a LIST setting.
struct Mapping {
  std::string name;
  std::string column;
  int index = 0;  // the result column, once the query is prepared
};

std::vector<Mapping> ParseItems(const Settings& settings, std::string_view setting) {
  std::vector<Mapping> items;
  for (auto& item : vigil::sdk::ParseNameItems(settings, setting, "\"name = column\""))
    items.push_back({std::move(item.left), std::move(item.right), 0});
  return items;
}

struct StatementFinalizer {
  void operator()(sqlite3_stmt* stmt) const noexcept { sqlite3_finalize(stmt); }
};
using vigil::sqlite_plugin::Database;
using Statement = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

// What the authorizer refused first, in words ("INSERT into table schools").
struct Refusal {
  std::string what;
};

std::string ActionName(int action, const char* a, const char* b) {
  const std::string first = a != nullptr ? a : "";
  const std::string second = b != nullptr ? b : "";
  // CREATE and DROP first ask to write the schema table, and stop there.
  const bool schema = first == "sqlite_master" || first == "sqlite_temp_master" ||
                      first == "sqlite_schema" || first == "sqlite_temp_schema";
  if (schema && (action == SQLITE_INSERT || action == SQLITE_UPDATE || action == SQLITE_DELETE))
    return "change the database's tables (CREATE, DROP or ALTER)";
  switch (action) {
    case SQLITE_INSERT: return "INSERT into table " + first;
    case SQLITE_UPDATE: return "UPDATE table " + first;
    case SQLITE_DELETE: return "DELETE from table " + first;
    case SQLITE_ATTACH: return "ATTACH a database";
    case SQLITE_DETACH: return "DETACH a database";
    case SQLITE_PRAGMA:
      return "run PRAGMA " + first + (second.empty() ? "" : "(" + second + ")");
    case SQLITE_TRANSACTION: return "control a transaction (" + first + ")";
    case SQLITE_SAVEPOINT: return "use a savepoint";
    case SQLITE_ALTER_TABLE: return "ALTER table " + second;
    case SQLITE_REINDEX: return "REINDEX";
    case SQLITE_FUNCTION: return "call " + second + "()";
    case SQLITE_ANALYZE: return "ANALYZE";
    case SQLITE_CREATE_INDEX:
    case SQLITE_CREATE_TABLE:
    case SQLITE_CREATE_TEMP_INDEX:
    case SQLITE_CREATE_TEMP_TABLE:
    case SQLITE_CREATE_TEMP_TRIGGER:
    case SQLITE_CREATE_TEMP_VIEW:
    case SQLITE_CREATE_TRIGGER:
    case SQLITE_CREATE_VIEW:
    case SQLITE_CREATE_VTABLE: return "CREATE " + first;
    case SQLITE_DROP_INDEX:
    case SQLITE_DROP_TABLE:
    case SQLITE_DROP_TEMP_INDEX:
    case SQLITE_DROP_TEMP_TABLE:
    case SQLITE_DROP_TEMP_TRIGGER:
    case SQLITE_DROP_TEMP_VIEW:
    case SQLITE_DROP_TRIGGER:
    case SQLITE_DROP_VIEW:
    case SQLITE_DROP_VTABLE: return "DROP " + first;
    default: return "do something other than read (SQLite action " + std::to_string(action) + ")";
  }
}

// Allows only what a SELECT needs; everything else is denied, and the first
// refusal is kept to explain the error. Called by SQLite from C: no
// exception may leave it.
int Authorize(void* user, int action, const char* a, const char* b, const char*,
              const char*) noexcept {
  switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_RECURSIVE:
      return SQLITE_OK;
    case SQLITE_FUNCTION:
      // Both are off by default; refused by name in case a build turns
      // them on: one loads code, the other takes a raw pointer.
      if (b == nullptr || (std::string_view(b) != "load_extension" &&
                           std::string_view(b) != "fts3_tokenizer"))
        return SQLITE_OK;
      break;
    default:
      break;
  }
  try {
    auto* refusal = static_cast<Refusal*>(user);
    if (refusal->what.empty()) refusal->what = ActionName(action, a, b);
  } catch (...) {
    // Out of memory: the statement is still denied, only less well explained.
  }
  return SQLITE_DENY;
}

// The time SQLite spends running the query (not the host's time with the
// rows it returns), looked at by SQLite's progress handler, which stops the
// query when it is out of time or the host asks the run to stop.
struct QueryClock {
  using Clock = std::chrono::steady_clock;
  Clock::duration limit{};
  Clock::duration spent{};
  Clock::time_point started{};
  const Host* host = nullptr;
  bool running = false;  // inside Time(): `started` is current
  bool out_of_time = false;
  bool cancelled = false;

  // Runs `work` (a call into SQLite), counting its time.
  template <typename Work>
  int Time(Work&& work) {
    started = Clock::now();
    running = true;
    const int rc = work();
    running = false;
    spent += Clock::now() - started;
    return rc;
  }

  // SQLite's progress handler: non-zero interrupts the statement. Called
  // from C: no exception may leave it.
  static int Check(void* self) noexcept {
    auto* clock = static_cast<QueryClock*>(self);
    try {
      clock->host->ThrowIfCancelled();
    } catch (...) {
      clock->cancelled = true;
      return 1;
    }
    if (!clock->running) return 0;
    clock->out_of_time = clock->spent + (Clock::now() - clock->started) > clock->limit;
    return clock->out_of_time ? 1 : 0;
  }
};

long long QuerySeconds(const Settings& settings) {
  const std::string_view text = Trim(settings.GetOr("query_seconds", "300"));
  long long seconds = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc() || end != text.data() + text.size() || seconds < 1 ||
      seconds > kMaxQuerySeconds)
    throw Error("setting 'query_seconds': expected a whole number of seconds from 1 to " +
                std::to_string(kMaxQuerySeconds) + ", got " + Quoted(text));
  return seconds;
}

// A result cell: its SQLite type and, unless NULL or BLOB, its text.
struct Cell {
  int type = SQLITE_NULL;
  std::string text;
  double number = 0;
};

class SqliteSource {
 public:
  SqliteSource(Host host, const Settings& settings);
  void Read();

 private:
  struct PendingObservation {
    std::string_view measure;
    std::optional<double> number;
    std::string text;
  };

  Database Open();
  void ThrowIfStopped(int rc);  // when SQLite stopped on the clock's say
  Statement Prepare(sqlite3* db);
  void Bind(sqlite3_stmt* stmt);
  void ResolveColumns(sqlite3_stmt* stmt);
  void ReadCell(sqlite3_stmt* stmt, int index, Cell& cell);
  void ProcessRow(sqlite3_stmt* stmt, std::uint64_t row);
  std::optional<std::string> RowDate(sqlite3_stmt* stmt, std::uint64_t row);
  void Reject(std::uint64_t row, std::string_view field, std::string_view value,
              std::string_view reason);

  Host host_;
  std::string database_;
  std::string query_;
  std::vector<std::string> parameters_;
  std::string kind_;
  std::string key_column_;
  std::string name_column_;
  std::string date_column_;
  std::string as_of_;
  std::vector<Mapping> attributes_;
  std::vector<Mapping> measures_;
  std::vector<Mapping> text_measures_;
  long long query_seconds_ = 0;
  QueryClock clock_;

  int key_index_ = 0;
  int name_index_ = 0;
  int date_index_ = 0;
  std::vector<std::string> column_names_;

  Cell cell_;  // reused for every cell read
  std::vector<PendingObservation> pending_;
  std::vector<std::pair<std::string, std::string>> attribute_values_;
  std::unordered_set<std::string> keys_;
  std::uint64_t rows_ = 0;
  std::uint64_t observations_ = 0;
  std::uint64_t rejected_ = 0;
};

SqliteSource::SqliteSource(Host host, const Settings& settings)
    : host_(host),
      database_(settings.Required("database")),
      query_(settings.Required("query")),
      kind_(Trim(settings.Required("kind"))),
      key_column_(Trim(settings.Required("key_column"))),
      name_column_(Trim(settings.GetOr("name_column", ""))),
      date_column_(Trim(settings.GetOr("date_column", ""))),
      attributes_(ParseItems(settings, "attributes")),
      measures_(ParseItems(settings, "measures")),
      text_measures_(ParseItems(settings, "text_measures")),
      query_seconds_(QuerySeconds(settings)) {
  clock_.limit = std::chrono::seconds(query_seconds_);
  clock_.host = &host_;
  vigil::sdk::CheckSnakeCase("kind", kind_, "school");
  if (key_column_.empty()) throw Error("setting 'key_column' is required");
  if (Trim(query_).empty()) throw Error("setting 'query' is required");
  for (std::string_view p : settings.List("parameters")) parameters_.emplace_back(p);

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
  if (!names.empty() && date_column_.empty() && as_of_.empty())
    throw Error(
        "measures are mapped but nothing dates them: set 'date_column' (a result column "
        "holding each row's date) or 'as_of' (one date for every row)");
}

Database SqliteSource::Open() {
  Database db = vigil::sqlite_plugin::OpenImmutable(database_);
#ifdef SQLITE_DBCONFIG_DEFENSIVE
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
#endif
#ifdef SQLITE_DBCONFIG_TRUSTED_SCHEMA
  // Views and triggers of a database from elsewhere may not call functions
  // with side effects.
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
#endif
  // The time limit and the host's stop cover everything SQLite runs from here.
  sqlite3_progress_handler(db.get(), kProgressInstructions, &QueryClock::Check, &clock_);
  auto exec = [&](const char* sql, const char* what) {
    char* message = nullptr;
    const int rc = clock_.Time([&] { return sqlite3_exec(db.get(), sql, nullptr, nullptr, &message); });
    if (rc != SQLITE_OK) {
      const std::string reason = message != nullptr ? message : sqlite3_errmsg(db.get());
      sqlite3_free(message);
      ThrowIfStopped(rc);
      throw Error(database_ + ": " + what + ": " + reason);
    }
  };
  exec("PRAGMA query_only=1", "cannot make the connection read-only");
  // Opening is lazy: read the schema now, so that a file that is not a
  // database is reported as such rather than as a failing query.
  exec("SELECT count(*) FROM sqlite_master", "cannot read");
  return db;
}

void SqliteSource::ThrowIfStopped(int rc) {
  if (rc != SQLITE_INTERRUPT) return;
  if (clock_.cancelled) throw vigil::sdk::Stop(VIGIL_CANCELLED);
  if (clock_.out_of_time)
    throw Error("the query ran longer than its limit of " + Plural(static_cast<std::uint64_t>(query_seconds_), "second") +
                " (setting 'query_seconds') and was stopped; a query that never ends (a "
                "recursive view or CTE without a working stop) fails this way. If it really "
                "needs longer, raise 'query_seconds' in the source's settings");
}

Statement SqliteSource::Prepare(sqlite3* db) {
  Refusal refusal;
  sqlite3_set_authorizer(db, &Authorize, &refusal);
  const char* tail = nullptr;
  sqlite3_stmt* raw = nullptr;
  const int size = query_.size() > 1000000 ? -1 : static_cast<int>(query_.size());
  int rc = sqlite3_prepare_v2(db, query_.data(), size, &raw, &tail);
  Statement stmt(raw);
  if (rc != SQLITE_OK) {
    if (!refusal.what.empty())
      throw Error("setting 'query': refused: only a SELECT may run, and this query would " +
                  refusal.what);
    throw Error("setting 'query': " + std::string(sqlite3_errmsg(db)) + " in " +
                Excerpt(query_));
  }
  if (!stmt) throw Error("setting 'query' holds no SQL statement, only spaces or comments");

  // Whatever follows the first statement must be empty: spaces, comments
  // and semicolons only. Preparing it runs nothing.
  const char* const end = query_.data() + query_.size();
  while (tail != nullptr && tail < end) {
    const char* next = nullptr;
    sqlite3_stmt* extra = nullptr;
    rc = sqlite3_prepare_v2(db, tail, static_cast<int>(end - tail), &extra, &next);
    Statement second(extra);
    if (rc != SQLITE_OK || second)
      throw Error("setting 'query': refused: give one statement only; this one is followed "
                  "by " + Excerpt(std::string_view(tail, static_cast<std::size_t>(end - tail))));
    if (next == nullptr || next <= tail) break;
    tail = next;
  }
  sqlite3_set_authorizer(db, nullptr, nullptr);

  if (sqlite3_stmt_readonly(stmt.get()) == 0)
    throw Error("setting 'query': refused: the statement would write to the database; only "
                "a SELECT may run");
  if (sqlite3_column_count(stmt.get()) == 0)
    throw Error("setting 'query': refused: the statement returns no columns; only a SELECT "
                "may run");
  return stmt;
}

void SqliteSource::Bind(sqlite3_stmt* stmt) {
  const int count = sqlite3_bind_parameter_count(stmt);
  for (int i = 1; i <= count; ++i) {
    const char* name = sqlite3_bind_parameter_name(stmt, i);
    if (name == nullptr || name[0] != '?')
      throw Error("setting 'query': parameter " +
                  (name != nullptr ? Quoted(name) : "number " + std::to_string(i)) +
                  " is not numbered; write ?1, ?2, ... and list the values in 'parameters'");
  }
  if (static_cast<std::size_t>(count) != parameters_.size())
    throw Error("setting 'parameters': the query uses " + Plural(count, "parameter") +
                (count > 0 ? " (?1 to ?" + std::to_string(count) + ")" : "") + " but " +
                Plural(parameters_.size(), "value") + (parameters_.size() == 1 ? " is" : " are") +
                " given");
  for (int i = 1; i <= count; ++i) {
    const std::string& value = parameters_[static_cast<std::size_t>(i - 1)];
    if (sqlite3_bind_text64(stmt, i, value.data(), value.size(), SQLITE_TRANSIENT,
                            SQLITE_UTF8) != SQLITE_OK)
      throw Error("setting 'parameters': cannot bind value " + std::to_string(i) + ": " +
                  sqlite3_errmsg(sqlite3_db_handle(stmt)));
  }
}

void SqliteSource::ResolveColumns(sqlite3_stmt* stmt) {
  const int count = sqlite3_column_count(stmt);
  column_names_.clear();
  for (int i = 0; i < count; ++i) {
    const char* name = sqlite3_column_name(stmt, i);
    column_names_.emplace_back(name != nullptr ? name : "");
  }
  auto find = [&](std::string_view column) -> std::optional<int> {
    for (int i = 0; i < count; ++i)
      if (column_names_[static_cast<std::size_t>(i)] == column) return i;
    for (int i = 0; i < count; ++i)  // SQLite's own names ignore case
      if (EqualsIgnoreCase(column_names_[static_cast<std::size_t>(i)], column)) return i;
    return std::nullopt;
  };
  std::string missing;
  std::size_t missing_count = 0;
  auto need = [&](const std::string& column, std::string_view setting, int& index) {
    if (auto i = find(column)) {
      index = *i;
      return;
    }
    const std::string entry = Quoted(column) + " (" + std::string(setting) + ")";
    if (missing.find(entry) != std::string::npos) return;
    ++missing_count;
    missing += (missing.empty() ? "" : ", ") + entry;
  };
  need(key_column_, "key_column", key_index_);
  if (!name_column_.empty()) need(name_column_, "name_column", name_index_);
  if (!date_column_.empty()) need(date_column_, "date_column", date_index_);
  for (Mapping& m : attributes_) need(m.column, "attributes", m.index);
  for (Mapping& m : measures_) need(m.column, "measures", m.index);
  for (Mapping& m : text_measures_) need(m.column, "text_measures", m.index);
  if (missing_count > 0) {
    std::string have;
    for (const std::string& name : column_names_) have += (have.empty() ? "" : ", ") + name;
    throw Error("the query's result lacks " +
                (missing_count == 1 ? std::string("a column")
                                    : std::to_string(missing_count) + " columns") +
                " the job maps: " + missing + "; it returns " + have +
                " (name result columns with AS)");
  }
}

void SqliteSource::ReadCell(sqlite3_stmt* stmt, int index, Cell& cell) {
  cell.type = sqlite3_column_type(stmt, index);
  cell.text.clear();
  switch (cell.type) {
    case SQLITE_INTEGER:
      cell.number = static_cast<double>(sqlite3_column_int64(stmt, index));
      cell.text = std::to_string(sqlite3_column_int64(stmt, index));
      break;
    case SQLITE_FLOAT: {
      cell.number = sqlite3_column_double(stmt, index);
      char buffer[32];
      const auto result = std::to_chars(buffer, buffer + sizeof buffer, cell.number);
      cell.text.assign(buffer, result.ptr);
      break;
    }
    case SQLITE_TEXT: {
      const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt, index));
      const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt, index));
      const std::string_view raw =
          data != nullptr ? std::string_view(data, size) : std::string_view{};
      // As the csv plugin's auto encoding: UTF-8 when valid, else Windows-1252.
      if (vigil::sdk::csv::detail::IsValidUtf8(raw))
        cell.text.assign(raw);
      else
        vigil::sdk::csv::detail::AppendFromCp1252(cell.text, raw);
      break;
    }
    default:
      break;
  }
}

void SqliteSource::Reject(std::uint64_t row, std::string_view field, std::string_view value,
                          std::string_view reason) {
  ++rejected_;
  host_.Reject({database_, row, field, value, reason});
}

std::optional<std::string> SqliteSource::RowDate(sqlite3_stmt* stmt, std::uint64_t row) {
  if (date_column_.empty()) return as_of_;
  const std::string& column = column_names_[static_cast<std::size_t>(date_index_)];
  const std::string lost = "; the row's " + Plural(pending_.size(), "value") +
                           (pending_.size() == 1 ? " was" : " were") + " not loaded";
  ReadCell(stmt, date_index_, cell_);
  const std::string_view text = Trim(cell_.text);
  if (cell_.type == SQLITE_BLOB) {
    Reject(row, column, {}, "the date is binary data (a BLOB)" + lost);
    return std::nullopt;
  }
  if (cell_.type == SQLITE_FLOAT) {
    Reject(row, column, text,
           "the date is a number; return dates as text, e.g. date(" + column +
               ", 'unixepoch')" + lost);
    return std::nullopt;
  }
  if (text.empty()) {
    if (!as_of_.empty()) return as_of_;
    Reject(row, column, {}, "the date is empty" + lost);
    return std::nullopt;
  }
  auto date = vigil::sdk::ParseDate(text);
  if (date.ok()) return *date.value;
  Reject(row, column, text, date.error + lost);
  return std::nullopt;
}

void SqliteSource::ProcessRow(sqlite3_stmt* stmt, std::uint64_t row) {
  ++rows_;
  ReadCell(stmt, key_index_, cell_);
  const std::string key(Trim(cell_.text));
  if (key.empty()) {
    Reject(row, key_column_, {},
           cell_.type == SQLITE_BLOB ? "the key is binary data (a BLOB)" : "the key is empty");
    return;
  }

  pending_.clear();
  for (const Mapping& m : measures_) {
    ReadCell(stmt, m.index, cell_);
    const std::string& column = column_names_[static_cast<std::size_t>(m.index)];
    if (cell_.type == SQLITE_NULL) continue;
    if (cell_.type == SQLITE_INTEGER || cell_.type == SQLITE_FLOAT) {
      pending_.push_back({m.name, cell_.number, {}});
      continue;
    }
    if (cell_.type == SQLITE_BLOB) {
      Reject(row, column, {}, "the value is binary data (a BLOB), not a number");
      continue;
    }
    const std::string_view text = Trim(cell_.text);
    if (text.empty()) continue;
    if (auto reason = vigil::sdk::MissingReason(text)) {
      pending_.push_back({m.name, std::nullopt, std::string(*reason)});
      continue;
    }
    auto number = vigil::sdk::ParseNumber(text);
    if (number.ok())
      pending_.push_back({m.name, number.value, {}});
    else
      Reject(row, column, text, number.error);
  }
  for (const Mapping& m : text_measures_) {
    ReadCell(stmt, m.index, cell_);
    if (cell_.type == SQLITE_BLOB) {
      Reject(row, column_names_[static_cast<std::size_t>(m.index)], {},
             "the value is binary data (a BLOB), not text");
      continue;
    }
    const std::string_view text = Trim(cell_.text);
    if (!text.empty()) pending_.push_back({m.name, std::nullopt, std::string(text)});
  }
  std::optional<std::string> as_of;
  if (!pending_.empty()) as_of = RowDate(stmt, row);

  if (keys_.insert(key).second) {
    std::string name;
    if (!name_column_.empty()) {
      ReadCell(stmt, name_index_, cell_);
      name = Trim(cell_.text);
    }
    attribute_values_.clear();
    for (const Mapping& m : attributes_) {
      ReadCell(stmt, m.index, cell_);
      const std::string_view text = Trim(cell_.text);
      if (!text.empty()) attribute_values_.emplace_back(m.name, std::string(text));
    }
    std::vector<vigil_attribute> attributes;
    attributes.reserve(attribute_values_.size());
    for (const auto& [attr, value] : attribute_values_)
      attributes.push_back({vigil::sdk::Str(attr), vigil::sdk::Str(value)});
    host_.Entity(kind_, key, name, attributes);
  }
  if (!as_of) return;
  for (const PendingObservation& o : pending_) {
    host_.Observation(kind_, key, o.measure, *as_of, {o.number, o.text});
    ++observations_;
  }
}

void SqliteSource::Read() {
  host_.ThrowIfCancelled();
  Database db = Open();
  Statement stmt = Prepare(db.get());
  Bind(stmt.get());
  ResolveColumns(stmt.get());

  std::uint64_t row = 0;
  while (true) {
    const int rc = clock_.Time([&] { return sqlite3_step(stmt.get()); });
    if (rc == SQLITE_DONE) break;
    ThrowIfStopped(rc);
    if (rc != SQLITE_ROW)
      throw Error(database_ + ": reading result row " + std::to_string(row + 1) +
                  " failed: " + sqlite3_errmsg(db.get()));
    ProcessRow(stmt.get(), ++row);
    if (row % kProgressEvery == 0) {
      host_.Progress(row, 0);
      host_.ThrowIfCancelled();
    }
  }
  host_.Progress(row, row);
  host_.Info("read database=" + database_ + " rows=" + std::to_string(rows_) +
             " entities=" + std::to_string(keys_.size()) +
             " observations=" + std::to_string(observations_) +
             " rejected=" + std::to_string(rejected_));
}

}  // namespace

VIGIL_PLUGIN_ENTRY((vigil::sdk::Describe<SqliteSource>(
    "sqlite", "1.0.0",
    "Runs one read-only SELECT against a local SQLite database and maps its result "
    "columns to entities and dated observations.",
    "entities of the configured kind, dated observations", kSettings)))
