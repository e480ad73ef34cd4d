// Subcommands that live in their own files (main.cpp only dispatches to them).
#pragma once

namespace kakanai::cli {

// kakanai-agent forms check [--data-dir DIR] [--residents FILE]... [--date YYYY-MM-DD] [ID...] [--json]
int formsCheckCommand(int argc, char** argv);
// kakanai-agent designer --data-dir DIR [--port N] [--residents FILE]...
int designerCommand(int argc, char** argv);

}  // namespace kakanai::cli
