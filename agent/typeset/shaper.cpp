#include "typeset/shaper.h"

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

void applyTateChuYoko(ShapedText& text, const fonts::FontSet& fonts) {
  if (text.direction != Direction::Vertical) return;
  auto digit = [&](std::size_t i) -> int {
    if (i >= text.clusters.size() || text.clusters[i].codepoints.size() != 1) return -1;
    const char32_t c = text.clusters[i].codepoints[0];
    if (c >= U'0' && c <= U'9') return static_cast<int>(c - U'0');
    if (c >= U'０' && c <= U'９') return static_cast<int>(c - U'０');
    return -1;
  };
  std::vector<Cluster> out;
  for (std::size_t i = 0; i < text.clusters.size();) {
    const bool pair = digit(i) >= 0 && digit(i + 1) >= 0 && digit(i + 2) < 0 && (i == 0 || digit(i - 1) < 0);
    if (!pair) {
      out.push_back(std::move(text.clusters[i++]));
      continue;
    }
    Cluster unit;
    unit.codepoints = text.clusters[i].codepoints + text.clusters[i + 1].codepoints;
    unit.font = text.clusters[i].font;
    unit.tateChuYoko = true;
    const fonts::Font& font = *fonts.all()[unit.font];
    Cluster a, b;
    a.codepoints = std::u32string(1, static_cast<char32_t>(U'0' + digit(i)));
    b.codepoints = std::u32string(1, static_cast<char32_t>(U'0' + digit(i + 1)));
    shapeRun(font, {&a, &b}, Direction::Horizontal);
    unit.glyphs = a.glyphs;
    unit.glyphs.insert(unit.glyphs.end(), b.glyphs.begin(), b.glyphs.end());
    out.push_back(std::move(unit));
    i += 2;
  }
  text.clusters = std::move(out);
}

}  // namespace kakanai::typeset
