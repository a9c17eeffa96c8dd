#include "base/log.h"

#include <mutex>

#include <spdlog/sinks/stdout_color_sinks.h>

namespace vigil {
namespace {

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
  auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  if (format == LogFormat::kJson) {
    // One JSON object per line for log collectors; the message is already
    // key=value text, so it needs no escaping beyond quotes and backslashes,
    // which Vigil's messages do not produce unescaped.
    sink->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l","logger":"%n","msg":"%v"})");
  } else {
    sink->set_pattern("%^%l%$ %n: %v");
  }
  auto logger = std::make_shared<spdlog::logger>("vigil", sink);
  logger->set_level(level);
  spdlog::drop_all();
  spdlog::set_default_logger(logger);
}

}  // namespace vigil
