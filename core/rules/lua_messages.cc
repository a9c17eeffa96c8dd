#include "rules/lua_messages.h"

#include <optional>
#include <regex>
#include <vector>

#include <fmt/format.h>

#include "rules/lua_scan.h"

namespace vigil::rules {
namespace {

std::vector<std::string_view> Lines(std::string_view source) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start <= source.size()) {
    std::size_t end = source.find('\n', start);
    if (end == std::string_view::npos) end = source.size();
    lines.push_back(source.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// The nearest line before `line` (1-based) with code on it, or 0.
int PreviousCodeLine(const std::vector<std::string_view>& lines, int line) {
  for (int l = line - 1; l >= 1; --l) {
    std::string_view text = Trim(lines[static_cast<std::size_t>(l - 1)]);
    if (!text.empty() && text.substr(0, 2) != "--") return l;
  }
  return 0;
}

std::string Plain(const std::string& display, int line, const std::string& what) {
  return fmt::format("{} line {}: {}", display, line, what);
}

std::size_t Indent(const std::vector<std::string_view>& lines, int line) {
  if (line < 1 || static_cast<std::size_t>(line) > lines.size()) return 0;
  std::string_view text = lines[static_cast<std::size_t>(line - 1)];
  std::size_t n = 0;
  while (n < text.size() && (text[n] == ' ' || text[n] == '\t')) ++n;
  return n;
}

struct Opener {
  std::string keyword;  // function, if, for, while, do, repeat
  int line = 0;
};

// Follows the blocks of `source` up to `line` (on Lua's line itself, the
// keywords before where it stopped count): `on_close(closed, end, still_open)`
// for each `end`/`until` that closes a block, `on_stray(end)` for one with
// no block open; either returns true to stop. Returns the blocks still open.
template <typename OnClose, typename OnStray>
std::vector<Opener> WalkBlocks(std::string_view source, int line, OnClose on_close, OnStray on_stray) {
  std::vector<Opener> open;
  std::string pending;  // `for`/`while` open their block at `do`
  for (const auto& t : TokenizeLua(source)) {
    if (t.line > line) break;
    if (t.kind != LuaToken::kName) continue;
    if (t.text == "for" || t.text == "while") pending = t.text;
    if (t.text == "function" || t.text == "if" || t.text == "repeat") open.push_back({t.text, t.line});
    if (t.text == "do") {
      open.push_back({pending.empty() ? "do" : pending, t.line});
      pending.clear();
    }
    if (t.text == "end" || t.text == "until") {
      if (open.empty()) {
        if (on_stray(t)) break;
        continue;
      }
      Opener closed = open.back();
      open.pop_back();
      if (on_close(closed, t, open)) break;
    }
  }
  return open;
}

// The block that most likely lacks its `end` when Lua stopped at `line`: an
// `end` indented like an outer block's first line was meant for that block,
// so the inner one it closed is the one missing its own (officers indent
// faithfully even where they forget an `end`). Else the innermost block still open.
std::optional<Opener> UnclosedBlock(std::string_view source, const std::vector<std::string_view>& lines, int line) {
  std::optional<Opener> suspect;
  auto open = WalkBlocks(
      source, line,
      [&](const Opener& closed, const LuaToken& end, const std::vector<Opener>& still_open) {
        std::size_t indent = Indent(lines, end.line);
        if (!suspect && Indent(lines, closed.line) != indent)
          for (const auto& outer : still_open)
            if (Indent(lines, outer.line) == indent) suspect = closed;
        return false;
      },
      [](const LuaToken&) { return false; });
  if (suspect) return suspect;
  if (!open.empty()) return open.back();
  return std::nullopt;
}

// When Lua stops at an `end` on `line` that no block is open for: the block
// the last `end` before it closed (function, if, for…), and that end's line.
struct ExtraEnd {
  Opener closed;      // what the last `end` before the extra one closed
  int closed_at = 0;  // the line of that `end`
};
std::optional<ExtraEnd> FindExtraEnd(std::string_view source, int line) {
  std::optional<ExtraEnd> last, found;
  WalkBlocks(
      source, line,
      [&](const Opener& closed, const LuaToken& end, const std::vector<Opener>&) {
        last = ExtraEnd{closed, end.line};
        return false;
      },
      [&](const LuaToken& end) {
        if (end.text == "end" && end.line == line) found = last;
        return true;
      });
  return found;
}

}  // namespace

std::string ExplainSyntaxError(const std::string& message, std::string_view source, const std::string& display) {
  static const std::regex kWhere(R"(^(.*?):(\d+): ([^\n]*))");
  std::smatch where;
  if (!std::regex_search(message, where, kWhere)) return message;
  const int line = std::stoi(where[2].str());
  const std::string what = where[3].str();
  const std::vector<std::string_view> lines = Lines(source);
  std::string_view text = line >= 1 && static_cast<std::size_t>(line) <= lines.size()
                              ? Trim(lines[static_cast<std::size_t>(line - 1)]) : std::string_view();

  static const std::regex kExpected(R"(^'(.+?)' expected(?: \(to close '(.+?)' at line (\d+)\))? near (.*)$)");
  static const std::regex kPercent(R"(\d\s*%)");
  std::smatch m;
  std::string plain;
  // Lua stopped at an `end` with no block left to close: it says a `}` or the
  // end of the file was expected, which reads like a missing comma.
  const bool at_an_end = what.ends_with("near 'end'");
  std::optional<ExtraEnd> extra = at_an_end ? FindExtraEnd(source, line) : std::nullopt;
  if (extra) {
    plain = Plain(display, line,
                  fmt::format("there is an `end` too many: no block is left open for this `end` to close (the `end` "
                              "on line {} already closes the `{}` of line {}); delete the `end` that is extra",
                              extra->closed_at, extra->closed.keyword, extra->closed.line));
  } else if (std::regex_search(text.begin(), text.end(), kPercent) &&
      (what.rfind("unexpected symbol", 0) == 0 || what.find("expected") != std::string::npos)) {
    plain = Plain(display, line, "a number cannot have a % sign: write 10, not 10% (or 0.10 for a share)");
  } else if (std::regex_match(what, m, kExpected)) {
    const std::string expected = m[1].str(), opener = m[2].str(), near = m[4].str();
    const int opened = m[3].matched ? std::stoi(m[3].str()) : line;
    const bool at_end = near == "<eof>";
    std::string token = near.size() >= 2 && near.front() == '\'' ? near.substr(1, near.size() - 2) : near;
    bool token_starts_line = !at_end && !token.empty() && text.substr(0, token.size()) == token;
    if (expected == "end") {
      auto block = UnclosedBlock(source, lines, line);
      plain = block ? fmt::format("{}: the `{}` on line {} has no matching `end`", display, block->keyword, block->line)
                    : fmt::format("{}: the `{}` on line {} has no matching `end`", display,
                                  opener.empty() ? "block" : opener, opened);
    } else if ((token == "," || token == "}") && UnclosedBlock(source, lines, line)) {
      auto block = UnclosedBlock(source, lines, line);
      plain = fmt::format("{}: the `{}` on line {} has no matching `end`", display, block->keyword, block->line);
    } else if (expected == "}" && at_end) {
      plain = fmt::format("{}: the `{{` on line {} is never closed: a `}}` is missing", display, opened);
    } else if (expected == "}" && token_starts_line && PreviousCodeLine(lines, line) > 0) {
      plain = Plain(display, PreviousCodeLine(lines, line), "a comma is missing at the end of the line");
    } else if (expected == "}") {
      plain = Plain(display, line, fmt::format("something is missing before '{}' (a comma between two entries, "
                                               "or an = between a name and its value?)", token));
    } else if (expected == ")" && at_end) {
      plain = fmt::format("{}: the `(` on line {} is never closed: a `)` is missing", display, opened);
    } else if (expected == ")") {
      plain = Plain(display, line, fmt::format("a `)` is missing before '{}'{}", token,
                                               opened != line ? fmt::format(" (to close the `(` on line {})", opened) : ""));
    } else if (expected == "then") {
      plain = Plain(display, line, "`then` is missing after the condition of the `if`");
    } else if (expected == "do") {
      plain = Plain(display, line, "`do` is missing at the end of the `for` or `while` line");
    } else if (expected == "<eof>") {
      plain = Plain(display, line, fmt::format("'{}' comes after the end of what the file defines: new entries go "
                                               "inside the {{ … }}, before its closing }}", token));
    } else if (expected == "=") {
      plain = Plain(display, line, fmt::format("an = is missing before '{}'", token));
    }
  } else if (what.rfind("unfinished string", 0) == 0) {
    plain = Plain(display, line, "a text in quotes is not closed: add the closing quote");
  } else if (what.rfind("malformed number near ", 0) == 0) {
    plain = Plain(display, line, fmt::format("{} is not a number", what.substr(22)));
  } else if (what.rfind("unexpected symbol near ", 0) == 0 &&
             (what.substr(23) == "','" || what.substr(23) == "'}'") && UnclosedBlock(source, lines, line)) {
    auto block = UnclosedBlock(source, lines, line);
    plain = fmt::format("{}: the `{}` on line {} has no matching `end`", display, block->keyword, block->line);
  } else if (what.rfind("unexpected symbol near ", 0) == 0) {
    plain = Plain(display, line, fmt::format("Lua cannot read {} here (a missing comma, quote or bracket "
                                             "just before it?)", what.substr(23)));
  }
  if (plain.empty()) return message;
  return plain + "\n  (Lua: " + message + ")";
}

}  // namespace vigil::rules
