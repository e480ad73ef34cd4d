#include "core/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

namespace kakanai {

namespace {
std::atomic<int> gLevel{static_cast<int>(LogLevel::Info)};
std::mutex gMutex;
}  // namespace

void setLogLevel(std::string_view level) {
  LogLevel l = LogLevel::Info;
  if (level == "error") l = LogLevel::Error;
  if (level == "warning") l = LogLevel::Warning;
  if (level == "debug") l = LogLevel::Debug;
  gLevel = static_cast<int>(l);
}

void logLine(LogLevel level, std::string_view message) {
  if (static_cast<int>(level) > gLevel) return;
  static const char* kNames[] = {"error", "warning", "info", "debug"};
  std::lock_guard lock(gMutex);
  std::fprintf(stderr, "kakanai-agent[%s] %.*s\n", kNames[static_cast<int>(level)], static_cast<int>(message.size()),
               message.data());
}

}  // namespace kakanai
