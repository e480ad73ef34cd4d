// Where a line may end, following JLReq (W3C "Requirements for Japanese Text Layout"): no line
// starts with closing brackets, 、。，．・：；？！, ー, small kana or iteration marks — in their
// half-width forms (｣ ､ ｡ ･ ｰ ｯ ｧ …) as well as the full-width ones; no line ends with an opening
// bracket (「 ｢ …); inseparable characters (cl-08: …… ‥‥ ―― ——) are never split; a number
// (digits, or kanji numerals such as 二十三), a Latin word (O'Brien, José) or a run of digits and
// letters with the hyphens inside it, with the unit character that follows a number (1203号室,
// Ｂ棟, 三丁目), is never split. Each opportunity carries a preference so addresses break where a
// clerk would: at a space, then after 丁目/番地/番/号 where that unit ends the block number (not
// inside 第七号館 or １２３４号室), then after 市区町村郡, then after 都道府県.
#pragma once

#include <string>
#include <vector>

namespace kakanai::typeset {

enum class BreakStyle { Plain, Address };

// breakAfter[i] >= 0: a line may end after cluster i, with that preference (higher is better);
// -1: it may not. The last cluster always has an opportunity.
std::vector<int> lineBreakOpportunities(const std::vector<std::u32string>& clusters, BreakStyle style);

bool isSpace(char32_t c);
// 0-9 in ASCII or full width.
int digitValue(char32_t c);
// 〇一二三四五六七八九十百千
bool isKanjiNumeral(char32_t c);
// Latin letters: ASCII, Latin-1 and Latin Extended letters (é, ß, ł), full-width Ａ-Ｚ ａ-ｚ.
bool isLatinLetter(char32_t c);

}  // namespace kakanai::typeset
