#include "typeset/japanese_text.h"

#include "core/person.h"
#include "typeset/line_breaker.h"
#include "typeset/shaper.h"

#include <functional>
#include <vector>

namespace kakanai::typeset {

std::optional<EraDate> toEraDate(std::string_view iso) {
  if (!isIsoDate(iso)) return std::nullopt;
  const int y = std::stoi(std::string(iso.substr(0, 4)));
  const int m = std::stoi(std::string(iso.substr(5, 2)));
  const int d = std::stoi(std::string(iso.substr(8, 2)));
  if (iso < kFirstSolarDate) return std::nullopt;
  const int key = y * 10000 + m * 100 + d;
  struct Era {
    int start;
    const char* name;
    const char* initial;
    int firstYear;
  };
  static constexpr Era kEras[] = {{20190501, "令和", "令", 2019},
                                  {19890108, "平成", "平", 1989},
                                  {19261225, "昭和", "昭", 1926},
                                  {19120730, "大正", "大", 1912},
                                  {0, "明治", "明", 1868}};
  for (const auto& e : kEras) {
    if (key >= e.start) return EraDate{e.name, e.initial, y - e.firstYear + 1, m, d};
  }
  return std::nullopt;
}

namespace {

bool isTokenHyphen(char32_t c) { return c == U'-' || c == U'－' || c == U'‐' || c == U'−'; }
bool isTokenJoiner(char32_t c) { return isTokenHyphen(c) || c == U'\'' || c == U'’' || c == U'.' || c == U'&'; }

// Calls `number(run, out)` for each maximal run of digits and hyphens between digits outside a
// Latin token, copying everything else to `out` unchanged.
std::string mapNumbers(std::string_view s, const std::function<void(std::u32string_view, std::u32string&)>& number) {
  const std::u32string in = decodeUtf8(s);
  std::u32string out;
  for (std::size_t i = 0; i < in.size();) {
    auto part = [&](std::size_t k) { return digitValue(in[k]) >= 0 || isLatinLetter(in[k]) || isTokenJoiner(in[k]); };
    if (!part(i)) {
      out.push_back(in[i++]);
      continue;
    }
    std::size_t j = i;
    bool letter = false;
    while (j < in.size() && part(j)) letter |= isLatinLetter(in[j++]);
    if (letter) {
      out.append(in, i, j - i);
      i = j;
      continue;
    }
    // Digits and joiners only: numbers joined by single hyphens form one run (2-15-3).
    for (std::size_t k = i; k < j;) {
      if (digitValue(in[k]) < 0) {
        out.push_back(in[k++]);
        continue;
      }
      std::size_t e = k;
      while (e < j && (digitValue(in[e]) >= 0 ||
                       (isTokenHyphen(in[e]) && e + 1 < j && digitValue(in[e + 1]) >= 0 && digitValue(in[e - 1]) >= 0))) {
        ++e;
      }
      number(std::u32string_view(in).substr(k, e - k), out);
      k = e;
    }
    i = j;
  }
  return encodeUtf8(out);
}

}  // namespace

std::string toFullWidthDigits(std::string_view s) {
  return mapNumbers(s, [](std::u32string_view run, std::u32string& out) {
    for (char32_t c : run) out.push_back(digitValue(c) >= 0 ? U'０' + static_cast<char32_t>(digitValue(c)) : U'－');
  });
}

std::string toHalfWidthDigits(std::string_view s) {
  return mapNumbers(s, [](std::u32string_view run, std::u32string& out) {
    for (char32_t c : run) out.push_back(digitValue(c) >= 0 ? U'0' + static_cast<char32_t>(digitValue(c)) : U'-');
  });
}

std::string eraYearText(int year, bool halfWidth) {
  if (year == 1) return "元";
  const std::string n = std::to_string(year);
  return halfWidth ? n : toFullWidthDigits(n);
}

std::string formatEraDate(const EraDate& d, bool halfWidth) {
  auto num = [&](int v) { return halfWidth ? std::to_string(v) : toFullWidthDigits(std::to_string(v)); };
  return d.era + eraYearText(d.year, halfWidth) + "年" + num(d.month) + "月" + num(d.day) + "日";
}

std::string formatGregorianDate(std::string_view iso, bool halfWidth) {
  if (!isIsoDate(iso)) return std::string(iso);
  auto num = [&](std::string_view v, bool strip) {
    std::string t(v);
    if (strip && t.size() == 2 && t[0] == '0') t = t.substr(1);
    return halfWidth ? t : toFullWidthDigits(t);
  };
  return num(iso.substr(0, 4), false) + "年" + num(iso.substr(5, 2), true) + "月" + num(iso.substr(8, 2), true) + "日";
}

namespace {

void appendKanjiNumber(std::u32string_view digits, std::u32string& out) {
  static const char32_t kDigits[] = U"〇一二三四五六七八九";
  if (digits.size() <= 2) {
    int v = 0;
    for (char32_t c : digits) v = v * 10 + digitValue(c);
    if (v >= 10) {
      if (v / 10 > 1) out.push_back(kDigits[v / 10]);
      out.push_back(U'十');
      if (v % 10) out.push_back(kDigits[v % 10]);
    } else {
      out.push_back(kDigits[v]);
    }
    return;
  }
  for (char32_t c : digits) out.push_back(kDigits[digitValue(c)]);
}

}  // namespace

std::string toKanjiNumerals(std::string_view s, NumberHyphen hyphen) {
  return mapNumbers(s, [hyphen](std::u32string_view run, std::u32string& out) {
    std::vector<std::u32string_view> numbers;
    for (std::size_t k = 0; k < run.size();) {
      std::size_t e = k;
      while (e < run.size() && digitValue(run[e]) >= 0) ++e;
      numbers.push_back(run.substr(k, e - k));
      k = e + 1;  // past the hyphen
    }
    static const std::u32string kChome[] = {U"丁目", U"番", U"号"};
    const bool chome = hyphen == NumberHyphen::Chome && numbers.size() >= 2 && numbers.size() <= 3;
    for (std::size_t n = 0; n < numbers.size(); ++n) {
      appendKanjiNumber(numbers[n], out);
      if (chome) {
        out += kChome[n + 3 - numbers.size()];
      } else if (n + 1 < numbers.size()) {
        out.push_back(U'の');
      }
    }
  });
}

}  // namespace kakanai::typeset
