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

// YYYY-MM-DD → era date. 明治 covers everything before 1912-07-30.
std::optional<EraDate> toEraDate(std::string_view isoDate);

// "元" for year 1, else the number (full-width digits unless halfWidth).
std::string eraYearText(int year, bool halfWidth = false);
// 令和元年５月１日
std::string formatEraDate(const EraDate& d, bool halfWidth = false);
// ２０２６年１１月２３日
std::string formatGregorianDate(std::string_view isoDate, bool halfWidth = false);

// ASCII digits (and '-') → full-width (０-９, －).
std::string toFullWidthDigits(std::string_view s);
std::string toHalfWidthDigits(std::string_view s);
// Runs of digits → kanji numerals for vertical forms: up to 99 with 十 (十五, 二十), longer runs
// digit by digit with 〇 (二〇二). Full-width and ASCII digits both.
std::string toKanjiNumerals(std::string_view s);

}  // namespace kakanai::typeset
