// One font's embedded form: the subset font program and the PDF objects describing it.
#pragma once

#include <array>
#include <cstdint>
#include <vector>
#include <map>
#include <set>
#include <string>

#include "core/bytes.h"
#include "core/error.h"
#include "fonts/font_set.h"

namespace kakanai::pdf {

// hb-subset to exactly `glyphs` (plus .notdef), keeping glyph ids so CID = GID, without the
// layout tables a PDF viewer never reads.
Result<Bytes> subsetFontProgram(const fonts::Font& font, const std::set<std::uint32_t>& glyphs);

// Six capital letters from the glyph set, so the same subset always gets the same tag.
std::string subsetTag(const std::string& fontName, const std::set<std::uint32_t>& glyphs);

// `/W` (one value per glyph) and `/W2` (w1y vx vy per glyph) as runs of consecutive CIDs:
// [first CID, values...], in 1/1000 em, rounded.
using MetricRuns = std::vector<std::pair<std::uint32_t, std::vector<long>>>;
MetricRuns horizontalWidths(const fonts::Font& font, const std::set<std::uint32_t>& glyphs);
MetricRuns verticalMetrics(const fonts::Font& font, const std::set<std::uint32_t>& glyphs);

// xMin yMin xMax yMax in 1/1000 em, from the font's head table.
std::array<long, 4> fontBBox(const fonts::Font& font);

}  // namespace kakanai::pdf
