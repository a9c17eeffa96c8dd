// vigil/csv.hpp: a streaming CSV reader for published government files
// (DfE, GIAS, Ofsted, EES) and their Excel re-saves, header-only, C++17.
//
// What it does:
//  - Reads a file in fixed-size chunks (Options::chunk_size, 1 MiB by
//    default), never the whole file: memory stays flat however large the
//    file is. It grows only to hold one record longer than a chunk, and never
//    beyond Options::max_record_size (a record that long is reported as an
//    error, usually a quote that is never closed). A Reader can also read an
//    in-memory string through the same code path (tests, fuzzing).
//  - RFC 4180: fields may be quoted, and a quoted field may contain the
//    delimiter, doubled quotes ("") and line breaks. Records end with LF,
//    CRLF or a lone CR; the last record needs no line break. A UTF-8
//    byte-order mark at the start is skipped. Empty lines are skipped, but
//    still counted, so line numbers are always the physical lines an officer
//    sees in an editor. Options::skip_lines skips lines above the header (a
//    title line) without parsing them.
//  - Lenient where that loses nothing: a quote inside an unquoted field is
//    kept as a character, and text after a closing quote (`"ab"c`) is
//    appended to the field (`abc`), as Python's csv module does. A record
//    with more or fewer fields than the header is returned as it is; the
//    caller decides (the csv plugin rejects it).
//  - Encoding (Options::encoding): every field returned is valid UTF-8.
//      kUtf8: fields are used as they are; an invalid byte sequence becomes
//        U+FFFD (so a wrongly declared file shows "�" rather than breaking).
//      kWindows1252: every field is transcoded from Windows-1252 (the full
//        table, 0x80-0x9F included: 0x92 is U+2019 ’; the five unassigned
//        bytes map to the C1 controls, as Windows does).
//      kAuto (default): decided per field, so it works while streaming: a
//        field that is valid UTF-8 is kept, any other field is decoded as
//        Windows-1252 (DfE and Ofsted publish Windows-1252; EES publishes
//        UTF-8). Pure ASCII is the same in all three and is never copied.
//
// Guarantees:
//  - Fields are parsed in place: a Row's string_views point into the
//    reader's buffer, and are only copied into a reader-owned buffer when a
//    field has to be unescaped ("") or transcoded. They stay valid until the
//    next call to Next() (or until the reader is moved or destroyed).
//  - Row::line is the 1-based physical line on which the record starts, also
//    after records with embedded line breaks and after skipped empty lines.
//  - Errors never throw: Next() returns false and error() says what went
//    wrong as "NAME:LINE: message" (NAME is the path, or the name given to
//    FromString), e.g. an unclosed quote names the line where the quoted
//    field starts. A file that cannot be opened or read is reported the
//    same way (ok() is false right after construction). Only std::bad_alloc
//    can escape.
//  - Not thread-safe; one Reader per thread.
//
// Usage:
//   vigil::sdk::csv::Reader reader(path);          // or Reader::FromString()
//   vigil::sdk::csv::Row row;
//   if (!reader.Next(row)) { /* empty file, or reader.error() */ }
//   vigil::sdk::csv::Header header(row);
//   auto missing = header.Missing({"URN", "EstablishmentName"});
//   auto urn = header.Resolve("URN");
//   while (reader.Next(row)) { use row.fields[*urn], row.line ... }
//   if (!reader.ok()) { report reader.error() }
#ifndef VIGIL_CSV_HPP_
#define VIGIL_CSV_HPP_

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace vigil::sdk::csv {

enum class Encoding { kUtf8, kWindows1252, kAuto };

// Parses "auto", "utf-8" (or "utf8") and "windows-1252" (or "cp1252"),
// ignoring case; nullopt for anything else.
std::optional<Encoding> ParseEncoding(std::string_view name);

struct Options {
  char delimiter = ',';
  Encoding encoding = Encoding::kAuto;
  // Bytes read from the file at a time (at least 1).
  std::size_t chunk_size = std::size_t{1} << 20;
  // A single record longer than this is an error rather than a reason to
  // keep growing the buffer.
  std::size_t max_record_size = std::size_t{64} << 20;
  // Physical lines skipped before the first record (after a byte-order mark).
  std::uint64_t skip_lines = 0;
};

// One record: its fields (valid until the next Reader::Next()) and the
// physical line on which it starts.
struct Row {
  std::vector<std::string_view> fields;
  std::uint64_t line = 0;

  std::size_t size() const noexcept { return fields.size(); }
  std::string_view operator[](std::size_t i) const { return fields[i]; }
};

class Reader {
 public:
  // Opens `path` for reading; on failure ok() is false and error() says why.
  explicit Reader(const std::string& path, Options options = {});

  // Reads `data` as if it were a file called `name`.
  static Reader FromString(std::string data, std::string name = "<string>",
                           Options options = {});

  Reader(Reader&&) noexcept = default;
  Reader& operator=(Reader&&) noexcept = default;
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;
  ~Reader() = default;

  // Reads the next record into `row`. Returns false at the end of the input
  // or on an error (then ok() is false).
  bool Next(Row& row);

  bool ok() const noexcept { return error_.empty(); }
  // "NAME:LINE: message" or "NAME: message"; empty while ok().
  const std::string& error() const noexcept { return error_; }
  // The line the error is about, 0 if none.
  std::uint64_t error_line() const noexcept { return error_line_; }
  const std::string& name() const noexcept { return name_; }
  // Bytes of input parsed so far, for progress reports.
  std::uint64_t bytes_consumed() const noexcept { return base_ + begin_; }
  // Total size of the input in bytes, 0 if unknown.
  std::uint64_t size() const noexcept { return size_; }
  // With Encoding::kUtf8: fields that were not valid UTF-8 (their bad bytes
  // became U+FFFD) and the line of the first, 0 if none. A plugin warns:
  // such a file is usually Windows-1252.
  std::uint64_t repaired_fields() const noexcept { return repaired_; }
  std::uint64_t first_repaired_line() const noexcept { return first_repaired_line_; }

 private:
  struct Private {};
  Reader(Private, std::string name, Options options);

  // Where a parsed field's bytes are, before the views are built.
  struct FieldRef {
    enum Where : unsigned char { kBuffer, kScratch, kText } where;
    std::size_t offset;
    std::size_t size;
  };
  enum class Parsed { kRecord, kEnd, kNeedMore, kError };

  struct FileCloser {
    void operator()(std::FILE* f) const noexcept { std::fclose(f); }
  };

  void Start();
  bool Refill();
  std::size_t ReadSource(char* into, std::size_t capacity);
  Parsed Parse(std::uint64_t& record_line);
  void Finish(Row& row);
  void Fail(std::uint64_t line, const std::string& message);

  std::string name_;
  Options options_;
  std::unique_ptr<std::FILE, FileCloser> file_;
  std::string memory_;  // the input of FromString()
  std::size_t memory_pos_ = 0;
  bool from_memory_ = false;

  std::vector<char> buffer_;
  std::size_t begin_ = 0;      // first unparsed byte in buffer_
  std::size_t end_ = 0;        // one past the last byte read into buffer_
  std::uint64_t base_ = 0;     // input offset of buffer_[0]
  std::uint64_t size_ = 0;
  bool size_known_ = false;
  std::uint64_t line_ = 1;     // physical line at begin_
  std::uint64_t open_quote_line_ = 0;  // line of a quote still open at end_
  bool started_ = false;
  bool eof_ = false;  // the source has nothing more to read
  bool done_ = false;

  std::vector<FieldRef> refs_;
  std::string scratch_;  // unescaped fields of the current record
  std::string text_;     // transcoded fields of the current record

  std::string error_;
  std::uint64_t error_line_ = 0;
  std::uint64_t repaired_ = 0;
  std::uint64_t first_repaired_line_ = 0;
  std::uint64_t record_line_ = 0;  // the line of the record Finish() builds
};

// What a file that is not text is, and what to do, from its first bytes
// (an Excel workbook, an .xls, an .ods, a password-protected workbook);
// empty for anything else.
std::string DescribeBinary(std::string_view head);

// Maps header names to column indices. Names are trimmed of surrounding
// whitespace. A name used by several columns is made unique, never silently
// mapped to the first: the second "SNP" becomes "SNP_2", the third "SNP_3"
// (skipping a name the header already has); repeated() lists the names so a
// plugin can warn. Find() compares exactly; FindLoose() ignores ASCII case and
// treats any run of spaces or tabs as one space (Ofsted's "Latest OEIF
// safeguarding is effective?" has a double space in some releases).
class Header {
 public:
  Header() = default;
  explicit Header(const Row& row) : Header(row.fields) {}
  explicit Header(const std::vector<std::string_view>& names);

  std::size_t size() const noexcept { return names_.size(); }
  const std::vector<std::string>& names() const noexcept { return names_; }
  const std::string& name(std::size_t index) const { return names_[index]; }

  // The first column named exactly `name` (trimmed).
  std::optional<std::size_t> Find(std::string_view name) const;
  // The column whose loose form equals `name`'s; nullopt when there is none
  // or more than one (ambiguous).
  std::optional<std::size_t> FindLoose(std::string_view name) const;
  // Find(), else FindLoose(): what a mapping from a job should use.
  std::optional<std::size_t> Resolve(std::string_view name) const;
  // The names that Resolve() cannot find, in the order given, each once.
  std::vector<std::string> Missing(const std::vector<std::string_view>& names) const;

  // The loose form of a name: trimmed, ASCII lowercase, spaces collapsed.
  static std::string Loose(std::string_view name);

  // Each name several columns had, with the names they were given
  // ({"SNP", {"SNP", "SNP_2", ...}}), in header order.
  const std::vector<std::pair<std::string, std::vector<std::string>>>& repeated() const noexcept {
    return repeated_;
  }

 private:
  std::vector<std::string> names_;
  std::vector<std::string> loose_;
  std::vector<std::pair<std::string, std::vector<std::string>>> repeated_;
};

// --- Implementation -------------------------------------------------------

namespace detail {

inline bool IsSpace(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

inline std::string_view Trim(std::string_view s) noexcept {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

inline char AsciiLower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

inline unsigned char Byte(char c) noexcept { return static_cast<unsigned char>(c); }

inline bool HasHighByte(std::string_view s) noexcept {
  for (char c : s)
    if (Byte(c) >= 0x80) return true;
  return false;
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not
// one (overlong forms, surrogates and code points above U+10FFFF are
// invalid, as in RFC 3629).
inline std::size_t Utf8SequenceLength(std::string_view s, std::size_t i) noexcept {
  const unsigned char c = Byte(s[i]);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (s.size() - i < n) return 0;
  const unsigned char c1 = Byte(s[i + 1]);
  if (c1 < lo || c1 > hi) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if ((Byte(s[i + k]) & 0xC0) != 0x80) return 0;
  return n;
}

inline bool IsValidUtf8(std::string_view s) noexcept {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = Utf8SequenceLength(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

inline void AppendUtf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Windows-1252 bytes 0x80-0x9F; the unassigned 0x81, 0x8D, 0x8F, 0x90 and
// 0x9D keep their C1 control code points.
inline constexpr std::uint16_t kCp1252High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

inline void AppendFromCp1252(std::string& out, std::string_view s) {
  for (char ch : s) {
    const unsigned char c = Byte(ch);
    if (c < 0x80)
      out.push_back(ch);
    else if (c < 0xA0)
      AppendUtf8(out, kCp1252High[c - 0x80]);
    else
      AppendUtf8(out, c);
  }
}

// Copies s, replacing each invalid UTF-8 sequence's first byte with U+FFFD.
inline void AppendRepairedUtf8(std::string& out, std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = Utf8SequenceLength(s, i);
    if (n == 0) {
      out.append("\xEF\xBF\xBD");
      ++i;
    } else {
      out.append(s.data() + i, n);
      i += n;
    }
  }
}

}  // namespace detail

inline std::optional<Encoding> ParseEncoding(std::string_view name) {
  std::string lower;
  for (char c : detail::Trim(name)) lower.push_back(detail::AsciiLower(c));
  if (lower == "auto") return Encoding::kAuto;
  if (lower == "utf-8" || lower == "utf8") return Encoding::kUtf8;
  if (lower == "windows-1252" || lower == "cp1252") return Encoding::kWindows1252;
  return std::nullopt;
}

inline Reader::Reader(Private, std::string name, Options options)
    : name_(std::move(name)), options_(options) {
  if (options_.chunk_size == 0) options_.chunk_size = 1;
}

inline Reader::Reader(const std::string& path, Options options)
    : Reader(Private{}, path, options) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    Fail(0, "cannot read: it is a folder, not a file");
    return;
  }
  errno = 0;
  file_.reset(std::fopen(path.c_str(), "rb"));
  if (!file_) {
    const int err = errno;
    Fail(0, std::string("cannot open: ") +
                (err != 0 ? std::strerror(err) : "unknown error"));
    return;
  }
  const auto file_size = std::filesystem::file_size(path, ec);
  size_known_ = !ec;
  size_ = ec ? 0 : static_cast<std::uint64_t>(file_size);
  // A workbook given as CSV would read as one odd column: say what it is.
  std::string head(64 * 1024, '\0');
  head.resize(std::fread(head.data(), 1, head.size(), file_.get()));
  std::rewind(file_.get());
  const std::string binary = DescribeBinary(head);
  if (!binary.empty()) Fail(0, binary);
}

inline std::string DescribeBinary(std::string_view head) {
  using namespace std::string_view_literals;
  if (head.substr(0, 4) == "PK\x03\x04"sv) {
    if (head.find("opendocument.spreadsheet") != std::string_view::npos)
      return "is an OpenDocument spreadsheet (.ods), not a CSV file: open it in LibreOffice Calc "
             "or Excel and save the sheet as CSV, or save it as .xlsx and read it with the csv "
             "plugin";
    return "is an Excel workbook (.xlsx) or another zip archive, not a CSV file: read it with the "
           "csv plugin (which reads .xlsx: settings file and sheet), or save the sheet as CSV";
  }
  if (head.substr(0, 8) == "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"sv) {
    // An OLE compound file: an encrypted workbook keeps its contents in a
    // stream named EncryptedPackage (UTF-16 in the directory).
    if (head.find("E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e"sv) != std::string_view::npos)
      return "is a password-protected Excel workbook: Vigil cannot read an encrypted file; open it "
             "in Excel, remove the password (File > Info > Protect Workbook > Encrypt with "
             "Password) and save it as .xlsx, or save the sheet as CSV";
    return "is an Excel 97-2003 workbook (.xls), not a CSV file: open it in Excel or LibreOffice "
           "and save it as .xlsx (read by the csv plugin) or save the sheet as CSV";
  }
  return {};
}

inline Reader Reader::FromString(std::string data, std::string name, Options options) {
  Reader reader(Private{}, std::move(name), options);
  reader.memory_ = std::move(data);
  reader.from_memory_ = true;
  reader.size_ = reader.memory_.size();
  reader.size_known_ = true;
  return reader;
}

inline void Reader::Fail(std::uint64_t line, const std::string& message) {
  error_line_ = line;
  error_ = name_;
  if (line != 0) error_ += ":" + std::to_string(line);
  error_ += ": " + message;
}

inline std::size_t Reader::ReadSource(char* into, std::size_t capacity) {
  if (from_memory_) {
    const std::size_t n = std::min(capacity, memory_.size() - memory_pos_);
    std::memcpy(into, memory_.data() + memory_pos_, n);
    memory_pos_ += n;
    return n;
  }
  if (!file_) return 0;
  const std::size_t n = std::fread(into, 1, capacity, file_.get());
  if (n == 0 && std::ferror(file_.get()) != 0) {
    const int err = errno;
    Fail(line_, std::string("read error: ") +
                    (err != 0 ? std::strerror(err) : "unknown error"));
  }
  return n;
}

// Moves the unparsed bytes to the front of the buffer and reads more after
// them, growing the buffer only when one record fills it. Returns false when
// nothing more could be read (end of input, or an error).
inline bool Reader::Refill() {
  if (eof_) return false;
  if (buffer_.empty()) {
    std::size_t capacity = options_.chunk_size;
    // A small input needs no 1 MiB buffer (tests and fuzzers make many).
    if (size_known_ && size_ < capacity) capacity = static_cast<std::size_t>(size_) + 1;
    buffer_.resize(capacity);
  }
  if (begin_ > 0) {
    if (end_ > begin_) std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    base_ += begin_;
    begin_ = 0;
  }
  if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
  const std::size_t n = ReadSource(buffer_.data() + end_, buffer_.size() - end_);
  end_ += n;
  if (n == 0) eof_ = true;
  return n > 0;
}

// Skips a byte-order mark and Options::skip_lines physical lines.
inline void Reader::Start() {
  started_ = true;
  while (end_ - begin_ < 3 && Refill()) {
  }
  if (!ok()) return;
  if (end_ - begin_ >= 3 && std::memcmp(buffer_.data() + begin_, "\xEF\xBB\xBF", 3) == 0)
    begin_ += 3;
  std::uint64_t skipped = 0;
  while (skipped < options_.skip_lines) {
    if (begin_ == end_) {
      if (!Refill()) return;
      continue;
    }
    const char c = buffer_[begin_];
    if (c == '\r' && begin_ + 1 == end_ && !eof_) {
      Refill();  // is it CRLF? look at the next byte first
      continue;
    }
    ++begin_;
    if (c == '\n' || (c == '\r' && !(begin_ < end_ && buffer_[begin_] == '\n'))) {
      ++line_;
      ++skipped;
    }
  }
}

// Parses one record from begin_. Restartable: on kNeedMore nothing is
// committed (except skipped empty lines), so the caller refills and calls it
// again from the record's first byte; a record is re-parsed only when it
// straddles a chunk boundary.
inline Reader::Parsed Reader::Parse(std::uint64_t& record_line) {
  const char* const b = buffer_.data();
  const std::size_t e = end_;
  const char d = options_.delimiter;
  refs_.clear();
  scratch_.clear();
  open_quote_line_ = 0;

  // Empty lines between records are skipped and committed at once.
  while (true) {
    if (begin_ == e) {
      if (!eof_) return Parsed::kNeedMore;
      return Parsed::kEnd;
    }
    const char c = b[begin_];
    if (c == '\n') {
      ++begin_;
      ++line_;
    } else if (c == '\r') {
      if (begin_ + 1 == e && !eof_) return Parsed::kNeedMore;
      begin_ += (begin_ + 1 < e && b[begin_ + 1] == '\n') ? 2 : 1;
      ++line_;
    } else {
      break;
    }
  }

  std::size_t i = begin_;
  std::uint64_t line = line_;
  record_line = line_;
  while (true) {  // one field per iteration
    if (i < e && b[i] == '"') {
      const std::uint64_t quote_line = line;
      const std::size_t content = i + 1;
      std::size_t j = content;
      std::size_t segment = content;  // start of the not yet copied part
      bool copied = false;
      std::size_t scratch_start = scratch_.size();
      while (true) {
        // A CR at the buffer's end may be miscounted here, but then no
        // closing quote follows in the buffer either, and the record is
        // parsed again from its start once more has been read.
        while (j < e && b[j] != '"') {
          if (b[j] == '\n' || (b[j] == '\r' && !(j + 1 < e && b[j + 1] == '\n'))) ++line;
          ++j;
        }
        if (j == e && eof_) {
          Fail(quote_line, "unclosed quote: the quoted field starting on line " +
                               std::to_string(quote_line) + " runs to the end of the file");
          return Parsed::kError;
        }
        // Without the byte after a quote, "" cannot be told from a close.
        if (j == e || (j + 1 == e && !eof_)) {
          open_quote_line_ = quote_line;
          return Parsed::kNeedMore;
        }
        if (j + 1 < e && b[j + 1] == '"') {  // "" stands for one quote
          if (!copied) {
            copied = true;
            scratch_start = scratch_.size();
          }
          scratch_.append(b + segment, j + 1 - segment);
          j += 2;
          segment = j;
          continue;
        }
        break;  // the closing quote
      }
      const std::size_t close = j;
      std::size_t k = close + 1;
      while (k < e && b[k] != d && b[k] != '\n' && b[k] != '\r') ++k;
      if (k == e && !eof_) return Parsed::kNeedMore;
      if (k > close + 1 && !copied) {  // text after the closing quote
        copied = true;
        scratch_start = scratch_.size();
        segment = content;
      }
      if (copied) {
        scratch_.append(b + segment, close - segment);
        scratch_.append(b + close + 1, k - (close + 1));
        refs_.push_back({FieldRef::kScratch, scratch_start, scratch_.size() - scratch_start});
      } else {
        refs_.push_back({FieldRef::kBuffer, content, close - content});
      }
      i = k;
    } else {
      std::size_t j = i;
      while (j < e && b[j] != d && b[j] != '\n' && b[j] != '\r') ++j;
      if (j == e && !eof_) return Parsed::kNeedMore;
      refs_.push_back({FieldRef::kBuffer, i, j - i});
      i = j;
    }

    if (i == e) break;  // end of input (eof_ is set here)
    if (b[i] == d) {
      ++i;
      continue;
    }
    if (b[i] == '\r') {
      if (i + 1 == e && !eof_) return Parsed::kNeedMore;
      i += (i + 1 < e && b[i + 1] == '\n') ? 2 : 1;
    } else {
      ++i;  // '\n'
    }
    ++line;
    break;
  }
  begin_ = i;
  line_ = line;
  return Parsed::kRecord;
}

// Transcodes the parsed fields as the encoding asks and builds the views.
inline void Reader::Finish(Row& row) {
  text_.clear();
  const char* const b = buffer_.data();
  for (FieldRef& ref : refs_) {
    const char* base = ref.where == FieldRef::kBuffer ? b : scratch_.data();
    const std::string_view field(base + ref.offset, ref.size);
    if (!detail::HasHighByte(field)) continue;
    const std::size_t start = text_.size();
    switch (options_.encoding) {
      case Encoding::kUtf8:
        if (detail::IsValidUtf8(field)) continue;
        detail::AppendRepairedUtf8(text_, field);
        if (repaired_++ == 0) first_repaired_line_ = record_line_;
        break;
      case Encoding::kAuto:
        if (detail::IsValidUtf8(field)) continue;
        detail::AppendFromCp1252(text_, field);
        break;
      case Encoding::kWindows1252:
        detail::AppendFromCp1252(text_, field);
        break;
    }
    ref = {FieldRef::kText, start, text_.size() - start};
  }
  row.fields.clear();
  row.fields.reserve(refs_.size());
  for (const FieldRef& ref : refs_) {
    const char* base = ref.where == FieldRef::kBuffer    ? b
                       : ref.where == FieldRef::kScratch ? scratch_.data()
                                                         : text_.data();
    row.fields.emplace_back(base + ref.offset, ref.size);
  }
}

inline bool Reader::Next(Row& row) {
  row.fields.clear();
  row.line = 0;
  if (!ok() || done_) return false;
  if (!started_) {
    Start();
    if (!ok()) return false;
  }
  while (true) {
    std::uint64_t record_line = 0;
    switch (Parse(record_line)) {
      case Parsed::kRecord:
        row.line = record_line;
        record_line_ = record_line;
        Finish(row);
        return true;
      case Parsed::kEnd:
        done_ = true;
        return false;
      case Parsed::kError:
        return false;
      case Parsed::kNeedMore:
        if (end_ - begin_ >= options_.max_record_size) {
          if (open_quote_line_ != 0)
            Fail(open_quote_line_,
                 "unclosed quote: the quoted field starting on line " +
                     std::to_string(open_quote_line_) + " is still open after " +
                     std::to_string(options_.max_record_size) + " bytes");
          else
            Fail(line_, "the record starting on line " + std::to_string(line_) +
                            " is longer than " +
                            std::to_string(options_.max_record_size) + " bytes");
          return false;
        }
        Refill();
        if (!ok()) return false;
        break;
    }
  }
}

inline Header::Header(const std::vector<std::string_view>& names) {
  names_.reserve(names.size());
  loose_.reserve(names.size());
  for (std::string_view n : names) {
    names_.emplace_back(detail::Trim(n));
    loose_.push_back(Loose(n));
  }
  // Repeated names get _2, _3, ... (names that differ only in case or
  // spacing stay as they are: an exact mapping still finds each).
  for (std::size_t i = 0; i < names_.size(); ++i) {
    if (names_[i].empty()) continue;
    std::vector<std::string> given;
    int next = 2;
    for (std::size_t j = i + 1; j < names_.size(); ++j) {
      if (names_[j] != names_[i]) continue;
      std::string unique;
      do {
        unique = names_[i] + "_" + std::to_string(next++);
      } while (std::find(loose_.begin(), loose_.end(), Loose(unique)) != loose_.end());
      names_[j] = unique;
      loose_[j] = Loose(unique);
      if (given.empty()) given.push_back(names_[i]);
      given.push_back(unique);
    }
    if (!given.empty()) repeated_.emplace_back(names_[i], std::move(given));
  }
}

inline std::string Header::Loose(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  bool space = false;
  for (char c : detail::Trim(name)) {
    if (c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(detail::AsciiLower(c));
  }
  return out;
}

inline std::optional<std::size_t> Header::Find(std::string_view name) const {
  const std::string_view wanted = detail::Trim(name);
  for (std::size_t i = 0; i < names_.size(); ++i)
    if (names_[i] == wanted) return i;
  return std::nullopt;
}

inline std::optional<std::size_t> Header::FindLoose(std::string_view name) const {
  const std::string wanted = Loose(name);
  std::optional<std::size_t> found;
  for (std::size_t i = 0; i < loose_.size(); ++i) {
    if (loose_[i] != wanted) continue;
    if (found) return std::nullopt;  // ambiguous
    found = i;
  }
  return found;
}

inline std::optional<std::size_t> Header::Resolve(std::string_view name) const {
  if (auto exact = Find(name)) return exact;
  return FindLoose(name);
}

inline std::vector<std::string> Header::Missing(
    const std::vector<std::string_view>& names) const {
  std::vector<std::string> missing;
  for (std::string_view n : names) {
    if (Resolve(n)) continue;
    const std::string_view trimmed = detail::Trim(n);
    if (std::find(missing.begin(), missing.end(), trimmed) == missing.end())
      missing.emplace_back(trimmed);
  }
  return missing;
}

}  // namespace vigil::sdk::csv

#endif  // VIGIL_CSV_HPP_
