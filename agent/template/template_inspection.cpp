// What a template holds, in the terms a form definition uses: pages in millimetres with their
// rotation, AcroForm fields by fully-qualified name with their first widget's box measured from
// the top-left of the visible page as it is shown (upright), and the flags intake cares about.
#include <qpdf/QPDFAcroFormDocumentHelper.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>

#include <algorithm>
#include <exception>
#include <map>

#include "template/qpdf_reading.h"

namespace kakanai::template_intake::engine {

namespace {

constexpr double kMmPerPt = 25.4 / 72;

struct PageGeometry {
  QPDFObjectHandle::Rectangle crop;
  int rotation = 0;
};

int rotationOf(QPDFPageObjectHelper& page) {
  QPDFObjectHandle r = page.getAttribute("/Rotate", false);
  if (!r.isInteger()) return 0;
  const long long turns = ((r.getIntValue() % 360) + 360) % 360;
  return turns % 90 == 0 ? static_cast<int>(turns) : 0;
}

QPDFObjectHandle::Rectangle rectangleOr(QPDFObjectHandle box, QPDFObjectHandle::Rectangle fallback) {
  if (!box.isRectangle()) return fallback;
  auto r = box.getArrayAsRectangle();
  return QPDFObjectHandle::Rectangle(std::min(r.llx, r.urx), std::min(r.lly, r.ury), std::max(r.llx, r.urx), std::max(r.lly, r.ury));
}

// A point of the page's default space in the upright view, from the visible page's top-left.
std::pair<double, double> upright(const PageGeometry& g, double x, double y) {
  const auto& c = g.crop;
  switch (g.rotation) {
    case 90: return {y - c.lly, x - c.llx};
    case 180: return {c.urx - x, y - c.lly};
    case 270: return {c.ury - y, c.urx - x};
    default: return {x - c.llx, c.ury - y};
  }
}

Millimetres boxOf(const PageGeometry& g, const QPDFObjectHandle::Rectangle& r) {
  const auto [x1, y1] = upright(g, r.llx, r.lly);
  const auto [x2, y2] = upright(g, r.urx, r.ury);
  return {std::min(x1, x2) * kMmPerPt, std::min(y1, y2) * kMmPerPt, std::abs(x2 - x1) * kMmPerPt, std::abs(y2 - y1) * kMmPerPt};
}

std::string kindOf(QPDFFormFieldObjectHelper& f) {
  if (f.isText()) return "text";
  if (f.isCheckbox()) return "checkbox";
  if (f.isRadioButton()) return "radio";
  if (f.isPushbutton()) return "pushbutton";
  if (f.isChoice()) return (f.getFlags() & (1 << 17)) ? "combo" : "list";
  if (f.getFieldType() == "/Sig") return "signature";
  return "unknown";
}

std::string infoString(QPDF& pdf, const char* key) {
  QPDFObjectHandle info = pdf.getTrailer().getKey("/Info");
  if (!info.isDictionary() || !info.getKey(key).isString()) return {};
  return info.getKey(key).getUTF8Value();
}

void inspectPages(QPDF& pdf, TemplateInspection& out, std::vector<PageGeometry>& geometry) {
  for (auto& page : QPDFPageDocumentHelper(pdf).getAllPages()) {
    const auto media = rectangleOr(page.getMediaBox(), QPDFObjectHandle::Rectangle(0, 0, 612, 792));
    const auto crop = rectangleOr(page.getCropBox(), media);
    PageGeometry g{crop, rotationOf(page)};
    geometry.push_back(g);
    PageInspection p;
    p.mediaWidth = (media.urx - media.llx) * kMmPerPt;
    p.mediaHeight = (media.ury - media.lly) * kMmPerPt;
    p.cropWidth = (crop.urx - crop.llx) * kMmPerPt;
    p.cropHeight = (crop.ury - crop.lly) * kMmPerPt;
    p.cropLeft = (crop.llx - media.llx) * kMmPerPt;
    p.cropBottom = (crop.lly - media.lly) * kMmPerPt;
    p.rotation = g.rotation;
    out.pages.push_back(p);
  }
}

void inspectField(QPDFAcroFormDocumentHelper& form, QPDFFormFieldObjectHelper& field, const std::map<QPDFObjGen, int>& pageOfWidget,
                  const std::vector<PageGeometry>& geometry, TemplateInspection& out) {
  FieldInspection f;
  f.name = field.getFullyQualifiedName();
  f.kind = kindOf(field);
  f.value = field.getValueAsString();
  if (field.isChoice()) f.options = field.getChoices();
  auto widgets = form.getAnnotationsForField(field);
  f.widgets = static_cast<int>(widgets.size());
  for (auto& w : widgets) {
    if (f.kind == "checkbox" || f.kind == "radio") {
      QPDFObjectHandle normal = w.getAppearanceDictionary().getKey("/N");
      if (normal.isDictionary()) {
        for (const auto& state : normal.getKeys()) {
          if (state != "/Off" && std::find(f.options.begin(), f.options.end(), state.substr(1)) == f.options.end()) f.options.push_back(state.substr(1));
        }
      }
    }
    auto at = pageOfWidget.find(w.getObjectHandle().getObjGen());
    if (f.page == 0 && at != pageOfWidget.end()) {
      f.page = at->second + 1;
      f.box = boxOf(geometry[static_cast<std::size_t>(at->second)], w.getRect());
    }
  }
  // Radio buttons whose kids carry no /T come back as one terminal field each: one field here.
  for (auto& known : out.fields) {
    if (known.name != f.name) continue;
    known.widgets += f.widgets;
    for (auto& o : f.options) {
      if (std::find(known.options.begin(), known.options.end(), o) == known.options.end()) known.options.push_back(o);
    }
    if (known.value.empty()) known.value = f.value;
    return;
  }
  out.fields.push_back(std::move(f));
}

void inspectFields(QPDF& pdf, const std::vector<PageGeometry>& geometry, TemplateInspection& out) {
  QPDFAcroFormDocumentHelper form(pdf);
  if (!form.hasAcroForm()) return;
  out.needAppearances = form.getNeedAppearances();
  std::map<QPDFObjGen, int> pageOfWidget;
  int index = 0;
  for (auto& page : QPDFPageDocumentHelper(pdf).getAllPages()) {
    for (auto& w : form.getWidgetAnnotationsForPage(page)) pageOfWidget.emplace(w.getObjectHandle().getObjGen(), index);
    ++index;
  }
  for (auto& field : form.getFormFields()) inspectField(form, field, pageOfWidget, geometry, out);
}

}  // namespace

Outcome inspect(const std::filesystem::path& file, TemplateInspection& out) {
  OpenedPdf opened = openPdf(file);
  if (opened.failure.refusal != Refusal::None) return opened.failure;
  if (opened.needsPassword) {
    out.encrypted = out.needsPassword = true;
    out.printAllowed = false;
    return {};
  }
  QPDF& pdf = *opened.pdf;
  try {
    out.pdfVersion = pdf.getPDFVersion();
    out.producer = infoString(pdf, "/Producer");
    out.creator = infoString(pdf, "/Creator");
    out.encrypted = pdf.isEncrypted();
    out.printAllowed = printAllowed(pdf);
    out.signedDocument = hasSignature(pdf);
    out.objectStreams = hasObjectStreams(pdf);
    out.linearized = pdf.isLinearized();
    std::vector<PageGeometry> geometry;
    inspectPages(pdf, out, geometry);
    inspectFields(pdf, geometry, out);
    out.repairs = takeWarnings(pdf);
  } catch (const std::exception& e) {
    return refusal(Refusal::Invalid, "PDFの内容を読み取れませんでした。元の帳票からPDFを書き出し直してください。", e.what());
  }
  return {};
}

}  // namespace kakanai::template_intake::engine
