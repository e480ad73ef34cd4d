// Form definitions (forms/*.json): a municipality's IT staff edit these by hand.
#include <cstddef>
#include <cstdint>
#include <string>

#include "forms/form_definition.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)kakanai::forms::parseFormDefinition(std::string(reinterpret_cast<const char*>(data), size), "fuzz.json");
  return 0;
}
