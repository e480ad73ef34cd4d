// The agent's log: levelled lines on stderr (journald collects them under systemd). Callers log
// request types, ids, durations, codes and PC/SC diagnostics — never a resident's data.
#pragma once

#include <string>
#include <string_view>

namespace kakanai {

enum class LogLevel { Error = 0, Warning = 1, Info = 2, Debug = 3 };

void setLogLevel(std::string_view level);
void logLine(LogLevel level, std::string_view message);

}  // namespace kakanai
