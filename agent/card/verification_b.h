// Verification number B (照合番号B) of the text input assist applet: 14 ASCII digits made from
// what is printed on the card face — the birth date as era year, month and day (YYMMDD, 元年 =
// 01), the card's expiry year in 4 Gregorian digits, the 4-digit security code (CARD.md).
// Every check here runs before anything reaches a card.
#pragma once

#include <optional>
#include <string_view>

#include "core/secure_buffer.h"

namespace kakanai::card {

// From the card face: birth date YYYY-MM-DD (a date that existed), expiry year YYYY, security
// code of 4 digits. nullopt when any part is malformed.
std::optional<SecretText> verificationBFromCardFace(std::string_view birthDate, std::string_view expiryYear,
                                                    std::string_view securityCode);

// 14 digits as the clerk typed them (e.g. a foreign resident's card, whose face may print the
// Gregorian date): ASCII digits, month 01–12 and day 01–31 in the YYMMDD part.
bool isWellFormedVerificationB(std::string_view digits);

}  // namespace kakanai::card
