#include "pdf/form_pdf_writer.h"

#include <podofo/podofo.h>

#include <mutex>

#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <fstream>
#include <sstream>

#include "pdf/font_embedder.h"

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

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
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

// The displayed page (origin top-left, y down, after /Rotate) → user space, as a cm operator.
struct PageFrame {
  double width = 0, height = 0;
  std::string cm;
};

PageFrame frameOf(PdfPage* page) {
  const PdfRect mb = page->GetMediaBox();
  const double llx = mb.GetLeft(), lly = mb.GetBottom();
  const double urx = llx + mb.GetWidth(), ury = lly + mb.GetHeight();
  int rotate = page->GetRotation() % 360;
  if (rotate < 0) rotate += 360;
  PageFrame f;
  // (u, v): displayed coordinates with the origin at the displayed bottom-left.
  switch (rotate) {
    case 90:
      f.width = mb.GetHeight();
      f.height = mb.GetWidth();
      f.cm = "0 1 -1 0 " + fmt(urx) + " " + fmt(lly) + " cm";
      break;
    case 180:
      f.width = mb.GetWidth();
      f.height = mb.GetHeight();
      f.cm = "-1 0 0 -1 " + fmt(urx) + " " + fmt(ury) + " cm";
      break;
    case 270:
      f.width = mb.GetHeight();
      f.height = mb.GetWidth();
      f.cm = "0 -1 1 0 " + fmt(llx) + " " + fmt(ury) + " cm";
      break;
    default:
      f.width = mb.GetWidth();
      f.height = mb.GetHeight();
      f.cm = "1 0 0 1 " + fmt(llx) + " " + fmt(lly) + " cm";
      break;
  }
  return f;
}

// PoDoFo logs parsing details (each trailer it reads) to stderr, which is the agent's log.
void silencePodofo() {
  static std::once_flag once;
  std::call_once(once, [] {
    PdfError::EnableDebug(false);
    PdfError::EnableLogging(false);
  });
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
  PdfMemDocument doc;
  std::string templateBytes;  // the incremental update is appended to these
  struct TextGroup {
    std::vector<typeset::GlyphRun> runs;
    std::u32string actualText;  // empty: none
  };
  struct PageWork {
    std::vector<TextGroup> groups;
    std::vector<Mark> marks;
  };
  std::map<int, PageWork> pages;
  std::vector<AcroField> newFields;
};

FormPdfWriter::FormPdfWriter() : impl_(std::make_unique<Impl>()) {}
FormPdfWriter::~FormPdfWriter() = default;

Result<std::unique_ptr<FormPdfWriter>> FormPdfWriter::open(const std::string& templatePath) {
  std::unique_ptr<FormPdfWriter> w(new FormPdfWriter());
  try {
    silencePodofo();
    // Loaded for an incremental update: the output is the template's own bytes with only what
    // the fill adds appended, so the template is neither re-parsed in full nor re-written.
    std::ifstream in(templatePath, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    w->impl_->templateBytes = bytes.str();
    w->impl_->doc.LoadFromBuffer(w->impl_->templateBytes.data(), static_cast<long>(w->impl_->templateBytes.size()),
                                 /*bForUpdate=*/true);
  } catch (const PdfError&) {
    return Error::of(ErrorCode::Internal, "template cannot be read: " + templatePath);
  }
  return w;
}

int FormPdfWriter::pageCount() const { return impl_->doc.GetPageCount(); }

PageSize FormPdfWriter::pageSize(int page) const {
  const PageFrame f = frameOf(impl_->doc.GetPage(page));
  return {f.width, f.height};
}

void FormPdfWriter::addRuns(int page, const std::vector<typeset::GlyphRun>& runs, std::u32string actualText) {
  impl_->pages[page].groups.push_back({runs, std::move(actualText)});
}

void FormPdfWriter::addMark(int page, const Mark& mark) { impl_->pages[page].marks.push_back(mark); }

void FormPdfWriter::addAcroField(const AcroField& field) { impl_->newFields.push_back(field); }

std::vector<AcroField> FormPdfWriter::acroFields() const {
  std::vector<AcroField> out;
  PdfMemDocument& doc = impl_->doc;
  for (int p = 0; p < doc.GetPageCount(); ++p) {
    PdfPage* page = doc.GetPage(p);
    PdfObject* annots = page->GetObject()->GetIndirectKey("Annots");
    if (annots == nullptr || !annots->IsArray()) continue;
    for (const auto& item : annots->GetArray()) {
      const PdfObject* a = item.IsReference() ? doc.GetObjects().GetObject(item.GetReference()) : &item;
      if (a == nullptr || !a->IsDictionary()) continue;
      const PdfObject* subtype = a->GetDictionary().GetKey("Subtype");
      const PdfObject* title = a->GetDictionary().GetKey("T");
      const PdfObject* rect = a->GetDictionary().GetKey("Rect");
      if (subtype == nullptr || !subtype->IsName() || subtype->GetName().GetName() != "Widget") continue;
      if (title == nullptr || !title->IsString() || rect == nullptr || !rect->IsArray() || rect->GetArray().size() != 4) continue;
      AcroField f;
      f.name = title->GetString().GetStringUtf8();
      f.page = p;
      const auto& r = rect->GetArray();
      const double x0 = std::min(r[0].GetReal(), r[2].GetReal()), x1 = std::max(r[0].GetReal(), r[2].GetReal());
      const double y0 = std::min(r[1].GetReal(), r[3].GetReal()), y1 = std::max(r[1].GetReal(), r[3].GetReal());
      const PdfRect mb = page->GetMediaBox();
      // Templates of ours are not rotated; a rotated AcroForm template is mapped as unrotated.
      f.box = {x0 - mb.GetLeft(), mb.GetBottom() + mb.GetHeight() - y1, x1 - x0, y1 - y0};
      const PdfObject* ft = a->GetDictionary().GetKey("FT");
      f.checkbox = ft != nullptr && ft->IsName() && ft->GetName().GetName() == "Btn";
      if (f.checkbox) {
        const PdfObject* ap = a->GetDictionary().GetKey("AP");
        if (ap != nullptr && ap->IsDictionary()) {
          const PdfObject* n = ap->GetDictionary().GetKey("N");
          if (n != nullptr && n->IsReference()) n = doc.GetObjects().GetObject(n->GetReference());
          if (n != nullptr && n->IsDictionary()) {
            for (const auto& [key, _] : n->GetDictionary().GetKeys()) {
              if (key.GetName() != "Off") f.onState = key.GetName();
            }
          }
        }
      }
      out.push_back(f);
    }
  }
  return out;
}

namespace {

std::string markPath(const Mark& m, double pageHeight) {
  std::ostringstream s;
  const double x = m.box.x, y = pageHeight - m.box.y - m.box.height, w = m.box.width, h = m.box.height;
  if (m.kind == MarkKind::Ellipse) {
    // Around the printed option, with a little air; four Bézier quarters.
    const double rx = w / 2 + 2.0, ry = h / 2 + 1.5, cx = x + w / 2, cy = y + h / 2;
    const double k = 0.5523;
    s << "0.9 w\n" << fmt(cx + rx) << " " << fmt(cy) << " m\n";
    s << fmt(cx + rx) << " " << fmt(cy + k * ry) << " " << fmt(cx + k * rx) << " " << fmt(cy + ry) << " " << fmt(cx) << " "
      << fmt(cy + ry) << " c\n";
    s << fmt(cx - k * rx) << " " << fmt(cy + ry) << " " << fmt(cx - rx) << " " << fmt(cy + k * ry) << " " << fmt(cx - rx) << " "
      << fmt(cy) << " c\n";
    s << fmt(cx - rx) << " " << fmt(cy - k * ry) << " " << fmt(cx - k * rx) << " " << fmt(cy - ry) << " " << fmt(cx) << " "
      << fmt(cy - ry) << " c\n";
    s << fmt(cx + k * rx) << " " << fmt(cy - ry) << " " << fmt(cx + rx) << " " << fmt(cy - k * ry) << " " << fmt(cx + rx) << " "
      << fmt(cy) << " c\nS\n";
  } else if (m.kind == MarkKind::Check) {
    s << "1.1 w 1 J 1 j\n" << fmt(x + 0.2 * w) << " " << fmt(y + 0.5 * h) << " m " << fmt(x + 0.42 * w) << " "
      << fmt(y + 0.22 * h) << " l " << fmt(x + 0.82 * w) << " " << fmt(y + 0.82 * h) << " l S\n";
  } else if (m.kind == MarkKind::Rect) {
    s << fmt(m.lineWidth > 0 ? m.lineWidth : 0.5) << " w " << fmt(x) << " " << fmt(y) << " " << fmt(w) << " " << fmt(h) << " re S\n";
  } else if (m.kind == MarkKind::Line) {
    const double y0 = pageHeight - m.box.y;
    s << fmt(m.lineWidth > 0 ? m.lineWidth : 0.5) << " w " << fmt(m.box.x) << " " << fmt(y0) << " m " << fmt(m.box.x + m.box.width)
      << " " << fmt(y0 - m.box.height) << " l S\n";
  } else {
    s << "1 w\n" << fmt(x + 0.2 * w) << " " << fmt(y + 0.2 * h) << " m " << fmt(x + 0.8 * w) << " " << fmt(y + 0.8 * h)
      << " l " << fmt(x + 0.2 * w) << " " << fmt(y + 0.8 * h) << " m " << fmt(x + 0.8 * w) << " " << fmt(y + 0.2 * h)
      << " l S\n";
  }
  return s.str();
}

}  // namespace

Result<Bytes> FormPdfWriter::finish(const fonts::FontSet& fonts, bool flatten) {
  PdfMemDocument& doc = impl_->doc;
  PdfVecObjects* objects = &doc.GetObjects();
  try {
    if (!impl_->newFields.empty()) {
      // Template drawing: real AcroForm fields, each its own widget.
      PdfArray fieldRefs;
      for (const auto& f : impl_->newFields) {
        PdfPage* page = doc.GetPage(f.page);
        const PdfRect mb = page->GetMediaBox();
        const double top = mb.GetBottom() + mb.GetHeight();
        PdfObject* w = objects->CreateObject("Annot");
        auto& d = w->GetDictionary();
        d.AddKey("Subtype", PdfName("Widget"));
        d.AddKey("T", PdfString(reinterpret_cast<const pdf_utf8*>(f.name.c_str())));
        PdfArray rect;
        for (double v : {mb.GetLeft() + f.box.x, top - f.box.y - f.box.height, mb.GetLeft() + f.box.x + f.box.width, top - f.box.y}) {
          rect.push_back(PdfVariant(v));
        }
        d.AddKey("Rect", rect);
        d.AddKey("F", integer(4));
        d.AddKey("P", page->GetObject()->Reference());
        if (f.checkbox) {
          d.AddKey("FT", PdfName("Btn"));
          PdfObject* on = objects->CreateObject(PdfDictionary());
          on->GetDictionary().AddKey("Type", PdfName("XObject"));
          on->GetDictionary().AddKey("Subtype", PdfName("Form"));
          PdfArray bbox;
          for (double v : {0.0, 0.0, f.box.width, f.box.height}) bbox.push_back(PdfVariant(v));
          on->GetDictionary().AddKey("BBox", bbox);
          const std::string tick = "0 g 1 w " + fmt(f.box.width * 0.2) + " " + fmt(f.box.height * 0.5) + " m " +
                                   fmt(f.box.width * 0.42) + " " + fmt(f.box.height * 0.2) + " l " + fmt(f.box.width * 0.8) + " " +
                                   fmt(f.box.height * 0.8) + " l S";
          on->GetStream()->Set(tick.c_str(), static_cast<pdf_long>(tick.size()));
          PdfObject* off = objects->CreateObject(PdfDictionary());
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
        PdfObject* annots = page->GetObject()->GetIndirectKey("Annots");
        if (annots == nullptr) {
          page->GetObject()->GetDictionary().AddKey("Annots", PdfArray());
          annots = page->GetObject()->GetIndirectKey("Annots");
        }
        annots->GetArray().push_back(w->Reference());
        fieldRefs.push_back(w->Reference());
      }
      PdfDictionary acroForm;
      acroForm.AddKey("Fields", fieldRefs);
      doc.GetCatalog()->GetDictionary().AddKey("AcroForm", acroForm);
    } else if (flatten && doc.GetCatalog()->GetDictionary().HasKey("AcroForm")) {
      // Flatten: each field's value has been typeset into the page where its widget was; the
      // widgets and the form go, so what prints is exactly what we set.
      for (int p = 0; p < doc.GetPageCount(); ++p) {
        PdfObject* pageObj = doc.GetPage(p)->GetObject();
        PdfObject* annots = pageObj->GetIndirectKey("Annots");
        if (annots == nullptr || !annots->IsArray()) continue;
        PdfArray kept;
        std::vector<PdfReference> gone;
        for (const auto& item : annots->GetArray()) {
          const PdfObject* a = item.IsReference() ? objects->GetObject(item.GetReference()) : &item;
          const PdfObject* st = a != nullptr && a->IsDictionary() ? a->GetDictionary().GetKey("Subtype") : nullptr;
          if (st != nullptr && st->IsName() && st->GetName().GetName() == "Widget") {
            if (item.IsReference()) gone.push_back(item.GetReference());
            // Its appearance streams go with it.
            const PdfObject* ap = a->GetDictionary().GetKey("AP");
            if (ap != nullptr && ap->IsDictionary()) {
              for (const auto& [_, states] : ap->GetDictionary().GetKeys()) {
                if (states->IsReference()) gone.push_back(states->GetReference());
                if (!states->IsDictionary()) continue;
                for (const auto& [__, stream] : states->GetDictionary().GetKeys()) {
                  if (stream->IsReference()) gone.push_back(stream->GetReference());
                }
              }
            }
            continue;
          }
          kept.push_back(item);
        }
        for (const auto& ref : gone) delete objects->RemoveObject(ref);
        if (kept.empty()) {
          pageObj->GetDictionary().RemoveKey("Annots");
        } else {
          pageObj->GetDictionary().AddKey("Annots", kept);
        }
      }
      doc.GetCatalog()->GetDictionary().RemoveKey("AcroForm");
    }
    // Which glyphs each font needs, and what text each stands for.
    struct FontUse {
      GlyphCodes codes;  // CIDs, each with one text (font_embedder.h)
      bool horizontal = false, vertical = false;
      PdfReference h, v;
    };
    std::map<std::size_t, FontUse> uses;
    for (auto& [_, work] : impl_->pages) {
      for (const auto& group : work.groups) for (const auto& run : group.runs) {
        FontUse& u = uses.try_emplace(run.font, FontUse{GlyphCodes(*fonts.all()[run.font])}).first->second;
        (run.vertical ? u.vertical : u.horizontal) = true;
        for (const auto& g : run.glyphs) u.codes.use(g.gid, g.text);
      }
    }
    for (auto& [index, u] : uses) {
      const fonts::Font& font = *fonts.all()[index];
      auto program = subsetFontProgram(font, u.codes.glyphs());
      if (!program) return program.error();
      const std::string name = subsetTag(font.postscriptName(), u.codes.glyphs()) + "+" + font.postscriptName();

      PdfObject* file = objects->CreateObject(PdfDictionary());
      file->GetDictionary().AddKey("Length1", integer(static_cast<long long>(program->size())));
      file->GetStream()->Set(reinterpret_cast<const char*>(program->data()), static_cast<pdf_long>(program->size()));

      PdfObject* descriptor = objects->CreateObject("FontDescriptor");
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

      PdfObject* cid = objects->CreateObject("Font");
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
        PdfObject* map = objects->CreateObject(PdfDictionary());
        const Bytes cidToGid = u.codes.cidToGidMap();
        map->GetStream()->Set(reinterpret_cast<const char*>(cidToGid.data()), static_cast<pdf_long>(cidToGid.size()));
        cd.AddKey("CIDToGIDMap", map->Reference());
      }
      cd.AddKey("DW", integer(1000));
      cd.AddKey("W", metricArray(horizontalWidths(font, u.codes)));
      if (u.vertical) cd.AddKey("W2", metricArray(verticalMetrics(font, u.codes)));

      const auto mapping = u.codes.toUnicode();
      PdfObject* toUnicode = objects->CreateObject(PdfDictionary());
      const std::string cmap = toUnicodeCMap(mapping);
      toUnicode->GetStream()->Set(cmap.c_str(), static_cast<pdf_long>(cmap.size()));

      for (bool vertical : {false, true}) {
        if (vertical ? !u.vertical : !u.horizontal) continue;
        PdfObject* type0 = objects->CreateObject("Font");
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

    for (auto& [pageIndex, work] : impl_->pages) {
      PdfPage* page = doc.GetPage(pageIndex);
      const PageFrame frame = frameOf(page);
      PdfObject* resources = page->GetResources();
      if (resources == nullptr) {
        page->GetObject()->GetDictionary().AddKey("Resources", PdfDictionary());
        resources = page->GetResources();
      }
      if (!resources->GetDictionary().HasKey("Font")) resources->GetDictionary().AddKey("Font", PdfDictionary());
      PdfObject* fontDict = resources->GetDictionary().GetKey("Font");
      if (fontDict->IsReference()) fontDict = objects->GetObject(fontDict->GetReference());
      std::map<std::pair<std::size_t, bool>, std::string> resourceNames;
      for (auto& [index, u] : uses) {
        for (bool vertical : {false, true}) {
          if (vertical ? !u.vertical : !u.horizontal) continue;
          // A name the page does not use yet: templates carry fonts of their own (ours included).
          std::string rn;
          for (int k = 0; rn.empty() || fontDict->GetDictionary().HasKey(PdfName(rn)); ++k) {
            rn = "KF" + std::to_string(index) + (vertical ? "V" : "H") + "_" + std::to_string(k);
          }
          fontDict->GetDictionary().AddKey(PdfName(rn), vertical ? u.v : u.h);
          resourceNames[{index, vertical}] = rn;
        }
      }

      std::ostringstream s;
      s << "Q\nq\n" << frame.cm << "\n";
      for (const auto& group : work.groups) {
      // The field's exact text for extraction and copy: spacing (字取り), line breaks and
      // vertical forms do not change what the value is.
      if (!group.actualText.empty()) s << "/Span << /ActualText <FEFF" << utf16Hex(group.actualText) << "> >> BDC\n";
      for (const auto& run : group.runs) {
        if (run.glyphs.empty()) continue;
        const fonts::Font& font = *fonts.all()[run.font];
        s << "BT\n/" << resourceNames[{run.font, run.vertical}] << " " << fmt(run.size) << " Tf\n";
        // One Tm per run, then TJ adjustments so each glyph lands exactly where layout put it.
        std::size_t i = 0;
        while (i < run.glyphs.size()) {
          const auto& first = run.glyphs[i];
          const double x0 = first.x, y0 = frame.height - first.y;
          if (run.vertical) {
            s << "1 0 0 " << fmt(run.scale) << " " << fmt(x0) << " " << fmt(y0) << " Tm\n[";
          } else if (run.rotated) {  // turned 90° clockwise (Latin in vertical text)
            s << "0 " << fmt(-run.scale) << " 1 0 " << fmt(x0) << " " << fmt(y0) << " Tm\n[";
          } else {
            s << fmt(run.scale) << " 0 0 1 " << fmt(x0) << " " << fmt(y0) << " Tm\n[";
          }
          std::size_t j = i;
          for (; j < run.glyphs.size(); ++j) {
            const auto& g = run.glyphs[j];
            if (j > i) {
              const auto& prev = run.glyphs[j - 1];
              double adjust;
              if (run.vertical) {
                if (std::abs(g.x - prev.x) > 1e-3) break;  // new column: new Tm
                const double natural = -font.verticalAdvance(prev.gid);  // w1y, negative
                const double desired = -(g.y - prev.y) / (run.size * run.scale) * 1000.0;
                adjust = natural - desired;
              } else {
                if (run.rotated || std::abs(g.y - prev.y) > 1e-3) break;  // new line (or a shifted mark): new Tm
                const double natural = font.horizontalAdvance(prev.gid);
                const double desired = (g.x - prev.x) / (run.size * run.scale) * 1000.0;
                adjust = natural - desired;
              }
              if (std::abs(adjust) > 0.05) s << fmt(adjust);
            }
            s << "<" << hexGlyph(uses.at(run.font).codes.cidOf(g.gid, g.text)) << ">";
          }
          s << "] TJ\n";
          i = j;
        }
        s << "ET\n";
      }
      if (!group.actualText.empty()) s << "EMC\n";
      }
      if (!work.marks.empty()) {
        s << "q 0 0 0 RG 1 J 1 j\n";
        for (const auto& m : work.marks) s << markPath(m, frame.height);
        s << "Q\n";
      }
      s << "Q\n";
      const std::string content = s.str();

      // Wrap the template's own content in q … Q so its graphics state cannot leak into ours.
      PdfObject* open = objects->CreateObject(PdfDictionary());
      open->GetStream()->Set("q\n", 2);
      PdfObject* mine = objects->CreateObject(PdfDictionary());
      mine->GetStream()->Set(content.c_str(), static_cast<pdf_long>(content.size()));
      PdfArray contents;
      contents.push_back(open->Reference());
      PdfDictionary& pd = page->GetObject()->GetDictionary();
      if (pd.HasKey("Contents")) {
        PdfObject* existing = pd.GetKey("Contents");
        if (existing->IsArray()) {
          for (const auto& item : existing->GetArray()) contents.push_back(item);
        } else if (existing->IsReference()) {
          PdfObject* target = objects->GetObject(existing->GetReference());
          if (target != nullptr && target->IsArray()) {
            for (const auto& item : target->GetArray()) contents.push_back(item);
          } else {
            contents.push_back(*existing);
          }
        }
      }
      contents.push_back(mine->Reference());
      pd.AddKey("Contents", contents);
    }

    // No timestamps, no producer: same inputs give the same bytes (PoDoFo derives /ID from them).
    PdfObject* info = doc.GetTrailer()->GetIndirectKey("Info");
    if (info != nullptr && info->IsDictionary()) {
      info->GetDictionary().RemoveKey("CreationDate");
      info->GetDictionary().RemoveKey("ModDate");
      info->GetDictionary().RemoveKey("Producer");
    }
    PdfRefCountedBuffer buffer;
    PdfOutputDevice device(&buffer);
    if (impl_->newFields.empty() && flatten) {
      device.Write(impl_->templateBytes.data(), static_cast<pdf_long>(impl_->templateBytes.size()));
      doc.WriteUpdate(&device, /*bTruncate=*/false);
    } else {
      doc.Write(&device);  // drawing a template: one clean revision
    }
    const auto* data = reinterpret_cast<const std::uint8_t*>(buffer.GetBuffer());
    return Bytes(data, data + device.GetLength());
  } catch (const PdfError& e) {
    return Error::of(ErrorCode::Internal, std::string("PDF writing failed: ") + PdfError::ErrorMessage(e.GetError()));
  }
}

}  // namespace kakanai::pdf
