// Person + clerk inputs + application date → the filled form. Knows forms, fonts and PDFs; knows
// nothing of cards or WebSockets.
#pragma once

#include <map>
#include <optional>
#include <memory>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "core/error.h"
#include "core/person.h"
#include "core/warning_codes.h"
#include "fonts/font_set.h"
#include "forms/form_definition.h"
#include "pdf/form_pdf_writer.h"

namespace kakanai::forms {

struct FillRequest {
  const Person* person = nullptr;
  std::map<std::string, std::string> values;  // clerk inputs
  std::string date;                           // application date, YYYY-MM-DD
  // An application date further than this from today is a warning (application_date_far).
  int applicationDateToleranceDays = 365;
  std::string today;  // YYYY-MM-DD; empty: the local date now
};

struct FillWarning {
  std::string field;
  WarningCode code;
  std::string detail;
};

struct FilledField {  // where each field's glyph cells ended up, for tests and previews
  std::string name;
  int page = 0;
  typeset::Box box;
  typeset::Box ink;
};

struct MarkedChoice {  // which printed option a choice field marked
  std::string field;
  std::string option;
};

struct FillResult {
  Bytes pdf;
  int pages = 0;
  std::vector<FillWarning> warnings;
  std::vector<FilledField> layout;
  std::vector<MarkedChoice> choices;
};

// The text a text or grid field prints (eras, full-width digits, kanji numerals applied), or
// nullopt when its source is empty.
std::optional<std::string> fieldText(const FormField& field, const FillRequest& request);

// definition_invalid when the definition does not match its template: a field on a page the
// template lacks, a box outside the visible page, an AcroForm field the template does not have
// (or a short name several fields share), a paper size the pages are not.
Status checkFormTemplate(const FormDefinition& form, const pdf::FormPdfWriter& writer);
Status checkFormTemplate(const FormDefinition& form, const std::string& templatesDir);

// missing_input (items: input names), date_out_of_range and grid_mismatch (items: the field),
// glyph_missing (items: "U+XXXX" per character no font
// has, across the whole form), or the document.
Result<FillResult> fillForm(const FormDefinition& form, const std::string& templatesDir, const fonts::FontSet& fonts,
                            const FillRequest& request);

}  // namespace kakanai::forms
