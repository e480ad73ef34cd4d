// The agent's log: levelled lines on stderr (journald collects them under systemd). Callers log
// request types, ids, durations, codes and PC/SC diagnostics — never a resident's data.
#pragma once

#include <string>
#include <string_view>

namespace kakanai {

enum class LogLevel { Error = 0, Warning = 1, Info = 2, Debug = 3 };

void setLogLevel(std::string_view level);
// Writes one line: the message is escaped first (escapeForLog), so no caller — and no client
// string a caller passes on, such as a request id — can end the line or forge another.
void logLine(LogLevel level, std::string_view message);

// The message with every control character (C0, DEL, C1), backslash and byte that is not UTF-8
// written as an escape: \n \r \t \\ or \xNN. Printable UTF-8 (Japanese text) is kept.
std::string escapeForLog(std::string_view message);

}  // namespace kakanai
