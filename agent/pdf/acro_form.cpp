#include "pdf/acro_form.h"

#include <algorithm>
#include <cmath>

#include "pdf/template_document.h"

namespace kakanai::pdf {

using namespace PoDoFo;

namespace {

constexpr int kMaxFieldDepth = 32;
constexpr long long kRadio = 1 << 15, kPushButton = 1 << 16;
constexpr long long kHidden = 2, kNoView = 32;

std::string nameOf(const PdfObject* o) { return o != nullptr && o->IsName() ? o->GetName().GetName() : std::string(); }

long long numberOf(const PdfObject* o, long long fallback = 0) { return o != nullptr && o->IsNumber() ? o->GetNumber() : fallback; }

void appendUtf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// A text string as UTF-8: UTF-16BE with its byte order mark (PoDoFo 0.9.8 leaves a hex string's
// bytes as they are), UTF-8 with its mark (PDF 2.0), else what PoDoFo makes of PDFDocEncoding.
std::string textOf(const PdfString& s) {
  if (s.IsUnicode()) return s.GetStringUtf8();
  const auto* b = reinterpret_cast<const unsigned char*>(s.GetString());
  const std::size_t n = b != nullptr ? static_cast<std::size_t>(s.GetLength()) : 0;
  if (n >= 2 && b[0] == 0xFE && b[1] == 0xFF) {
    std::string out;
    for (std::size_t i = 2; i + 1 < n; i += 2) {
      char32_t c = static_cast<char32_t>(b[i] << 8 | b[i + 1]);
      if (c >= 0xD800 && c < 0xDC00 && i + 3 < n) {
        const char32_t low = static_cast<char32_t>(b[i + 2] << 8 | b[i + 3]);
        c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
        i += 2;
      }
      appendUtf8(out, c);
    }
    return out;
  }
  if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) return std::string(reinterpret_cast<const char*>(b) + 3, n - 3);
  return s.GetStringUtf8();
}

bool realArray(const TemplateDocument& d, const PdfObject* o, std::size_t n, double* out) {
  o = d.resolve(o);
  if (o == nullptr || !o->IsArray() || o->GetArray().size() != n) return false;
  for (std::size_t i = 0; i < n; ++i) {
    const PdfObject* v = d.resolve(&o->GetArray()[i]);
    if (v == nullptr || !(v->IsReal() || v->IsNumber()) || !std::isfinite(v->GetReal())) return false;
    out[i] = v->GetReal();
  }
  return true;
}

bool isWidget(const TemplateDocument& d, const PdfObject* o) {
  return nameOf(d.get(o, "Subtype")) == "Widget" || (d.get(o, "Kids") == nullptr && d.get(o, "Rect") != nullptr);
}

AcroKind kindOf(const std::string& ft, long long flags) {
  if (ft == "Btn") return (flags & kPushButton) ? AcroKind::PushButton : (flags & kRadio) ? AcroKind::Radio : AcroKind::Checkbox;
  if (ft == "Ch") return AcroKind::Choice;
  if (ft == "Sig") return AcroKind::Signature;
  return AcroKind::Text;
}

// Which page each widget annotation is on, from the pages' /Annots.
std::map<const PdfObject*, int> widgetPages(const TemplateDocument& d) {
  std::map<const PdfObject*, int> out;
  for (int p = 0; p < d.pageCount(); ++p) {
    const PdfObject* annots = d.get(d.page(p), "Annots");
    if (annots == nullptr || !annots->IsArray()) continue;
    for (const auto& item : annots->GetArray()) {
      const PdfObject* a = d.resolve(&item);
      if (a != nullptr && a->IsDictionary()) out.emplace(a, p);
    }
  }
  return out;
}

struct Walker {
  explicit Walker(const TemplateDocument& doc) : d(doc), pages(widgetPages(doc)) {}
  const TemplateDocument& d;
  std::map<const PdfObject*, int> pages;
  std::set<const PdfObject*> seen;
  std::vector<AcroField> fields;
  std::map<std::string, std::size_t> byName;
  bool signedField = false;

  struct Inherited {
    std::string name, ft;
    long long flags = 0;
    bool hasValue = false;
  };

  void node(const PdfObject* o, Inherited in, int depth) {
    o = d.resolve(o);
    if (o == nullptr || !o->IsDictionary() || depth > kMaxFieldDepth || !seen.insert(o).second) return;
    if (const PdfObject* t = d.get(o, "T"); t != nullptr && (t->IsString() || t->IsHexString())) {
      const std::string partial = textOf(t->GetString());
      in.name = in.name.empty() ? partial : in.name + "." + partial;
    }
    if (const PdfObject* ft = d.get(o, "FT"); ft != nullptr && ft->IsName()) in.ft = nameOf(ft);
    in.flags = numberOf(d.get(o, "Ff"), in.flags);
    if (const PdfObject* v = d.get(o, "V"); v != nullptr && !v->IsNull()) in.hasValue = true;
    if (in.ft == "Sig" && in.hasValue) signedField = true;
    if (const PdfObject* kids = d.get(o, "Kids"); kids != nullptr && kids->IsArray()) {
      for (const auto& kid : kids->GetArray()) node(&kid, in, depth + 1);
    }
    if (isWidget(d, o) && !in.name.empty()) addWidget(o, in);
  }

  void addWidget(const PdfObject* w, const Inherited& in) {
    int page = -1;
    if (auto it = pages.find(w); it != pages.end()) {
      page = it->second;
    } else if (const PdfObject* p = w->GetDictionary().GetKey("P"); p != nullptr && p->IsReference()) {
      page = d.pageIndexOf(p->GetReference());
    }
    auto widget = widgetOf(w, page);
    if (!widget) return;
    auto [it, fresh] = byName.emplace(in.name, fields.size());
    if (fresh) {
      AcroField f;
      f.name = in.name;
      f.kind = kindOf(in.ft, in.flags);
      f.hasValue = in.hasValue;
      f.checkbox = f.kind == AcroKind::Checkbox || f.kind == AcroKind::Radio;
      f.page = widget->page;
      f.box = widget->box;
      f.onState = widget->onStates.empty() ? std::string() : widget->onStates.front();
      fields.push_back(std::move(f));
    }
    fields[it->second].widgets.push_back(std::move(*widget));
  }

  std::optional<AcroWidget> widgetOf(const PdfObject* w, int page) const {
    double r[4];
    if (page < 0 || !realArray(d, w->GetDictionary().GetKey("Rect"), 4, r)) return std::nullopt;
    const PageGeometry& g = d.geometry(page);
    double u0 = 1e300, v0 = 1e300, u1 = -1e300, v1 = -1e300;
    for (const auto& [x, y] : {std::pair{r[0], r[1]}, {r[2], r[1]}, {r[0], r[3]}, {r[2], r[3]}}) {
      double u = 0, v = 0;
      g.displayed(x, y, u, v);
      u0 = std::min(u0, u), v0 = std::min(v0, v), u1 = std::max(u1, u), v1 = std::max(v1, v);
    }
    AcroWidget out;
    out.page = page;
    out.box = {u0, v0, u1 - u0, v1 - v0};
    const long long turn = numberOf(d.get(d.get(w, "MK"), "R"));
    out.rotation = static_cast<int>((((turn - g.rotate) % 360) + 360) % 360);
    if (out.rotation % 90 != 0) out.rotation = 0;
    out.state = nameOf(d.get(w, "AS"));
    if (const PdfObject* n = d.get(d.get(w, "AP"), "N"); n != nullptr && n->IsDictionary() && !n->HasStream()) {
      for (const auto& [key, _] : n->GetDictionary().GetKeys()) {
        if (key.GetName() != "Off") out.onStates.push_back(key.GetName());
      }
    }
    out.annotation = w;
    return out;
  }

  // Widgets that only a page's /Annots knows (forms whose /Fields misses them): named by their
  // own /T and their /Parent chain.
  void orphans() {
    for (const auto& [w, page] : pages) {
      if (seen.count(w) || !isWidget(d, w) || nameOf(d.get(w, "Subtype")) != "Widget") continue;
      Inherited in;
      std::vector<std::string> parts;
      std::set<const PdfObject*> chain;
      for (const PdfObject* n = w; n != nullptr && n->IsDictionary() && chain.insert(n).second && chain.size() < kMaxFieldDepth;
           n = d.get(n, "Parent")) {
        if (const PdfObject* t = d.get(n, "T"); t != nullptr && (t->IsString() || t->IsHexString())) parts.push_back(textOf(t->GetString()));
        if (in.ft.empty()) in.ft = nameOf(d.get(n, "FT"));
        if (in.flags == 0) in.flags = numberOf(d.get(n, "Ff"));
        if (const PdfObject* v = d.get(n, "V"); v != nullptr && !v->IsNull()) in.hasValue = true;
      }
      for (auto it = parts.rbegin(); it != parts.rend(); ++it) in.name += (in.name.empty() ? "" : ".") + *it;
      if (in.ft == "Sig" && in.hasValue) signedField = true;
      seen.insert(w);
      if (!in.name.empty()) addWidget(w, in);
    }
  }

  void run() {
    const PdfObject* list = d.get(d.get(const_cast<TemplateDocument&>(d).doc().GetCatalog(), "AcroForm"), "Fields");
    if (list != nullptr && list->IsArray()) {
      for (const auto& f : list->GetArray()) node(&f, {}, 0);
    }
    orphans();
  }
};

// The matrix that puts an appearance stream onto its widget's rectangle (PDF 32000-1, 12.5.5):
// the form's BBox, transformed by its /Matrix, is scaled and moved onto /Rect.
std::optional<AppearanceDraw> placeAppearance(const TemplateDocument& d, const PdfObject* widget, const PdfObject* stream) {
  double rect[4], bbox[4], m[6] = {1, 0, 0, 1, 0, 0};
  if (!realArray(d, widget->GetDictionary().GetKey("Rect"), 4, rect) || !realArray(d, stream->GetDictionary().GetKey("BBox"), 4, bbox)) {
    return std::nullopt;
  }
  realArray(d, stream->GetDictionary().GetKey("Matrix"), 6, m);
  double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
  for (const auto& [x, y] : {std::pair{bbox[0], bbox[1]}, {bbox[2], bbox[1]}, {bbox[0], bbox[3]}, {bbox[2], bbox[3]}}) {
    const double tx = m[0] * x + m[2] * y + m[4], ty = m[1] * x + m[3] * y + m[5];
    x0 = std::min(x0, tx), y0 = std::min(y0, ty), x1 = std::max(x1, tx), y1 = std::max(y1, ty);
  }
  const double rx0 = std::min(rect[0], rect[2]), ry0 = std::min(rect[1], rect[3]);
  const double rw = std::abs(rect[2] - rect[0]), rh = std::abs(rect[3] - rect[1]);
  if (x1 - x0 < 1e-6 || y1 - y0 < 1e-6 || rw < 1e-6 || rh < 1e-6) return std::nullopt;
  AppearanceDraw draw;
  draw.stream = stream;
  const double sx = rw / (x1 - x0), sy = rh / (y1 - y0);
  const double a[6] = {sx, 0, 0, sy, rx0 - x0 * sx, ry0 - y0 * sy};
  std::copy(a, a + 6, draw.matrix);
  return draw;
}

// The stream a widget shows now: /AP /N itself, or its entry for the state (/AS, or Off).
const PdfObject* currentAppearance(const TemplateDocument& d, const PdfObject* widget, bool off) {
  const PdfObject* n = d.get(d.get(widget, "AP"), "N");
  if (n == nullptr) return nullptr;
  if (!n->HasStream()) {
    if (!n->IsDictionary()) return nullptr;
    const std::string state = off ? "Off" : nameOf(d.get(widget, "AS"));
    if (state.empty()) return nullptr;
    n = d.get(n, state.c_str());
  }
  return n != nullptr && n->HasStream() && n->IsDictionary() ? n : nullptr;
}

}  // namespace

std::vector<AcroField> readAcroFields(const TemplateDocument& doc) {
  Walker w{doc};
  w.run();
  return std::move(w.fields);
}

AcroLookup findAcroField(const std::vector<AcroField>& fields, const std::string& name) {
  AcroLookup out;
  for (const auto& f : fields) {
    if (f.name == name) {
      out.field = &f;
      return out;
    }
  }
  const AcroField* found = nullptr;
  for (const auto& f : fields) {
    const std::size_t dot = f.name.rfind('.');
    if ((dot == std::string::npos ? f.name : f.name.substr(dot + 1)) != name) continue;
    found = &f;
    out.candidates.push_back(f.name);
  }
  if (out.candidates.size() == 1) out.field = found;
  return out;
}

namespace {

// A value the template shows through an appearance the viewer is asked to redraw.
Status refuseStaleAppearances(const TemplateDocument& d, const std::vector<AcroField>& fields,
                              const std::set<const PdfObject*>& replaced) {
  const PdfObject* form = d.get(const_cast<TemplateDocument&>(d).doc().GetCatalog(), "AcroForm");
  const PdfObject* need = d.get(form, "NeedAppearances");
  if (need == nullptr || !need->IsBool() || !need->GetBool()) return okStatus();
  for (const auto& f : fields) {
    if (!f.hasValue || f.kind == AcroKind::Checkbox || f.kind == AcroKind::Radio || f.kind == AcroKind::PushButton) continue;
    if (std::all_of(f.widgets.begin(), f.widgets.end(), [&](const AcroWidget& w) { return replaced.count(w.annotation) > 0; })) continue;
    return Error::of(ErrorCode::TemplateInvalid, "the form leaves drawing the value of field " + f.name +
                                                     " to the viewer (NeedAppearances): import the template so that its appearances are generated");
  }
  return okStatus();
}

}  // namespace

Result<std::map<int, PageFlattening>> planFlattening(const TemplateDocument& d, const std::vector<AcroField>& fields,
                                                     const std::set<const PdfObject*>& replaced, const std::set<const PdfObject*>& cleared) {
  KAKANAI_TRY(refuseStaleAppearances(d, fields, replaced));
  std::map<int, PageFlattening> out;
  for (int p = 0; p < d.pageCount(); ++p) {
    const PdfObject* annots = d.get(d.page(p), "Annots");
    if (annots == nullptr || !annots->IsArray()) continue;
    for (const auto& item : annots->GetArray()) {
      const PdfObject* a = d.resolve(&item);
      if (a == nullptr || !a->IsDictionary() || nameOf(d.get(a, "Subtype")) != "Widget") continue;
      PageFlattening& page = out[p];
      page.hasWidgets = true;
      if (replaced.count(a) || (numberOf(d.get(a, "F")) & (kHidden | kNoView))) continue;
      const PdfObject* stream = currentAppearance(d, a, cleared.count(a) > 0);
      if (stream == nullptr) continue;
      if (auto draw = placeAppearance(d, a, stream)) {
        draw->untyped = nameOf(d.get(stream, "Subtype")) != "Form";
        page.draws.push_back(*draw);
      }
    }
  }
  return out;
}

Status refuseSigned(const TemplateDocument& doc) {
  Walker w{doc};
  w.run();
  if (w.signedField) {
    return Error::of(ErrorCode::TemplateSigned,
                     "the template is signed and filling it would invalidate the signature: import it with the signature dropped");
  }
  return okStatus();
}

}  // namespace kakanai::pdf
