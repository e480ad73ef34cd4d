// What the designer's page sends to be saved: the canonical text is a fixed point (load → save
// gives the same bytes) for any input it accepts, and the forms check's schema pass never fails on
// it (no template, no fonts: nothing is filled).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "designer/definition_store.h"
#include "designer/form_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto once = kakanai::designer::canonicalDefinition(text);
  if (once) {
    auto twice = kakanai::designer::canonicalDefinition(*once);
    if (!twice || *twice != *once) std::abort();
  }
  kakanai::designer::CheckSettings settings;
  settings.templatesDir = "/nonexistent";
  (void)kakanai::designer::checkDefinitionText(text, "fuzz.json", settings);
  return 0;
}
