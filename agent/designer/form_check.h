// Everything that can be known about a form definition before a resident stands at the counter:
// the schema, the template (exists, opens, has the pages and AcroForm fields named), every box
// inside the visible page, no two fields of a page overlapping, a mark position for every value a
// choice can take, and a fill with every sample resident (overflow and missing glyphs, by field and
// resident). Used by `kakanai-agent forms check` and by the designer before it saves.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fonts/font_set.h"
#include "forms/form_definition.h"
#include "designer/sample_residents.h"

namespace kakanai::designer {

struct Problem {
  std::string field;     // empty: the whole form
  std::string resident;  // the sample resident, for fill problems
  // schema, template, page, outside_page, acro_field, paper, overlap, choice_option, overflow,
  // glyph_missing, fill
  std::string code;
  std::string message;
};

struct CheckSettings {
  std::string templatesDir;
  const fonts::FontSet* fonts = nullptr;  // null: no fill
  const std::vector<SampleResident>* residents = nullptr;
  std::string date;  // application date for the fills, YYYY-MM-DD
};

struct CheckReport {
  std::string id;    // empty when the definition does not parse
  std::string file;  // as given
  std::vector<Problem> problems;
  std::optional<forms::FormDefinition> form;  // when it parses
};

// One definition's text, named `file` in the messages.
CheckReport checkDefinitionText(const std::string& json, const std::string& file, const CheckSettings& settings);
// The checks after parsing (the template onwards).
std::vector<Problem> checkParsedForm(const forms::FormDefinition& form, const CheckSettings& settings);

}  // namespace kakanai::designer
