#include "core/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>

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

namespace {

// Length of the well-formed UTF-8 sequence at s[i] that is not a control, or 0.
std::size_t printableUtf8(std::string_view s, std::size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  const std::size_t len = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 0;
  if (len == 0 || i + len > s.size()) return 0;
  char32_t cp = b & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
  for (std::size_t k = 1; k < len; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (c & 0x3F);
  }
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || (cp >= 0x80 && cp <= 0x9F)) return 0;
  // Line and paragraph separators and bidi controls: they break or reorder what a reader sees.
  if (cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) return 0;
  return len;
}

}  // namespace

std::string escapeForLog(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b >= 0x20 && b < 0x7F && b != '\\') {
      out += static_cast<char>(b);
      ++i;
    } else if (b == '\\' || b == '\n' || b == '\r' || b == '\t') {
      out += b == '\\' ? "\\\\" : b == '\n' ? "\\n" : b == '\r' ? "\\r" : "\\t";
      ++i;
    } else if (const std::size_t len = b >= 0x80 ? printableUtf8(s, i) : 0; len > 0) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02X", b);
      out += hex;
      ++i;
    }
  }
  return out;
}

void logLine(LogLevel level, std::string_view message) {
  if (static_cast<int>(level) > gLevel) return;
  static const char* kNames[] = {"error", "warning", "info", "debug"};
  const std::string line = escapeForLog(message);
  std::lock_guard lock(gMutex);
  std::fprintf(stderr, "kakanai-agent[%s] %.*s\n", kNames[static_cast<int>(level)], static_cast<int>(line.size()), line.data());
}

}  // namespace kakanai
