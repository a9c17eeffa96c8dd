#include "base/log.h"

#include <mutex>

#include <spdlog/sinks/stdout_color_sinks.h>

#include "base/text.h"

namespace vigil {
namespace {

// Every message passes through here before it is written: data, rule text
// and file names inside a message cannot start a new log line, move the
// cursor or recolour a terminal (control characters are shown escaped),
// and in JSON they cannot end the string early.
class PrintableSink : public spdlog::sinks::sink {
 public:
  PrintableSink(std::shared_ptr<spdlog::sinks::sink> inner, bool json) : inner_(std::move(inner)), json_(json) {}
  void log(const spdlog::details::log_msg& msg) override {
    std::string text = OneLine(std::string_view(msg.payload.data(), msg.payload.size()));
    if (json_) {
      std::string quoted;
      for (char c : text) {
        if (c == '"' || c == '\\') quoted += '\\';
        quoted += c;
      }
      text = std::move(quoted);
    }
    spdlog::details::log_msg copy = msg;
    copy.payload = spdlog::string_view_t(text.data(), text.size());
    inner_->log(copy);
  }
  void flush() override { inner_->flush(); }
  void set_pattern(const std::string& pattern) override { inner_->set_pattern(pattern); }
  void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override {
    inner_->set_formatter(std::move(formatter));
  }

 private:
  std::shared_ptr<spdlog::sinks::sink> inner_;
  bool json_;
};

std::mutex& Mutex() {
  static std::mutex m;
  return m;
}

}  // namespace

std::shared_ptr<spdlog::logger> Logger(const std::string& name) {
  std::lock_guard lock(Mutex());
  if (auto existing = spdlog::get(name)) return existing;
  auto base = spdlog::default_logger();
  auto logger = std::make_shared<spdlog::logger>(name, base->sinks().begin(),
                                                 base->sinks().end());
  logger->set_level(base->level());
  spdlog::register_logger(logger);
  return logger;
}

void ConfigureLogging(spdlog::level::level_enum level, LogFormat format) {
  std::lock_guard lock(Mutex());
  auto stderr_sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  if (format == LogFormat::kJson) {
    // One JSON object per line for log collectors; PrintableSink escapes the
    // message's quotes, backslashes and control characters.
    stderr_sink->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l","logger":"%n","msg":"%v"})");
  } else {
    stderr_sink->set_pattern("%^%l%$ %n: %v");
  }
  auto sink = std::make_shared<PrintableSink>(stderr_sink, format == LogFormat::kJson);
  auto logger = std::make_shared<spdlog::logger>("vigil", sink);
  logger->set_level(level);
  spdlog::drop_all();
  spdlog::set_default_logger(logger);
}

}  // namespace vigil
