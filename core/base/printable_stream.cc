#include "base/printable_stream.h"

#include "base/text.h"

namespace vigil {

int PrintableStreambuf::overflow(int c) {
  if (c == traits_type::eof()) return traits_type::not_eof(c);
  held_ += static_cast<char>(c);
  if (c == '\n' || held_.size() >= 4096) Flush(false);
  return c;
}

std::streamsize PrintableStreambuf::xsputn(const char* s, std::streamsize n) {
  held_.append(s, static_cast<std::size_t>(n));
  if (held_.size() >= 4096 || held_.find('\n') != std::string::npos) Flush(false);
  return n;
}

int PrintableStreambuf::sync() {
  Flush(false);
  return out_->pubsync();
}

void PrintableStreambuf::Flush(bool all) {
  std::size_t keep = 0;
  if (!all) {
    // An unfinished multi-byte character at the end waits for its rest.
    std::size_t i = held_.size();
    for (std::size_t back = 1; back <= 3 && back <= held_.size(); ++back) {
      unsigned char c = static_cast<unsigned char>(held_[held_.size() - back]);
      if ((c & 0xC0) == 0x80) continue;
      std::size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      if (need > back) i = held_.size() - back;
      break;
    }
    keep = held_.size() - i;
  }
  std::string text = Printable(std::string_view(held_).substr(0, held_.size() - keep), true);
  out_->sputn(text.data(), static_cast<std::streamsize>(text.size()));
  held_.erase(0, held_.size() - keep);
}

}  // namespace vigil
