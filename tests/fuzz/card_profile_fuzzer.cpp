// Virtual card profiles (JSON from test authors and the demo's --card-profile).
#include <cstddef>
#include <cstdint>
#include <string>

#include "virtualcard/card_profile.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string json(reinterpret_cast<const char*>(data), size);
  (void)kakanai::virtualcard::parseCardProfile(json, "");
  return 0;
}
