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
#include "pdf/acro_form.h"
#include "pdf/content_stream.h"
#include "typeset/field_layout.h"

namespace kakanai::pdf {

struct PageSize {
  double width = 0, height = 0;  // the visible page (CropBox) as displayed (after /Rotate), in points
  double mediaWidth = 0, mediaHeight = 0;  // the MediaBox as displayed
};

// Where one field's glyphs go when they are not set upright on the page: laid out in a box of
// `box`'s size (turned by `rotation`), then turned counter-clockwise by `rotation` degrees onto
// `box` (displayed page coordinates). For widgets with their own rotation.
struct Placement {
  typeset::Box box;
  int rotation = 0;  // 0, 90, 180, 270
};

class FormPdfWriter {
 public:
  ~FormPdfWriter();
  // template_invalid, template_encrypted or template_signed when the template cannot be filled.
  static Result<std::unique_ptr<FormPdfWriter>> open(const std::string& templatePath);

  int pageCount() const;
  PageSize pageSize(int page) const;

  // One field's glyphs. With `actualText`, extraction gives back exactly that text.
  void addRuns(int page, const std::vector<typeset::GlyphRun>& runs, std::u32string_view actualText = {},
               const Placement& placement = {});
  void addMark(int page, const Mark& mark);

  // The template's AcroForm fields (fully-qualified names, every widget).
  const std::vector<AcroField>& acroFields() const;
  // The fill sets this field itself: its widgets show nothing of their own.
  void replaceField(const AcroField& field);
  // The fill decides this field (an option of a choice): its widgets show their Off state.
  void clearField(const AcroField& field);
  // For drawing templates: adds an AcroForm field (text, or a checkbox with `onState`).
  void addAcroField(const AcroField& field);

  // Embeds the fonts used, appends every page's content and returns the document: with
  // `flatten`, an incremental update of the template in which every widget the fill did not
  // replace is drawn into its page as it showed, and the form is removed; without, one clean
  // revision (drawing a template).
  Result<Bytes> finish(const fonts::FontSet& fonts, bool flatten = true);

 private:
  FormPdfWriter();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The ToUnicode CMap for glyph → text pairs (exposed for tests).
std::string toUnicodeCMap(const std::vector<std::pair<std::uint32_t, std::u32string>>& mapping);

}  // namespace kakanai::pdf
