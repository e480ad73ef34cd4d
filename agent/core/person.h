// A resident's four basic items (and, only when asked and allowed, the individual number).
// Every field is SecretText: wiped from memory when the record goes.
#pragma once

#include <optional>
#include <string_view>

#include "core/secure_buffer.h"

namespace kakanai {

enum class Sex { Male, Female, Unspecified };

std::string_view sexName(Sex sex);  // "male", "female", "unspecified"
std::optional<Sex> parseSexName(std::string_view s);

struct Person {
  SecretText name;
  SecretText address;
  SecretText birthDate;  // YYYY-MM-DD
  Sex sex = Sex::Unspecified;
  std::optional<SecretText> myNumber;  // 12 digits
};

// Whether `date` is YYYY-MM-DD naming a real Gregorian date.
bool isIsoDate(std::string_view date);
// The individual number's check digit (the 12th) is right.
bool isValidMyNumber(std::string_view digits);

}  // namespace kakanai
