// Saving a definition from the designer: one canonical text per definition (keys in the schema's
// order, one line per input and per field, numbers as short as round-trips, UTF-8 as is), so a
// change shows in a diff as the lines of the fields it touched, and load → save gives the same
// bytes. Written only inside the data folder's forms/, only when every check passes.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "designer/form_check.h"

namespace kakanai::designer {

// The canonical text of a definition (a JSON object); definition_invalid when it is not JSON or
// has keys the schema does not know (named in the diagnostic).
Result<std::string> canonicalDefinition(const std::string& json);

struct SaveOutcome {
  bool saved = false;
  std::string file;                // forms/<id>.json, relative to the data folder
  std::vector<Problem> problems;   // why it was not saved, by field
};

// Checks `json` (with `settings`: templates, fonts, sample residents) and, when nothing is wrong,
// writes dataDir/forms/<id>.json atomically. The id must be a plain name ([A-Za-z0-9_-], at most 64);
// the forms folder and the file may not lead outside the data folder (symbolic links included).
SaveOutcome saveDefinition(const std::string& dataDir, const std::string& json, const CheckSettings& settings);

// Whether `id` may name a definition file.
bool isPlainId(const std::string& id);

}  // namespace kakanai::designer
