// The agent's configuration file (edited by administrators, deployed by management tools).
#include <cstddef>
#include <cstdint>
#include <string>

#include "server/agent_config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto c = kakanai::server::parseAgentConfigJson(std::string(reinterpret_cast<const char*>(data), size));
  if (c) (void)c->roleOf("SONY FeliCa Port/PaSoRi 4.0 00 00");
  return 0;
}
