// The template side of the cell finder: each page's content streams and form XObjects, through
// the guarded template layer (a damaged stream is skipped, not fatal).
#include <podofo/podofo.h>

#include "designer/cell_finder.h"
#include "pdf/template_document.h"

namespace kakanai::designer {

namespace {

using PoDoFo::PdfObject;

std::string decoded(const PdfObject* o) {
  if (o == nullptr || !o->HasStream()) return {};
  try {
    char* buffer = nullptr;
    PoDoFo::pdf_long length = 0;
    o->GetStream()->GetFilteredCopy(&buffer, &length);
    std::string out(buffer, static_cast<std::size_t>(length));
    PoDoFo::podofo_free(buffer);
    return out;
  } catch (const PoDoFo::PdfError&) {
    return {};
  }
}

Matrix matrixOf(const pdf::TemplateDocument& doc, const PdfObject* form) {
  const PdfObject* m = doc.get(form, "Matrix");
  if (m == nullptr || !m->IsArray() || m->GetArray().size() != 6) return {};
  double v[6];
  for (int k = 0; k < 6; ++k) {
    const PdfObject* n = doc.resolve(&m->GetArray()[static_cast<std::size_t>(k)]);
    if (n == nullptr || !(n->IsNumber() || n->IsReal())) return {};
    v[k] = n->GetReal();
  }
  return {v[0], v[1], v[2], v[3], v[4], v[5]};
}

XObjectLookup lookupIn(const pdf::TemplateDocument& doc, const PdfObject* resources) {
  return [&doc, resources](const std::string& name) -> std::optional<FormXObject> {
    const PdfObject* xobjects = doc.get(resources, "XObject");
    if (xobjects == nullptr || !xobjects->IsDictionary()) return std::nullopt;
    const PdfObject* form = doc.resolve(xobjects->GetDictionary().GetKey(PoDoFo::PdfName(name)));
    const PdfObject* subtype = doc.get(form, "Subtype");
    if (subtype == nullptr || !subtype->IsName() || subtype->GetName().GetName() != "Form") return std::nullopt;
    const PdfObject* own = doc.get(form, "Resources");
    return FormXObject{decoded(form), matrixOf(doc, form), lookupIn(doc, own != nullptr ? own : resources)};
  };
}

std::string pageContent(const pdf::TemplateDocument& doc, int page) {
  const PdfObject* contents = doc.get(doc.page(page), "Contents");
  if (contents == nullptr) return {};
  if (!contents->IsArray()) return decoded(contents);
  std::string all;
  for (const auto& part : contents->GetArray()) all += decoded(doc.resolve(&part)) + "\n";
  return all;
}

}  // namespace

Result<std::vector<RuledLines>> readRuledLines(const std::string& templatePath) {
  auto doc = pdf::TemplateDocument::load(templatePath);
  if (!doc) return doc.error();
  std::vector<RuledLines> pages;
  for (int p = 0; p < (*doc)->pageCount(); ++p) {
    const pdf::PageGeometry& g = (*doc)->geometry(p);
    const auto segments = paintedSegments(pageContent(**doc, p), {}, lookupIn(**doc, (*doc)->inherited(p, "Resources")));
    RuledLines lines = ruledLines(segments, [&g](double x, double y, double& u, double& v) { g.displayed(x, y, u, v); });
    lines.width = g.width;
    lines.height = g.height;
    pages.push_back(std::move(lines));
  }
  return pages;
}

}  // namespace kakanai::designer
