#include "core/iso_time.h"

#include <ctime>

namespace kakanai {

namespace {
std::string format(WallClock::time_point t, const char* pattern, bool utc, long* offsetMinutes = nullptr) {
  const std::time_t tt = WallClock::to_time_t(t);
  std::tm broken{};
  if (utc) {
    gmtime_r(&tt, &broken);
  } else {
    localtime_r(&tt, &broken);
  }
  if (offsetMinutes) *offsetMinutes = broken.tm_gmtoff / 60;
  char buf[40];
  std::strftime(buf, sizeof buf, pattern, &broken);
  return buf;
}
}  // namespace

std::string isoUtc(WallClock::time_point t) { return format(t, "%Y-%m-%dT%H:%M:%SZ", true); }

std::string localDate(WallClock::time_point t) { return format(t, "%Y-%m-%d", false); }

std::string isoLocal(WallClock::time_point t) {
  long offset = 0;
  const std::string local = format(t, "%Y-%m-%dT%H:%M:%S", false, &offset);
  const int a = static_cast<int>((offset < 0 ? -offset : offset) % (24 * 60));
  char zone[16];
  std::snprintf(zone, sizeof zone, "%c%02d:%02d", offset < 0 ? '-' : '+', a / 60, a % 60);
  return local + zone;
}

std::string workDay(WallClock::time_point t, std::chrono::minutes dayStartsAfterMidnight) {
  return localDate(t - dayStartsAfterMidnight);
}

std::int64_t epochMillis(WallClock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::optional<std::chrono::minutes> parseClockTime(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  for (std::size_t i : {0u, 1u, 3u, 4u}) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  }
  const int h = (s[0] - '0') * 10 + (s[1] - '0');
  const int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 23 || m > 59) return std::nullopt;
  return std::chrono::minutes(h * 60 + m);
}

}  // namespace kakanai
