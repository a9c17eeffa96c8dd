// A reading of rule files as text, for the checks that need no data: which
// thresholds, measures and attributes a file names and on which line, what
// each indicator's evaluate returns, where each override entry starts.
// Best effort by design: it never fails, and a construct it does not
// understand is simply not reported (the checks on a made-up entity and on
// real data catch what reading cannot).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vigil::rules {

struct LuaToken {
  enum Kind { kName, kString, kNumber, kSymbol };
  Kind kind = kSymbol;
  std::string text;  // a string's contents without quotes; a symbol's characters
  int line = 0;
};

// Splits Lua source into tokens, skipping comments and white space.
std::vector<LuaToken> TokenizeLua(std::string_view source);

// A name used on a line: threshold.NAME, e:latest("NAME"), e.attr.NAME.
struct NameUse {
  std::string name;
  int line = 0;
};

std::vector<NameUse> ThresholdUses(const std::vector<LuaToken>& tokens);
std::vector<NameUse> MeasureUses(const std::vector<LuaToken>& tokens);
std::vector<NameUse> AttributeUses(const std::vector<LuaToken>& tokens);

// A call of none / watch / concern / serious.
struct LevelCall {
  std::string level;
  int line = 0;
  std::string points_threshold;  // the first argument when it is exactly threshold.NAME
  bool points_is_text = false;   // the first argument is a text in quotes or format(...)
};

// Every call of a level function in a file, inside indicators or not.
std::vector<LevelCall> LevelCalls(const std::vector<LuaToken>& tokens);

// What an `indicator { ... }` block holds, by reading.
struct IndicatorText {
  std::string id;
  int first_line = 0;
  int last_line = 0;
  std::vector<LevelCall> level_calls;  // anywhere in the block, nested functions included
  // `return` statements of evaluate itself (not of functions inside it)
  // whose value is plainly not a level: a text, a number, true/false or a threshold.
  std::vector<NameUse> bad_returns;  // name: what it returns, in words
};

std::vector<IndicatorText> IndicatorBlocks(const std::vector<LuaToken>& tokens);

// The line of each entry of `call { {...}, {...} }` (e.g. overrides), in order.
std::vector<int> CallEntryLines(const std::vector<LuaToken>& tokens, std::string_view call);

// A key given twice in one table constructor (`{ a = 1, ..., a = 2 }`, or
// ["a"] = 2): Lua silently keeps the last, so an officer's edit below an
// older line wins or loses without a word. Keys of nested tables, and
// assignments inside functions, are each their own.
struct RepeatedKey {
  std::string name;
  int first_line = 0;
  int line = 0;  // where it is given again
};
std::vector<RepeatedKey> RepeatedKeys(const std::vector<LuaToken>& tokens);

}  // namespace vigil::rules
