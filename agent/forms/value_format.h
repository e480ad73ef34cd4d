// How a field's value is written: eras and dates, digit widths, kanji numerals, grid cells, and the
// date checks the clerk sees. The resident's data stays exactly as given except where the field
// asks for a conversion: a name's digits are never touched unless its definition says `digits`,
// a Latin token (Tower-A, 12F, Smith-Jones) never, and no conversion turns a hyphen into
// anything but the hyphen of its number's width.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "forms/form_definition.h"
#include "forms/form_filler.h"

namespace kakanai::forms {

// The text a text or grid field prints for `raw`. An era format (era-date, era-year, era-name,
// month, day) of a date before 1873-01-01 (the lunisolar calendar) or of a date that never
// existed is date_out_of_range, naming the field; so is a Gregorian format of a non-date.
Result<std::string> formatFieldValue(const FormField& field, const std::string& raw);

// What each of a grid's cells holds ("" for an empty one). With groups, the value fills every
// group — separators (hyphens, spaces) between groups are not cells; without, a shorter value
// fills the cells from the right. Anything else is grid_mismatch, naming the field: a grid never
// drops a character.
Result<std::vector<std::u32string>> gridCells(const FormField& field, std::u32string_view text);

// birth_date_after_application (the birth date is after the application date) and
// application_date_far (the application date is more than the request's tolerance from today).
std::vector<FillWarning> dateWarnings(const FormDefinition& form, const FillRequest& request);

}  // namespace kakanai::forms
