#include "typeset/line_breaker.h"

#include <string_view>

namespace kakanai::typeset {

bool isSpace(char32_t c) { return c == U' ' || c == U'\u3000'; }

namespace {

bool in(std::u32string_view set, char32_t c) { return set.find(c) != std::u32string_view::npos; }

bool noLineStart(char32_t c) {
  static constexpr std::u32string_view kSet =
      U")]}）〕］｝〉》」』】〙〗〟’”｠»"
      U"、。，．・：；？！,.:;?!"
      U"ー‐゠–〜～"
      U"ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
      U"々ゝゞヽヾ〻";
  return in(kSet, c);
}

bool noLineEnd(char32_t c) {
  static constexpr std::u32string_view kSet = U"([{（〔［｛〈《「『【〘〖〝‘“｟«";
  return in(kSet, c);
}

bool isAlnum(char32_t c) {
  return (c >= U'0' && c <= U'9') || (c >= U'A' && c <= U'Z') || (c >= U'a' && c <= U'z') ||
         (c >= U'０' && c <= U'９') || (c >= U'Ａ' && c <= U'Ｚ') || (c >= U'ａ' && c <= U'ｚ');
}

bool isRunHyphen(char32_t c) { return c == U'-' || c == U'－' || c == U'‐' || c == U'−' || c == U'/' || c == U'／'; }

// Characters that name what a number counts, kept with the number before them.
bool isUnitAfterNumber(char32_t c) { return in(U"丁番号棟階室地条線区街", c); }

}  // namespace

std::vector<int> lineBreakOpportunities(const std::vector<std::u32string>& clusters, BreakStyle style) {
  const std::size_t n = clusters.size();
  std::vector<int> out(n, 0);
  if (n == 0) return out;
  auto base = [&](std::size_t i) -> char32_t { return clusters[i].empty() ? 0 : clusters[i][0]; };
  for (std::size_t i = 0; i + 1 < n; ++i) {
    const char32_t a = base(i), b = base(i + 1);
    int allowed = 0;
    if (noLineStart(b) || noLineEnd(a)) allowed = -1;
    // Alphanumeric runs, with the hyphens between their parts and the unit after them.
    if (isAlnum(a) && (isAlnum(b) || isRunHyphen(b) || isUnitAfterNumber(b))) allowed = -1;
    if (isRunHyphen(a) && i > 0 && isAlnum(base(i - 1)) && isAlnum(b)) allowed = -1;
    // A line may end after a space (which then trails, undrawn), never just before one.
    if (isSpace(a)) allowed = 0;
    if (isSpace(b)) allowed = -1;
    if (allowed >= 0 && style == BreakStyle::Address) {
      int pref = 0;
      const char32_t next = base(i + 1);
      if (isSpace(a)) pref = 5;  // before a building name
      else if (a == U'目' && i > 0 && base(i - 1) == U'丁') pref = 4;
      else if (a == U'地' && i > 0 && base(i - 1) == U'番') pref = 4;
      else if (a == U'番' && next != U'地') pref = 3;
      else if (a == U'号') pref = 3;
      else if (in(U"市区町村郡", a)) pref = 2;
      else if (in(U"都道府県", a) && i <= 3) pref = 2;
      allowed = pref;
    }
    out[i] = allowed;
  }
  out[n - 1] = 0;
  return out;
}

}  // namespace kakanai::typeset
