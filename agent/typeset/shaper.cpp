#include "typeset/shaper.h"

#include "typeset/line_breaker.h"

#include <hb.h>

#include <cstdio>

namespace kakanai::typeset {

double Cluster::advance() const {
  double a = 0;
  for (const auto& g : glyphs) a += g.advance;
  return a;
}

bool ShapedText::usedFallback() const {
  for (const auto& c : clusters) {
    if (c.fromFallback) return true;
  }
  return false;
}

bool isVariationSelector(char32_t c) {
  return (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF);
}

namespace {

// Marks that belong to the character before them (combining diacritics, kana voicing marks).
bool isCombining(char32_t c) {
  return (c >= 0x0300 && c <= 0x036F) || c == 0x3099 || c == 0x309A || c == 0x200D || isVariationSelector(c);
}

}  // namespace

std::u32string decodeUtf8(std::string_view s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    char32_t cp;
    std::size_t len;
    if (b < 0x80) {
      cp = b;
      len = 1;
    } else if ((b & 0xE0) == 0xC0) {
      cp = b & 0x1F;
      len = 2;
    } else if ((b & 0xF0) == 0xE0) {
      cp = b & 0x0F;
      len = 3;
    } else {
      cp = b & 0x07;
      len = 4;
    }
    if (i + len > s.size()) break;
    for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += len;
  }
  return out;
}

std::string encodeUtf8(std::u32string_view s) {
  std::string out;
  for (char32_t c : s) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

namespace {

bool fontHas(const fonts::Font& f, const std::u32string& cluster) {
  const char32_t base = cluster[0];
  char32_t selector = 0;
  for (std::size_t i = 1; i < cluster.size(); ++i) {
    if (isVariationSelector(cluster[i])) {
      selector = cluster[i];
    } else if (!f.glyphFor(cluster[i], 0)) {
      return false;  // a combining mark the font cannot draw
    }
  }
  return f.glyphFor(base, selector).has_value();
}

void shapeRun(const fonts::Font& font, const std::vector<Cluster*>& run, Direction dir) {
  hb_buffer_t* buf = hb_buffer_create();
  hb_buffer_set_cluster_level(buf, HB_BUFFER_CLUSTER_LEVEL_MONOTONE_CHARACTERS);
  std::vector<std::uint32_t> clusterStart;
  std::uint32_t index = 0;
  for (Cluster* c : run) {
    clusterStart.push_back(index);
    for (char32_t cp : c->codepoints) {
      hb_buffer_add(buf, cp, index++);
    }
  }
  hb_buffer_set_content_type(buf, HB_BUFFER_CONTENT_TYPE_UNICODE);
  hb_buffer_set_direction(buf, dir == Direction::Vertical ? HB_DIRECTION_TTB : HB_DIRECTION_LTR);
  hb_buffer_set_script(buf, HB_SCRIPT_HAN);
  hb_buffer_set_language(buf, hb_language_from_string("ja", -1));
  hb_shape(font.hbFont(), buf, nullptr, 0);
  unsigned n = 0;
  const hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buf, &n);
  const hb_glyph_position_t* pos = hb_buffer_get_glyph_positions(buf, &n);
  const double k = 1000.0 / font.unitsPerEm();
  std::size_t c = 0;
  for (unsigned i = 0; i < n; ++i) {
    while (c + 1 < run.size() && info[i].cluster >= clusterStart[c + 1]) ++c;
    ShapedGlyph g;
    g.gid = info[i].codepoint;
    if (dir == Direction::Vertical) {
      g.advance = -pos[i].y_advance * k;
      // HarfBuzz gives offsets from the horizontal origin; PDF places vertical glyphs by their
      // vertical origin (W2), so only what shaping added beyond that origin is kept.
      g.xOffset = 0;
      g.yOffset = 0;
    } else {
      g.advance = pos[i].x_advance * k;
      g.xOffset = pos[i].x_offset * k;
      g.yOffset = pos[i].y_offset * k;
    }
    run[c]->glyphs.push_back(g);
  }
  hb_buffer_destroy(buf);
}

}  // namespace

Result<ShapedText> shapeText(const fonts::FontSet& fonts, const fonts::Font& primary, std::u32string_view text,
                             Direction direction, MissingGlyphs* missing) {
  ShapedText out;
  out.direction = direction;
  for (std::size_t i = 0; i < text.size();) {
    Cluster c;
    c.codepoints.push_back(text[i++]);
    while (i < text.size() && isCombining(text[i])) c.codepoints.push_back(text[i++]);
    out.clusters.push_back(std::move(c));
  }
  const fonts::Font* fallback = fonts.fallback();
  std::vector<std::string> absent;
  for (auto& c : out.clusters) {
    if (fontHas(primary, c.codepoints)) {
      c.font = fonts.indexOf(&primary);
    } else if (fallback != nullptr && fontHas(*fallback, c.codepoints)) {
      c.font = fonts.indexOf(fallback);
      c.fromFallback = true;
    } else {
      std::string seq;
      for (char32_t cp : c.codepoints) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%sU+%04X", seq.empty() ? "" : " ", static_cast<unsigned>(cp));
        seq += buf;
      }
      absent.push_back(seq);
    }
  }
  if (!absent.empty()) {
    if (missing != nullptr) missing->codepoints = absent;
    return Error::of(ErrorCode::GlyphMissing, "no configured font has " + std::to_string(absent.size()) + " character(s)");
  }
  // Shape maximal runs of one font together so kerning and contextual forms still apply.
  for (std::size_t i = 0; i < out.clusters.size();) {
    std::size_t j = i;
    std::vector<Cluster*> run;
    while (j < out.clusters.size() && out.clusters[j].font == out.clusters[i].font) run.push_back(&out.clusters[j++]);
    shapeRun(*fonts.all()[out.clusters[i].font], run, direction);
    i = j;
  }
  return out;
}

namespace {

bool isHalfWidthLatinLetter(char32_t c) { return isLatinLetter(c) && c < 0xFF00; }
bool isAsciiDigit(char32_t c) { return c >= U'0' && c <= U'9'; }
// Inside a Latin word: Sunny-Heights, O'Brien, O’Brien, St.John, AT&T.
bool isLatinJoiner(char32_t c) { return c == U'\'' || c == U'’' || c == U'-' || c == U'.' || c == U'&'; }
bool isHyphen(char32_t c) { return c == U'-' || c == U'－' || c == U'‐' || c == U'−'; }

char32_t single(const Cluster& c) { return c.codepoints.size() == 1 ? c.codepoints[0] : 0; }

std::vector<ShapedGlyph> shapeAlone(const fonts::Font& font, std::u32string codepoints, Direction dir) {
  Cluster c;
  c.codepoints = std::move(codepoints);
  shapeRun(font, {&c}, dir);
  return c.glyphs;
}

// Marks the clusters of Latin words (half-width letters with the digits and joiners inside them,
// and the ASCII spaces between two such words): they are set rotated, as one horizontal run.
std::vector<bool> latinWords(const std::vector<Cluster>& cs) {
  std::vector<bool> word(cs.size(), false);
  for (std::size_t i = 0; i < cs.size();) {
    auto part = [&](std::size_t k) {
      const char32_t c = single(cs[k]);
      return isHalfWidthLatinLetter(c) || isAsciiDigit(c) || isLatinJoiner(c);
    };
    if (!part(i)) {
      ++i;
      continue;
    }
    std::size_t j = i;
    bool letter = false;
    while (j < cs.size() && part(j)) letter |= isHalfWidthLatinLetter(single(cs[j++]));
    std::size_t b = i, e = j;
    while (b < e && isLatinJoiner(single(cs[b]))) ++b;
    while (e > b && isLatinJoiner(single(cs[e - 1]))) --e;
    if (letter) {
      for (std::size_t k = b; k < e; ++k) word[k] = true;
    }
    i = j;
  }
  for (std::size_t i = 1; i + 1 < cs.size(); ++i) {
    if (single(cs[i]) == U' ' && word[i - 1] && word[i + 1]) word[i] = true;
  }
  return word;
}

// The full-width form of an ASCII letter or digit (A → Ａ), or 0.
char32_t fullWidth(char32_t c) {
  if ((c >= U'0' && c <= U'9') || (c >= U'A' && c <= U'Z') || (c >= U'a' && c <= U'z')) return c - U'!' + U'！';
  return 0;
}

// Sets `c` upright in its full-width form (text unchanged), when the font has one.
void uprightFullWidth(Cluster& c, const fonts::Font& font) {
  const char32_t fw = fullWidth(single(c));
  if (fw != 0 && font.glyphFor(fw, 0)) c.glyphs = shapeAlone(font, std::u32string(1, fw), Direction::Vertical);
}

class VerticalSetter {
 public:
  VerticalSetter(ShapedText& text, const fonts::FontSet& fonts, const VerticalOptions& o)
      : cs_(text.clusters), fonts_(fonts), o_(o), word_(latinWords(cs_)) {}

  std::vector<Cluster> run() {
    std::vector<Cluster> out;
    for (std::size_t i = 0; i < cs_.size();) {
      if (word_[i]) {
        std::size_t j = i;
        while (j < cs_.size() && word_[j]) ++j;
        setLatin(i, j, out);
        i = j;
      } else if (digitValue(single(cs_[i])) >= 0) {
        std::size_t j = i;
        while (j < cs_.size() && !word_[j] && digitValue(single(cs_[j])) >= 0) ++j;
        setNumber(i, j, out);
        i = j;
      } else {
        if (isHyphen(single(cs_[i]))) setHyphen(cs_[i]);
        out.push_back(std::move(cs_[i++]));
      }
    }
    return out;
  }

 private:
  const fonts::Font& fontOf(const Cluster& c) const { return *fonts_.all()[c.font]; }

  void setLatin(std::size_t b, std::size_t e, std::vector<Cluster>& out) {
    std::size_t letters = 0;
    bool capitals = true;
    for (std::size_t k = b; k < e; ++k) {
      const char32_t c = single(cs_[k]);
      letters += isHalfWidthLatinLetter(c) ? 1 : 0;
      capitals &= c >= U'A' && c <= U'Z';
    }
    if (capitals && static_cast<int>(letters) <= o_.uprightInitialsUpTo) {
      for (std::size_t k = b; k < e; ++k) {
        uprightFullWidth(cs_[k], fontOf(cs_[k]));
        out.push_back(std::move(cs_[k]));
      }
      return;
    }
    // One horizontal shaping per font so that kerning applies across the word.
    for (std::size_t k = b; k < e;) {
      std::size_t m = k;
      std::vector<Cluster*> same;
      while (m < e && cs_[m].font == cs_[k].font) {
        cs_[m].glyphs.clear();
        cs_[m].rotated = true;
        same.push_back(&cs_[m++]);
      }
      shapeRun(fontOf(cs_[k]), same, Direction::Horizontal);
      k = m;
    }
    for (std::size_t k = b; k < e; ++k) out.push_back(std::move(cs_[k]));
  }

  void setNumber(std::size_t b, std::size_t e, std::vector<Cluster>& out) {
    const int n = static_cast<int>(e - b);
    if (n >= 2 && n <= o_.tateChuYokoDigits) {
      Cluster unit;
      unit.font = cs_[b].font;
      unit.fromFallback = cs_[b].fromFallback;
      unit.tateChuYoko = true;
      std::u32string ascii;
      for (std::size_t k = b; k < e; ++k) {
        unit.codepoints += cs_[k].codepoints;
        unit.glyphTexts.push_back(cs_[k].codepoints);
        ascii.push_back(static_cast<char32_t>(U'0' + digitValue(single(cs_[k]))));
      }
      unit.glyphs = shapeAlone(fontOf(unit), ascii, Direction::Horizontal);
      if (unit.glyphs.size() != unit.glyphTexts.size()) unit.glyphTexts.clear();
      out.push_back(std::move(unit));
      return;
    }
    for (std::size_t k = b; k < e; ++k) {
      uprightFullWidth(cs_[k], fontOf(cs_[k]));
      out.push_back(std::move(cs_[k]));
    }
  }

  void setHyphen(Cluster& c) const {
    const fonts::Font& font = fontOf(c);
    auto hasVerticalForm = [&](char32_t ch) {
      if (!font.glyphFor(ch, 0)) return false;
      const auto v = shapeAlone(font, std::u32string(1, ch), Direction::Vertical);
      const auto h = shapeAlone(font, std::u32string(1, ch), Direction::Horizontal);
      return v.size() == 1 && h.size() == 1 && v[0].gid != h[0].gid;
    };
    if (hasVerticalForm(single(c))) return;
    if (hasVerticalForm(U'‐')) {
      c.glyphs = shapeAlone(font, U"‐", Direction::Vertical);
      return;
    }
    c.glyphs = shapeAlone(font, c.codepoints, Direction::Horizontal);
    c.rotated = true;
  }

  std::vector<Cluster>& cs_;
  const fonts::FontSet& fonts_;
  const VerticalOptions& o_;
  std::vector<bool> word_;
};

}  // namespace

void applyVerticalForms(ShapedText& text, const fonts::FontSet& fonts, const VerticalOptions& options) {
  if (text.direction != Direction::Vertical) return;
  VerticalSetter setter(text, fonts, options);
  text.clusters = setter.run();
}

}  // namespace kakanai::typeset
