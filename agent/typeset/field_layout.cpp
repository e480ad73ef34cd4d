#include "typeset/field_layout.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace kakanai::typeset {

namespace {

struct Line {
  std::size_t begin = 0, end = 0;  // clusters [begin, end), trailing spaces excluded
};

struct Attempt {
  std::vector<Line> lines;
  std::size_t cut = 0;  // clusters that did not fit (overflow only)
  bool fits = false;
};

double clusterAdvance(const Cluster& c) {
  // A 縦中横 unit stands one em tall in its column, whatever its horizontal width.
  return c.tateChuYoko ? 1000 : c.advance();
}

class Fitter {
 public:
  Fitter(const ShapedText& text, const Box& box, const FieldStyle& style) : text_(text), style_(style) {
    const bool vertical = style.direction == Direction::Vertical;
    length_ = (vertical ? box.height : box.width) - 2 * style.padding;
    cross_ = (vertical ? box.width : box.height) - 2 * style.padding;
    std::vector<std::u32string> cps;
    for (const auto& c : text.clusters) {
      cps.push_back(c.codepoints);
      advances_.push_back(clusterAdvance(c));
    }
    breaks_ = lineBreakOpportunities(cps, style.breaks);
  }

  double width(std::size_t b, std::size_t e, double size, double scale) const {
    double w = 0;
    for (std::size_t i = b; i < e; ++i) w += advances_[i];
    return w * size / 1000.0 * scale;
  }

  bool spaceAt(std::size_t i) const { return isSpace(text_.clusters[i].base()); }

  // Breaks the text into lines of at most `maxLines`. With `cut`, what does not fit is dropped
  // instead of failing.
  Attempt attempt(double size, double scale, int maxLines, bool cut) const {
    Attempt a;
    const std::size_t n = text_.clusters.size();
    const int linesFit = std::max(1, static_cast<int>(std::floor((cross_ / size + style_.lineGap) / (1 + style_.lineGap) + 1e-9)));
    const int allowed = std::min(maxLines, linesFit);
    if (size > cross_ + 1e-9 && !cut) return a;
    std::size_t start = 0;
    while (start < n) {
      while (start < n && spaceAt(start)) ++start;  // no line starts with a space
      if (start >= n) break;
      if (static_cast<int>(a.lines.size()) == allowed) {
        if (!cut) return a;
        a.cut = n - start;
        break;
      }
      // The furthest cluster that fits.
      std::size_t e = start;
      double w = 0;
      while (e < n) {
        const double next = w + advances_[e] * size / 1000.0 * scale;
        if (next > length_ + 1e-6 && !spaceAt(e)) break;
        w = next;
        ++e;
      }
      if (e == n) {
        std::size_t end = n;
        while (end > start && spaceAt(end - 1)) --end;
        a.lines.push_back({start, end});
        start = n;
        break;
      }
      const bool lastAllowedLine = static_cast<int>(a.lines.size()) + 1 == allowed;
      // The best opportunity inside the fitting part: the highest preference among breaks that
      // leave the line at least half full (the latest on a tie); a break that leaves it emptier
      // only when there is no other.
      std::optional<std::size_t> best;
      int bestScore = -2;
      for (std::size_t i = start; i < e; ++i) {
        if (breaks_[i] < 0) continue;
        const int score = width(start, i + 1, size, scale) >= 0.5 * length_ ? breaks_[i] : -1;
        if (score >= bestScore) {
          best = i;
          bestScore = score;
        }
      }
      if (!best || (lastAllowedLine && cut)) {
        if (!cut) return a;
        // Overflow: fill the line with what fits; on the last line drop the rest.
        std::size_t end = e;
        while (end > start && spaceAt(end - 1)) --end;
        a.lines.push_back({start, end});
        if (lastAllowedLine) {
          a.cut = n - e;
          start = n;
          break;
        }
        start = e;
        continue;
      }
      std::size_t end = *best + 1;
      std::size_t trimmed = end;
      while (trimmed > start && spaceAt(trimmed - 1)) --trimmed;
      a.lines.push_back({start, trimmed});
      start = end;
    }
    a.fits = a.cut == 0;
    return a;
  }

  const std::vector<double>& advances() const { return advances_; }
  double length() const { return length_; }
  double cross() const { return cross_; }

 private:
  const ShapedText& text_;
  const FieldStyle& style_;
  double length_ = 0, cross_ = 0;
  std::vector<double> advances_;
  std::vector<int> breaks_;
};

std::string formatNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

// The field's fitting steps in their declared order until the text fits; then the overflowing
// attempt that cuts what does not fit. `size` and `scale` end as the ones chosen.
Attempt runFitSteps(const Fitter& fit, const FieldStyle& style, double& size, double& scale) {
  int maxLines = 1;
  Attempt chosen = fit.attempt(size, scale, maxLines, false);
  for (FitStep step : style.steps) {
    if (chosen.fits) break;
    switch (step) {
      case FitStep::Wrap:
        maxLines = std::max(1, style.maxLines);
        chosen = fit.attempt(size, scale, maxLines, false);
        break;
      case FitStep::Shrink:
        for (double s = size - 0.25; s >= style.minSize - 1e-9; s -= 0.25) {
          chosen = fit.attempt(s, scale, maxLines, false);
          size = s;
          if (chosen.fits) break;
        }
        size = std::max(size, style.minSize);
        break;
      case FitStep::Condense:
        for (double k = 0.98; k >= style.minScale - 1e-9; k -= 0.02) {
          chosen = fit.attempt(size, k, maxLines, false);
          scale = k;
          if (chosen.fits) break;
        }
        scale = std::max(scale, style.minScale);
        break;
    }
  }
  if (!chosen.fits) chosen = fit.attempt(size, scale, maxLines, true);
  return chosen;
}

struct Pen {
  double x = 0, y = 0;  // horizontal: baseline start; vertical: top centre of the cell
  double advance = 0;   // along the line, points
  double size = 0, scale = 1;
  double asc = 0, desc = 0;  // the primary font's, for centring
};

// One cluster's glyphs at the pen: 縦中横 side by side centred in the column, rotated Latin down
// the column, the rest along the line.
void placeCluster(const Cluster& c, bool vertical, const Pen& p, GlyphRun& run) {
  auto textOf = [&](std::size_t gi) {
    if (!c.glyphTexts.empty()) return gi < c.glyphTexts.size() ? c.glyphTexts[gi] : std::u32string();
    return gi == 0 ? c.codepoints : std::u32string();
  };
  const double em = p.size / 1000.0;
  if (vertical && c.tateChuYoko) {
    double w = 0;
    for (const auto& g : c.glyphs) w += g.advance * em;
    double x = p.x - w / 2;
    const double baseline = p.y + p.advance / 2 + p.size * (p.asc / (p.asc - p.desc) - 0.5);
    for (std::size_t gi = 0; gi < c.glyphs.size(); ++gi) {
      run.glyphs.push_back({c.glyphs[gi].gid, x, baseline, textOf(gi)});
      x += c.glyphs[gi].advance * em;
    }
    return;
  }
  // Turned 90° clockwise: the glyphs' tops face the right-hand side of the column, their em box
  // (descender to ascender) centred on it.
  const double baselineX = p.x - p.size * (p.asc + p.desc) / (2 * (p.asc - p.desc));
  double pos = 0;
  for (std::size_t gi = 0; gi < c.glyphs.size(); ++gi) {
    const auto& g = c.glyphs[gi];
    PlacedGlyph pg{g.gid, p.x, p.y + pos, textOf(gi)};
    if (vertical && c.rotated) {
      pg.x = baselineX - g.yOffset * em;
      pg.y = p.y + pos + g.xOffset * em * p.scale;
    } else if (!vertical) {
      pg.x = p.x + pos + g.xOffset * em * p.scale;
      pg.y = p.y - g.yOffset * em;
    }
    run.glyphs.push_back(pg);
    pos += g.advance * em * p.scale;
  }
}

// The warnings for each fitting step taken, and for every cluster from the fallback font.
void reportSteps(const ShapedText& text, const FieldStyle& style, const Attempt& chosen, FieldLayout& out) {
  if (out.lines > 1) out.warnings.push_back({WarningCode::Wrapped, std::to_string(out.lines) + " lines"});
  if (out.size < style.size - 1e-9) out.warnings.push_back({WarningCode::Shrunk, formatNumber(out.size) + "pt"});
  if (out.scale < 1 - 1e-9) out.warnings.push_back({WarningCode::Condensed, std::to_string(static_cast<int>(std::lround(out.scale * 100))) + "%"});
  if (chosen.cut > 0) out.warnings.push_back({WarningCode::Overflow, std::to_string(chosen.cut) + " characters not printed"});
  for (const auto& c : text.clusters) {
    if (c.fromFallback) out.warnings.push_back({WarningCode::FallbackFont, encodeUtf8(c.codepoints)});
  }
}

// 字取り: the extra space between neighbouring characters that spreads a short name over the
// width its distribution rule asks for (the space between family and given name kept as it is).
double distributedGap(const ShapedText& text, const Line& line, const FieldStyle& style, std::size_t nonSpaceCount,
                      double natural, double length, double size) {
  for (const auto& d : style.distribute) {
    if (static_cast<int>(nonSpaceCount) > d.upToChars) continue;
    const double target = std::min(d.widthEm * size, length);
    std::size_t gaps = 0;
    for (std::size_t i = line.begin; i + 1 < line.end; ++i) {
      gaps += (!isSpace(text.clusters[i].base()) && !isSpace(text.clusters[i + 1].base())) ? 1 : 0;
    }
    return gaps > 0 && target > natural ? (target - natural) / static_cast<double>(gaps) : 0;
  }
  return 0;
}

}  // namespace

FieldLayout layoutField(const ShapedText& text, const fonts::FontSet& fonts, const Box& box, const FieldStyle& style) {
  FieldLayout out;
  if (text.clusters.empty()) return out;
  const bool vertical = style.direction == Direction::Vertical;
  Fitter fit(text, box, style);

  double size = std::min(style.size, fit.cross());
  double scale = 1;
  const Attempt chosen = runFitSteps(fit, style, size, scale);

  out.size = size;
  out.scale = scale;
  out.lines = static_cast<int>(chosen.lines.size());
  out.clustersCut = chosen.cut;
  reportSteps(text, style, chosen, out);

  // Placement.
  const double pitch = size * (1 + style.lineGap);
  const double block = size * (out.lines * (1 + style.lineGap) - style.lineGap);
  double crossStart = style.padding;
  if (style.crossAlign == CrossAlign::Center) crossStart += (fit.cross() - block) / 2;
  if (style.crossAlign == CrossAlign::End) crossStart += fit.cross() - block;
  const fonts::Font& primaryMetrics = *fonts.all()[text.clusters.front().font];
  const double asc = primaryMetrics.ascender(), desc = primaryMetrics.descender();
  const double baselineInLine = size * asc / (asc - desc);

  std::size_t nonSpaceCount = 0;
  for (const auto& c : text.clusters) nonSpaceCount += isSpace(c.base()) ? 0 : 1;

  out.ink = {box.x + box.width, box.y + box.height, 0, 0};
  double inkRight = box.x, inkBottom = box.y;

  for (int li = 0; li < out.lines; ++li) {
    const Line& line = chosen.lines[static_cast<std::size_t>(li)];
    const double natural = fit.width(line.begin, line.end, size, scale);
    // 字取り: only a single-line name with no step taken.
    const bool plain = out.lines == 1 && chosen.cut == 0 && size >= style.size - 1e-9 && scale >= 1 - 1e-9;
    const double extraGap = plain ? distributedGap(text, line, style, nonSpaceCount, natural, fit.length(), size) : 0;
    std::size_t gapCount = 0;
    for (std::size_t i = line.begin; i + 1 < line.end; ++i) {
      gapCount += (!isSpace(text.clusters[i].base()) && !isSpace(text.clusters[i + 1].base())) ? 1 : 0;
    }
    const double used = natural + extraGap * static_cast<double>(gapCount);
    double along = style.padding;
    if (style.align == Align::Center) along += (fit.length() - used) / 2;
    if (style.align == Align::End) along += fit.length() - used;
    const double lineCross = crossStart + li * pitch;

    GlyphRun* run = nullptr;
    for (std::size_t ci = line.begin; ci < line.end; ++ci) {
      const Cluster& c = text.clusters[ci];
      const double adv = fit.advances()[ci] * size / 1000.0 * scale;
      const bool tcy = vertical && c.tateChuYoko;
      const bool rotated = vertical && c.rotated;
      const bool runVertical = vertical && !tcy && !rotated;
      if (run == nullptr || run->font != c.font || tcy || run->vertical != runVertical || run->rotated != rotated) {
        out.runs.push_back({c.font, runVertical, rotated, size, scale, {}});
        run = &out.runs.back();
      }
      double penX, penY;
      if (!vertical) {
        penX = box.x + along;
        penY = box.y + lineCross + baselineInLine;
      } else {
        // Columns run right to left; the pen is at the top centre of each glyph cell.
        penX = box.x + box.width - lineCross - size / 2;
        penY = box.y + along;
      }
      placeCluster(c, vertical, Pen{penX, penY, adv, size, scale, asc, desc}, *run);
      if (tcy) run = nullptr;
      // The cell this cluster occupies, for the box check.
      double cellX0, cellY0, cellX1, cellY1;
      if (!vertical) {
        cellX0 = penX;
        cellX1 = penX + adv;
        cellY0 = box.y + lineCross;
        cellY1 = cellY0 + size;
      } else {
        cellX0 = penX - size / 2;
        cellX1 = penX + size / 2;
        cellY0 = penY;
        cellY1 = penY + adv;
      }
      if (!isSpace(c.base())) {
        out.ink.x = std::min(out.ink.x, cellX0);
        out.ink.y = std::min(out.ink.y, cellY0);
        inkRight = std::max(inkRight, cellX1);
        inkBottom = std::max(inkBottom, cellY1);
      }
      along += adv;
      if (ci + 1 < line.end && !isSpace(c.base()) && !isSpace(text.clusters[ci + 1].base())) along += extraGap;
    }
  }
  out.ink.width = std::max(0.0, inkRight - out.ink.x);
  out.ink.height = std::max(0.0, inkBottom - out.ink.y);
  return out;
}

}  // namespace kakanai::typeset
