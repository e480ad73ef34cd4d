// kakanai-agent designer: the form designer's loopback HTTP mode (agent/designer/).
#include <cstdio>

#include "cli/commands.h"

namespace kakanai::cli {

int designerCommand(int, char**) {
  std::fprintf(stderr, "kakanai-agent designer: not built yet\n");
  return 2;
}

}  // namespace kakanai::cli
