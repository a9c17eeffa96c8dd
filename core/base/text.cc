#include "base/text.h"

#include <charconv>
#include <cmath>
#include <cstdint>

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

}  // namespace

bool IsValidUtf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = Utf8SequenceLength(text, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

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

}  // namespace vigil
