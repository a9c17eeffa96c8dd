// Keeps control characters off the terminal: a stream buffer that passes
// text on with every control character but the line feed shown escaped
// (base/text.h Printable). The app installs it on std::cout and std::cerr,
// so no school name, rule message or file name that Vigil prints can move
// the cursor, recolour the screen or hide what follows.
#pragma once

#include <iostream>
#include <streambuf>
#include <string>

namespace vigil {

class PrintableStreambuf : public std::streambuf {
 public:
  explicit PrintableStreambuf(std::streambuf* out) : out_(out) {}
  ~PrintableStreambuf() override { Flush(true); }

 protected:
  int overflow(int c) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int sync() override;

 private:
  // Writes what is held; without `all`, keeps an unfinished UTF-8 sequence
  // for the next write.
  void Flush(bool all);

  std::streambuf* out_;
  std::string held_;
};

// Installs PrintableStreambuf on a stream for as long as it lives.
class PrintableStream {
 public:
  explicit PrintableStream(std::ostream& stream) : stream_(stream), filter_(stream.rdbuf()) {
    original_ = stream_.rdbuf(&filter_);
  }
  ~PrintableStream() {
    stream_.flush();
    stream_.rdbuf(original_);
  }
  PrintableStream(const PrintableStream&) = delete;
  PrintableStream& operator=(const PrintableStream&) = delete;

 private:
  std::ostream& stream_;
  PrintableStreambuf filter_;
  std::streambuf* original_ = nullptr;
};

}  // namespace vigil
