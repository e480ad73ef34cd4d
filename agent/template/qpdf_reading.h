// What import and inspection share: opening a file with libqpdf (recovering what it can, every
// exception caught) and the questions both ask of it.
#pragma once

#include <qpdf/QPDF.hh>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"

namespace kakanai::template_intake {

struct OpenedPdf {
  std::unique_ptr<QPDF> pdf;
  bool needsPassword = false;  // a user password: nothing but the flags can be read
};

// template_invalid (with the administrator's sentence) when the file is not a PDF libqpdf can
// recover; a file that needs a user password opens with needsPassword and no document.
Result<OpenedPdf> openPdf(const std::filesystem::path& file);

// libqpdf's warnings so far (what it repaired), cleared.
std::vector<std::string> takeWarnings(QPDF& pdf);

// A signature value anywhere in the form (a /Sig field with /V), or /Perms /DocMDP.
bool hasSignature(QPDF& pdf);
bool printAllowed(QPDF& pdf);
bool hasObjectStreams(QPDF& pdf);

// An Error with the template code whose diagnostic is `sentence` (Japanese, for the
// administrator) and, after it, `detail` (English, for support).
Error refusal(ErrorCode code, const std::string& sentence, const std::string& detail = {});

}  // namespace kakanai::template_intake
