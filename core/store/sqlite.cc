#include "store/sqlite.h"

#include <fmt/format.h>

namespace vigil::store {
namespace {

// "store /path/to/vigil.sqlite": every error names the file it is about.
std::string Named(sqlite3* db) {
  const char* file = db ? sqlite3_db_filename(db, "main") : nullptr;
  return file != nullptr && *file != '\0' ? fmt::format("store {}", file) : "store";
}

}  // namespace

Result<Database> Database::Open(const std::string& path, bool read_only) {
  sqlite3* db = nullptr;
  // NOFOLLOW: a store swapped for a link (in a folder others can write)
  // must not send a run's writes to the file the link names.
  int flags = (read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) | SQLITE_OPEN_NOFOLLOW;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return Fail(ErrorCode::kIo, fmt::format("cannot open store {}: {}", path, message));
  }
  sqlite3_extended_result_codes(db, 1);
  return Database(db);
}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    sqlite3_close(db_);
    db_ = other.db_;
    other.db_ = nullptr;
  }
  return *this;
}

Database::~Database() { sqlite3_close(db_); }

Status Database::Exec(std::string_view sql) {
  char* error = nullptr;
  std::string text(sql);
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : LastError();
    sqlite3_free(error);
    return Fail(ErrorCode::kIo, fmt::format("{}: {}", Named(db_), message));
  }
  return Status::Ok();
}

Result<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &stmt, nullptr) != SQLITE_OK)
    return Fail(ErrorCode::kInternal, fmt::format("{}: cannot prepare '{}': {}", Named(db_), sql, LastError()));
  return Statement(stmt);
}

std::int64_t Database::LastInsertId() const { return sqlite3_last_insert_rowid(db_); }
std::string Database::LastError() const { return sqlite3_errmsg(db_); }

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = other.stmt_;
    other.stmt_ = nullptr;
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::Bind(int index, std::string_view text) {
  // A null data pointer would bind NULL; an empty string must stay ''.
  sqlite3_bind_text64(stmt_, index, text.data() ? text.data() : "", text.size(), SQLITE_TRANSIENT,
                      SQLITE_UTF8);
  return *this;
}
Statement& Statement::Bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}
Statement& Statement::Bind(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
  return *this;
}
Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}
Statement& Statement::Bind(int index, const std::optional<double>& value) {
  return value ? Bind(index, *value) : BindNull(index);
}

Result<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3* db = sqlite3_db_handle(stmt_);
  ErrorCode code = (rc & 0xff) == SQLITE_BUSY ? ErrorCode::kBusy : ErrorCode::kIo;
  return Fail(code, fmt::format("{}: {} (in '{}')", Named(db), sqlite3_errmsg(db), sqlite3_sql(stmt_)));
}

Status Statement::Run() {
  auto stepped = Step();
  Reset();
  if (!stepped) return Unexpected(stepped.error());
  return Status::Ok();
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }
double Statement::Double(int column) const { return sqlite3_column_double(stmt_, column); }
bool Statement::IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
std::string_view Statement::Text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  if (!p) return {};
  return std::string_view(reinterpret_cast<const char*>(p),
                          static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

Result<Transaction> Transaction::Begin(Database& db) {
  VIGIL_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
  return Transaction(&db);
}

Transaction::~Transaction() {
  if (db_) (void)db_->Exec("ROLLBACK");
}

Status Transaction::Commit() {
  Status status = db_->Exec("COMMIT");
  // A failed COMMIT (e.g. a full disk) leaves the transaction open; the
  // destructor then rolls it back, so the store stays as it was.
  if (status.ok()) db_ = nullptr;
  return status;
}

}  // namespace vigil::store
