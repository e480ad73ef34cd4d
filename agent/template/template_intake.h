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
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace kakanai::template_intake {

struct IntakeOptions {
  // A signed template is refused (filling it breaks the signature); with this the signature is
  // removed, and the report says so.
  bool dropSignature = false;
};

struct IntakeReport {
  int pages = 0;
  std::vector<std::string> done;      // what was normalised, one Japanese sentence each
  std::vector<std::string> warnings;  // what the administrator should check
  std::vector<std::string> repairs;   // libqpdf's own words on what it repaired (English)
};

// Writes the normalised template to `out`, then checks that the writer opens it. Refusals:
// template_encrypted (a user password, or printing not allowed), template_signed (unless
// dropSignature), template_invalid (not a PDF, no pages, damaged beyond repair); the Error's
// diagnostic is the Japanese sentence for the administrator.
Result<IntakeReport> importTemplate(const std::filesystem::path& in, const std::filesystem::path& out, const IntakeOptions& options = {});

struct Millimetres {
  double x = 0, y = 0, width = 0, height = 0;  // from the top-left of the visible page, upright
};

struct PageInspection {
  double mediaWidth = 0, mediaHeight = 0;  // mm, unrotated
  double cropWidth = 0, cropHeight = 0;    // mm, unrotated
  double cropLeft = 0, cropBottom = 0;     // mm: where the CropBox lies in the MediaBox
  int rotation = 0;                        // 0, 90, 180 or 270
};

struct FieldInspection {
  std::string name;  // fully qualified, as Acrobat shows it
  std::string kind;  // text, checkbox, radio, pushbutton, combo, list, signature, unknown
  int page = 0;      // 1-based page of its first widget; 0 when it has none on a page
  Millimetres box;   // of that widget, in the page's upright view (as form definitions measure)
  std::vector<std::string> options;   // choices, or the on-states of checkboxes and radios
  std::string value;
  int widgets = 0;
};

struct TemplateInspection {
  std::string pdfVersion;
  std::string producer;
  std::string creator;
  bool encrypted = false;
  bool needsPassword = false;
  bool printAllowed = true;
  bool signedDocument = false;
  bool objectStreams = false;
  bool linearized = false;
  bool needAppearances = false;
  std::vector<PageInspection> pages;
  std::vector<FieldInspection> fields;
  std::vector<std::string> repairs;
};

// Reads without changing anything. A file that needs a user password is inspected as far as
// that allows (flags only); one that is not a PDF at all is template_invalid.
Result<TemplateInspection> inspectTemplate(const std::filesystem::path& file);

}  // namespace kakanai::template_intake
