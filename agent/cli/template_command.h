// kakanai-agent template import|inspect (template_command.cpp).
#pragma once

namespace kakanai::cli {

int cmdTemplate(int argc, char** argv);

}  // namespace kakanai::cli
