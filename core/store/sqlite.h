// A thin RAII layer over SQLite's C API: a database handle, prepared
// statements and transactions that roll back unless committed.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace vigil::store {

class Statement;

class Database {
 public:
  // Opens (creating if asked) the database file; `read_only` opens it so.
  static Result<Database> Open(const std::string& path, bool read_only = false);

  Database(Database&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Runs one or more statements with no parameters and no rows.
  Status Exec(std::string_view sql);
  Result<Statement> Prepare(std::string_view sql);
  std::int64_t LastInsertId() const;
  std::string LastError() const;
  sqlite3* handle() const { return db_; }

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

class Statement {
 public:
  Statement(Statement&& other) noexcept : stmt_(other.stmt_) { other.stmt_ = nullptr; }
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQLite. Text is copied (SQLITE_TRANSIENT).
  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, std::int64_t value);
  Statement& Bind(int index, double value);
  Statement& BindNull(int index);
  Statement& Bind(int index, const std::optional<double>& value);

  // Advances: true with a row, false when done; errors become a Status.
  Result<bool> Step();
  // Runs a statement that returns no rows, then resets it for reuse.
  Status Run();
  void Reset();

  std::int64_t Int(int column) const;
  double Double(int column) const;
  bool IsNull(int column) const;
  std::string_view Text(int column) const;  // valid until the next Step()

 private:
  friend class Database;
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  sqlite3_stmt* stmt_;
};

// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless Commit().
class Transaction {
 public:
  static Result<Transaction> Begin(Database& db);
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction();
  Status Commit();

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_;
};

}  // namespace vigil::store
