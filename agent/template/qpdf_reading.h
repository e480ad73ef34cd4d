// What import and inspection share: opening a file with libqpdf (recovering what it can, every
// exception caught) and the questions both ask of it.
#pragma once

#include <qpdf/QPDF.hh>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "template/qpdf_engine.h"

namespace kakanai::template_intake::engine {

struct OpenedPdf {
  std::unique_ptr<QPDF> pdf;
  bool needsPassword = false;  // a user password: nothing but the flags can be read
  Outcome failure;             // Refusal::Invalid when the file is not a PDF libqpdf can recover
};

// A file that needs a user password opens with needsPassword and no document.
OpenedPdf openPdf(const std::filesystem::path& file);

// libqpdf's warnings so far (what it repaired), cleared.
std::vector<std::string> takeWarnings(QPDF& pdf);

extern const char* const kDamaged;

// A signature value anywhere in the form (a /Sig field with /V), or /Perms /DocMDP.
bool hasSignature(QPDF& pdf);
bool printAllowed(QPDF& pdf);
bool hasObjectStreams(QPDF& pdf);

Outcome refusal(Refusal why, const std::string& sentence, const std::string& detail = {});

}  // namespace kakanai::template_intake::engine
