// Named loggers for the core's modules. Only the app configures sinks and
// levels (ConfigureLogging); modules ask for a logger by name ("store",
// "plugin.csv", "rule.schools.ofsted_judgement") and log key=value messages.
#pragma once

#include <memory>
#include <string>

#include <spdlog/spdlog.h>

namespace vigil {

// The logger called `name`, sharing the sinks and level set by the app.
std::shared_ptr<spdlog::logger> Logger(const std::string& name);

enum class LogFormat { kText, kJson };

// Sends every logger to stderr at `level`. Text is coloured on a terminal.
void ConfigureLogging(spdlog::level::level_enum level, LogFormat format);

}  // namespace vigil
