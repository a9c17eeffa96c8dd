// Status and Result<T>: how the core reports failure without exceptions.
// Result<T> is spelled like C++23's std::expected (GCC 12 lacks it), so the
// code can move to std::expected by changing this one file.
#pragma once

#include <string>
#include <utility>
#include <optional>

namespace vigil {

// What kind of failure; the CLI maps these to exit codes (see README).
enum class ErrorCode {
  kInvalidInput,   // a bad job file, rule or setting: the user must fix it
  kDataRejected,   // input rows were rejected and the job says that fails the run
  kNotFound,       // a file, plugin, entity or run that does not exist
  kPluginFailure,  // a plugin could not be loaded or failed while reading
  kRuleFailure,    // a rule failed at run time
  kIo,             // reading or writing files or the store failed
  kBusy,           // another run holds the job's lock
  kInternal,       // a bug: an invariant did not hold
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
};

// An unexpected value, as std::unexpected: `return Unexpected(Error{...})`.
class Unexpected {
 public:
  explicit Unexpected(Error e) : error_(std::move(e)) {}
  Error& error() & { return error_; }
  Error&& error() && { return std::move(error_); }

 private:
  Error error_;
};

inline Unexpected Fail(ErrorCode code, std::string message) {
  return Unexpected(Error{code, std::move(message)});
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT
  Result(Unexpected u) : error_(std::move(u).error()) {}  // NOLINT

  bool has_value() const { return value_.has_value(); }
  explicit operator bool() const { return has_value(); }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return error_; }

 private:
  // optional + Error rather than a variant: GCC 12 reports false
  // "may be used uninitialized" warnings for strings moved out of variants.
  std::optional<T> value_;
  Error error_;
};

// Status is Result<void>: success, or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Unexpected u) : error_(std::move(u).error()), ok_(false) {}  // NOLINT
  static Status Ok() { return Status(); }

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

// Prefixes an error's message with context ("reading job.toml: …").
inline Unexpected Context(const Error& e, const std::string& context) {
  return Unexpected(Error{e.code, context + ": " + e.message});
}

}  // namespace vigil

// Returns the error of a Status or Result expression from the current function.
#define VIGIL_RETURN_IF_ERROR(expr)                                \
  do {                                                             \
    auto vigil_status_ = (expr);                                   \
    if (!vigil_status_) return ::vigil::Unexpected(vigil_status_.error()); \
  } while (false)

#define VIGIL_CONCAT_INNER_(a, b) a##b
#define VIGIL_CONCAT_(a, b) VIGIL_CONCAT_INNER_(a, b)
// Declares `lhs` from a Result expression, or returns its error.
#define VIGIL_ASSIGN_OR_RETURN(lhs, expr)                                   \
  auto VIGIL_CONCAT_(vigil_result_, __LINE__) = (expr);                     \
  if (!VIGIL_CONCAT_(vigil_result_, __LINE__))                              \
    return ::vigil::Unexpected(VIGIL_CONCAT_(vigil_result_, __LINE__).error()); \
  lhs = std::move(VIGIL_CONCAT_(vigil_result_, __LINE__)).value()
