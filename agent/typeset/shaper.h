// Text → glyphs. The text is cut into clusters (a base character and the variation selectors or
// combining marks that follow it); each cluster takes the first font, primary then fallback, whose
// cmap has the whole sequence; runs of one font are shaped by HarfBuzz (language ja, `vert` for
// vertical text). A cluster no font can draw fails the whole text with glyph_missing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "fonts/font_set.h"

namespace kakanai::typeset {

enum class Direction { Horizontal, Vertical };

struct ShapedGlyph {
  std::uint32_t gid = 0;
  double advance = 0;  // along the line, 1/1000 em (positive; downwards for vertical)
  double xOffset = 0;  // 1/1000 em
  double yOffset = 0;
};

struct Cluster {
  std::u32string codepoints;  // base + selectors/marks, as in the text
  std::size_t font = 0;       // index in the FontSet
  bool fromFallback = false;
  bool tateChuYoko = false;  // vertical text: these glyphs are set horizontally, upright in one em
  bool rotated = false;      // vertical text: shaped horizontally and turned 90° clockwise (Latin)
  std::vector<ShapedGlyph> glyphs;
  // What each glyph stands for when the glyphs are not one cluster's rendering (縦中横: each
  // digit its own); empty: the first glyph stands for `codepoints`, the others for nothing.
  std::vector<std::u32string> glyphTexts;
  double advance() const;
  char32_t base() const { return codepoints.empty() ? 0 : codepoints[0]; }
};

struct ShapedText {
  std::vector<Cluster> clusters;
  Direction direction = Direction::Horizontal;
  bool usedFallback() const;
};

std::u32string decodeUtf8(std::string_view s);
std::string encodeUtf8(std::u32string_view s);

// Extra error detail for glyph_missing: the code points as U+XXXX strings.
struct MissingGlyphs {
  std::vector<std::string> codepoints;
};

Result<ShapedText> shapeText(const fonts::FontSet& fonts, const fonts::Font& primary, std::u32string_view text,
                             Direction direction, MissingGlyphs* missing = nullptr);

bool isVariationSelector(char32_t c);

struct VerticalOptions {
  // Numbers of 2 up to this many digits stand upright side by side in one em (縦中横); longer
  // numbers (and single digits) are set upright one full-width digit per cell, never mixed.
  int tateChuYokoDigits = 2;
  // Latin words (runs of half-width letters, with the digits, hyphens and apostrophes inside them)
  // are turned 90° clockwise (JLReq 3.1.4); a word of up to this many capital letters (initials
  // such as JR, NHK) stands upright one full-width letter per cell instead.
  int uprightInitialsUpTo = 0;
};

// Vertical text as JLReq 3.1 sets it: 縦中横 or upright digits per VerticalOptions, Latin words
// rotated, and a hyphen outside a Latin word in its vertical form (the font's `vert` glyph, that
// of U+2010 when the character has none, else the glyph rotated) so that it never reads as 一.
// The text each glyph stands for stays the text as given.
void applyVerticalForms(ShapedText& text, const fonts::FontSet& fonts, const VerticalOptions& options = {});

}  // namespace kakanai::typeset
