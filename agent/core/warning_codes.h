#pragma once
// The warnings a fill reports beside its document, with their wire names declared once: the
// typesetter raises the layout ones, the form engine the date ones, the protocol and
// `kakanai-agent protocol --json` list them from here.

#include <array>
#include <string_view>

namespace kakanai {

enum class WarningCode {
  Shrunk,        // the text is set smaller than the field's size
  Wrapped,       // the text takes more than one line
  Condensed,     // 長体: the glyphs are narrowed
  FallbackFont,  // some characters come from a fallback font
  Overflow,      // some characters could not be printed in the box
  BirthDateAfterApplication,
  ApplicationDateFar,
};

inline constexpr std::array kAllWarningCodes{WarningCode::Shrunk,       WarningCode::Wrapped,  WarningCode::Condensed,
                                             WarningCode::FallbackFont, WarningCode::Overflow, WarningCode::BirthDateAfterApplication,
                                             WarningCode::ApplicationDateFar};

constexpr std::string_view warningName(WarningCode code) {
  switch (code) {
    case WarningCode::Shrunk: return "shrunk";
    case WarningCode::Wrapped: return "wrapped";
    case WarningCode::Condensed: return "condensed";
    case WarningCode::FallbackFont: return "fallback_font";
    case WarningCode::Overflow: return "overflow";
    case WarningCode::BirthDateAfterApplication: return "birth_date_after_application";
    case WarningCode::ApplicationDateFar: return "application_date_far";
  }
  return "unknown";
}

}  // namespace kakanai
