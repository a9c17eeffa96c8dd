#include "xlsx_reader.h"

#include <vigil/values.hpp>

#include <expat.h>
#include <zip.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <string_view>
#include <utility>

namespace vigil::xlsx {
namespace {

// What a part may inflate to, so that memory stays bounded whatever the
// file (a zip bomb is a small archive whose parts inflate enormously):
//  - a part parsed whole (workbook, relationships, styles, shared strings;
//    not the sheet, which is streamed) may hold at most 256 MiB: the shared
//    strings of the largest real workbooks are tens of MiB;
//  - any part, the sheet included, that inflates to more than 4 MiB may
//    inflate at most 100 times its compressed size (Apache POI's rule):
//    real workbooks' parts compress 3 to 20 times, a bomb's hundreds of times;
//  - one cell's text may be at most 1 MiB (Excel's own limit is 32,767
//    characters).
// Both are checked against the bytes actually inflated, not only the sizes
// the archive claims.
constexpr std::uint64_t kMiB = std::uint64_t{1} << 20;
constexpr std::uint64_t kMaxPartBytes = 256 * kMiB;
constexpr std::uint64_t kRatioGraceBytes = 4 * kMiB;
constexpr std::uint64_t kMaxInflateRatio = 100;
constexpr std::size_t kMaxCellBytes = 1 << 20;
constexpr std::size_t kChunk = 64 * 1024;
constexpr std::size_t kMaxColumns = 16384;    // Excel's limit (XFD)
constexpr std::uint64_t kMaxRows = 1048576;   // Excel's limit

// The local name of an XML element or attribute ("x:row" -> "row").
std::string_view Local(const XML_Char* name) {
  std::string_view n(name);
  const auto colon = n.rfind(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

const XML_Char* Attribute(const XML_Char** attributes, std::string_view name) {
  for (int i = 0; attributes[i] != nullptr; i += 2)
    if (Local(attributes[i]) == name) return attributes[i + 1];
  return nullptr;
}

// Streams one part of the archive through an expat parser.
class PartParser {
 public:
  using Start = std::function<void(std::string_view, const XML_Char**)>;
  using End = std::function<void(std::string_view)>;
  using Text = std::function<void(std::string_view)>;

  PartParser(Start start, End end, Text text)
      : start_(std::move(start)), end_(std::move(end)), text_(std::move(text)) {
    parser_ = XML_ParserCreate(nullptr);
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(
        parser_,
        [](void* self, const XML_Char* name, const XML_Char** attributes) {
          static_cast<PartParser*>(self)->start_(Local(name), attributes);
        },
        [](void* self, const XML_Char* name) { static_cast<PartParser*>(self)->end_(Local(name)); });
    XML_SetCharacterDataHandler(parser_, [](void* self, const XML_Char* s, int length) {
      static_cast<PartParser*>(self)->text_(std::string_view(s, static_cast<std::size_t>(length)));
    });
  }
  ~PartParser() { XML_ParserFree(parser_); }
  PartParser(const PartParser&) = delete;
  PartParser& operator=(const PartParser&) = delete;

  // Parses `data`; false with `error` set when the XML is broken.
  bool Feed(std::string_view data, bool last, std::string& error) {
    if (XML_Parse(parser_, data.data(), static_cast<int>(data.size()), last ? 1 : 0) != XML_STATUS_ERROR)
      return true;
    error = std::string(XML_ErrorString(XML_GetErrorCode(parser_))) + " at line " +
            std::to_string(XML_GetCurrentLineNumber(parser_));
    return false;
  }

 private:
  XML_Parser parser_;
  Start start_;
  End end_;
  Text text_;
};

// "AB12" -> column 27 (0-based); npos when it is not a reference.
std::size_t ColumnOf(std::string_view ref) {
  std::size_t column = 0, letters = 0;
  for (char c : ref) {
    if (c < 'A' || c > 'Z') break;
    column = column * 26 + static_cast<std::size_t>(c - 'A' + 1);
    if (++letters > 3) return std::string_view::npos;
  }
  return letters == 0 ? std::string_view::npos : column - 1;
}

std::uint64_t Number(const XML_Char* text) {
  if (text == nullptr) return 0;
  std::uint64_t n = 0;
  for (const char* p = text; *p >= '0' && *p <= '9'; ++p) n = n * 10 + static_cast<std::uint64_t>(*p - '0');
  return n;
}

// A number format's code with quoted text, escapes and [..] sections removed.
std::string FormatTokens(std::string_view code) {
  std::string out;
  bool quoted = false;
  int bracket = 0;
  for (std::size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (quoted) {
      quoted = c != '"';
    } else if (c == '"') {
      quoted = true;
    } else if (c == '\\') {
      ++i;
    } else if (c == '[') {
      ++bracket;
    } else if (c == ']') {
      if (bracket > 0) --bracket;
    } else if (bracket == 0) {
      out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
    }
  }
  return out;
}

struct Style {
  bool date = false;
  bool percent = false;
};

Style StyleOfFormat(std::uint64_t id, const std::map<std::uint64_t, std::string>& custom) {
  if (auto it = custom.find(id); it != custom.end()) {
    const std::string tokens = FormatTokens(it->second);
    if (tokens == "general") return {};
    return {tokens.find_first_of("dy") != std::string::npos, tokens.find('%') != std::string::npos};
  }
  // Built-in formats: 9-10 are percentages; 14-17 and 22 dates, and 27-36
  // and 50-58 the dates of East Asian locales.
  if (id == 9 || id == 10) return {false, true};
  return {(id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58), false};
}

// Why part `name` is refused once `inflated` bytes of it have come out of
// `compressed` bytes, or empty while it is within the limits above; `whole`
// when the part is parsed whole (and so capped).
std::string Excess(const std::string& name, std::uint64_t inflated, std::uint64_t compressed, bool whole) {
  if (whole && inflated > kMaxPartBytes)
    return "its part " + name + " is larger than " + std::to_string(kMaxPartBytes / kMiB) +
           " MiB uncompressed, more than a real workbook holds: refusing to read it";
  if (inflated > kRatioGraceBytes && inflated / kMaxInflateRatio > compressed)
    return "its part " + name + " inflates more than " + std::to_string(kMaxInflateRatio) + " times (" +
           std::to_string(compressed) + " bytes compressed, over " + std::to_string(inflated) +
           " uncompressed), as a zip bomb does, where a real workbook's parts compress 3 to 20 times: "
           "refusing to read it";
  return {};
}

// The shared-strings table, compactly: every string's text in one buffer
// and where each ends, rather than one allocation per string.
class SharedStrings {
 public:
  void Add(std::string_view text) {
    text_.append(text);
    ends_.push_back(static_cast<std::uint32_t>(text_.size()));  // text_ <= kMaxPartBytes < 4 GiB
  }
  std::size_t size() const { return ends_.size(); }
  std::string_view operator[](std::size_t i) const {
    const std::uint32_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(text_).substr(begin, ends_[i] - begin);
  }

 private:
  std::string text_;
  std::vector<std::uint32_t> ends_;
};
static_assert(kMaxPartBytes < (std::uint64_t{1} << 32), "shared-string offsets are 32-bit");

std::string Shortest(double v) {
  char out[32];
  std::snprintf(out, sizeof out, "%.15g", v);
  return out;
}

}  // namespace

struct Reader::Impl {
  zip_t* archive = nullptr;
  zip_file_t* sheet = nullptr;
  std::uint64_t sheet_compressed = 0;
  SharedStrings shared;
  std::vector<Style> styles;
  bool date1904 = false;

  std::unique_ptr<PartParser> parser;
  std::deque<std::pair<std::uint64_t, std::vector<std::string>>> rows;  // line, cells
  std::uint64_t next_line = 1;   // the row number a <row> without r= has
  std::uint64_t returned = 0;    // the row number Next() returned last
  bool done = false;

  // The sheet parser's state.
  std::vector<std::string> cells;
  std::uint64_t row_number = 0;
  std::size_t column = 0;
  std::string type;
  std::size_t style = 0;
  std::string value;
  bool in_value = false, in_inline = false;
  std::string parse_error;
  std::uint64_t last_row = 0;

  ~Impl() {
    if (sheet != nullptr) zip_fclose(sheet);
    if (archive != nullptr) zip_discard(archive);
  }

  // Opens part `name`, giving its compressed size; nullptr with `error` set
  // when it is missing, unreadable or claims a size beyond the limits.
  zip_file_t* OpenPart(const std::string& name, bool whole, std::uint64_t& compressed, std::string& error) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(archive, name.c_str(), 0, &st) != 0) {
      error = "the workbook has no part " + name;
      return nullptr;
    }
    compressed = (st.valid & ZIP_STAT_COMP_SIZE) != 0 ? st.comp_size : 0;
    if ((st.valid & ZIP_STAT_SIZE) != 0) {
      error = Excess(name, st.size, compressed, whole);
      if (!error.empty()) return nullptr;
    }
    zip_file_t* f = zip_fopen(archive, name.c_str(), 0);
    if (f == nullptr) error = "cannot read its part " + name + ": " + zip_strerror(archive);
    return f;
  }

  // The first bytes of part `name` (a mimetype), or nothing.
  std::string Head(const std::string& name) {
    std::uint64_t compressed = 0;
    std::string error;
    zip_file_t* f = OpenPart(name, true, compressed, error);
    if (f == nullptr) return {};
    char buffer[256];
    const zip_int64_t n = zip_fread(f, buffer, sizeof buffer);
    zip_fclose(f);
    return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string();
  }

  // Streams part `name` through `part_parser`, holding one chunk at a time.
  bool ParsePart(const std::string& name, PartParser& part_parser, std::string& error) {
    std::uint64_t compressed = 0;
    zip_file_t* f = OpenPart(name, true, compressed, error);
    if (f == nullptr) return false;
    std::uint64_t inflated = 0;
    char buffer[kChunk];
    bool ok = true;
    while (ok) {
      const zip_int64_t n = zip_fread(f, buffer, sizeof buffer);
      if (n < 0) {
        error = "cannot read its part " + name + ": " + zip_file_strerror(f);
        ok = false;
        break;
      }
      inflated += static_cast<std::uint64_t>(n);
      error = Excess(name, inflated, compressed, true);
      if (!error.empty()) {
        ok = false;
        break;
      }
      std::string why;
      if (!part_parser.Feed(std::string_view(buffer, static_cast<std::size_t>(n)), n == 0, why)) {
        error = "its part " + name + " is not valid XML (" + why + ")";
        ok = false;
      }
      if (n == 0) break;
    }
    zip_fclose(f);
    return ok;
  }

  void StartSheet(std::string_view name, const XML_Char** a) {
    if (name == "row") {
      row_number = Number(Attribute(a, "r"));
      if (row_number == 0) row_number = next_line;  // r is optional
      cells.clear();
      column = 0;
    } else if (name == "c") {
      const XML_Char* ref = Attribute(a, "r");
      const std::size_t at = ref != nullptr ? ColumnOf(ref) : std::string_view::npos;
      if (at != std::string_view::npos) column = at;
      const XML_Char* t = Attribute(a, "t");
      type = t != nullptr ? t : "n";
      style = static_cast<std::size_t>(Number(Attribute(a, "s")));
      value.clear();
    } else if (name == "v") {
      in_value = true;
    } else if (name == "is") {
      in_inline = true;
    } else if (name == "t" && in_inline) {
      in_value = true;
    } else if (name == "rPh") {
      in_value = false;  // phonetic hints are not part of the text
    }
  }

  void EndSheet(std::string_view name) {
    if (name == "v" || (name == "t" && in_inline)) {
      in_value = false;
    } else if (name == "is") {
      in_inline = false;
    } else if (name == "c") {
      if (column >= kMaxColumns) return;
      if (cells.size() <= column) cells.resize(column + 1);
      cells[column] = CellText();
      ++column;
    } else if (name == "row") {
      if (row_number > kMaxRows || row_number <= last_row) {
        if (parse_error.empty())
          parse_error = "row " + std::to_string(row_number) +
                        (row_number > kMaxRows ? " is beyond Excel's 1,048,576 rows" : " is out of order");
        return;
      }
      last_row = row_number;
      rows.emplace_back(row_number, std::move(cells));
      cells = {};
      next_line = row_number + 1;
    }
  }

  std::string CellText() {
    if (type == "s") {
      const auto index = static_cast<std::size_t>(Number(value.c_str()));
      return index < shared.size() ? std::string(shared[index]) : std::string();
    }
    if (type == "inlineStr" || type == "str" || type == "e") return value;
    if (type == "b") return value == "1" ? "TRUE" : "FALSE";
    if (value.empty()) return value;
    const Style s = style < styles.size() ? styles[style] : Style{};
    if (!s.date && !s.percent) return value;
    char* end = nullptr;
    const double v = std::strtod(value.c_str(), &end);
    if (end == value.c_str() || *end != '\0' || !std::isfinite(v)) return value;
    if (s.date) return vigil::sdk::ExcelSerialDate(v, date1904);
    return Shortest(v * 100) + "%";
  }
};

bool LooksLikeZip(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char head[4] = {};
  in.read(head, 4);
  return in.gcount() == 4 && std::memcmp(head, "PK\x03\x04", 4) == 0;
}

Reader::~Reader() = default;

Reader::Reader(const std::string& path, const std::string& sheet) : path_(path), impl_(std::make_unique<Impl>()) {
  Open(sheet);
}

void Reader::Open(const std::string& sheet) {
  const std::string& path = path_;
  auto fail = [&](const std::string& why) { error_ = path + ": " + why; };
  int code = 0;
  impl_->archive = zip_open(path.c_str(), ZIP_RDONLY, &code);
  if (impl_->archive == nullptr) {
    zip_error_t e;
    zip_error_init_with_code(&e, code);
    fail(std::string("cannot open it as an Excel workbook (.xlsx): ") + zip_error_strerror(&e));
    zip_error_fini(&e);
    return;
  }
  std::string why;
  if (zip_name_locate(impl_->archive, "mimetype", 0) >= 0 &&
      impl_->Head("mimetype").find("opendocument") != std::string::npos) {
    fail("is an OpenDocument spreadsheet (.ods), not an Excel workbook: open it in LibreOffice Calc or "
         "Excel and save it as .xlsx (or the sheet as CSV)");
    return;
  }
  if (zip_name_locate(impl_->archive, "xl/workbook.xml", 0) < 0) {
    fail("is a zip archive but not an Excel workbook (.xlsx): it has no xl/workbook.xml");
    return;
  }

  // The sheets, in workbook order, and where each one's part is.
  std::vector<std::pair<std::string, std::string>> sheets;  // name, relationship id
  {
    PartParser parser(
        [&](std::string_view name, const XML_Char** a) {
          if (name == "sheet") {
            const XML_Char* n = Attribute(a, "name");
            const XML_Char* id = Attribute(a, "id");
            sheets.emplace_back(n != nullptr ? n : "", id != nullptr ? id : "");
          } else if (name == "workbookPr") {
            const XML_Char* d = Attribute(a, "date1904");
            impl_->date1904 = d != nullptr && (std::string_view(d) == "1" || std::string_view(d) == "true");
          }
        },
        [](std::string_view) {}, [](std::string_view) {});
    if (!impl_->ParsePart("xl/workbook.xml", parser, why)) return fail(why);
  }
  if (sheets.empty()) return fail("the workbook has no sheets");
  std::size_t chosen = sheets.size();
  const bool by_number = !sheet.empty() && sheet.find_first_not_of("0123456789") == std::string::npos;
  if (sheet.empty()) {
    chosen = 0;
  } else if (by_number) {
    const std::size_t n = static_cast<std::size_t>(std::strtoull(sheet.c_str(), nullptr, 10));
    if (n >= 1 && n <= sheets.size()) chosen = n - 1;
  } else {
    for (std::size_t i = 0; i < sheets.size() && chosen == sheets.size(); ++i)
      if (vigil::sdk::csv::Header::Loose(sheets[i].first) == vigil::sdk::csv::Header::Loose(sheet)) chosen = i;
  }
  if (chosen == sheets.size()) {
    std::string names;
    for (std::size_t i = 0; i < sheets.size(); ++i)
      names += (i == 0 ? "" : ", ") + std::to_string(i + 1) + " '" + sheets[i].first + "'";
    return fail("setting 'sheet': the workbook has no sheet " + (by_number ? sheet : "'" + sheet + "'") +
                "; its sheets are " + names);
  }
  sheet_name_ = sheets[chosen].first;

  std::string target;
  {
    PartParser parser(
        [&](std::string_view name, const XML_Char** a) {
          const XML_Char* id = Attribute(a, "Id");
          const XML_Char* t = Attribute(a, "Target");
          if (name == "Relationship" && id != nullptr && t != nullptr && sheets[chosen].second == id) target = t;
        },
        [](std::string_view) {}, [](std::string_view) {});
    if (!impl_->ParsePart("xl/_rels/workbook.xml.rels", parser, why)) return fail(why);
  }
  if (target.empty()) return fail("the workbook does not say where sheet '" + sheet_name_ + "' is");
  target = target[0] == '/' ? target.substr(1) : "xl/" + target;

  if (zip_name_locate(impl_->archive, "xl/sharedStrings.xml", 0) >= 0) {
    std::string current;
    bool in_t = false, in_phonetic = false, too_long = false;
    PartParser parser(
        [&](std::string_view name, const XML_Char**) {
          if (name == "si") current.clear();
          else if (name == "rPh") in_phonetic = true;
          else if (name == "t") in_t = !in_phonetic;
        },
        [&](std::string_view name) {
          if (name == "t") in_t = false;
          else if (name == "rPh") in_phonetic = false;
          else if (name == "si") impl_->shared.Add(current);
        },
        [&](std::string_view s) {
          if (!in_t) return;
          too_long = too_long || current.size() + s.size() > kMaxCellBytes;
          if (!too_long) current.append(s);
        });
    if (!impl_->ParsePart("xl/sharedStrings.xml", parser, why)) return fail(why);
    if (too_long) return fail("its part xl/sharedStrings.xml holds a text longer than 1 MiB, more than a cell can hold");
  }

  if (zip_name_locate(impl_->archive, "xl/styles.xml", 0) >= 0) {
    std::map<std::uint64_t, std::string> formats;
    std::vector<std::uint64_t> xf_formats;
    bool in_cell_xfs = false;
    PartParser parser(
        [&](std::string_view name, const XML_Char** a) {
          if (name == "numFmt") {
            const XML_Char* format_code = Attribute(a, "formatCode");
            formats[Number(Attribute(a, "numFmtId"))] = format_code != nullptr ? format_code : "";
          } else if (name == "cellXfs") {
            in_cell_xfs = true;
          } else if (name == "xf" && in_cell_xfs) {
            xf_formats.push_back(Number(Attribute(a, "numFmtId")));
          }
        },
        [&](std::string_view name) {
          if (name == "cellXfs") in_cell_xfs = false;
        },
        [](std::string_view) {});
    if (!impl_->ParsePart("xl/styles.xml", parser, why)) return fail(why);
    for (std::uint64_t id : xf_formats) impl_->styles.push_back(StyleOfFormat(id, formats));
  }

  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat(impl_->archive, target.c_str(), 0, &st) != 0)
    return fail("the workbook's sheet '" + sheet_name_ + "' (" + target + ") is missing");
  if ((st.valid & ZIP_STAT_SIZE) != 0) sheet_size_ = st.size;
  sheet_part_ = target;
  impl_->sheet = impl_->OpenPart(target, false, impl_->sheet_compressed, why);
  if (impl_->sheet == nullptr) return fail(why);
  Impl* impl = impl_.get();
  impl_->parser = std::make_unique<PartParser>(
      [impl](std::string_view name, const XML_Char** a) { impl->StartSheet(name, a); },
      [impl](std::string_view name) { impl->EndSheet(name); },
      [impl](std::string_view s) {
        if (!impl->in_value) return;
        if (impl->value.size() + s.size() > kMaxCellBytes) {
          if (impl->parse_error.empty())
            impl->parse_error = "a cell of row " + std::to_string(impl->row_number) +
                                " holds more than 1 MiB, more than a cell can hold";
          return;
        }
        impl->value.append(s);
      });
}

bool Reader::Fill() {
  if (impl_->done) return false;
  char buffer[kChunk];
  const zip_int64_t n = zip_fread(impl_->sheet, buffer, sizeof buffer);
  if (n < 0) {
    error_ = path_ + ": cannot read sheet '" + sheet_name_ + "': " + zip_file_strerror(impl_->sheet);
    return false;
  }
  consumed_ += static_cast<std::uint64_t>(n);
  if (std::string why = Excess(sheet_part_, consumed_, impl_->sheet_compressed, false); !why.empty()) {
    error_ = path_ + ": " + why;
    return false;
  }
  impl_->done = n == 0;
  std::string why;
  if (!impl_->parser->Feed(std::string_view(buffer, static_cast<std::size_t>(n)), impl_->done, why)) {
    error_ = path_ + ": sheet '" + sheet_name_ + "' is not valid XML (" + why + ")";
    return false;
  }
  if (!impl_->parse_error.empty()) {
    error_ = path_ + ": sheet '" + sheet_name_ + "': " + impl_->parse_error;
    return false;
  }
  return true;
}

bool Reader::Next(vigil::sdk::csv::Row& row) {
  row.fields.clear();
  row.line = 0;
  if (!ok()) return false;
  while (impl_->rows.empty()) {
    if (!Fill()) return false;
  }
  auto& [line, cells] = impl_->rows.front();
  row.line = ++impl_->returned;
  if (line > row.line) return true;  // a row the sheet leaves out: an empty row an officer sees
  current_ = std::move(cells);
  impl_->rows.pop_front();
  row.fields.reserve(current_.size());
  for (const std::string& cell : current_) row.fields.emplace_back(cell);
  return true;
}

}  // namespace vigil::xlsx
