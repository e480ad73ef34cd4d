#include "card/verification_b.h"

#include "typeset/japanese_text.h"

namespace kakanai::card {

namespace {

bool digitsOnly(std::string_view s, std::size_t n) {
  if (s.size() != n) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

void appendTwoDigits(SecretText& out, int v) {
  const char two[2] = {static_cast<char>('0' + v / 10 % 10), static_cast<char>('0' + v % 10)};
  out.append(std::string_view(two, 2));
}

}  // namespace

std::optional<SecretText> verificationBFromCardFace(std::string_view birthDate, std::string_view expiryYear,
                                                    std::string_view securityCode) {
  if (!digitsOnly(expiryYear, 4) || !digitsOnly(securityCode, 4)) return std::nullopt;
  // The era year comes from the same conversion the forms print with (元年 is year 1).
  const auto era = typeset::toEraDate(birthDate);
  if (!era || era->year < 1 || era->year > 99) return std::nullopt;
  SecretText digits;
  appendTwoDigits(digits, era->year);
  appendTwoDigits(digits, era->month);
  appendTwoDigits(digits, era->day);
  digits.append(expiryYear);
  digits.append(securityCode);
  return digits;
}

bool isWellFormedVerificationB(std::string_view d) {
  if (!digitsOnly(d, 14)) return false;
  const int month = (d[2] - '0') * 10 + (d[3] - '0');
  const int day = (d[4] - '0') * 10 + (d[5] - '0');
  const int eraYear = (d[0] - '0') * 10 + (d[1] - '0');
  return eraYear >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

}  // namespace kakanai::card
