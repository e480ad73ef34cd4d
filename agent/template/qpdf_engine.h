// The libqpdf side of template intake, in C++17 and plain types (no agent headers): qpdf 11.3's
// headers do not compile as C++20 under clang 14, which builds the fuzzers. template_intake.cpp
// turns an Outcome into the agent's errors.
#pragma once

#include <filesystem>
#include <string>

#include "template/template_types.h"

namespace kakanai::template_intake::engine {

enum class Refusal { None, Invalid, Encrypted, Signed };

struct Outcome {
  Refusal refusal = Refusal::None;
  std::string sentence;  // Japanese, for the administrator
  std::string detail;    // libqpdf's words, for support
};

Outcome inspect(const std::filesystem::path& file, TemplateInspection& out);
// Writes the normalised file to `staging` (nothing on a refusal).
Outcome normalise(const std::filesystem::path& in, const std::filesystem::path& staging, const IntakeOptions& options, IntakeReport& report);

}  // namespace kakanai::template_intake::engine
