#include "headless_chromium.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <thread>
#include <vector>

namespace vigil::testing {
namespace fs = std::filesystem;

namespace {

constexpr int kTimeoutMs = 30000;  // any one answer; a page of the demo takes well under a second

// What Chromium needs to run headless on a closed network without stalling.
const char* const kFlags[] = {"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                              "--disable-background-networking", "--disable-component-update", "--disable-sync",
                              "--disable-extensions", "--hide-scrollbars", "--remote-debugging-pipe"};

}  // namespace

std::optional<fs::path> HeadlessChromium::Find() {
  for (const char* name : {"chromium", "chromium-browser"}) {
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/bin:/bin";
    for (std::size_t start = 0; start <= dirs.size();) {
      std::size_t end = dirs.find(':', start);
      if (end == std::string::npos) end = dirs.size();
      fs::path candidate = fs::path(dirs.substr(start, end - start)) / name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
      start = end + 1;
    }
  }
  return std::nullopt;
}

HeadlessChromium::HeadlessChromium() {
  auto binary = Find();
  if (!binary) {
    error_ = "chromium is not installed";
    return;
  }
  std::string profile_template = (fs::temp_directory_path() / "vigil-chromium-XXXXXX").string();
  if (::mkdtemp(profile_template.data()) == nullptr) {
    error_ = std::string("cannot make a profile folder: ") + std::strerror(errno);
    return;
  }
  profile_ = profile_template;
  int to_child[2], from_child[2];
  if (::pipe2(to_child, O_CLOEXEC) != 0 || ::pipe2(from_child, O_CLOEXEC) != 0) {
    error_ = std::string("pipe: ") + std::strerror(errno);
    return;
  }
  ::signal(SIGPIPE, SIG_IGN);  // a browser that died must fail a call, not kill the test
  std::string profile_flag = "--user-data-dir=" + profile_.string();
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(binary->c_str()));
  for (const char* flag : kFlags) argv.push_back(const_cast<char*>(flag));
  argv.push_back(profile_flag.data());
  argv.push_back(const_cast<char*>("about:blank"));
  argv.push_back(nullptr);
  pid_ = ::fork();
  if (pid_ == 0) {
    // Chromium reads commands on fd 3 and writes answers on fd 4.
    int in = ::fcntl(to_child[0], F_DUPFD, 10), out = ::fcntl(from_child[1], F_DUPFD, 10);
    ::dup2(in, 3);
    ::dup2(out, 4);
    for (int fd = 5; fd < 1024; ++fd) ::close(fd);
    int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, 0);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(to_child[0]);
  ::close(from_child[1]);
  to_browser_ = to_child[1];
  from_browser_ = from_child[0];
  if (pid_ < 0) {
    error_ = std::string("fork: ") + std::strerror(errno);
    return;
  }
  auto target = Call("Target.createTarget", {{"url", "about:blank"}}, true);
  if (!target) return;
  auto attached = Call("Target.attachToTarget", {{"targetId", (*target)["targetId"]}, {"flatten", true}}, true);
  if (!attached) return;
  session_ = (*attached)["sessionId"].get<std::string>();
  Call("Page.enable");
}

HeadlessChromium::~HeadlessChromium() {
  if (pid_ > 0) {
    if (to_browser_ >= 0 && error_.empty()) {
      std::string close = nlohmann::json{{"id", next_id_++}, {"method", "Browser.close"}}.dump();
      close.push_back('\0');
      (void)!::write(to_browser_, close.data(), close.size());
    }
    if (to_browser_ >= 0) ::close(to_browser_);
    if (from_browser_ >= 0) ::close(from_browser_);
    int status = 0;
    bool exited = false;
    for (int i = 0; i < 100 && !exited; ++i) {
      exited = ::waitpid(pid_, &status, WNOHANG) == pid_;
      if (!exited) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!exited) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
    }
  }
  std::error_code ec;
  if (!profile_.empty()) fs::remove_all(profile_, ec);
}

std::optional<nlohmann::json> HeadlessChromium::Read() {
  for (;;) {
    std::size_t end = buffer_.find('\0');
    if (end != std::string::npos) {
      auto message = nlohmann::json::parse(buffer_.substr(0, end), nullptr, /*allow_exceptions=*/false);
      buffer_.erase(0, end + 1);
      if (message.is_discarded()) {
        error_ = "chromium sent a message that is not JSON";
        return std::nullopt;
      }
      return message;
    }
    pollfd p{from_browser_, POLLIN, 0};
    int ready = ::poll(&p, 1, kTimeoutMs);
    if (ready <= 0) {
      error_ = ready == 0 ? "chromium did not answer within 30 s" : std::string("poll: ") + std::strerror(errno);
      return std::nullopt;
    }
    char chunk[65536];
    ssize_t n = ::read(from_browser_, chunk, sizeof chunk);
    if (n <= 0) {
      error_ = "chromium closed its pipe (it exited)";
      return std::nullopt;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

std::optional<nlohmann::json> HeadlessChromium::Call(const std::string& method, const nlohmann::json& params,
                                                     bool browser) {
  if (!error_.empty()) return std::nullopt;
  int id = next_id_++;
  nlohmann::json message = {{"id", id}, {"method", method}, {"params", params}};
  if (!browser) message["sessionId"] = session_;
  std::string text = message.dump();
  text.push_back('\0');
  for (std::size_t sent = 0; sent < text.size();) {
    ssize_t n = ::write(to_browser_, text.data() + sent, text.size() - sent);
    if (n <= 0) {
      error_ = "cannot send to chromium: " + std::string(std::strerror(errno));
      return std::nullopt;
    }
    sent += static_cast<std::size_t>(n);
  }
  for (;;) {
    auto answer = Read();
    if (!answer) return std::nullopt;
    if (!answer->contains("id")) {
      events_.push_back(std::move(*answer));
      continue;
    }
    if ((*answer)["id"] != id) continue;
    if (answer->contains("error")) {
      error_ = method + ": " + (*answer)["error"].dump();
      return std::nullopt;
    }
    return (*answer)["result"];
  }
}

bool HeadlessChromium::WaitForEvent(const std::string& method) {
  for (;;) {
    for (auto it = events_.begin(); it != events_.end(); ++it)
      if ((*it)["method"] == method) {
        events_.erase(it);
        return true;
      }
    auto message = Read();
    if (!message) return false;
    if (!message->contains("id")) events_.push_back(std::move(*message));
  }
}

bool HeadlessChromium::Navigate(const std::string& url) {
  events_.clear();
  auto result = Call("Page.navigate", {{"url", url}});
  if (!result) return false;
  if (result->contains("errorText")) {
    error_ = "cannot open " + url + ": " + (*result)["errorText"].get<std::string>();
    return false;
  }
  return WaitForEvent("Page.loadEventFired");
}

bool HeadlessChromium::SetViewport(int width, int height) {
  return Call("Emulation.setDeviceMetricsOverride",
              {{"width", width}, {"height", height}, {"deviceScaleFactor", 1}, {"mobile", false}})
      .has_value();
}

bool HeadlessChromium::EmulateMedia(const std::string& media) {
  return Call("Emulation.setEmulatedMedia", {{"media", media}}).has_value();
}

nlohmann::json HeadlessChromium::Evaluate(const std::string& expression) {
  auto result = Call("Runtime.evaluate", {{"expression", expression}, {"returnByValue", true}, {"awaitPromise", true}});
  if (!result) return nullptr;
  if (result->contains("exceptionDetails")) {
    error_ = "script failed: " + (*result)["exceptionDetails"].dump();
    return nullptr;
  }
  return (*result)["result"].value("value", nlohmann::json());
}

namespace {

bool WriteBinary(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  return static_cast<bool>(out);
}

}  // namespace

bool HeadlessChromium::PrintToPdf(const fs::path& pdf) {
  auto result = Call("Page.printToPDF", {{"printBackground", true}, {"preferCSSPageSize", true},
                                         {"paperWidth", 8.27}, {"paperHeight", 11.69}});
  return result && WriteBinary(pdf, DecodeBase64((*result)["data"].get<std::string>()));
}

bool HeadlessChromium::Screenshot(const fs::path& png, int top, int height) {
  auto size = Evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]");
  if (!size.is_array()) return false;
  int page_height = size[1].get<int>();
  int shown = height > 0 ? std::min(height, page_height - top) : page_height - top;
  auto result = Call("Page.captureScreenshot",
                     {{"format", "png"},
                      {"captureBeyondViewport", true},
                      {"clip", {{"x", 0}, {"y", top}, {"width", size[0]}, {"height", shown}, {"scale", 1}}}});
  return result && WriteBinary(png, DecodeBase64((*result)["data"].get<std::string>()));
}

std::string DecodeBase64(const std::string& text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  out.reserve(text.size() / 4 * 3);
  unsigned bits = 0;
  int count = 0;
  for (char c : text) {
    int v = value(c);
    if (v < 0) continue;  // padding and line breaks
    bits = (bits << 6) | static_cast<unsigned>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>((bits >> count) & 0xFF));
    }
  }
  return out;
}

}  // namespace vigil::testing
