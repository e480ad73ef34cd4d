// Fits shaped text into a box and places every glyph. The steps a field allows run in its
// declared order — wrap onto more lines, shrink toward a minimum size, condense (長体) toward a
// minimum scale — and only then does the text overflow, which cuts it at the box instead of ever
// drawing outside. Every step taken is reported, so the clerk can check the form.
//
// Coordinates are points, origin at the page's top-left, y downwards; the PDF layer maps them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/warning_codes.h"
#include "typeset/line_breaker.h"
#include "typeset/shaper.h"

namespace kakanai::typeset {

struct Box {
  double x = 0, y = 0, width = 0, height = 0;
};

enum class FitStep { Wrap, Shrink, Condense };
enum class Align { Start, Center, End };
enum class CrossAlign { Start, Center, End };

// 字取り: a name of up to `upToChars` characters is spread over `widthEm` ems.
struct Distribution {
  int upToChars = 0;
  double widthEm = 0;
};

struct FieldStyle {
  Direction direction = Direction::Horizontal;
  double size = 10.5;
  double minSize = 6;
  double minScale = 0.7;
  int maxLines = 1;
  std::vector<FitStep> steps{FitStep::Shrink, FitStep::Condense};
  Align align = Align::Start;
  CrossAlign crossAlign = CrossAlign::Center;
  double lineGap = 0.2;  // between lines (columns), in em
  double padding = 1.0;  // pt inside the box on every side
  BreakStyle breaks = BreakStyle::Plain;
  std::vector<Distribution> distribute;  // ordered by upToChars
  bool tateChuYoko = true;  // vertical: short numbers upright side by side (VerticalOptions)
};

struct PlacedGlyph {
  std::uint32_t gid = 0;
  double x = 0, y = 0;           // pen position (horizontal: baseline start; vertical: top centre)
  std::u32string text;           // what this glyph stands for (ToUnicode); empty for the rest of a cluster
};

struct GlyphRun {
  std::size_t font = 0;
  bool vertical = false;
  // Horizontal glyphs turned 90° clockwise in a vertical column (Latin words in vertical text):
  // each glyph's pen is its baseline start, the baseline running down the page.
  bool rotated = false;
  double size = 0;
  double scale = 1;  // 長体: horizontal scale for horizontal text, vertical scale for vertical text
  std::vector<PlacedGlyph> glyphs;
};

struct LayoutWarning {
  WarningCode code;
  std::string detail;
};

struct FieldLayout {
  std::vector<GlyphRun> runs;
  std::vector<LayoutWarning> warnings;
  double size = 0;
  double scale = 1;
  int lines = 0;
  std::size_t clustersCut = 0;
  Box ink;  // the area the glyph cells occupy; always inside the box
};

FieldLayout layoutField(const ShapedText& text, const fonts::FontSet& fonts, const Box& box, const FieldStyle& style);

}  // namespace kakanai::typeset
