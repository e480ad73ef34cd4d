// Fills one form with one resident's data, cold (fonts and template loaded in this process) and
// warm, and writes the PDF plus a description of the same text fields for the pdfme peer
// (bench/pdfme/bench.mjs), so both fill the same template, with the same font, in the same boxes.
//
// usage: forms_bench SOURCE_DIR FORM_ID ITERATIONS OUT_DIR
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>

#include "fonts/font_set.h"
#include "forms/form_filler.h"

using namespace kakanai;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  if (argc < 5) return 2;
  const std::string source = argv[1], formId = argv[2], outDir = argv[4];
  const int iterations = std::atoi(argv[3]);
  const auto coldStart = Clock::now();
  auto fonts = fonts::FontSet::load(source + "/fonts/manifest.json");
  auto forms = forms::loadFormDirectory(source + "/forms");
  if (!fonts || !forms) return 1;
  const auto form = std::find_if(forms->begin(), forms->end(), [&](const auto& f) { return f.id == formId; });
  if (form == forms->end()) return 1;

  Person p;
  p.name = SecretText("佐々木　久美子");
  p.address = SecretText("北海道札幌市中央区北一条西二丁目１番地　札幌ホワイトビルディング第二別館１２０３号室");
  p.birthDate = SecretText("1926-12-25");
  p.sex = Sex::Female;
  forms::FillRequest request;
  request.person = &p;
  request.values = {{"copies", "2"}, {"purpose", "年金"}};
  request.date = "2026-11-23";

  auto first = forms::fillForm(*form, source + "/templates", **fonts, request);
  const double coldMs = std::chrono::duration<double, std::milli>(Clock::now() - coldStart).count();
  if (!first) return 1;
  std::vector<double> warm;
  for (int i = 0; i < iterations; ++i) {
    const auto t0 = Clock::now();
    auto r = forms::fillForm(*form, source + "/templates", **fonts, request);
    warm.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    if (!r) return 1;
  }
  std::sort(warm.begin(), warm.end());
  std::ofstream(outDir + "/kakanai.pdf", std::ios::binary)
      .write(reinterpret_cast<const char*>(first->pdf.data()), static_cast<std::streamsize>(first->pdf.size()));

  // The same text fields for the peer: box in mm, nominal size, the exact text we set.
  Poco::JSON::Array fields;
  for (const auto& f : form->fields) {
    if (f.kind != forms::FieldKind::Text || f.style.direction != typeset::Direction::Horizontal) continue;
    auto text = forms::fieldText(f, request);
    if (!text) continue;
    Poco::JSON::Object o;
    o.set("name", f.name);
    o.set("text", *text);
    o.set("x", f.box.x * 25.4 / 72);
    o.set("y", f.box.y * 25.4 / 72);
    o.set("width", f.box.width * 25.4 / 72);
    o.set("height", f.box.height * 25.4 / 72);
    o.set("size", f.style.size);
    fields.add(o);
  }
  Poco::JSON::Object out;
  out.set("template", source + "/templates/" + form->templateFile);
  out.set("font", (*fonts)->byRole("mincho")->file());  // the file the manifest names, for pdfme too
  out.set("fields", fields);
  out.set("coldMs", coldMs);
  out.set("warmMedianMs", warm[warm.size() / 2]);
  out.set("warmP90Ms", warm[warm.size() * 9 / 10]);
  out.set("bytes", static_cast<int>(first->pdf.size()));
  std::ofstream json(outDir + "/kakanai.json");
  out.stringify(json);
  return 0;
}
