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
  std::vector<ShapedGlyph> glyphs;
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

// Vertical text: a number of exactly two digits becomes one upright unit (縦中横), its digits
// shaped side by side in their proportional (half-width) forms.
void applyTateChuYoko(ShapedText& text, const fonts::FontSet& fonts);

}  // namespace kakanai::typeset
