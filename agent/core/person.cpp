#include "core/person.h"

#include <cctype>

namespace kakanai {

std::string_view sexName(Sex sex) {
  switch (sex) {
    case Sex::Male: return "male";
    case Sex::Female: return "female";
    case Sex::Unspecified: return "unspecified";
  }
  return "unspecified";
}

std::optional<Sex> parseSexName(std::string_view s) {
  if (s == "male") return Sex::Male;
  if (s == "female") return Sex::Female;
  if (s == "unspecified") return Sex::Unspecified;
  return std::nullopt;
}

namespace {
bool allDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}
int number(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}
}  // namespace

bool isIsoDate(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  const auto y = d.substr(0, 4), m = d.substr(5, 2), day = d.substr(8, 2);
  if (!allDigits(y) || !allDigits(m) || !allDigits(day)) return false;
  const int year = number(y), month = number(m), dd = number(day);
  if (year < 1800 || month < 1 || month > 12 || dd < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int maxDay = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  return dd <= maxDay;
}

bool isValidMyNumber(std::string_view n) {
  if (n.size() != 12 || !allDigits(n)) return false;
  // Check digit per the ordinance: P_n from the right, Q_n = n+1 for n<=6 else n-5; 11 - (sum mod 11), 0 if <=1.
  int sum = 0;
  for (int i = 1; i <= 11; ++i) {
    const int p = n[static_cast<std::size_t>(11 - i)] - '0';
    const int q = i <= 6 ? i + 1 : i - 5;
    sum += p * q;
  }
  const int r = sum % 11;
  const int check = r <= 1 ? 0 : 11 - r;
  return check == n[11] - '0';
}

}  // namespace kakanai
