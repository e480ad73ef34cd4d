// Wall-clock instants as the protocol and the attendance records write them. Local time follows
// the machine's time zone (TZ), as the counter PC's clock does.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace kakanai {

using WallClock = std::chrono::system_clock;

// 2026-11-23T00:15:00Z
std::string isoUtc(WallClock::time_point t);
// 2026-11-23, the local calendar date
std::string localDate(WallClock::time_point t);
// 2026-11-23T09:15:00+09:00
std::string isoLocal(WallClock::time_point t);
// The local calendar date of `t` after moving it back by `dayStartsAfterMidnight`: a shift that
// starts before dawn belongs to the day it started on.
std::string workDay(WallClock::time_point t, std::chrono::minutes dayStartsAfterMidnight);
// Milliseconds since the epoch, the form the store keeps instants in.
std::int64_t epochMillis(WallClock::time_point t);
// "HH:MM" → minutes after midnight.
std::optional<std::chrono::minutes> parseClockTime(std::string_view hhmm);

}  // namespace kakanai
