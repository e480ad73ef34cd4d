#include "typeset/japanese_text.h"

#include "core/person.h"
#include "typeset/shaper.h"

namespace kakanai::typeset {

std::optional<EraDate> toEraDate(std::string_view iso) {
  if (!isIsoDate(iso)) return std::nullopt;
  const int y = std::stoi(std::string(iso.substr(0, 4)));
  const int m = std::stoi(std::string(iso.substr(5, 2)));
  const int d = std::stoi(std::string(iso.substr(8, 2)));
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

std::string toFullWidthDigits(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      out += encodeUtf8(std::u32string(1, static_cast<char32_t>(U'０' + (c - '0'))));
    } else if (c == '-') {
      out += "－";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string toHalfWidthDigits(std::string_view s) {
  std::u32string in = decodeUtf8(s), out;
  for (char32_t c : in) out.push_back(c >= U'０' && c <= U'９' ? U'0' + (c - U'０') : c);
  return encodeUtf8(out);
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

std::string toKanjiNumerals(std::string_view s) {
  static const char32_t kDigits[] = U"〇一二三四五六七八九";
  const std::u32string in = decodeUtf8(s);
  std::u32string out;
  auto digitOf = [](char32_t c) -> int {
    if (c >= U'0' && c <= U'9') return static_cast<int>(c - U'0');
    if (c >= U'０' && c <= U'９') return static_cast<int>(c - U'０');
    return -1;
  };
  for (std::size_t i = 0; i < in.size();) {
    if (digitOf(in[i]) < 0) {
      out.push_back(in[i++]);
      continue;
    }
    std::size_t j = i;
    while (j < in.size() && digitOf(in[j]) >= 0) ++j;
    if (j - i <= 2) {
      int v = 0;
      for (std::size_t k = i; k < j; ++k) v = v * 10 + digitOf(in[k]);
      if (v >= 10) {
        if (v / 10 > 1) out.push_back(kDigits[v / 10]);
        out.push_back(U'十');
        if (v % 10) out.push_back(kDigits[v % 10]);
      } else {
        out.push_back(kDigits[v]);
      }
    } else {
      for (std::size_t k = i; k < j; ++k) out.push_back(kDigits[digitOf(in[k])]);
    }
    i = j;
  }
  return encodeUtf8(out);
}

}  // namespace kakanai::typeset
