// What template intake reports, in plain standard types: the libqpdf side (qpdf_engine, built as
// C++17 because qpdf 11.3's headers do not compile as C++20 under clang 14) and the agent's side
// (template_intake) share these.
#pragma once

#include <string>
#include <vector>

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

}  // namespace kakanai::template_intake
