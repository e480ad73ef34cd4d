// A template's AcroForm as a viewer sees it: fields by fully-qualified name (the parent chain
// "a.b.c", as Acrobat shows it), each with every widget it has on any page, and what each widget
// shows now (its appearance for its /AS state). Flattening draws those appearances into the page
// for the fields a fill does not set, so the printed form shows everything the template showed,
// and then takes the widgets and the form away.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/error.h"
#include "typeset/field_layout.h"

namespace PoDoFo {
class PdfObject;
}

namespace kakanai::pdf {

class TemplateDocument;

enum class AcroKind { Text, Checkbox, Radio, Choice, PushButton, Signature };

struct AcroWidget {
  int page = 0;
  typeset::Box box;   // the widget's rectangle on the displayed page (top-left origin), points
  int rotation = 0;   // degrees its content is turned counter-clockwise as displayed (/MK /R less /Rotate)
  std::string state;  // /AS
  std::vector<std::string> onStates;  // the names of /AP /N other than Off
  const PoDoFo::PdfObject* annotation = nullptr;  // which annotation, for the writer
};

struct AcroField {
  std::string name;  // fully-qualified
  AcroKind kind = AcroKind::Text;
  std::vector<AcroWidget> widgets;
  bool hasValue = false;  // /V is set (for a signature: it is signed)
  // The first widget's page and box, and for drawing a template: a checkbox with `onState`.
  int page = 0;
  typeset::Box box;
  bool checkbox = false;
  std::string onState;
};

// Every field with at least one widget, in the order of the form's /Fields (then widgets found only
// in pages' /Annots). Malformed parts of the tree are skipped, cycles cut.
std::vector<AcroField> readAcroFields(const TemplateDocument& doc);

// The field a definition names: its fully-qualified name, or a short name (the last part) that
// only one field has. `candidates` lists the fields a non-unique short name matches.
struct AcroLookup {
  const AcroField* field = nullptr;
  std::vector<std::string> candidates;
};
AcroLookup findAcroField(const std::vector<AcroField>& fields, const std::string& name);

// What flattening puts on one page: appearance streams as form XObjects, each with the matrix
// that maps it onto its widget's rectangle, and the annotations that stay (all but widgets).
struct AppearanceDraw {
  const PoDoFo::PdfObject* stream = nullptr;
  double matrix[6] = {1, 0, 0, 1, 0, 0};
  bool untyped = false;  // lacks /Subtype /Form, which a form XObject needs (viewers draw it anyway)
};
struct PageFlattening {
  std::vector<AppearanceDraw> draws;
  bool hasWidgets = false;
};

// Widgets in `replaced` show nothing (the fill typesets their field); those in `cleared` show their
// Off appearance; every other visible widget shows its current one. template_invalid when the
// form leaves drawing a kept value to the viewer (/NeedAppearances): its appearance may be stale.
Result<std::map<int, PageFlattening>> planFlattening(const TemplateDocument& doc, const std::vector<AcroField>& fields,
                                                     const std::set<const PoDoFo::PdfObject*>& replaced,
                                                     const std::set<const PoDoFo::PdfObject*>& cleared);

// A template with a signature field that is signed (template_signed), for a fill would break it.
Status refuseSigned(const TemplateDocument& doc);

}  // namespace kakanai::pdf
