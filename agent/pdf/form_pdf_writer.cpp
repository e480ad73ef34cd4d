#include "pdf/form_pdf_writer.h"

#include <podofo/podofo.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "pdf/font_embedder.h"
#include "pdf/template_document.h"

namespace kakanai::pdf {

namespace {

using namespace PoDoFo;

// Always through PdfVariant's integer constructor: a constant 0 would otherwise convert to a null
// pointer through one of PoDoFo's pointer constructors.
PdfObject integer(long long v) { return PdfObject(PdfVariant(static_cast<pdf_int64>(v))); }

PdfArray metricArray(const MetricRuns& runs) {
  PdfArray out;
  for (const auto& [first, values] : runs) {
    out.push_back(integer(first));
    PdfArray inner;
    for (long v : values) inner.push_back(integer(v));
    out.push_back(inner);
  }
  return out;
}

std::string hexGlyph(std::uint32_t gid) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04X", gid & 0xFFFF);
  return buf;
}

std::string utf16Hex(std::u32string_view text) {
  std::string out;
  char buf[12];
  for (char32_t c : text) {
    if (c >= 0x10000) {
      const char32_t v = c - 0x10000;
      std::snprintf(buf, sizeof buf, "%04X%04X", static_cast<unsigned>(0xD800 + (v >> 10)),
                    static_cast<unsigned>(0xDC00 + (v & 0x3FF)));
    } else {
      std::snprintf(buf, sizeof buf, "%04X", static_cast<unsigned>(c));
    }
    out += buf;
  }
  return out;
}

// A displayed point (top-left origin, y down) in the page's user space.
void userPoint(const PageGeometry& g, double u, double vDown, double& x, double& y) {
  const double v = g.height - vDown;
  x = g.toUser[0] * u + g.toUser[2] * v + g.toUser[4];
  y = g.toUser[1] * u + g.toUser[3] * v + g.toUser[5];
}

// Local box coordinates (origin bottom-left, as laid out in a box of the turned size) → displayed
// coordinates (origin bottom-left), turning counter-clockwise by `p.rotation`.
std::string placementMatrix(const Placement& p, double frameHeight) {
  const double left = p.box.x, right = p.box.x + p.box.width;
  const double bottom = frameHeight - p.box.y - p.box.height, top = frameHeight - p.box.y;
  switch (p.rotation) {
    case 90: return "0 1 -1 0 " + fmt(right) + " " + fmt(bottom);
    case 180: return "-1 0 0 -1 " + fmt(right) + " " + fmt(top);
    case 270: return "0 -1 1 0 " + fmt(left) + " " + fmt(top);
    default: return "1 0 0 1 " + fmt(left) + " " + fmt(bottom);
  }
}

// Which glyphs each font needs, what text each stands for, and the font objects once embedded.
struct FontUse {
  GlyphCodes codes;  // CIDs, each with one text (font_embedder.h)
  bool horizontal = false, vertical = false;
  PdfReference h, v;
};
using FontPlan = std::map<std::size_t, FontUse>;

// A resource name the page does not use yet: templates carry fonts of their own (ours included).
std::string freshName(const PdfDictionary& dict, const std::string& stem) {
  std::string name;
  for (int k = 0; name.empty() || dict.HasKey(PdfName(name)); ++k) name = stem + "_" + std::to_string(k);
  return name;
}

}  // namespace

std::string toUnicodeCMap(const std::vector<std::pair<std::uint32_t, std::u32string>>& mapping) {
  std::ostringstream s;
  s << "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
       "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
       "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
       "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
  for (std::size_t i = 0; i < mapping.size(); i += 100) {
    const std::size_t n = std::min<std::size_t>(100, mapping.size() - i);
    s << n << " beginbfchar\n";
    for (std::size_t k = i; k < i + n; ++k) {
      s << "<" << hexGlyph(mapping[k].first) << "> <" << utf16Hex(mapping[k].second) << ">\n";
    }
    s << "endbfchar\n";
  }
  s << "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
  return s.str();
}

struct FormPdfWriter::Impl {
  std::unique_ptr<TemplateDocument> doc;
  std::vector<AcroField> fields;
  struct TextGroup {
    std::vector<typeset::GlyphRun> runs;
    SecretCodepoints actualText;  // empty: none
    Placement placement;
  };
  struct PageWork {
    std::vector<TextGroup> groups;
    std::vector<Mark> marks;
    PageFlattening flattening;
  };
  std::map<int, PageWork> pages;
  std::vector<AcroField> newFields;
  std::set<const PdfObject*> replaced, cleared;

  // Planning: what is drawn where, with which fonts.
  FontPlan planFonts(const fonts::FontSet& fonts) const;
  Status planFlattening();
  // Writing.
  Status embedFonts(FontPlan& plan, const fonts::FontSet& fonts);
  void drawFields();
  void writePage(int index, const PageWork& work, const FontPlan& plan, const fonts::FontSet& fonts);
  PdfDictionary& pageResources(int index);
  PdfDictionary& subDictionary(PdfDictionary& resources, const char* key);
  void appendContent(int index, const ContentStream& content);
  void dropWidgets(int index);
  void removeForm();
};

FormPdfWriter::FormPdfWriter() : impl_(std::make_unique<Impl>()) {}
FormPdfWriter::~FormPdfWriter() = default;

Result<std::unique_ptr<FormPdfWriter>> FormPdfWriter::open(const std::string& templatePath) {
  std::unique_ptr<FormPdfWriter> w(new FormPdfWriter());
  auto doc = TemplateDocument::load(templatePath);
  if (!doc) return doc.error();
  w->impl_->doc = std::move(*doc);
  try {
    if (auto refused = refuseSigned(*w->impl_->doc); !refused) {
      Error e = refused.error();
      e.diagnostic = templatePath + ": " + e.diagnostic;
      return e;
    }
    w->impl_->fields = readAcroFields(*w->impl_->doc);
  } catch (const PdfError& e) {
    return Error::of(ErrorCode::TemplateInvalid, templatePath + ": the form cannot be read: " + describe(e));
  }
  return w;
}

int FormPdfWriter::pageCount() const { return impl_->doc->pageCount(); }

PageSize FormPdfWriter::pageSize(int page) const {
  if (page < 0 || page >= pageCount()) return {};
  const PageGeometry& g = impl_->doc->geometry(page);
  return {g.width, g.height, g.mediaWidth, g.mediaHeight};
}

void FormPdfWriter::addRuns(int page, const std::vector<typeset::GlyphRun>& runs, std::u32string_view actualText,
                            const Placement& placement) {
  impl_->pages[page].groups.push_back({runs, SecretCodepoints(actualText.begin(), actualText.end()), placement});
}

void FormPdfWriter::addMark(int page, const Mark& mark) { impl_->pages[page].marks.push_back(mark); }

const std::vector<AcroField>& FormPdfWriter::acroFields() const { return impl_->fields; }

void FormPdfWriter::replaceField(const AcroField& field) {
  for (const auto& w : field.widgets) impl_->replaced.insert(w.annotation);
}

void FormPdfWriter::clearField(const AcroField& field) {
  for (const auto& w : field.widgets) impl_->cleared.insert(w.annotation);
}

void FormPdfWriter::addAcroField(const AcroField& field) { impl_->newFields.push_back(field); }

FontPlan FormPdfWriter::Impl::planFonts(const fonts::FontSet& fonts) const {
  FontPlan uses;
  for (const auto& [_, work] : pages) {
    for (const auto& group : work.groups) {
      for (const auto& run : group.runs) {
        FontUse& u = uses.try_emplace(run.font, FontUse{GlyphCodes(*fonts.all()[run.font]), false, false, {}, {}}).first->second;
        (run.vertical ? u.vertical : u.horizontal) = true;
        for (const auto& g : run.glyphs) u.codes.use(g.gid, g.text);
      }
    }
  }
  return uses;
}

Status FormPdfWriter::Impl::planFlattening() {
  auto plan = kakanai::pdf::planFlattening(*doc, fields, replaced, cleared);
  if (!plan) return plan.error();
  for (auto& [index, flat] : *plan) pages[index].flattening = std::move(flat);
  return okStatus();
}

Status FormPdfWriter::Impl::embedFonts(FontPlan& plan, const fonts::FontSet& fonts) {
  for (auto& [index, u] : plan) {
    const fonts::Font& font = *fonts.all()[index];
    auto program = subsetFontProgram(font, u.codes.glyphs());
    if (!program) return program.error();
    const std::string name = subsetTag(font.postscriptName(), u.codes.glyphs()) + "+" + font.postscriptName();

    PdfObject* file = doc->create();
    file->GetDictionary().AddKey("Length1", integer(static_cast<long long>(program->size())));
    file->GetStream()->Set(reinterpret_cast<const char*>(program->data()), static_cast<pdf_long>(program->size()));

    PdfObject* descriptor = doc->create("FontDescriptor");
    auto& dd = descriptor->GetDictionary();
    dd.AddKey("FontName", PdfName(name));
    dd.AddKey("Flags", integer(4));
    PdfArray bbox;
    for (long v : fontBBox(font)) bbox.push_back(integer(v));
    dd.AddKey("FontBBox", bbox);
    dd.AddKey("ItalicAngle", integer(0));
    dd.AddKey("Ascent", integer(std::lround(font.ascender())));
    dd.AddKey("Descent", integer(std::lround(font.descender())));
    dd.AddKey("CapHeight", integer(std::lround(font.ascender())));
    dd.AddKey("StemV", integer(80));
    dd.AddKey("FontFile2", file->Reference());

    PdfObject* cid = doc->create("Font");
    auto& cd = cid->GetDictionary();
    cd.AddKey("Subtype", PdfName("CIDFontType2"));
    cd.AddKey("BaseFont", PdfName(name));
    PdfDictionary systemInfo;
    systemInfo.AddKey("Registry", PdfString("Adobe"));
    systemInfo.AddKey("Ordering", PdfString("Identity"));
    systemInfo.AddKey("Supplement", integer(0));
    cd.AddKey("CIDSystemInfo", systemInfo);
    cd.AddKey("FontDescriptor", descriptor->Reference());
    if (u.codes.identity()) {
      cd.AddKey("CIDToGIDMap", PdfName("Identity"));
    } else {
      PdfObject* map = doc->create();
      const Bytes cidToGid = u.codes.cidToGidMap();
      map->GetStream()->Set(reinterpret_cast<const char*>(cidToGid.data()), static_cast<pdf_long>(cidToGid.size()));
      cd.AddKey("CIDToGIDMap", map->Reference());
    }
    cd.AddKey("DW", integer(kDefaultWidth));
    if (auto w = horizontalWidths(font, u.codes); !w.empty()) cd.AddKey("W", metricArray(w));
    if (u.vertical) {
      PdfArray dw2;
      for (long v : kDefaultVertical) dw2.push_back(integer(v));
      cd.AddKey("DW2", dw2);
      if (auto w2 = verticalMetrics(font, u.codes); !w2.empty()) cd.AddKey("W2", metricArray(w2));
    }

    const auto mapping = u.codes.toUnicode();
    PdfObject* toUnicode = doc->create();
    const std::string cmap = toUnicodeCMap(mapping);
    toUnicode->GetStream()->Set(cmap.c_str(), static_cast<pdf_long>(cmap.size()));

    for (bool vertical : {false, true}) {
      if (vertical ? !u.vertical : !u.horizontal) continue;
      PdfObject* type0 = doc->create("Font");
      auto& td = type0->GetDictionary();
      td.AddKey("Subtype", PdfName("Type0"));
      td.AddKey("BaseFont", PdfName(name));
      td.AddKey("Encoding", PdfName(vertical ? "Identity-V" : "Identity-H"));
      PdfArray descendants;
      descendants.push_back(cid->Reference());
      td.AddKey("DescendantFonts", descendants);
      td.AddKey("ToUnicode", toUnicode->Reference());
      (vertical ? u.v : u.h) = type0->Reference();
    }
  }
  return okStatus();
}

// Template drawing: real AcroForm fields, each its own widget.
void FormPdfWriter::Impl::drawFields() {
  PdfArray fieldRefs;
  for (const auto& f : newFields) {
    PdfObject* page = doc->page(f.page);
    const PageGeometry& g = doc->geometry(f.page);
    PdfObject* w = doc->create("Annot");
    auto& d = w->GetDictionary();
    d.AddKey("Subtype", PdfName("Widget"));
    d.AddKey("T", PdfString(reinterpret_cast<const pdf_utf8*>(f.name.c_str())));
    double x0, y0, x1, y1;
    userPoint(g, f.box.x, f.box.y + f.box.height, x0, y0);
    userPoint(g, f.box.x + f.box.width, f.box.y, x1, y1);
    PdfArray rect;
    for (double v : {std::min(x0, x1), std::min(y0, y1), std::max(x0, x1), std::max(y0, y1)}) rect.push_back(PdfVariant(v));
    d.AddKey("Rect", rect);
    d.AddKey("F", integer(4));
    d.AddKey("P", page->Reference());
    if (f.checkbox) {
      d.AddKey("FT", PdfName("Btn"));
      PdfObject* on = doc->create();
      on->GetDictionary().AddKey("Type", PdfName("XObject"));
      on->GetDictionary().AddKey("Subtype", PdfName("Form"));
      PdfArray bbox;
      for (double v : {0.0, 0.0, f.box.width, f.box.height}) bbox.push_back(PdfVariant(v));
      on->GetDictionary().AddKey("BBox", bbox);
      const std::string tick = "0 g 1 w " + fmt(f.box.width * 0.2) + " " + fmt(f.box.height * 0.5) + " m " + fmt(f.box.width * 0.42) +
                               " " + fmt(f.box.height * 0.2) + " l " + fmt(f.box.width * 0.8) + " " + fmt(f.box.height * 0.8) + " l S";
      on->GetStream()->Set(tick.c_str(), static_cast<pdf_long>(tick.size()));
      PdfObject* off = doc->create();
      off->GetDictionary().AddKey("Type", PdfName("XObject"));
      off->GetDictionary().AddKey("Subtype", PdfName("Form"));
      off->GetDictionary().AddKey("BBox", bbox);
      off->GetStream()->Set(" ", 1);
      PdfDictionary normal;
      normal.AddKey(PdfName(f.onState), on->Reference());
      normal.AddKey("Off", off->Reference());
      PdfDictionary ap;
      ap.AddKey("N", normal);
      d.AddKey("AP", ap);
      d.AddKey("AS", PdfName("Off"));
      d.AddKey("V", PdfName("Off"));
    } else {
      d.AddKey("FT", PdfName("Tx"));
      d.AddKey("DA", PdfString("/Helv 0 Tf 0 g"));
    }
    PdfObject* annots = doc->resolve(page->GetDictionary().GetKey("Annots"));
    if (annots == nullptr || !annots->IsArray()) {
      page->GetDictionary().AddKey("Annots", PdfArray());
      annots = page->GetDictionary().GetKey("Annots");
    }
    annots->GetArray().push_back(w->Reference());
    fieldRefs.push_back(w->Reference());
  }
  PdfDictionary acroForm;
  acroForm.AddKey("Fields", fieldRefs);
  doc->doc().GetCatalog()->GetDictionary().AddKey("AcroForm", acroForm);
}

// The page's own resources to add to: its direct dictionary, the shared one it refers to (names
// we add are unique, so other pages are not disturbed), or a copy of what it inherits.
PdfDictionary& FormPdfWriter::Impl::pageResources(int index) {
  PdfObject* page = doc->page(index);
  doc->changed(page);
  PdfObject* own = page->GetDictionary().GetKey("Resources");
  if (own != nullptr && own->IsDictionary()) return own->GetDictionary();
  if (PdfObject* shared = doc->resolve(own); shared != nullptr && shared->IsDictionary()) {
    doc->changed(shared);
    return shared->GetDictionary();
  }
  const PdfObject* inherited = doc->resolve(doc->inherited(index, "Resources"));
  page->GetDictionary().AddKey("Resources", inherited != nullptr && inherited->IsDictionary() ? inherited->GetDictionary() : PdfDictionary());
  return page->GetDictionary().GetKey("Resources")->GetDictionary();
}

PdfDictionary& FormPdfWriter::Impl::subDictionary(PdfDictionary& resources, const char* key) {
  PdfObject* sub = resources.GetKey(PdfName(key));
  if (sub != nullptr && sub->IsDictionary()) return sub->GetDictionary();
  if (PdfObject* shared = doc->resolve(sub); shared != nullptr && shared->IsDictionary()) {
    doc->changed(shared);
    return shared->GetDictionary();
  }
  resources.AddKey(PdfName(key), PdfDictionary());
  return resources.GetKey(PdfName(key))->GetDictionary();
}

void FormPdfWriter::Impl::writePage(int index, const PageWork& work, const FontPlan& plan, const fonts::FontSet& fonts) {
  const PageGeometry& frame = doc->geometry(index);
  PdfDictionary& resources = pageResources(index);
  std::map<std::pair<std::size_t, bool>, std::string> fontNames;
  if (!plan.empty()) {
    PdfDictionary& fontDict = subDictionary(resources, "Font");
    for (const auto& [font, u] : plan) {
      for (bool vertical : {false, true}) {
        if (vertical ? !u.vertical : !u.horizontal) continue;
        const std::string rn = freshName(fontDict, "KF" + std::to_string(font) + (vertical ? "V" : "H"));
        fontDict.AddKey(PdfName(rn), vertical ? u.v : u.h);
        fontNames[{font, vertical}] = rn;
      }
    }
  }
  ContentStream s;
  s << "Q\n";
  if (!work.flattening.draws.empty()) {
    // What the widgets the fill does not replace showed, drawn into the page in user space.
    PdfDictionary& xobjects = subDictionary(resources, "XObject");
    for (const auto& draw : work.flattening.draws) {
      if (draw.untyped) {
        // Drawn by Do it must say what it is (viewers draw a widget's appearance regardless).
        auto* form = const_cast<PdfObject*>(draw.stream);
        form->GetDictionary().AddKey("Type", PdfName("XObject"));
        form->GetDictionary().AddKey("Subtype", PdfName("Form"));
        doc->changed(form);
      }
      const std::string rn = freshName(xobjects, "KX");
      xobjects.AddKey(PdfName(rn), draw.stream->Reference());
      s << "q " << matrixText(draw.matrix) << " cm /" << rn << " Do Q\n";
    }
  }
  s << "q\n" << matrixText(frame.toUser) << " cm\n";
  for (const auto& group : work.groups) {
    if (!group.actualText.empty()) s.actualTextBegin(group.actualText);
    const bool placed = group.placement.box.width > 0;
    const Placement& p = group.placement;
    const double height = !placed ? frame.height : (p.rotation == 90 || p.rotation == 270) ? p.box.width : p.box.height;
    if (placed) s << "q " << placementMatrix(p, frame.height) << " cm\n";
    s.glyphRuns(group.runs, fonts, height, [&](const typeset::GlyphRun& run) { return fontNames[{run.font, run.vertical}]; },
                [&](const typeset::GlyphRun& run, const typeset::PlacedGlyph& g) { return plan.at(run.font).codes.cidOf(g.gid, g.text); });
    if (placed) s << "Q\n";
    if (!group.actualText.empty()) s << "EMC\n";
  }
  if (!work.marks.empty()) {
    s << "q 0 0 0 RG 1 J 1 j\n";
    for (const auto& m : work.marks) s.mark(m, frame.height);
    s << "Q\n";
  }
  s << "Q\n";
  appendContent(index, s);
  if (work.flattening.hasWidgets) dropWidgets(index);
}

// Wraps the template's own content in q … Q so its graphics state cannot leak into ours.
void FormPdfWriter::Impl::appendContent(int index, const ContentStream& content) {
  PdfObject* open = doc->create();
  open->GetStream()->Set("q\n", 2);
  PdfObject* mine = doc->create();
  mine->GetStream()->Set(reinterpret_cast<const char*>(content.bytes().data()), static_cast<pdf_long>(content.bytes().size()));
  PdfArray contents;
  contents.push_back(open->Reference());
  PdfDictionary& pd = doc->page(index)->GetDictionary();
  if (PdfObject* existing = pd.GetKey("Contents")) {
    const PdfObject* target = doc->resolve(existing);
    if (existing->IsArray()) {
      for (const auto& item : existing->GetArray()) contents.push_back(item);
    } else if (target != nullptr && target->IsArray()) {
      for (const auto& item : target->GetArray()) contents.push_back(item);
    } else if (existing->IsReference() && target != nullptr) {
      contents.push_back(*existing);
    }
  }
  contents.push_back(mine->Reference());
  pd.AddKey("Contents", contents);
}

// The page keeps its other annotations (links, notes); the widgets are now part of the page.
void FormPdfWriter::Impl::dropWidgets(int index) {
  PdfDictionary& pd = doc->page(index)->GetDictionary();
  const PdfObject* annots = doc->resolve(pd.GetKey("Annots"));
  if (annots == nullptr || !annots->IsArray()) return;
  PdfArray kept;
  for (const auto& item : annots->GetArray()) {
    const PdfObject* a = doc->resolve(&item);
    const PdfObject* subtype = doc->get(a, "Subtype");
    if (subtype != nullptr && subtype->IsName() && subtype->GetName().GetName() == "Widget") continue;
    kept.push_back(item);
  }
  if (kept.empty()) {
    pd.RemoveKey("Annots");
  } else {
    pd.AddKey("Annots", kept);
  }
}

// The form goes (its widgets are drawn), and so do usage rights (/Perms /UR3): they are a
// signature over the file as it was, which a changed file no longer matches.
void FormPdfWriter::Impl::removeForm() {
  PdfObject* catalog = doc->doc().GetCatalog();
  PdfDictionary& cd = catalog->GetDictionary();
  const bool hasForm = cd.HasKey("AcroForm");
  PdfObject* perms = doc->resolve(cd.GetKey("Perms"));
  const bool usageRights = perms != nullptr && perms->IsDictionary() && perms->GetDictionary().HasKey("UR3");
  if (!hasForm && !usageRights) return;
  cd.RemoveKey("AcroForm");
  if (usageRights) {
    PdfDictionary rest = perms->GetDictionary();
    rest.RemoveKey("UR3");
    rest.RemoveKey("UR");
    if (rest.GetKeys().empty()) {
      cd.RemoveKey("Perms");
    } else {
      cd.AddKey("Perms", rest);
    }
  }
  doc->changed(catalog);
}

Result<Bytes> FormPdfWriter::finish(const fonts::FontSet& fonts, bool flatten) {
  Impl& m = *impl_;
  try {
    for (const auto& [index, _] : m.pages) {
      if (index < 0 || index >= pageCount()) {
        return Error::of(ErrorCode::TemplateInvalid, "the template has no page " + std::to_string(index + 1));
      }
    }
    const bool drawing = !m.newFields.empty();
    if (drawing) m.drawFields();
    if (!drawing && flatten) KAKANAI_TRY(m.planFlattening());
    FontPlan plan = m.planFonts(fonts);
    KAKANAI_TRY(m.embedFonts(plan, fonts));
    for (const auto& [index, work] : m.pages) m.writePage(index, work, plan, fonts);
    if (!flatten) return m.doc->fullRewrite();
    m.removeForm();
    return m.doc->incrementalUpdate();
  } catch (const PdfError& e) {
    return Error::of(ErrorCode::TemplateInvalid, "the template cannot be written: " + describe(e));
  } catch (const std::exception& e) {
    return Error::of(ErrorCode::TemplateInvalid, std::string("the template cannot be written: ") + e.what());
  }
}

}  // namespace kakanai::pdf
