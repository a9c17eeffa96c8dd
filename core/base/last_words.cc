#include "base/last_words.h"

#include <mutex>

#include "base/files.h"

namespace vigil {
namespace {

struct LastWords {
  std::mutex mutex;
  std::filesystem::path file;
  std::string context;
};

LastWords& State() {
  static LastWords state;
  return state;
}

// A JSON string's contents: quotes, backslashes and control characters escaped.
std::string JsonText(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace

void SetLastWordsFile(const std::filesystem::path& file, std::string context) {
  std::lock_guard lock(State().mutex);
  State().file = file;
  State().context = std::move(context);
}

void ClearLastWordsFile() {
  std::lock_guard lock(State().mutex);
  State().file.clear();
}

void WriteLastWords(std::string_view reason) {
  std::lock_guard lock(State().mutex);
  if (State().file.empty()) return;
  std::string text = State().context;
  std::size_t close = text.rfind('}');
  if (close == std::string::npos) {
    text = "{}";
    close = 1;
  }
  std::string field = std::string(close > 1 ? "," : "") + "\"reason\":\"" + JsonText(reason) + "\"";
  text.insert(close, field);
  (void)WriteFileAtomically(State().file, text);
}

}  // namespace vigil
