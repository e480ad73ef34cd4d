#include "typeset/line_breaker.h"

#include <string_view>

namespace kakanai::typeset {

bool isSpace(char32_t c) { return c == U' ' || c == U'\u3000'; }

int digitValue(char32_t c) {
  if (c >= U'0' && c <= U'9') return static_cast<int>(c - U'0');
  if (c >= U'０' && c <= U'９') return static_cast<int>(c - U'０');
  return -1;
}

namespace {

bool in(std::u32string_view set, char32_t c) { return set.find(c) != std::u32string_view::npos; }

}  // namespace

bool isKanjiNumeral(char32_t c) { return in(U"〇一二三四五六七八九十百千", c); }

bool isLatinLetter(char32_t c) {
  if ((c >= U'A' && c <= U'Z') || (c >= U'a' && c <= U'z')) return true;
  if ((c >= U'Ａ' && c <= U'Ｚ') || (c >= U'ａ' && c <= U'ｚ')) return true;
  // Latin-1 Supplement and Latin Extended-A/B letters (× and ÷ are not letters).
  return c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7;
}

namespace {

// JLReq cl-02 closing brackets, cl-04 hyphens, cl-05 dividing punctuation, cl-06 middle dots,
// cl-07 full stops, cl-10 prolonged sound mark, cl-11 small kana, cl-03 iteration marks — with
// the half-width forms (U+FF61–FF9F) of those that have one.
bool noLineStart(char32_t c) {
  static constexpr std::u32string_view kSet =
      U")]}）〕］｝〉》」』】〙〗〟’”｠»｣"
      U"、。，．・：；？！,.:;?!‼⁇⁈⁉｡､･"
      U"ー‐゠–〜～ｰ"
      U"ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
      U"ｧｨｩｪｫｬｭｮｯ"
      U"ﾞﾟ゛゜"
      U"々ゝゞヽヾ〻";
  return in(kSet, c);
}

// JLReq cl-01 opening brackets, half-width ｢ included.
bool noLineEnd(char32_t c) {
  static constexpr std::u32string_view kSet = U"([{（〔［｛〈《「『【〘〖〝‘“｟«｢";
  return in(kSet, c);
}

// JLReq cl-08: a run of these (…… ――) is one unit.
bool isInseparable(char32_t c) { return in(U"—―…‥〳〴〵", c); }

bool isAlnum(char32_t c) { return digitValue(c) >= 0 || isLatinLetter(c); }

bool isRunHyphen(char32_t c) { return c == U'-' || c == U'－' || c == U'‐' || c == U'−' || c == U'/' || c == U'／'; }

bool isApostrophe(char32_t c) { return c == U'\'' || c == U'’' || c == U'＇'; }

bool isNumberChar(char32_t c) { return digitValue(c) >= 0 || isKanjiNumeral(c); }

// Characters that name what a number counts, kept with the number before them.
bool isUnitAfterNumber(char32_t c) { return in(U"丁番号棟階室地条線区街", c); }

// What may follow a block-number unit as part of the same word: 丁目, 番地, 号館, 号室, 番館.
bool continuesUnit(char32_t unit, char32_t next) {
  if (unit == U'丁') return next == U'目';
  if (unit == U'番') return in(U"地館街", next);
  if (unit == U'号') return in(U"館室棟階線", next);
  return false;
}

class Breaker {
 public:
  explicit Breaker(const std::vector<std::u32string>& clusters) : c_(clusters) {}

  char32_t at(std::size_t i) const { return i < c_.size() && !c_[i].empty() ? c_[i][0] : 0; }
  // The cluster's last character: a 縦中横 unit "12" is a number to its end.
  char32_t lastAt(std::size_t i) const { return i < c_.size() && !c_[i].empty() ? c_[i].back() : 0; }

  // Whether the text must not break between clusters i and i + 1.
  bool bound(std::size_t i) const {
    const char32_t a = lastAt(i), b = at(i + 1);
    if (noLineStart(b) || noLineEnd(a)) return true;
    if (isInseparable(a) && isInseparable(b)) return true;
    if (isAlnum(a) && (isAlnum(b) || isRunHyphen(b) || isUnitAfterNumber(b))) return true;
    if (isRunHyphen(a) && i > 0 && isAlnum(lastAt(i - 1)) && isAlnum(b)) return true;
    // O'Brien, O’Brien: the apostrophe is inside the word.
    if (isLatinLetter(a) && isApostrophe(b) && isLatinLetter(at(i + 2))) return true;
    if (isApostrophe(a) && i > 0 && isLatinLetter(lastAt(i - 1)) && isLatinLetter(b)) return true;
    // Kanji numerals are a number too: 二十三番地, 一二〇三号室.
    if (isKanjiNumeral(a) && (isKanjiNumeral(b) || isUnitAfterNumber(b))) return true;
    // 二の八の一: the の standing for a hyphen between numbers.
    if (isKanjiNumeral(a) && b == U'の' && isKanjiNumeral(at(i + 2))) return true;
    if (a == U'の' && i > 0 && isKanjiNumeral(lastAt(i - 1)) && isKanjiNumeral(b)) return true;
    if (afterNumber(i) && continuesUnit(a, b)) return true;
    return false;
  }

  // Cluster i is a unit directly after a number (３番, 二丁).
  bool afterNumber(std::size_t i) const { return i > 0 && isNumberChar(lastAt(i - 1)); }

  // The address preference for a break after cluster i: after 丁目, 番地, 番 or 号 only where
  // that unit ends a block number — not inside a word that goes on (号館, 号室).
  int addressPreference(std::size_t i) const {
    const char32_t a = lastAt(i), next = at(i + 1);
    if (isSpace(a)) return 5;  // before a building name
    const bool ends = !continuesUnit(a, next) && !isUnitAfterNumber(next);
    if (a == U'目' && i > 0 && lastAt(i - 1) == U'丁' && afterNumber(i - 1)) return ends ? 4 : 0;
    if (a == U'地' && i > 0 && lastAt(i - 1) == U'番' && afterNumber(i - 1)) return ends ? 4 : 0;
    if ((a == U'番' || a == U'号') && afterNumber(i)) return ends ? 3 : 0;
    if (in(U"市区町村郡", a)) return 2;
    if (in(U"都道府県", a) && i <= 3) return 2;
    return 0;
  }

 private:
  const std::vector<std::u32string>& c_;
};

}  // namespace

std::vector<int> lineBreakOpportunities(const std::vector<std::u32string>& clusters, BreakStyle style) {
  const std::size_t n = clusters.size();
  std::vector<int> out(n, 0);
  if (n == 0) return out;
  const Breaker br(clusters);
  for (std::size_t i = 0; i + 1 < n; ++i) {
    int allowed = br.bound(i) ? -1 : 0;
    // A line may end after a space (which then trails, undrawn), never just before one.
    if (isSpace(br.lastAt(i))) allowed = 0;
    if (isSpace(br.at(i + 1))) allowed = -1;
    if (allowed >= 0 && style == BreakStyle::Address) allowed = br.addressPreference(i);
    out[i] = allowed;
  }
  out[n - 1] = 0;
  return out;
}

}  // namespace kakanai::typeset
