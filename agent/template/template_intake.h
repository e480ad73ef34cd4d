// Template intake: a municipality's real PDF form, made years ago by Excel, Word, Acrobat or a
// vendor's system, is normalised once with libqpdf — the best library for reading damaged and
// encrypted files — before PoDoFo (the writer) ever fills it: a damaged xref rebuilt, an
// owner-password-only file that allows printing decrypted, inherited page attributes pushed to
// the pages, appearance streams generated where a field has a value but none. What was done is
// reported; what cannot be used is refused with a template code and a sentence the
// administrator can act on. Counter agents never run intake: `kakanai-agent template import`
// and the form designer do.
#pragma once

#include <filesystem>

#include "core/error.h"
#include "template/template_types.h"

namespace kakanai::template_intake {

// Writes the normalised template to `out`, then checks that the writer opens it. Refusals:
// template_encrypted (a user password, or printing not allowed), template_signed (unless
// dropSignature), template_invalid (not a PDF, no pages, damaged beyond repair); the Error's
// diagnostic is the Japanese sentence for the administrator.
Result<IntakeReport> importTemplate(const std::filesystem::path& in, const std::filesystem::path& out, const IntakeOptions& options = {});

// Reads without changing anything. A file that needs a user password is inspected as far as
// that allows (flags only); one that is not a PDF at all is template_invalid.
Result<TemplateInspection> inspectTemplate(const std::filesystem::path& file);

}  // namespace kakanai::template_intake
