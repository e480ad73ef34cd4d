// The agent's configuration file (edited by administrators, deployed by management tools).
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/agent_config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto c = kakanai::config::parseAgentConfigJson(std::string(reinterpret_cast<const char*>(data), size));
  if (c) (void)c->roles().of("SONY FeliCa Port/PaSoRi 4.0 00 00");
  return 0;
}
