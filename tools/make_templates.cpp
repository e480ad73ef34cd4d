// Draws the blank form templates from their sources (templates/src/*.json): ruled boxes and lines
// as vector paths, printed labels typeset with the agent's own engine (so the templates embed
// subset fonts too). Run by scripts/make-templates.sh; the PDFs it writes are committed.
#include <podofo/podofo.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fonts/font_set.h"
#include "forms/form_definition.h"
#include "pdf/form_pdf_writer.h"
#include "typeset/field_layout.h"
#include "typeset/shaper.h"

using namespace kakanai;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

std::pair<double, double> paperSize(const std::string& paper) {
  if (paper == "A3") return {297, 420};
  if (paper == "B4") return {257, 364};
  if (paper == "B5") return {182, 257};
  return {210, 297};
}

double num(const Array::Ptr& a, unsigned i) { return a->get(i).convert<double>(); }

int makeTemplate(const std::filesystem::path& source, const std::filesystem::path& outDir, const fonts::FontSet& fonts) {
  std::ifstream in(source);
  std::ostringstream s;
  s << in.rdbuf();
  Poco::JSON::Parser parser;
  auto root = parser.parse(s.str()).extract<Object::Ptr>();
  const auto [wmm, hmm] = paperSize(root->optValue<std::string>("paper", "A4"));
  const std::string file = root->getValue<std::string>("file");

  // A blank page of the right paper size.
  const auto blank = outDir / (file + ".blank");
  {
    PoDoFo::PdfMemDocument doc;
    doc.CreatePage(PoDoFo::PdfRect(0, 0, forms::millimetres(wmm), forms::millimetres(hmm)));
    doc.Write(blank.c_str());
  }
  auto writer = pdf::FormPdfWriter::open(blank.string());
  std::filesystem::remove(blank);
  if (!writer) return 1;
  auto box = [](const Array::Ptr& a) {
    return typeset::Box{forms::millimetres(num(a, 0)), forms::millimetres(num(a, 1)), forms::millimetres(num(a, 2)),
                        forms::millimetres(num(a, 3))};
  };
  if (auto rects = root->getArray("rects")) {
    for (unsigned i = 0; i < rects->size(); ++i) {
      auto r = rects->getArray(i);
      (*writer)->addMark(0, {pdf::MarkKind::Rect, box(r), r->size() > 4 ? num(r, 4) : 0.5});
    }
  }
  if (auto lines = root->getArray("lines")) {
    for (unsigned i = 0; i < lines->size(); ++i) {
      auto l = lines->getArray(i);
      const typeset::Box b{forms::millimetres(num(l, 0)), forms::millimetres(num(l, 1)),
                           forms::millimetres(num(l, 2) - num(l, 0)), forms::millimetres(num(l, 3) - num(l, 1))};
      (*writer)->addMark(0, {pdf::MarkKind::Line, b, l->size() > 4 ? num(l, 4) : 0.5});
    }
  }
  if (auto labels = root->getArray("labels")) {
    for (unsigned i = 0; i < labels->size(); ++i) {
      auto l = labels->getObject(i);
      const fonts::Font* font = fonts.byRole(l->optValue<std::string>("font", "gothic"));
      typeset::FieldStyle st;
      st.size = l->optValue<double>("size", 9);
      st.minSize = 5;
      st.maxLines = l->optValue<int>("maxLines", 1);
      st.steps = {typeset::FitStep::Wrap, typeset::FitStep::Shrink};
      st.padding = 0.5;
      const std::string align = l->optValue<std::string>("align", "start");
      st.align = align == "center" ? typeset::Align::Center : align == "end" ? typeset::Align::End : typeset::Align::Start;
      const bool vertical = l->optValue<std::string>("direction", "horizontal") == "vertical";
      st.direction = vertical ? typeset::Direction::Vertical : typeset::Direction::Horizontal;
      if (l->has("distribute")) st.distribute = {{20, l->getValue<double>("distribute")}};
      const auto text = typeset::decodeUtf8(l->getValue<std::string>("text"));
      auto shaped = typeset::shapeText(fonts, *font, text, st.direction);
      if (!shaped) {
        std::fprintf(stderr, "%s: label %u: %s\n", source.c_str(), i, shaped.error().diagnostic.c_str());
        return 1;
      }
      if (vertical) typeset::applyVerticalForms(*shaped, fonts);
      auto laid = typeset::layoutField(*shaped, fonts, box(l->getArray("at")), st);
      for (const auto& w : laid.warnings) {
        if (w.code == WarningCode::Overflow) {
          std::fprintf(stderr, "%s: label %u does not fit\n", source.c_str(), i);
          return 1;
        }
      }
      (*writer)->addRuns(0, laid.runs);
    }
  }
  if (auto acro = root->getArray("acroFields")) {
    for (unsigned i = 0; i < acro->size(); ++i) {
      auto f = acro->getObject(i);
      pdf::AcroField field;
      field.name = f->getValue<std::string>("name");
      field.box = box(f->getArray("rect"));
      field.checkbox = f->optValue<std::string>("type", "text") == "checkbox";
      field.onState = f->optValue<std::string>("onState", "Yes");
      (*writer)->addAcroField(field);
    }
  }
  auto bytes = (*writer)->finish(fonts, /*flatten=*/false);
  if (!bytes) return 1;
  std::ofstream out(outDir / file, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes->data()), static_cast<std::streamsize>(bytes->size()));
  std::printf("%s\n", (outDir / file).c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: make_templates FONT_MANIFEST TEMPLATES_DIR\n");
    return 2;
  }
  auto fonts = fonts::FontSet::load(argv[1]);
  if (!fonts) {
    std::fprintf(stderr, "%s\n", fonts.error().diagnostic.c_str());
    return 1;
  }
  const std::filesystem::path dir = argv[2];
  int failures = 0;
  std::vector<std::filesystem::path> sources;
  for (const auto& e : std::filesystem::directory_iterator(dir / "src")) {
    if (e.path().extension() == ".json") sources.push_back(e.path());
  }
  std::sort(sources.begin(), sources.end());
  for (const auto& p : sources) failures += makeTemplate(p, dir, **fonts);
  return failures == 0 ? 0 : 1;
}
