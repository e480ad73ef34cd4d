// Procedures (forms/procedures/*.json): a municipality's IT staff edit these by hand, and each is
// checked against the forms it names.
#include <cstddef>
#include <cstdint>
#include <string>

#include "forms/form_definition.h"
#include "procedures/procedure_definition.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto forms = kakanai::forms::loadFormDirectory(KAKANAI_SOURCE_DIR "/forms");
  if (!forms.ok()) __builtin_trap();  // the harness itself is wrong
  (void)kakanai::procedures::parseProcedure(std::string(reinterpret_cast<const char*>(data), size), "fuzz.json", *forms);
  return 0;
}
