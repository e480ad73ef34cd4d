// Page content operators for what a fill draws: glyph runs (each glyph exactly where layout put
// it), marks, and form XObjects placed by a matrix. Built in wiping memory, since glyph ids and
// /ActualText spell out the resident's data.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/secure_buffer.h"
#include "fonts/font_set.h"
#include "typeset/field_layout.h"

namespace kakanai::pdf {

using SecretCodepoints = std::vector<char32_t, WipingAllocator<char32_t>>;

enum class MarkKind { Ellipse, Check, Cross, Rect, Line };

struct Mark {
  MarkKind kind = MarkKind::Ellipse;
  typeset::Box box;  // the printed option the mark surrounds (ellipse) or fills (check); a rule's
                     // rectangle; a line from (x, y) to (x + width, y + height)
  double lineWidth = 0;  // 0: the kind's default
};

// A number as content streams want it: at most three decimals, no trailing zeros, no "-0".
std::string fmt(double v);
std::string matrixText(const double m[6]);

class ContentStream {
 public:
  ContentStream& operator<<(std::string_view s);
  // One field's runs; `height` is the frame's (y grows downwards in layout, upwards in PDF).
  // `fontResource(run)` names the font resource for a run.
  // `cid(run, glyph)` is the code the embedded font gives the glyph (font_embedder.h).
  template <class Names, class Cids>
  void glyphRuns(const std::vector<typeset::GlyphRun>& runs, const fonts::FontSet& fonts, double height, Names fontResource, Cids cid) {
    for (const auto& run : runs) {
      if (run.glyphs.empty()) continue;
      std::vector<std::uint32_t> cids;
      for (const auto& g : run.glyphs) cids.push_back(cid(run, g));
      glyphRun(run, *fonts.all()[run.font], height, fontResource(run), cids);
    }
  }
  void actualTextBegin(const SecretCodepoints& text);
  void mark(const Mark& m, double pageHeight);
  const SecureBytes& bytes() const { return bytes_; }

 private:
  void glyphRun(const typeset::GlyphRun& run, const fonts::Font& font, double height, const std::string& resource,
                const std::vector<std::uint32_t>& cids);
  SecureBytes bytes_;
};

}  // namespace kakanai::pdf
