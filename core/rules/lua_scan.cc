#include "rules/lua_scan.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>

namespace vigil::rules {
namespace {

bool IsNameStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

bool Is(const std::vector<LuaToken>& t, std::size_t i, LuaToken::Kind kind, std::string_view text = {}) {
  return i < t.size() && t[i].kind == kind && (text.empty() || t[i].text == text);
}
bool IsSymbol(const std::vector<LuaToken>& t, std::size_t i, std::string_view text) {
  return Is(t, i, LuaToken::kSymbol, text);
}
bool IsName(const std::vector<LuaToken>& t, std::size_t i, std::string_view text = {}) {
  return Is(t, i, LuaToken::kName, text);
}

// A name used on its own, not as a field (x.name), method (x:name) or in a definition.
bool StandsAlone(const std::vector<LuaToken>& t, std::size_t i) {
  if (i == 0) return true;
  return !IsSymbol(t, i - 1, ".") && !IsSymbol(t, i - 1, ":") && !IsName(t, i - 1, "function");
}

// The index just past the bracket that closes the one at `open` ("(", "{" or "[").
std::size_t Matching(const std::vector<LuaToken>& t, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < t.size(); ++i) {
    if (t[i].kind != LuaToken::kSymbol) continue;
    const std::string& s = t[i].text;
    if (s == "(" || s == "{" || s == "[") ++depth;
    if (s == ")" || s == "}" || s == "]") {
      if (--depth == 0) return i + 1;
    }
  }
  return t.size();
}

// The tokens of the first argument of a call whose "(" is at `open`: [begin, end).
std::pair<std::size_t, std::size_t> FirstArgument(const std::vector<LuaToken>& t, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open + 1; i < t.size(); ++i) {
    if (t[i].kind != LuaToken::kSymbol) continue;
    const std::string& s = t[i].text;
    if (s == "(" || s == "{" || s == "[") ++depth;
    if (s == ")" || s == "}" || s == "]") {
      if (depth-- == 0) return {open + 1, i};
    }
    if (s == "," && depth == 0) return {open + 1, i};
  }
  return {open + 1, t.size()};
}

LevelCall ReadLevelCall(const std::vector<LuaToken>& t, std::size_t i) {
  LevelCall call;
  call.level = t[i].text;
  call.line = t[i].line;
  auto [begin, end] = FirstArgument(t, i + 1);
  if (end - begin == 3 && IsName(t, begin, "threshold") && IsSymbol(t, begin + 1, ".") && IsName(t, begin + 2))
    call.points_threshold = t[begin + 2].text;
  if (call.level != "none" && begin < end) {
    bool text = t[begin].kind == LuaToken::kString || IsName(t, begin, "format") || IsName(t, begin, "tostring");
    int depth = 0;
    for (std::size_t k = begin; k < end && !text; ++k) {
      if (IsSymbol(t, k, "(") || IsSymbol(t, k, "{") || IsSymbol(t, k, "[")) ++depth;
      if (IsSymbol(t, k, ")") || IsSymbol(t, k, "}") || IsSymbol(t, k, "]")) --depth;
      if (depth == 0 && IsSymbol(t, k, "..")) text = true;
    }
    call.points_is_text = text;
  }
  return call;
}

bool EndsStatement(const std::vector<LuaToken>& t, std::size_t i) {
  return i >= t.size() || IsName(t, i, "end") || IsName(t, i, "else") || IsName(t, i, "elseif") ||
         IsName(t, i, "until") || IsSymbol(t, i, ";");
}

// What `return` at `i` gives when it is plainly not a level, else "".
std::string BadReturn(const std::vector<LuaToken>& t, std::size_t i) {
  std::size_t v = i + 1;
  if (v >= t.size()) return "";
  if (t[v].kind == LuaToken::kString) return "a text";
  if (t[v].kind == LuaToken::kNumber) return "a number";
  if (IsName(t, v, "true") || IsName(t, v, "false")) return "true or false";
  if (IsName(t, v, "threshold") && IsSymbol(t, v + 1, ".") && IsName(t, v + 2) && EndsStatement(t, v + 3))
    return "threshold." + t[v + 2].text + " (a value, not a level)";
  return "";
}

// The `return`s of the function whose parameters open at `params` ("(").
void EvaluateReturns(const std::vector<LuaToken>& t, std::size_t params, std::size_t limit,
                     std::vector<NameUse>& bad) {
  std::size_t i = Matching(t, params);
  std::vector<char> blocks = {'F'};  // F function, B block closed by end, R repeat
  for (; i < limit && !blocks.empty(); ++i) {
    if (t[i].kind != LuaToken::kName) continue;
    const std::string& w = t[i].text;
    if (w == "function") blocks.push_back('F');
    else if (w == "if" || w == "do") blocks.push_back('B');
    else if (w == "repeat") blocks.push_back('R');
    else if (w == "end" || w == "until") blocks.pop_back();
    else if (w == "return" && std::count(blocks.begin(), blocks.end(), 'F') == 1) {
      std::string what = BadReturn(t, i);
      if (!what.empty()) bad.push_back({what, t[i].line});
    }
  }
}

}  // namespace

std::vector<LuaToken> TokenizeLua(std::string_view s) {
  std::vector<LuaToken> out;
  int line = 1;
  std::size_t i = 0;
  const std::size_t n = s.size();
  // [[ … ]] and [==[ … ]==]: the level (number of '='), or -1 when `at` starts no long bracket.
  auto long_level = [&](std::size_t at) -> int {
    std::size_t j = at + 1;
    while (j < n && s[j] == '=') ++j;
    return j < n && s[j] == '[' ? static_cast<int>(j - at - 1) : -1;
  };
  auto skip_long = [&](std::size_t at, int level, std::string* text) {
    std::size_t open_end = at + static_cast<std::size_t>(level) + 2;
    std::string close = "]" + std::string(static_cast<std::size_t>(level), '=') + "]";
    std::size_t end = s.find(close, open_end);
    if (end == std::string_view::npos) end = n;
    if (text != nullptr) *text = std::string(s.substr(open_end, end - open_end));
    std::size_t after = std::min(n, end + close.size());
    line += static_cast<int>(std::count(s.begin() + static_cast<std::ptrdiff_t>(at),
                                        s.begin() + static_cast<std::ptrdiff_t>(after), '\n'));
    return after;
  };
  while (i < n) {
    char c = s[i];
    if (c == '\n') { ++line; ++i; continue; }
    if (std::isspace(static_cast<unsigned char>(c))) { ++i; continue; }
    if (c == '-' && i + 1 < n && s[i + 1] == '-') {
      i += 2;
      if (i < n && s[i] == '[') {
        int level = long_level(i);
        if (level >= 0) { i = skip_long(i, level, nullptr); continue; }
      }
      while (i < n && s[i] != '\n') ++i;
      continue;
    }
    LuaToken token;
    token.line = line;
    if (IsNameStart(c)) {
      std::size_t j = i;
      while (j < n && IsNameChar(s[j])) ++j;
      token.kind = LuaToken::kName;
      token.text = std::string(s.substr(i, j - i));
      i = j;
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               (c == '.' && i + 1 < n && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      std::size_t j = i;
      while (j < n && (IsNameChar(s[j]) || s[j] == '.' ||
                       ((s[j] == '+' || s[j] == '-') && std::strchr("eEpP", s[j - 1]) != nullptr)))
        ++j;
      token.kind = LuaToken::kNumber;
      token.text = std::string(s.substr(i, j - i));
      i = j;
    } else if (c == '"' || c == '\'') {
      std::size_t j = i + 1;
      while (j < n && s[j] != c && s[j] != '\n') {
        if (s[j] == '\\' && j + 1 < n) {
          if (s[j + 1] == '\n') ++line;
          token.text += s[j + 1];
          j += 2;
          continue;
        }
        token.text += s[j++];
      }
      token.kind = LuaToken::kString;
      i = j < n && s[j] == c ? j + 1 : j;
    } else if (c == '[' && long_level(i) >= 0) {
      token.kind = LuaToken::kString;
      i = skip_long(i, long_level(i), &token.text);
    } else {
      static constexpr std::string_view kLong[] = {"...", "==", "~=", "<=", ">=", "//", "::", "..", "<<", ">>"};
      std::size_t length = 1;
      for (auto symbol : kLong)
        if (s.substr(i, symbol.size()) == symbol) { length = symbol.size(); break; }
      token.kind = LuaToken::kSymbol;
      token.text = std::string(s.substr(i, length));
      i += length;
    }
    out.push_back(std::move(token));
  }
  return out;
}

std::vector<NameUse> ThresholdUses(const std::vector<LuaToken>& t) {
  std::vector<NameUse> uses;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (!IsName(t, i, "threshold") || !StandsAlone(t, i)) continue;
    if (IsSymbol(t, i + 1, ".") && IsName(t, i + 2)) uses.push_back({t[i + 2].text, t[i + 2].line});
    else if (IsSymbol(t, i + 1, "[") && Is(t, i + 2, LuaToken::kString) && IsSymbol(t, i + 3, "]"))
      uses.push_back({t[i + 2].text, t[i + 2].line});
  }
  return uses;
}

std::vector<NameUse> MeasureUses(const std::vector<LuaToken>& t) {
  std::vector<NameUse> uses;
  for (std::size_t i = 0; i + 3 < t.size(); ++i) {
    if (!IsSymbol(t, i, ":") || !IsName(t, i + 1)) continue;
    const std::string& method = t[i + 1].text;
    if (method != "latest" && method != "previous" && method != "history" && method != "value") continue;
    if (IsSymbol(t, i + 2, "(") && Is(t, i + 3, LuaToken::kString)) uses.push_back({t[i + 3].text, t[i + 3].line});
  }
  return uses;
}

std::vector<NameUse> AttributeUses(const std::vector<LuaToken>& t) {
  std::vector<NameUse> uses;
  for (std::size_t i = 1; i < t.size(); ++i) {
    if (!IsName(t, i, "attr") || !IsSymbol(t, i - 1, ".")) continue;
    if (IsSymbol(t, i + 1, ".") && IsName(t, i + 2)) uses.push_back({t[i + 2].text, t[i + 2].line});
    else if (IsSymbol(t, i + 1, "[") && Is(t, i + 2, LuaToken::kString) && IsSymbol(t, i + 3, "]"))
      uses.push_back({t[i + 2].text, t[i + 2].line});
  }
  return uses;
}

namespace {

bool IsLevelCall(const std::vector<LuaToken>& t, std::size_t i) {
  if (t[i].kind != LuaToken::kName) return false;
  const std::string& w = t[i].text;
  return (w == "none" || w == "watch" || w == "concern" || w == "serious") && StandsAlone(t, i) &&
         IsSymbol(t, i + 1, "(");
}

}  // namespace

std::vector<LevelCall> LevelCalls(const std::vector<LuaToken>& t) {
  std::vector<LevelCall> calls;
  for (std::size_t i = 0; i < t.size(); ++i)
    if (IsLevelCall(t, i)) calls.push_back(ReadLevelCall(t, i));
  return calls;
}

std::vector<IndicatorText> IndicatorBlocks(const std::vector<LuaToken>& t) {
  std::vector<IndicatorText> blocks;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (!IsName(t, i, "indicator") || !StandsAlone(t, i) || (i > 0 && IsName(t, i - 1, "local"))) continue;
    std::size_t open = IsSymbol(t, i + 1, "{") ? i + 1 : IsSymbol(t, i + 1, "(") && IsSymbol(t, i + 2, "{") ? i + 2 : 0;
    if (open == 0) continue;
    std::size_t close = Matching(t, open);
    IndicatorText block;
    block.first_line = t[i].line;
    block.last_line = t[close - 1].line;
    int depth = 0;
    for (std::size_t k = open; k < close; ++k) {
      if (t[k].kind == LuaToken::kSymbol) {
        const std::string& s = t[k].text;
        if (s == "(" || s == "{" || s == "[") ++depth;
        if (s == ")" || s == "}" || s == "]") --depth;
        continue;
      }
      if (t[k].kind != LuaToken::kName) continue;
      const std::string& w = t[k].text;
      if (depth == 1 && w == "id" && IsSymbol(t, k + 1, "=") && Is(t, k + 2, LuaToken::kString))
        block.id = t[k + 2].text;
      if (depth == 1 && w == "evaluate" && IsSymbol(t, k + 1, "=") && IsName(t, k + 2, "function") &&
          IsSymbol(t, k + 3, "("))
        EvaluateReturns(t, k + 3, close, block.bad_returns);
      if (IsLevelCall(t, k)) block.level_calls.push_back(ReadLevelCall(t, k));
    }
    blocks.push_back(std::move(block));
    i = close - 1;
  }
  return blocks;
}

std::vector<int> CallEntryLines(const std::vector<LuaToken>& t, std::string_view call) {
  std::vector<int> lines;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (!IsName(t, i, call) || !StandsAlone(t, i)) continue;
    std::size_t open = IsSymbol(t, i + 1, "{") ? i + 1 : IsSymbol(t, i + 1, "(") && IsSymbol(t, i + 2, "{") ? i + 2 : 0;
    if (open == 0) continue;
    std::size_t close = Matching(t, open);
    for (std::size_t k = open + 1; k + 1 < close; ++k) {
      if (IsSymbol(t, k, "{")) {
        lines.push_back(t[k].line);
        k = Matching(t, k) - 1;
      }
    }
  }
  return lines;
}

std::vector<RepeatedKey> RepeatedKeys(const std::vector<LuaToken>& t) {
  // One frame per open table constructor or block (function, if, do,
  // repeat): only a table's own fields are keys, never a block's statements.
  struct Frame {
    bool table = false;
    std::map<std::string, int> keys;  // key -> line where first given
  };
  std::vector<Frame> frames(1);
  std::vector<RepeatedKey> repeated;
  auto field = [&](const std::string& name, int line) {
    auto [at, inserted] = frames.back().keys.emplace(name, line);
    if (!inserted) repeated.push_back({name, at->second, line});
  };
  for (std::size_t i = 0; i < t.size(); ++i) {
    const bool starts_field = frames.back().table && i > 0 &&
                              (IsSymbol(t, i - 1, "{") || IsSymbol(t, i - 1, ",") || IsSymbol(t, i - 1, ";"));
    if (starts_field && IsName(t, i) && IsSymbol(t, i + 1, "="))
      field(t[i].text, t[i].line);
    else if (starts_field && IsSymbol(t, i, "[") && Is(t, i + 1, LuaToken::kString) && IsSymbol(t, i + 2, "]") &&
             IsSymbol(t, i + 3, "="))
      field(t[i + 1].text, t[i + 1].line);
    if (IsSymbol(t, i, "{")) {
      frames.push_back({true, {}});
    } else if (IsName(t, i, "function") || IsName(t, i, "if") || IsName(t, i, "do") || IsName(t, i, "repeat")) {
      frames.push_back({false, {}});
    } else if (IsSymbol(t, i, "}") || IsName(t, i, "end") || IsName(t, i, "until")) {
      if (frames.size() > 1) frames.pop_back();  // unbalanced text: the loader says why
    }
  }
  return repeated;
}

}  // namespace vigil::rules
