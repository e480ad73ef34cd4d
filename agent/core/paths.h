// Where the agent's data (forms, templates, fonts manifest, web assets) lives: --data-dir if
// given, else ../share/kakanai next to the running binary (an installed tree), else the source
// tree the binary was built from.
#pragma once

#include <optional>
#include <string>

namespace kakanai {

std::string executableDirectory();
std::string resolveDataDirectory(const std::optional<std::string>& explicitDir);

}  // namespace kakanai
