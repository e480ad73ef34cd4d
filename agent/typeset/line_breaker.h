// Where a line may end, following JLReq (W3C "Requirements for Japanese Text Layout"): no line
// starts with closing brackets, 、。，．・：；？！, ー, small kana or iteration marks; no line ends with
// an opening bracket; a run of digits or Latin letters (with the hyphens inside it, and the unit
// character that follows it, as in 1203号室 or Ｂ棟) is never split. Each opportunity carries a
// preference so addresses break where a clerk would: at a space, then after 丁目/番地/番/号, then
// after 市区町村郡, then after 都道府県.
#pragma once

#include <string>
#include <vector>

namespace kakanai::typeset {

enum class BreakStyle { Plain, Address };

// breakAfter[i] >= 0: a line may end after cluster i, with that preference (higher is better);
// -1: it may not. The last cluster always has an opportunity.
std::vector<int> lineBreakOpportunities(const std::vector<std::u32string>& clusters, BreakStyle style);

bool isSpace(char32_t c);

}  // namespace kakanai::typeset
