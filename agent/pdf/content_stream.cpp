#include "pdf/content_stream.h"

#include <cmath>
#include <cstdio>

namespace kakanai::pdf {

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

std::string matrixText(const double m[6]) {
  return fmt(m[0]) + " " + fmt(m[1]) + " " + fmt(m[2]) + " " + fmt(m[3]) + " " + fmt(m[4]) + " " + fmt(m[5]);
}

ContentStream& ContentStream::operator<<(std::string_view s) {
  bytes_.insert(bytes_.end(), s.begin(), s.end());
  return *this;
}

namespace {

void hex4(SecureBytes& out, unsigned v) {
  static const char digits[] = "0123456789ABCDEF";
  for (int shift = 12; shift >= 0; shift -= 4) out.push_back(static_cast<std::uint8_t>(digits[(v >> shift) & 0xF]));
}

}  // namespace

void ContentStream::actualTextBegin(const SecretCodepoints& text) {
  // The field's exact text for extraction and copy: spacing (字取り), line breaks and vertical
  // forms do not change what the value is.
  *this << "/Span << /ActualText <FEFF";
  for (char32_t c : text) {
    if (c >= 0x10000) {
      const char32_t v = c - 0x10000;
      hex4(bytes_, 0xD800 + (v >> 10));
      hex4(bytes_, 0xDC00 + (v & 0x3FF));
    } else {
      hex4(bytes_, c);
    }
  }
  *this << "> >> BDC\n";
}

void ContentStream::glyphRun(const typeset::GlyphRun& run, const fonts::Font& font, double height, const std::string& resource,
                             const std::vector<std::uint32_t>& cids) {
  *this << "BT\n/" << resource << " " << fmt(run.size) << " Tf\n";
  // One Tm per line or column, then TJ adjustments so each glyph lands exactly where layout put it.
  std::size_t i = 0;
  while (i < run.glyphs.size()) {
    const auto& first = run.glyphs[i];
    const std::string at = fmt(first.x) + " " + fmt(height - first.y) + " Tm\n[";
    if (run.vertical) {
      *this << "1 0 0 " + fmt(run.scale) << " " << at;
    } else if (run.rotated) {  // turned 90° clockwise (Latin in vertical text)
      *this << "0 " + fmt(-run.scale) + " 1 0" << " " << at;
    } else {
      *this << fmt(run.scale) + " 0 0 1" << " " << at;
    }
    std::size_t j = i;
    for (; j < run.glyphs.size(); ++j) {
      const auto& g = run.glyphs[j];
      if (j > i) {
        const auto& prev = run.glyphs[j - 1];
        double adjust;
        if (run.vertical) {
          if (std::abs(g.x - prev.x) > 1e-3) break;  // new column: new Tm
          const double natural = -font.verticalAdvance(prev.gid);  // w1y, negative
          const double desired = -(g.y - prev.y) / (run.size * run.scale) * 1000.0;
          adjust = natural - desired;
        } else {
          if (run.rotated || std::abs(g.y - prev.y) > 1e-3) break;  // new line (or a shifted mark): new Tm
          const double natural = font.horizontalAdvance(prev.gid);
          const double desired = (g.x - prev.x) / (run.size * run.scale) * 1000.0;
          adjust = natural - desired;
        }
        if (std::abs(adjust) > 0.05) *this << fmt(adjust);
      }
      *this << "<";
      hex4(bytes_, cids[j] & 0xFFFF);
      *this << ">";
    }
    *this << "] TJ\n";
    i = j;
  }
  *this << "ET\n";
}

void ContentStream::mark(const Mark& m, double pageHeight) {
  const double x = m.box.x, y = pageHeight - m.box.y - m.box.height, w = m.box.width, h = m.box.height;
  auto pt = [](double a, double b) { return fmt(a) + " " + fmt(b) + " "; };
  if (m.kind == MarkKind::Ellipse) {
    // Around the printed option, with a little air; four Bézier quarters.
    const double rx = w / 2 + 2.0, ry = h / 2 + 1.5, cx = x + w / 2, cy = y + h / 2;
    const double k = 0.5523;
    *this << "0.9 w\n" << pt(cx + rx, cy) << "m\n";
    *this << pt(cx + rx, cy + k * ry) << pt(cx + k * rx, cy + ry) << pt(cx, cy + ry) << "c\n";
    *this << pt(cx - k * rx, cy + ry) << pt(cx - rx, cy + k * ry) << pt(cx - rx, cy) << "c\n";
    *this << pt(cx - rx, cy - k * ry) << pt(cx - k * rx, cy - ry) << pt(cx, cy - ry) << "c\n";
    *this << pt(cx + k * rx, cy - ry) << pt(cx + rx, cy - k * ry) << pt(cx + rx, cy) << "c\nS\n";
  } else if (m.kind == MarkKind::Check) {
    *this << "1.1 w 1 J 1 j\n" << pt(x + 0.2 * w, y + 0.5 * h) << "m " << pt(x + 0.42 * w, y + 0.22 * h) << "l "
          << pt(x + 0.82 * w, y + 0.82 * h) << "l S\n";
  } else if (m.kind == MarkKind::Rect) {
    *this << fmt(m.lineWidth > 0 ? m.lineWidth : 0.5) << " w " << pt(x, y) << pt(w, h) << "re S\n";
  } else if (m.kind == MarkKind::Line) {
    const double y0 = pageHeight - m.box.y;
    *this << fmt(m.lineWidth > 0 ? m.lineWidth : 0.5) << " w " << pt(m.box.x, y0) << "m " << pt(m.box.x + m.box.width, y0 - m.box.height)
          << "l S\n";
  } else {
    *this << "1 w\n" << pt(x + 0.2 * w, y + 0.2 * h) << "m " << pt(x + 0.8 * w, y + 0.8 * h) << "l " << pt(x + 0.2 * w, y + 0.8 * h)
          << "m " << pt(x + 0.8 * w, y + 0.2 * h) << "l S\n";
  }
}

}  // namespace kakanai::pdf
