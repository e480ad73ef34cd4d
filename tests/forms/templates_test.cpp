// Templates as municipalities bring them: AcroForms with hierarchical names, kid-only and
// repeated widgets, pre-filled values and ticked boxes; rotated pages and widgets; CropBox insets;
// object streams; usage rights, signatures, encryption and broken files. Each template is written
// here byte by byte (pdf_checks.h) so the test says what it holds; poppler and qpdf judge the result.
#include <gtest/gtest.h>

#include "template/template_intake.h"

#include <algorithm>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <sstream>

#include "../integration/process.h"
#include "forms/form_filler.h"
#include "pdf/form_pdf_writer.h"
#include "pdf_checks.h"

namespace kakanai::forms {
namespace {

using kakanai::testing::run;
using kakanai::testing::slurp;
using kakanai::testing::TempDir;
using kakanai::testing::writeFile;
using kakanai::testing::pdf::buildPdf;
using kakanai::testing::pdf::readPng;
using kakanai::testing::pdf::stream;
using kakanai::testing::pdf::Word;
using kakanai::testing::pdf::wordsOf;

const std::string kSource = KAKANAI_SOURCE_DIR;
const std::string kA4 = "[0 0 595.28 841.89]";

const fonts::FontSet& fontSet() {
  static auto set = *fonts::FontSet::load(kSource + "/fonts/manifest.json");
  return *set;
}

Person resident() {
  Person p;
  p.name = SecretText("山田　太郎");
  p.address = SecretText("東京都千代田区霞が関二丁目１番２号");
  p.birthDate = SecretText("1980-04-01");
  p.sex = Sex::Male;
  return p;
}

// Fills `pdf` (written as t.pdf in `dir`) with a definition of `fields` (JSON list).
Result<FillResult> fillWith(const TempDir& dir, const std::string& pdf, const std::string& fields, const std::string& extra = "") {
  writeFile(dir.path() / "t.pdf", pdf);
  auto form = parseFormDefinition(R"({"id":"t","title":"t","template":"t.pdf",)" + extra +
                                      R"("inputs":[{"name":"office","label":"o"}],"fields":)" + fields + "}",
                                  "t.json");
  if (!form) return form.error();
  static const Person person = resident();
  FillRequest request;
  request.person = &person;
  request.values = {{"office", "市民課"}};
  request.date = "2026-11-23";
  return fillForm(*form, dir.path().string(), fontSet(), request);
}

std::filesystem::path save(const TempDir& dir, const FillResult& r, const std::string& name = "o.pdf") {
  writeFile(dir.path() / name, std::string(r.pdf.begin(), r.pdf.end()));
  return dir.path() / name;
}

std::vector<Word> words(const TempDir& dir, const std::filesystem::path& pdf) {
  auto out = run({"pdftotext", "-cropbox", "-bbox", "-enc", "UTF-8", pdf.string(), "-"}, "", dir.path());
  EXPECT_EQ(out.exitCode, 0) << out.err;
  return wordsOf(out.out);
}

const Word* wordWith(const std::vector<Word>& ws, const std::string& text, int page = -1) {
  for (const auto& w : ws) {
    if (w.text.find(text) != std::string::npos && (page < 0 || w.page == page)) return &w;
  }
  return nullptr;
}

int qpdfWarnings(const TempDir& dir, const std::filesystem::path& pdf) {
  auto check = run({"timeout", "60", "qpdf", "--check", pdf.string()}, "", dir.path());
  EXPECT_NE(check.exitCode, 2) << check.out << check.err;
  int n = 0;
  for (std::size_t at = check.out.find("WARNING"); at != std::string::npos; at = check.out.find("WARNING", at + 1)) ++n;
  return n;
}

// qpdf finds nothing (or no more than in the template), and poppler reads the xref without
// complaint (within 20 s: poppler loops on some broken templates).
void expectQpdfClean(const TempDir& dir, const std::filesystem::path& pdf, int templateWarnings = 0) {
  EXPECT_LE(qpdfWarnings(dir, pdf), templateWarnings);
  auto poppler = run({"timeout", "20", "pdfinfo", pdf.string()}, "", dir.path());
  if (poppler.exitCode == 124) return;
  EXPECT_EQ(poppler.exitCode, 0);
  EXPECT_EQ(poppler.err.find("Error"), std::string::npos) << poppler.err;
}

// A two-page A4 AcroForm as form tools make them: hierarchical names (applicant.name,
// agent.name: the short name "name" twice), a field whose widgets have no /T of their own on
// both pages (office), a pre-filled text field showing a black bar, a ticked checkbox showing a
// black square, and a page border in the content.
std::string acroFormTemplate(const std::string& catalogExtra = "", const std::string& formExtra = "", bool typedAppearances = true) {
  const std::string widget = "/Type /Annot /Subtype /Widget /F 4 ";
  const std::string form = typedAppearances ? "/Type /XObject /Subtype /Form " : "";
  return buildPdf({
      "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R 8 0 R 10 0 R 13 0 R 15 0 R] " + formExtra + ">> " + catalogExtra + ">>",
      "<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 /MediaBox " + kA4 + " >>",
      "<< /Type /Page /Parent 2 0 R /Contents 16 0 R /Resources << >> /Annots [6 0 R 7 0 R 9 0 R 11 0 R 14 0 R 15 0 R] >>",
      "<< /Type /Page /Parent 2 0 R /Contents 16 0 R /Resources << >> /Annots [12 0 R] >>",
      "<< /T (applicant) /Kids [6 0 R 7 0 R] >>",
      "<< /Parent 5 0 R /T (name) /FT /Tx " + widget + "/Rect [50 700 250 720] /P 3 0 R >>",
      "<< /Parent 5 0 R /T (address) /FT /Tx " + widget + "/Rect [50 650 290 670] >>",
      "<< /T <FEFF006100670065006E0074> /Kids [9 0 R] >>",  // "agent" in UTF-16BE, as many tools write it
      "<< /Parent 8 0 R /T (name) /FT /Tx " + widget + "/Rect [320 700 520 720] >>",
      "<< /T (office) /FT /Tx /Kids [11 0 R 12 0 R] >>",
      "<< /Parent 10 0 R " + widget + "/Rect [50 600 250 620] >>",
      "<< /Parent 10 0 R " + widget + "/Rect [320 600 520 620] >>",
      "<< /T (prefilled) /FT /Tx /V (X) /Kids [14 0 R] >>",
      "<< /Parent 13 0 R " + widget + "/Rect [320 500 420 520] /AP << /N 17 0 R >> >>",
      "<< /T (ticked) /FT /Btn /V /On /AS /On " + widget + "/Rect [320 400 340 420] /AP << /N << /On 18 0 R /Off 19 0 R >> >> >>",
      stream("", "0.5 w 40 40 515.28 761.89 re S"),
      stream(form + "/BBox [0 0 100 20]", "0 g 0 0 100 20 re f"),
      stream(form + "/BBox [0 0 20 20]", "0 g 2 2 16 16 re f"),
      stream(form + "/BBox [0 0 20 20]", ""),
  });
}

TEST(Templates, FieldsByFullNameUniqueShortNameAndKidOnlyWidgetsOnEveryPage) {
  TempDir dir;
  auto r = fillWith(dir, acroFormTemplate(), R"([
      {"name":"n","source":"person.name","acroField":"applicant.name"},
      {"name":"a","source":"person.address","acroField":"address","fit":["shrink"]},
      {"name":"o","source":"values.office","acroField":"office"}])");
  ASSERT_TRUE(r.ok()) << r.error().diagnostic;
  const auto pdf = save(dir, *r);
  expectQpdfClean(dir, pdf);
  const auto ws = words(dir, pdf);
  // applicant.name: user space [50 700 250 720] → displayed x 50..250, y 121.89..141.89.
  const Word* name = wordWith(ws, "山田", 0);
  ASSERT_NE(name, nullptr);
  EXPECT_GE(name->xMin, 49.5);
  EXPECT_LE(name->xMax, 250.5);
  EXPECT_GE(name->yMin, 121.3);
  EXPECT_LE(name->yMax, 142.4);
  EXPECT_NE(wordWith(ws, "霞が関", 0), nullptr);
  // office: one value, both widgets, one per page.
  const Word* office1 = wordWith(ws, "市民課", 0);
  const Word* office2 = wordWith(ws, "市民課", 1);
  ASSERT_NE(office1, nullptr);
  ASSERT_NE(office2, nullptr);
  EXPECT_NEAR(office1->xMin, 51, 2);
  EXPECT_NEAR(office2->xMin, 321, 2);
  int officeWidgets = 0;
  for (const auto& f : r->layout) officeWidgets += f.name == "o";
  EXPECT_EQ(officeWidgets, 2);
}

TEST(Templates, AShortNameSeveralFieldsShareIsADefinitionErrorNamingThem) {
  TempDir dir;
  auto r = fillWith(dir, acroFormTemplate(), R"([{"name":"n","source":"person.name","acroField":"name"}])");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::DefinitionInvalid);
  EXPECT_NE(r.error().diagnostic.find("t.json: field n"), std::string::npos) << r.error().diagnostic;
  EXPECT_NE(r.error().diagnostic.find("applicant.name"), std::string::npos) << r.error().diagnostic;
  EXPECT_NE(r.error().diagnostic.find("agent.name"), std::string::npos) << r.error().diagnostic;
  r = fillWith(dir, acroFormTemplate(), R"([{"name":"n","source":"person.name","acroField":"nothere"}])");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::DefinitionInvalid);
  EXPECT_NE(r.error().diagnostic.find("nothere"), std::string::npos);
}

// Renders page `page` (CropBox) at 36 dpi as grey pixels.
std::vector<std::uint8_t> render(const TempDir& dir, const std::filesystem::path& pdf, int page, unsigned& w, unsigned& h) {
  const auto stem = dir.path() / ("r" + std::to_string(page) + pdf.stem().string());
  auto r = run({"timeout", "20", "pdftoppm", "-cropbox", "-r", "36", "-gray", "-png", "-singlefile", "-f", std::to_string(page + 1), "-l",
                std::to_string(page + 1), pdf.string(), stem.string()},
               "", dir.path());
  EXPECT_EQ(r.exitCode, 0) << r.err;
  return readPng(stem.string() + ".png", w, h);
}

// Pixels that differ between the template and the filled form outside the boxes the fill drew in.
std::size_t differingOutside(const TempDir& dir, const std::filesystem::path& a, const std::filesystem::path& b, int page,
                             const std::vector<typeset::Box>& boxes) {
  unsigned w1 = 0, h1 = 0, w2 = 0, h2 = 0;
  const auto pa = render(dir, a, page, w1, h1);
  const auto pb = render(dir, b, page, w2, h2);
  EXPECT_FALSE(pa.empty());
  EXPECT_EQ(w1, w2);
  EXPECT_EQ(h1, h2);
  if (pa.empty() || w1 != w2 || h1 != h2) return SIZE_MAX;
  const double scale = 36.0 / 72.0;
  std::size_t differing = 0;
  for (unsigned y = 0; y < h1; ++y) {
    for (unsigned x = 0; x < w1; ++x) {
      const bool inBox = std::any_of(boxes.begin(), boxes.end(), [&](const typeset::Box& bx) {
        return x + 1 >= bx.x * scale && x <= (bx.x + bx.width) * scale + 1 && y + 1 >= bx.y * scale && y <= (bx.y + bx.height) * scale + 1;
      });
      if (!inBox && std::abs(int(pa[y * w1 + x]) - int(pb[y * w1 + x])) > 64) ++differing;
    }
  }
  return differing;
}

TEST(Templates, FieldsTheFillDoesNotSetStillShowTheirValuesAndTicks) {
  TempDir dir;
  const std::string tmpl = acroFormTemplate();
  auto r = fillWith(dir, tmpl, R"([{"name":"n","source":"person.name","acroField":"applicant.name"}])");
  ASSERT_TRUE(r.ok()) << r.error().diagnostic;
  const auto pdf = save(dir, *r);
  expectQpdfClean(dir, pdf);
  const std::vector<typeset::Box> filled = {r->layout.at(0).box};
  // The pre-filled bar and the ticked square are still there: the page outside the filled box
  // renders exactly as the template did.
  EXPECT_EQ(differingOutside(dir, dir.path() / "t.pdf", pdf, 0, filled), 0u);
  EXPECT_EQ(differingOutside(dir, dir.path() / "t.pdf", pdf, 1, {}), 0u);
  // And they are part of the page now: no form, no widgets left.
  auto info = run({"pdfinfo", pdf.string()}, "", dir.path());
  const std::size_t form = info.out.find("Form:");
  ASSERT_NE(form, std::string::npos) << info.out;
  EXPECT_EQ(info.out.substr(form, info.out.find('\n', form) - form).find("none") == std::string::npos, false) << info.out;
  EXPECT_EQ(info.err.find("Error"), std::string::npos) << info.err;
  auto reopened = pdf::FormPdfWriter::open(pdf.string());
  ASSERT_TRUE(reopened.ok());
  EXPECT_TRUE((*reopened)->acroFields().empty());
  // The black bar is really drawn, not just an unchanged blank: the template's pixels there are dark.
  unsigned w = 0, h = 0;
  const auto px = render(dir, pdf, 0, w, h);
  EXPECT_LT(px.at(static_cast<std::size_t>((841.89 - 510) * 0.5) * w + static_cast<std::size_t>(370 * 0.5)), 64);
  EXPECT_LT(px.at(static_cast<std::size_t>((841.89 - 410) * 0.5) * w + static_cast<std::size_t>(330 * 0.5)), 64);
}

TEST(Templates, AppearanceStreamsWithoutSubtypeAreDrawnToo) {
  TempDir dir;
  const std::string tmpl = acroFormTemplate("", "", /*typedAppearances=*/false);
  auto r = fillWith(dir, tmpl, R"([{"name":"n","source":"person.name","acroField":"applicant.name"}])");
  ASSERT_TRUE(r.ok()) << r.error().diagnostic;
  const auto pdf = save(dir, *r);
  expectQpdfClean(dir, pdf);
  EXPECT_EQ(differingOutside(dir, dir.path() / "t.pdf", pdf, 0, {r->layout.at(0).box}), 0u);
  auto render = run({"pdftoppm", "-r", "20", pdf.string(), (dir.path() / "x").string()}, "", dir.path());
  EXPECT_EQ(render.err.find("XObject subtype"), std::string::npos) << render.err;
}

TEST(Templates, AValueLeftToTheViewerToDrawIsRefusedUnlessTheFillSetsIt) {
  TempDir dir;
  const std::string tmpl = acroFormTemplate("", "/NeedAppearances true");
  auto r = fillWith(dir, tmpl, R"([{"name":"n","source":"person.name","acroField":"applicant.name"}])");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::TemplateInvalid);
  EXPECT_NE(r.error().diagnostic.find("prefilled"), std::string::npos) << r.error().diagnostic;
  r = fillWith(dir, tmpl, R"([{"name":"n","source":"person.name","acroField":"applicant.name"},
                              {"name":"p","source":"values.office","acroField":"prefilled"}])");
  EXPECT_TRUE(r.ok()) << r.error().diagnostic;
}

TEST(Templates, ChoiceCheckboxesShowOnlyTheChosenTick) {
  TempDir dir;
  // "ticked" is pre-ticked in the template; the definition decides it, so it is shown Off.
  auto r = fillWith(dir, acroFormTemplate(), R"([{"name":"c","type":"choice","source":"person.sex","options":{"male":"applicant.name","female":"ticked"}}])");
  ASSERT_TRUE(r.ok()) << r.error().diagnostic;
  const auto pdf = save(dir, *r);
  unsigned w = 0, h = 0;
  const auto px = render(dir, pdf, 0, w, h);
  EXPECT_GT(px.at(static_cast<std::size_t>((841.89 - 410) * 0.5) * w + static_cast<std::size_t>(330 * 0.5)), 192);
}

// A landscape form: an A4 page with /Rotate 90, one widget turned with the page (/MK /R 90,
// upright as displayed) and one not (/MK /R 0: its text runs up the displayed page).
std::string rotatedTemplate() {
  return buildPdf({
      "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R 5 0 R] >> >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox " + kA4 + " /Rotate 90 /Contents 6 0 R /Annots [4 0 R 5 0 R] >>",
      "<< /T (upright) /FT /Tx /Type /Annot /Subtype /Widget /F 4 /Rect [100 300 130 560] /MK << /R 90 >> >>",
      "<< /T (sideways) /FT /Tx /Type /Annot /Subtype /Widget /F 4 /Rect [300 100 560 130] >>",
      stream("", "0.5 w 20 20 555.28 801.89 re S"),
  });
}

TEST(Templates, RotatedPagesAndWidgetsPlaceTextInTheWidgetInItsRotation) {
  TempDir dir;
  auto r = fillWith(dir, rotatedTemplate(), R"([
      {"name":"u","source":"person.name","acroField":"upright"},
      {"name":"s","source":"values.office","acroField":"sideways"},
      {"name":"b","source":"person.birthDate","format":"era-date","box":[120,150,80,10]}])");
  ASSERT_TRUE(r.ok()) << r.error().diagnostic;
  const auto pdf = save(dir, *r);
  expectQpdfClean(dir, pdf);
  const auto ws = words(dir, pdf);
  // upright: user x 100..130, y 300..560 → displayed (841.89 × 595.28) x 300..560, y 100..130.
  const Word* u = wordWith(ws, "山田");
  ASSERT_NE(u, nullptr);
  EXPECT_GE(u->xMin, 299.5);
  EXPECT_LE(u->xMax, 560.5);
  EXPECT_GE(u->yMin, 99.5);
  EXPECT_LE(u->yMax, 130.5);
  EXPECT_GT(u->xMax - u->xMin, u->yMax - u->yMin);  // set along the displayed line
  // sideways: user x 300..560, y 100..130 → displayed x 100..130, y 300..560, the text running down
  // (poppler's word boxes for turned text are not in page coordinates: look at the pixels).
  EXPECT_NE(wordWith(ws, "市民課"), nullptr);
  unsigned w = 0, h = 0;
  const auto px = render(dir, pdf, 0, w, h);
  ASSERT_EQ(w, 421u);  // 841.89 pt at 36 dpi: the page is shown landscape
  unsigned x0 = w, y0 = h, x1 = 0, y1 = 0;
  for (unsigned y = 40; y + 40 < h; ++y) {
    for (unsigned x = 40; x < 100; ++x) {  // displayed x 80..200 pt
      if (px[y * w + x] > 128) continue;
      x0 = std::min(x0, x), y0 = std::min(y0, y), x1 = std::max(x1, x), y1 = std::max(y1, y);
    }
  }
  ASSERT_LT(x0, x1) << "no text in the sideways widget";
  EXPECT_GE(x0, 49u);   // 100 pt
  EXPECT_LE(x1, 66u);   // 130 pt
  EXPECT_GE(y0, 149u);  // 300 pt
  EXPECT_LE(y1, 281u);  // 560 pt
  EXPECT_GT(y1 - y0, 2 * (x1 - x0));  // a column, not a line
  // A plain box on the rotated page is measured on the page as displayed.
  const Word* b = wordWith(ws, "昭和");
  ASSERT_NE(b, nullptr);
  EXPECT_NEAR(b->xMin, forms::millimetres(120), 4);
  EXPECT_GE(b->yMin, forms::millimetres(150) - 0.5);
  EXPECT_LE(b->yMax, forms::millimetres(160) + 0.5);
}

// An A4 page whose visible part (CropBox) is inset by 10 mm on every side.
std::string cropBoxTemplate() {
  return buildPdf({
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox " + kA4 + " /CropBox [28.35 28.35 566.93 813.54] /Contents 4 0 R /Resources << >> >>",
      stream("", "0.5 w 40 40 100 100 re S"),
  });
}

TEST(Templates, BoxesAreMeasuredFromTheTopLeftOfTheCropBox) {
  TempDir dir;
  auto r = fillWith(dir, cropBoxTemplate(), R"([{"name":"n","source":"person.name","box":[10,10,80,10]}])");
  ASSERT_TRUE(r.ok()) << r.error().diagnostic;
  const auto pdf = save(dir, *r);
  expectQpdfClean(dir, pdf);
  const auto ws = words(dir, pdf);  // poppler's coordinates are the CropBox's
  const Word* n = wordWith(ws, "山田");
  ASSERT_NE(n, nullptr);
  EXPECT_NEAR(n->xMin, forms::millimetres(10), 3.5);
  EXPECT_GE(n->yMin, forms::millimetres(10) - 0.5);
  EXPECT_LE(n->yMax, forms::millimetres(20) + 0.5);
  // 190 mm is visible across: a box reaching 200 mm is outside.
  auto outside = fillWith(dir, cropBoxTemplate(), R"([{"name":"far","source":"person.name","box":[120,10,80,10]}])");
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(outside.error().code, ErrorCode::DefinitionInvalid);
  EXPECT_NE(outside.error().diagnostic.find("t.json: field far: the box is outside the visible page"), std::string::npos)
      << outside.error().diagnostic;
}

std::string pagesTemplate(int pages, const std::string& mediaBox = kA4) {
  std::vector<std::string> objects = {"<< /Type /Catalog /Pages 2 0 R >>", ""};
  std::string kids;
  for (int i = 0; i < pages; ++i) {
    kids += std::to_string(i + 4) + " 0 R ";
  }
  objects[1] = "<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages) + " /MediaBox " + mediaBox + " >>";
  objects.push_back(stream("", "0.5 w 40 40 100 100 re S"));
  for (int i = 0; i < pages; ++i) objects.push_back("<< /Type /Page /Parent 2 0 R /Contents 3 0 R >>");
  return buildPdf(objects);
}

TEST(Templates, DefinitionsThatDoNotMatchTheTemplateAreDefinitionErrorsNamingTheField) {
  TempDir dir;
  auto r = fillWith(dir, pagesTemplate(2), R"([{"name":"late","source":"person.name","page":2,"box":[10,10,80,10]}])");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::DefinitionInvalid);
  EXPECT_NE(r.error().diagnostic.find("t.json: field late: page 3 is not in the template"), std::string::npos) << r.error().diagnostic;
  r = fillWith(dir, pagesTemplate(1), R"([{"name":"n","source":"person.name","box":[10,10,80,10]}])", R"("paper":"A3",)");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::DefinitionInvalid);
  EXPECT_NE(r.error().diagnostic.find("paper A3"), std::string::npos) << r.error().diagnostic;
  // Landscape A4 is A4.
  r = fillWith(dir, pagesTemplate(1, "[0 0 841.89 595.28]"), R"([{"name":"n","source":"person.name","box":[10,10,80,10]}])", R"("paper":"A4",)");
  EXPECT_TRUE(r.ok()) << r.error().diagnostic;
  // A parse problem has the same code.
  auto bad = parseFormDefinition(R"({"id":"x","title":"t","template":"x.pdf","fields":[{"name":"a","source":"person.name","box":[1,2,3]}]})", "bad.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::DefinitionInvalid);
}

TEST(Templates, FieldsOnAnyPageOfALongTemplate) {
  TempDir dir;
  auto r = fillWith(dir, pagesTemplate(30), R"([{"name":"n","source":"person.name","page":27,"box":[10,10,80,10]}])");
  ASSERT_TRUE(r.ok()) << r.error().diagnostic;
  const auto pdf = save(dir, *r);
  const auto ws = words(dir, pdf);
  EXPECT_NE(wordWith(ws, "山田", 27), nullptr);
}

// The offset the last `startxref` names.
long long startXref(const std::string& pdf) {
  const std::size_t at = pdf.rfind("startxref");
  return std::stoll(pdf.substr(at + 9));
}

struct Update {
  std::string original, filled, appended;
};

Update fillAndSplit(const TempDir& dir, const std::string& tmpl, const std::string& name) {
  auto r = fillWith(dir, tmpl, R"([{"name":"n","source":"person.name","box":[20,20,80,10]}])");
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().diagnostic);
  if (!r.ok()) return {};
  const auto pdf = save(dir, *r, name);
  expectQpdfClean(dir, pdf);
  Update u{tmpl, std::string(r->pdf.begin(), r->pdf.end()), {}};
  EXPECT_EQ(u.filled.compare(0, tmpl.size(), tmpl), 0) << "the template's bytes are not a prefix of the output";
  u.appended = u.filled.substr(std::min(tmpl.size(), u.filled.size()));
  return u;
}

std::string qpdfCopy(const TempDir& dir, const std::string& pdf, const std::vector<std::string>& options) {
  writeFile(dir.path() / "in.pdf", pdf);
  std::vector<std::string> argv = {"qpdf"};
  argv.insert(argv.end(), options.begin(), options.end());
  argv.push_back((dir.path() / "in.pdf").string());
  argv.push_back((dir.path() / "out.pdf").string());
  auto r = run(argv, "", dir.path());
  EXPECT_EQ(r.exitCode, 0) << r.err;
  return slurp(dir.path() / "out.pdf");
}

TEST(Templates, TheFillIsATrueIncrementalUpdateOfAClassicXrefTemplate) {
  TempDir dir;
  const std::string tmpl = slurp(kSource + "/templates/juminhyo.pdf");
  const Update u = fillAndSplit(dir, tmpl, "classic.pdf");
  EXPECT_NE(u.appended.find("\nxref\n"), std::string::npos);
  EXPECT_NE(u.appended.find("/Prev " + std::to_string(startXref(tmpl))), std::string::npos);
  EXPECT_EQ(u.appended.find("/Type/XRef"), std::string::npos);
}

TEST(Templates, AnObjectStreamTemplateGetsAnXrefStreamUpdateThatGrowsOnlyByWhatWasDrawn) {
  TempDir dir;
  const std::string one = qpdfCopy(dir, slurp(kSource + "/templates/juminhyo.pdf"), {"--object-streams=generate"});
  const Update small = fillAndSplit(dir, one, "one.pdf");
  EXPECT_NE(small.appended.find("/Type/XRef"), std::string::npos);
  EXPECT_NE(small.appended.find("/Prev " + std::to_string(startXref(one))), std::string::npos);
  EXPECT_EQ(small.appended.find("\nxref\n"), std::string::npos);
  // 200 pages, all in object streams: the update is the same size as for one page.
  std::vector<std::string> options = {"--object-streams=generate", "--empty", "--pages"};
  for (int i = 0; i < 200; ++i) options.push_back((dir.path() / "one.src.pdf").string());
  options.push_back("--");
  writeFile(dir.path() / "one.src.pdf", one);
  std::vector<std::string> argv = {"qpdf"};
  argv.insert(argv.end(), options.begin(), options.end());
  argv.push_back((dir.path() / "big.pdf").string());
  ASSERT_EQ(run(argv, "", dir.path()).exitCode, 0);
  const std::string big = slurp(dir.path() / "big.pdf");
  const Update large = fillAndSplit(dir, big, "big-filled.pdf");
  EXPECT_NE(run({"pdfinfo", (dir.path() / "big.pdf").string()}, "", dir.path()).out.find("Pages:           200"), std::string::npos);
  EXPECT_LT(large.appended.size(), small.appended.size() + 512) << large.appended.size() << " vs " << small.appended.size();
}

TEST(Templates, UsageRightsAreRemovedWhenTheFileChanges) {
  TempDir dir;
  const std::string tmpl = acroFormTemplate("/Perms << /UR3 << /Type /Sig /Filter /Adobe.PPKLite >> >> ");
  auto r = fillWith(dir, tmpl, R"([{"name":"n","source":"person.name","acroField":"applicant.name"}])");
  ASSERT_TRUE(r.ok()) << r.error().diagnostic;
  const auto pdf = save(dir, *r);
  expectQpdfClean(dir, pdf);
  auto catalog = run({"qpdf", "--show-object=1", pdf.string()}, "", dir.path());
  EXPECT_EQ(catalog.exitCode, 0);
  EXPECT_EQ(catalog.out.find("/Perms"), std::string::npos) << catalog.out;
  EXPECT_EQ(catalog.out.find("/AcroForm"), std::string::npos) << catalog.out;
}

std::string signatureTemplate(bool signedValue) {
  return buildPdf({
      "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] /SigFlags 3 >> >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox " + kA4 + " >>",
      "<< /Type /Page /Parent 2 0 R /Annots [4 0 R] >>",
      "<< /T (sig) /FT /Sig /Type /Annot /Subtype /Widget /F 4 /Rect [0 0 0 0] " + std::string(signedValue ? "/V 5 0 R " : "") + ">>",
      "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 0 0 0] /Contents <00> >>",
  });
}

TEST(Templates, ASignedTemplateIsRefusedRatherThanItsSignatureSilentlyBroken) {
  TempDir dir;
  auto r = fillWith(dir, signatureTemplate(true), R"([{"name":"n","source":"person.name","box":[20,20,80,10]}])");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::TemplateSigned);
  EXPECT_EQ(codeName(r.error().code), "template_signed");
  // An empty signature field (nobody signed) is only a field.
  r = fillWith(dir, signatureTemplate(false), R"([{"name":"n","source":"person.name","box":[20,20,80,10]}])");
  EXPECT_TRUE(r.ok()) << r.error().diagnostic;
}

TEST(Templates, EncryptedTemplatesAreRefusedWithTheirOwnCode) {
  TempDir dir;
  const std::string plain = pagesTemplate(1);
  for (const auto& options : std::vector<std::vector<std::string>>{
           {"--encrypt", "", "owner", "128", "--use-aes=y", "--"},
           {"--encrypt", "", "owner", "256", "--print=none", "--"},
           {"--encrypt", "user", "owner", "256", "--"}}) {
    SCOPED_TRACE(options[1] + " " + options[3]);
    auto r = fillWith(dir, qpdfCopy(dir, plain, options), R"([{"name":"n","source":"person.name","box":[20,20,80,10]}])");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::TemplateEncrypted) << r.error().diagnostic;
  }
}

TEST(Templates, BrokenTemplatesAreTemplateErrorsNeverCrashes) {
  TempDir dir;
  const std::string field = R"([{"name":"n","source":"person.name","box":[20,20,80,10]}])";
  // A page without /Resources (and none inherited) is filled.
  auto r = fillWith(dir, pagesTemplate(1), field);
  ASSERT_TRUE(r.ok()) << r.error().diagnostic;
  expectQpdfClean(dir, save(dir, *r));
  const std::vector<std::string> broken = {
      "not a PDF at all",
      buildPdf({"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [2 0 R] /Count 1 >>"}),              // the tree is its own kid
      buildPdf({"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                "<< /Type /Pages /Kids [2 0 R] /Parent 2 0 R >>"}),                                                // a cycle
      buildPdf({"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [9 0 R] /Count 1 >>"}),              // a dangling kid
      buildPdf({"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>"}),                   // no pages
      buildPdf({"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                "<< /Type /Page /Parent 2 0 R >>"}),                                                               // no MediaBox
      buildPdf({"<< /Type /Catalog >>"}),                                                                          // no pages tree
  };
  for (std::size_t i = 0; i < broken.size(); ++i) {
    SCOPED_TRACE(i);
    r = fillWith(dir, broken[i], field);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::TemplateInvalid) << r.error().diagnostic;
  }
  // A truncated template: every prefix either fills or is a template error.
  const std::string good = acroFormTemplate();
  for (std::size_t cut = 16; cut < good.size(); cut += good.size() / 23) {
    SCOPED_TRACE(cut);
    r = fillWith(dir, good.substr(0, cut), field);
    if (!r.ok()) EXPECT_TRUE(r.error().code == ErrorCode::TemplateInvalid) << r.error().diagnostic;
  }
}

// Every template of the third-party corpus, as it is (not imported): it fills, with every check
// passing, or it is refused with a template code — never internal, never a crash.
TEST(Templates, EveryThirdPartyTemplateFillsOrIsRefusedWithATemplateCode) {
  const std::filesystem::path corpus = kSource + "/tests/data/templates-thirdparty";
  Poco::JSON::Parser parser;
  auto manifest = parser.parse(slurp(corpus / "manifest.json")).extract<Poco::JSON::Object::Ptr>();
  auto files = manifest->getArray("files");
  ASSERT_GE(files->size(), 40u);
  std::size_t filled = 0;
  for (unsigned i = 0; i < files->size(); ++i) {
    auto entry = files->getObject(i);
    const std::string file = entry->getValue<std::string>("file");
    SCOPED_TRACE(file);
    TempDir dir;
    std::string fields = R"([{"name":"name","source":"person.name","box":[15,15,60,8]}])";
    if (entry->has("form") && !entry->isNull("form")) {
      auto def = parser.parse(slurp(corpus / entry->getValue<std::string>("form"))).extract<Poco::JSON::Object::Ptr>();
      std::ostringstream s;
      def->getArray("fields")->stringify(s);
      fields = s.str();
    }
    const std::string tmpl = slurp(corpus / file);
    auto r = fillWith(dir, tmpl, fields);
    if (!r.ok()) {
      const ErrorCode c = r.error().code;
      EXPECT_TRUE(c == ErrorCode::TemplateInvalid || c == ErrorCode::TemplateEncrypted || c == ErrorCode::TemplateSigned)
          << codeName(c) << ": " << r.error().diagnostic;
      continue;
    }
    ++filled;
    const auto pdf = save(dir, *r);
    expectQpdfClean(dir, pdf, qpdfWarnings(dir, dir.path() / "t.pdf"));
    EXPECT_EQ(std::string(r->pdf.begin(), r->pdf.begin() + static_cast<long>(std::min(tmpl.size(), r->pdf.size()))), tmpl);
    EXPECT_LT(r->pdf.size() - tmpl.size(), 64u * 1024) << "the update is more than what was drawn";
    auto text = run({"timeout", "60", "pdftotext", "-enc", "UTF-8", pdf.string(), "-"}, "", dir.path());
    EXPECT_NE(text.out.find("山田　太郎"), std::string::npos);
    // Everything the template showed is still shown outside the boxes the fill set.
    std::map<int, std::vector<typeset::Box>> boxes;
    for (const auto& f : r->layout) boxes[f.page].push_back(f.box);
    auto renders = run({"timeout", "20", "pdftoppm", "-r", "9", "-f", "1", "-l", "1", (dir.path() / "t.pdf").string(), (dir.path() / "probe").string()}, "", dir.path());
    if (renders.exitCode != 0) continue;  // poppler cannot render the template itself (loops): nothing to compare with
    for (const auto& [page, list] : boxes) EXPECT_EQ(differingOutside(dir, dir.path() / "t.pdf", pdf, page, list), 0u) << "page " << page + 1;
  }
  EXPECT_GE(filled, 28u);  // the rest need `template import` first (appearances, repairs, decryption) or are refused
}

// ---- Template intake (libqpdf): import, then fill (issue 11) ----

const std::filesystem::path kCorpus = kSource + "/tests/data/templates-thirdparty";

std::string definitionFields(Poco::JSON::Object::Ptr entry) {
  if (!entry->has("form") || entry->isNull("form")) return R"([{"name":"name","source":"person.name","box":[15,15,60,8]}])";
  Poco::JSON::Parser parser;
  auto def = parser.parse(slurp(kCorpus / entry->getValue<std::string>("form"))).extract<Poco::JSON::Object::Ptr>();
  std::ostringstream s;
  def->getArray("fields")->stringify(s);
  return s.str();
}

// Every file of the corpus through `import`: what the manifest expects — imported and then filled
// with its definition (qpdf clean, the name extracted) or refused with that code — never a crash.
TEST(TemplateIntake, EveryThirdPartyTemplateIsImportedAndFilledOrRefusedAsTheManifestSays) {
  Poco::JSON::Parser parser;
  auto files = parser.parse(slurp(kCorpus / "manifest.json")).extract<Poco::JSON::Object::Ptr>()->getArray("files");
  std::size_t filled = 0;
  for (unsigned i = 0; i < files->size(); ++i) {
    auto entry = files->getObject(i);
    const std::string file = entry->getValue<std::string>("file");
    const std::string expected = entry->getValue<std::string>("expected");
    SCOPED_TRACE(file);
    TempDir dir;
    auto report = template_intake::importTemplate(kCorpus / file, dir.path() / "imported.pdf");
    if (expected != "fill") {
      ASSERT_FALSE(report.ok());
      EXPECT_EQ(codeName(report.error().code), expected) << report.error().diagnostic;
      EXPECT_FALSE(std::filesystem::exists(dir.path() / "imported.pdf"));
      EXPECT_FALSE(std::filesystem::exists(dir.path() / "imported.pdf.importing"));
      continue;
    }
    ASSERT_TRUE(report.ok()) << report.error().diagnostic;
    EXPECT_GE(report->pages, 1);
    EXPECT_EQ(qpdfWarnings(dir, dir.path() / "imported.pdf"), 0);
    auto r = fillWith(dir, slurp(dir.path() / "imported.pdf"), definitionFields(entry));
    ASSERT_TRUE(r.ok()) << codeName(r.error().code) << ": " << r.error().diagnostic;
    ++filled;
    const auto pdf = save(dir, *r);
    EXPECT_EQ(qpdfWarnings(dir, pdf), 0);
    auto text = run({"timeout", "60", "pdftotext", "-enc", "UTF-8", pdf.string(), "-"}, "", dir.path());
    EXPECT_NE(text.out.find("山田　太郎"), std::string::npos);
  }
  EXPECT_GE(filled, 38u);  // every `fill` of the manifest, the ones that needed intake included
}

TEST(TemplateIntake, AnOwnerPasswordTemplateThatAllowsPrintingFillsOnlyAfterImport) {
  TempDir dir;
  const std::string raw = slurp(kCorpus / "enc-aes128-owner-print.pdf");
  const std::string fields = R"([{"name":"name","source":"person.name","box":[15,15,60,8]}])";
  auto before = fillWith(dir, raw, fields);
  ASSERT_FALSE(before.ok());
  EXPECT_EQ(before.error().code, ErrorCode::TemplateEncrypted);
  auto report = template_intake::importTemplate(kCorpus / "enc-aes128-owner-print.pdf", dir.path() / "imported.pdf");
  ASSERT_TRUE(report.ok()) << report.error().diagnostic;
  EXPECT_EQ(report->pages, 30);
  EXPECT_NE(std::string(report->done.front()).find("暗号化"), std::string::npos);
  auto inspected = template_intake::inspectTemplate(dir.path() / "imported.pdf");
  ASSERT_TRUE(inspected.ok());
  EXPECT_FALSE(inspected->encrypted);
  EXPECT_TRUE(fillWith(dir, slurp(dir.path() / "imported.pdf"), fields).ok());
}

TEST(TemplateIntake, ASignatureIsDroppedOnlyWhenAskedAndThenSaidSo) {
  TempDir dir;
  auto refused = template_intake::importTemplate(kCorpus / "digitally-signed.pdf", dir.path() / "o.pdf");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::TemplateSigned);
  EXPECT_NE(refused.error().diagnostic.find("--drop-signature"), std::string::npos);
  template_intake::IntakeOptions drop;
  drop.dropSignature = true;
  auto report = template_intake::importTemplate(kCorpus / "digitally-signed.pdf", dir.path() / "o.pdf", drop);
  ASSERT_TRUE(report.ok()) << report.error().diagnostic;
  ASSERT_EQ(report->warnings.size(), 1u);
  EXPECT_NE(report->warnings[0].find("電子署名"), std::string::npos);
  auto inspected = template_intake::inspectTemplate(dir.path() / "o.pdf");
  ASSERT_TRUE(inspected.ok());
  EXPECT_FALSE(inspected->signedDocument);
  EXPECT_TRUE(fillWith(dir, slurp(dir.path() / "o.pdf"), R"([{"name":"name","source":"person.name","box":[15,15,60,8]}])").ok());
}

TEST(TemplateIntake, RepairsAreReportedAndTheOriginalIsNeverTouched) {
  TempDir dir;
  for (const char* file : {"xref-errors.pdf", "pages-loop.pdf", "append-xref-loop.pdf"}) {
    const std::string original = slurp(kCorpus / file);
    auto report = template_intake::importTemplate(kCorpus / file, dir.path() / "o.pdf");
    ASSERT_TRUE(report.ok()) << file << ": " << report.error().diagnostic;
    EXPECT_FALSE(report->repairs.empty()) << file;
    EXPECT_NE(report->done.back().find("修復"), std::string::npos) << file;
    EXPECT_EQ(slurp(kCorpus / file), original);
  }
  // A page inheriting its MediaBox gets its own: the writer then needs nothing from the tree.
  auto inherited = template_intake::importTemplate(kCorpus / "page-inherit-mediabox.pdf", dir.path() / "o.pdf");
  ASSERT_TRUE(inherited.ok());
  EXPECT_NE(inherited->done.front().find("各ページ"), std::string::npos);
}

TEST(TemplateIntake, InspectGivesPagesAndFieldsInTheDefinitionsMillimetres) {
  auto form = template_intake::inspectTemplate(kCorpus / "pdflib-create-form.pdf");
  ASSERT_TRUE(form.ok()) << form.error().diagnostic;
  EXPECT_TRUE(form->objectStreams);
  ASSERT_EQ(form->pages.size(), 1u);
  EXPECT_NEAR(form->pages[0].mediaWidth, 194.0, 0.1);  // 550 pt
  EXPECT_NEAR(form->pages[0].mediaHeight, 264.6, 0.1);  // 750 pt
  std::map<std::string, template_intake::FieldInspection> byName;
  for (const auto& f : form->fields) byName.emplace(f.name, f);
  ASSERT_TRUE(byName.count("favorite.superhero"));  // the widget has no /T: named by its parents
  const auto& hero = byName.at("favorite.superhero");
  EXPECT_EQ(hero.kind, "text");
  EXPECT_EQ(hero.page, 1);
  EXPECT_EQ(hero.value, "One Punch Man");
  EXPECT_NEAR(hero.box.x, 19.2, 0.2);
  EXPECT_NEAR(hero.box.y, 21.0, 0.2);
  EXPECT_NEAR(hero.box.width, 70.9, 0.2);
  const auto& rocket = byName.at("favorite.rocket");
  EXPECT_EQ(rocket.kind, "radio");
  EXPECT_EQ(rocket.widgets, 4);
  EXPECT_EQ(rocket.options.size(), 4u);
  EXPECT_EQ(byName.at("favorite.planet").kind, "combo");
  EXPECT_EQ(byName.at("favorite.planet").value, "Pluto");
  EXPECT_EQ(byName.at("favorite.person").kind, "list");

  auto boxes = template_intake::inspectTemplate(kCorpus / "boxes.pdf");
  ASSERT_TRUE(boxes.ok());
  ASSERT_GE(boxes->pages.size(), 4u);
  EXPECT_EQ(boxes->pages[1].rotation, 90);
  EXPECT_EQ(boxes->pages[3].rotation, 270);
  EXPECT_NEAR(boxes->pages[0].cropLeft, 3.5, 0.1);
  EXPECT_LT(boxes->pages[0].cropWidth, boxes->pages[0].mediaWidth);

  auto locked = template_intake::inspectTemplate(kCorpus / "enc-aes256-user.pdf");
  ASSERT_TRUE(locked.ok());
  EXPECT_TRUE(locked->needsPassword);
  auto notPdf = template_intake::inspectTemplate(kCorpus / "not-a-pdf.pdf");
  ASSERT_FALSE(notPdf.ok());
  EXPECT_EQ(notPdf.error().code, ErrorCode::TemplateInvalid);
}

}  // namespace
}  // namespace kakanai::forms
