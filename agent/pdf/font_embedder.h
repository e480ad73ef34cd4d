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

// `/W` (one value per CID) and `/W2` (w1y vx vy per CID) as runs of consecutive CIDs:
// [first CID, values...], in 1/1000 em, rounded. A CID whose metrics are the defaults (kDefaultWidth,
// kDefaultVertical with the default width) is left out: most CJK glyphs are, so the arrays stay short and a reader (or
// a procedure's bundle, which parses every fill again) does not read a number per glyph.
constexpr long kDefaultWidth = 1000;                   // /DW
constexpr std::array<long, 2> kDefaultVertical{880, -1000};  // /DW2: vy, w1y; vx is half the width
using MetricRuns = std::vector<std::pair<std::uint32_t, std::vector<long>>>;

class GlyphCodes;

// The CIDs of one embedded font and what each stands for (ToUnicode). CID = GID wherever a
// glyph always stands for the same text, so CIDToGIDMap stays /Identity. Where one glyph stands
// for different texts — the half-width digit of 縦中横 for "１" and for "1", the vertical hyphen
// for "-" and "－", a base glyph that is also a variation sequence's default — each further text
// gets a CID of its own past the font's glyph ids, mapped to the same glyph. So every CID has one
// ToUnicode entry that is right wherever it is used, and text extraction without /ActualText
// gives back the text as set.
class GlyphCodes {
 public:
  explicit GlyphCodes(const fonts::Font& font);  // aliases start past the font's last glyph id

  // The CID for `gid` standing for `text` (empty: the rest of a cluster, nothing to extract).
  std::uint32_t use(std::uint32_t gid, const std::u32string& text);
  // The CID `use` gave for this pair (the glyph id itself for a pair never used).
  std::uint32_t cidOf(std::uint32_t gid, const std::u32string& text) const;

  const std::set<std::uint32_t>& glyphs() const { return glyphs_; }
  bool identity() const { return aliases_.empty(); }
  // CID → text for every CID with a text, by CID.
  std::vector<std::pair<std::uint32_t, std::u32string>> toUnicode() const;
  // The CIDToGIDMap stream (two bytes per CID from 0) for a font that is not identity.
  Bytes cidToGidMap() const;
  // Every CID used, with the glyph it shows.
  std::map<std::uint32_t, std::uint32_t> cidGlyphs() const;

 private:
  std::map<std::pair<std::uint32_t, std::u32string>, std::uint32_t> cids_;
  std::map<std::uint32_t, std::u32string> primaryText_;  // CID = GID
  std::map<std::uint32_t, std::uint32_t> aliases_;       // alias CID → GID
  std::map<std::uint32_t, std::u32string> aliasText_;
  std::set<std::uint32_t> glyphs_;
  std::uint32_t nextAlias_;
};

MetricRuns horizontalWidths(const fonts::Font& font, const GlyphCodes& codes);
MetricRuns verticalMetrics(const fonts::Font& font, const GlyphCodes& codes);

// xMin yMin xMax yMax in 1/1000 em, from the font's head table.
std::array<long, 4> fontBBox(const fonts::Font& font);

}  // namespace kakanai::pdf
