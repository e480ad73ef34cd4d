// Writes typeset fields onto a template PDF. PoDoFo is only the object layer: the fonts are
// embedded by us as Type0/CIDFontType2 (subset by hb-subset to exactly the glyphs used, CID = GID,
// Identity-H or Identity-V, W and W2 from the font's metrics, ToUnicode giving back the exact
// text including non-BMP characters and variation selectors), and glyphs are written straight
// into the page's content stream. Output is deterministic: same inputs, same bytes.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "core/error.h"
#include "fonts/font_set.h"
#include "typeset/field_layout.h"

namespace kakanai::pdf {

struct PageSize {
  double width = 0, height = 0;  // as displayed (after /Rotate), in points
};

enum class MarkKind { Ellipse, Check, Cross, Rect, Line };

struct Mark {
  MarkKind kind = MarkKind::Ellipse;
  typeset::Box box;  // the printed option the mark surrounds (ellipse) or fills (check); a rule's
                     // rectangle; a line from (x, y) to (x + width, y + height)
  double lineWidth = 0;  // 0: the kind's default
};

// A field of an AcroForm template, as the template defines it.
struct AcroField {
  std::string name;
  int page = 0;
  typeset::Box box;       // displayed page coordinates (top-left origin), points
  bool checkbox = false;
  std::string onState;    // a checkbox's on-state name from its /AP /N (forms rarely call it /Yes)
};

class FormPdfWriter {
 public:
  ~FormPdfWriter();
  static Result<std::unique_ptr<FormPdfWriter>> open(const std::string& templatePath);

  int pageCount() const;
  PageSize pageSize(int page) const;

  // One field's glyphs. With `actualText`, extraction gives back exactly that text.
  void addRuns(int page, const std::vector<typeset::GlyphRun>& runs, std::u32string actualText = {});
  void addMark(int page, const Mark& mark);

  // The template's AcroForm fields by name.
  std::vector<AcroField> acroFields() const;
  // For drawing templates: adds an AcroForm field (text, or a checkbox with `onState`).
  void addAcroField(const AcroField& field);

  // Embeds the fonts used, appends every page's content and returns the document. With
  // `flatten`, AcroForm widgets are removed: what they would show has been typeset into the page.
  Result<Bytes> finish(const fonts::FontSet& fonts, bool flatten = true);

 private:
  FormPdfWriter();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The ToUnicode CMap for glyph → text pairs (exposed for tests).
std::string toUnicodeCMap(const std::vector<std::pair<std::uint32_t, std::u32string>>& mapping);

}  // namespace kakanai::pdf
