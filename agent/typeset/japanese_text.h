// Dates and numbers the way Japanese forms print them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kakanai::typeset {

struct EraDate {
  std::string era;      // 明治, 大正, 昭和, 平成, 令和
  std::string eraInitial;  // 明, 大, 昭, 平, 令 (as printed among the choices)
  int year = 0;         // 1 = 元年
  int month = 0, day = 0;
};

// Japan kept the lunisolar calendar until 明治5年12月2日; the Gregorian calendar began the next
// day as 明治6年1月1日. No earlier Gregorian date has a true era month and day.
inline constexpr std::string_view kFirstSolarDate = "1873-01-01";

// YYYY-MM-DD → era date; nullopt for a date that never existed or one before kFirstSolarDate.
std::optional<EraDate> toEraDate(std::string_view isoDate);

// "元" for year 1, else the number (full-width digits unless halfWidth).
std::string eraYearText(int year, bool halfWidth = false);
// 令和元年５月１日
std::string formatEraDate(const EraDate& d, bool halfWidth = false);
// ２０２６年１１月２３日
std::string formatGregorianDate(std::string_view isoDate, bool halfWidth = false);

// The conversions below change numbers only: runs of digits and the hyphens between two digits
// (2-15-3). A Latin token — letters with the digits, hyphens and apostrophes inside it, such as
// Tower-A, 12F, Sunny-Heights, O'Brien — stays exactly as given.

// Digits → full-width (０-９), a hyphen between digits → －.
std::string toFullWidthDigits(std::string_view s);
// Digits → ASCII, a hyphen between digits (－ ‐ −) → '-': never a mix of widths.
std::string toHalfWidthDigits(std::string_view s);

// What a hyphen between two numbers becomes in kanji numerals (西新宿2-8-1).
enum class NumberHyphen {
  No,     // 西新宿二の八の一 (a hyphen would read as 一)
  Chome,  // 西新宿二丁目八番一号 (three numbers; two are 八番一号)
};
// Runs of digits → kanji numerals for vertical forms: up to 99 with 十 (十五, 二十), longer runs
// digit by digit with 〇 (二〇二). Full-width and ASCII digits both.
std::string toKanjiNumerals(std::string_view s, NumberHyphen hyphen = NumberHyphen::No);

}  // namespace kakanai::typeset
