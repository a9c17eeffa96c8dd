// Headless Chromium driven over the DevTools protocol on a pipe
// (--remote-debugging-pipe: JSON messages ending in a NUL byte on fds 3 and
// 4), so a test can set the viewport, emulate print media, run a script in
// the page and print it to PDF, all in one browser process, with nothing
// but the Debian package chromium. Every wait is bounded.
#pragma once

#include <sys/types.h>

#include <deque>
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace vigil::testing {

class HeadlessChromium {
 public:
  // The chromium binary, or nullopt when it is not installed.
  static std::optional<std::filesystem::path> Find();

  // Starts Chromium with a new empty profile and opens one page. On failure
  // error() says why and every other call fails.
  HeadlessChromium();
  ~HeadlessChromium();
  HeadlessChromium(const HeadlessChromium&) = delete;
  HeadlessChromium& operator=(const HeadlessChromium&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  // Loads `url` and waits for its load event.
  bool Navigate(const std::string& url);
  // The viewport in CSS pixels.
  bool SetViewport(int width, int height);
  // "print" lays the page out as it prints (its @media print rules); "" as on screen.
  bool EmulateMedia(const std::string& media);
  // Runs `expression` in the page; its value (JSON-serialisable), or null on error.
  nlohmann::json Evaluate(const std::string& expression);
  // Prints the page on A4 (its @page rules) into `pdf`.
  bool PrintToPdf(const std::filesystem::path& pdf);
  // A PNG of the page at the current viewport width: `height` pixels from
  // `top`, or the whole page when `height` is 0.
  bool Screenshot(const std::filesystem::path& png, int top = 0, int height = 0);

 private:
  // Sends a command (to the page's session unless `browser`) and returns its result.
  std::optional<nlohmann::json> Call(const std::string& method, const nlohmann::json& params = nlohmann::json::object(),
                                     bool browser = false);
  // The next message from Chromium, waiting at most the timeout.
  std::optional<nlohmann::json> Read();
  bool WaitForEvent(const std::string& method);

  pid_t pid_ = -1;
  int to_browser_ = -1;
  int from_browser_ = -1;
  std::filesystem::path profile_;
  std::string session_;
  std::string buffer_;
  std::deque<nlohmann::json> events_;
  int next_id_ = 1;
  std::string error_;
};

// Base64 as DevTools returns binary data in.
std::string DecodeBase64(const std::string& text);

}  // namespace vigil::testing
