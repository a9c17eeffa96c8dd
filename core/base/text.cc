#include "base/text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>

#include <fmt/format.h>

namespace vigil {
namespace {

// Length of the valid UTF-8 sequence starting at text[i], or 0.
std::size_t Utf8SequenceLength(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t length = 0;
  std::uint32_t min = 0;
  std::uint32_t code = 0;
  if ((c & 0xE0) == 0xC0) { length = 2; min = 0x80; code = c & 0x1Fu; }
  else if ((c & 0xF0) == 0xE0) { length = 3; min = 0x800; code = c & 0x0Fu; }
  else if ((c & 0xF8) == 0xF0) { length = 4; min = 0x10000; code = c & 0x07u; }
  else return 0;
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3Fu);
  }
  // Overlong forms, surrogates and values past U+10FFFF are invalid.
  if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return length;
}

// The code point of a valid sequence of `length` bytes at text[i].
std::uint32_t CodePoint(std::string_view text, std::size_t i, std::size_t length) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  if (length == 1) return byte(i);
  std::uint32_t code = byte(i) & (length == 2 ? 0x1Fu : length == 3 ? 0x0Fu : 0x07u);
  for (std::size_t k = 1; k < length; ++k) code = (code << 6) | (byte(i + k) & 0x3Fu);
  return code;
}

bool IsControl(std::uint32_t c) { return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F); }

// Characters a terminal or a log viewer may act on or draw misleadingly:
// bidirectional embeddings, overrides and isolates, and the Unicode line
// and paragraph separators.
bool IsDeceptive(std::uint32_t c) {
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029;
}

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

}  // namespace

std::string Truncate(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  constexpr std::string_view kEllipsis = "\xE2\x80\xA6";
  std::size_t cut = max_bytes > kEllipsis.size() ? max_bytes - kEllipsis.size() : 0;
  // Back up to the start of a character: continuation bytes are 10xxxxxx.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  std::string out(text.substr(0, cut));
  if (max_bytes >= kEllipsis.size()) out += kEllipsis;
  return out;
}

// Calls `f(code_point, bytes)` for each character of `text`; a byte that
// does not start a valid UTF-8 sequence comes alone with code point -1.
template <class F>
void ForEachCharacter(std::string_view text, F f) {
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = Utf8SequenceLength(text, i);
    if (n == 0) {
      f(-1, text.substr(i, 1));
      ++i;
    } else {
      f(static_cast<long>(CodePoint(text, i, n)), text.substr(i, n));
      i += n;
    }
  }
}

std::string CleanText(std::string_view text, std::size_t max_bytes, bool one_line) {
  std::string out;
  out.reserve(std::min(text.size(), max_bytes + 8));
  // Stop reading well past the bound: what is cut is never looked at.
  std::string_view in = text.substr(0, max_bytes + 4);
  ForEachCharacter(in, [&](long c, std::string_view bytes) {
    if (c == '\n' && !one_line) out += '\n';
    else if (c == '\t' || c == '\n' || c == '\r') out += ' ';
    else if (c < 0 || IsControl(static_cast<std::uint32_t>(c)) || IsDeceptive(static_cast<std::uint32_t>(c)))
      out += kReplacement;
    else out.append(bytes);
  });
  if (text.size() > in.size()) out += "\xE2\x80\xA6";  // guarantees the cut shows
  return Truncate(out, max_bytes);
}

std::string Printable(std::string_view text, bool keep_newlines) {
  std::string out;
  out.reserve(text.size());
  ForEachCharacter(text, [&](long c, std::string_view bytes) {
    if (c < 0) out += kReplacement;
    else if (c == '\n' && keep_newlines) out += '\n';
    else if (c < 0x80 && IsControl(static_cast<std::uint32_t>(c))) out += fmt::format("\\x{:02x}", c);
    else if (IsControl(static_cast<std::uint32_t>(c)) || IsDeceptive(static_cast<std::uint32_t>(c)))
      out += fmt::format("\\u{{{:04x}}}", c);
    else out.append(bytes);
  });
  return out;
}

std::string OneLine(std::string_view text) {
  std::string joined;
  joined.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    if (text[i] != '\n') {
      joined += text[i];
      continue;
    }
    while (i + 1 < text.size() && (text[i + 1] == ' ' || text[i + 1] == '\t')) ++i;
    if (i + 1 < text.size()) joined += " | ";
  }
  return Printable(joined, false);
}

std::size_t FirstInvalidUtf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = Utf8SequenceLength(text, i);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

bool IsValidUtf8(std::string_view text) { return FirstInvalidUtf8(text) == std::string_view::npos; }

std::string SanitizeUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = Utf8SequenceLength(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string CsvField(std::string_view text) {
  std::string value;
  bool formula = !text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' ||
                                   text[0] == '@' || text[0] == '\t' || text[0] == '\r');
  if (formula && (text[0] == '-' || text[0] == '+')) {
    double number = 0;
    auto [end, ec] = std::from_chars(text.data() + (text[0] == '+' ? 1 : 0),
                                     text.data() + text.size(), number);
    if (ec == std::errc() && end == text.data() + text.size()) formula = false;
  }
  if (formula) value += '\'';
  value.append(text);
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string FormatNumber(double value) {
  if (std::isnan(value)) return "NaN";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<long long>(value));
  }
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, ec == std::errc() ? end : buffer);
}

std::string GroupThousands(std::string_view number) {
  std::size_t start = !number.empty() && (number[0] == '-' || number[0] == '+') ? 1 : 0;
  std::size_t digits = start;
  while (digits < number.size() && number[digits] >= '0' && number[digits] <= '9') ++digits;
  bool plain = digits > start && (digits == number.size() ||
                                  (number[digits] == '.' && digits + 1 < number.size() &&
                                   number.find_first_not_of("0123456789", digits + 1) == std::string_view::npos));
  if (!plain || digits - start <= 3) return std::string(number);
  std::string out(number.substr(0, start));
  for (std::size_t i = start; i < digits; ++i) {
    if (i > start && (digits - i) % 3 == 0) out += ',';
    out += number[i];
  }
  out.append(number.substr(digits));
  return out;
}

std::string FormatCount(std::size_t count) { return GroupThousands(std::to_string(count)); }

std::string KindPlural(std::string_view kind) {
  std::string out;
  for (char c : kind) out.push_back(c == '_' ? ' ' : c);
  auto ends = [&](std::string_view suffix) {
    return out.size() >= suffix.size() && out.compare(out.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  const bool consonant_y =
      out.size() >= 2 && out.back() == 'y' && std::string_view("aeiou").find(out[out.size() - 2]) == std::string_view::npos;
  if (consonant_y) {
    out.back() = 'i';
    out += "es";
  } else if (ends("s") || ends("x") || ends("ch") || ends("sh")) {
    out += "es";
  } else {
    out += "s";
  }
  return out;
}

std::string FoldForSearch(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  auto append = [&](char c) {
    if (c == ' ' && (out.empty() || out.back() == ' ')) return;  // runs of spaces are one
    out += c;
  };
  for (std::size_t i = 0; i < text.size();) {
    std::size_t length = Utf8SequenceLength(text, i);
    if (length == 0) {  // not UTF-8: kept as it is, never matched loosely
      out += text[i++];
      continue;
    }
    const std::uint32_t c = CodePoint(text, i, length);
    if (c < 0x80) {
      const char a = static_cast<char>(c);
      append(a >= 'A' && a <= 'Z' ? static_cast<char>(a - 'A' + 'a')
                                  : (a == '\t' || a == '\n' || a == '\r') ? ' ' : a == '`' ? '\'' : a);
    } else if (c == 0x2018 || c == 0x2019 || c == 0x201A || c == 0x201B || c == 0x2032 || c == 0x00B4 ||
               c == 0x02BC) {
      append('\'');  // ‘ ’ ‚ ‛ ′ ´ ʼ: apostrophes as typed by word processors
    } else if (c == 0x201C || c == 0x201D || c == 0x201E || c == 0x2033) {
      append('"');
    } else if ((c >= 0x2010 && c <= 0x2015) || c == 0x2212) {
      append('-');  // hyphens, en and em dashes, minus
    } else if (c == 0x00A0 || c == 0x2007 || c == 0x202F) {
      append(' ');  // no-break spaces
    } else if ((c >= 0xC0 && c <= 0xDE && c != 0xD7) || (c >= 0x391 && c <= 0x3A9) || (c >= 0x410 && c <= 0x42F)) {
      // Latin-1, Greek and Cyrillic capitals: their small letters are 0x20 later.
      const std::uint32_t lower = c + 0x20;
      out += static_cast<char>(0xC0 | (lower >> 6));
      out += static_cast<char>(0x80 | (lower & 0x3F));
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (!out.empty() && out.front() == ' ') out.erase(0, 1);
  return out;
}

}  // namespace vigil
