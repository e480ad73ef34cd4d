// Every resident in ../shared/cases × every form, checked with tools nobody here wrote (qpdf,
// poppler's pdffonts, pdftotext and pdftoppm) as well as the engine's own layout report.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <map>

#include "../integration/process.h"
#include "pdf_checks.h"
#include "forms/form_filler.h"
#include "forms/value_format.h"
#include "pdf/form_pdf_writer.h"
#include "pdf/pdf_bundle.h"
#include "typeset/japanese_text.h"
#include "typeset/shaper.h"

namespace kakanai::forms {
namespace {

using kakanai::testing::run;
using kakanai::testing::slurp;
using kakanai::testing::TempDir;
using kakanai::testing::writeFile;

const std::string kSource = KAKANAI_SOURCE_DIR;

const fonts::FontSet& fontSet() {
  static auto set = *fonts::FontSet::load(kSource + "/fonts/manifest.json");
  return *set;
}

const std::vector<FormDefinition>& allForms() {
  static auto forms = *loadFormDirectory(kSource + "/forms");
  return forms;
}

struct Resident {
  std::string id;
  Person person;
};

std::vector<Resident> residents() {
  Poco::JSON::Parser parser;
  auto root = parser.parse(slurp(std::filesystem::path(KAKANAI_SHARED_DIR) / "cases" / "residents.json"))
                  .extract<Poco::JSON::Object::Ptr>();
  std::vector<Resident> out;
  auto list = root->getArray("residents");
  for (unsigned i = 0; i < list->size(); ++i) {
    auto r = list->getObject(i);
    Resident res;
    res.id = r->getValue<std::string>("id");
    res.person.name = SecretText(r->getValue<std::string>("name"));
    res.person.address = SecretText(r->getValue<std::string>("address"));
    res.person.birthDate = SecretText(r->getValue<std::string>("birthDate"));
    res.person.sex = *parseSexName(r->getValue<std::string>("sex"));
    if (r->has("myNumber")) res.person.myNumber = SecretText(r->getValue<std::string>("myNumber"));
    out.push_back(std::move(res));
  }
  return out;
}

// Clerk inputs that satisfy each form.
std::map<std::string, std::string> sampleValues(const std::string& form) {
  if (form == "juminhyo") return {{"copies", "2"}, {"purpose", "年金"}};
  if (form == "inkan") return {{"postalCode", "1000013"}, {"phone", "03-1234-5678"}, {"idDocument", "マイナンバーカード"}};
  if (form == "kokuho") return {{"acquiredDate", "2026-11-01"}, {"reason", "転入"}, {"relationship", "本人"}};
  if (form == "idou") {
    return {{"kind", "転入"}, {"moveDate", "2026-11-01"}, {"newAddress", "東京都千代田区霞が関二丁目１番２号"}, {"householder", "山田　太郎"}};
  }
  if (form == "ininjo") return {{"agentAddress", "東京都千代田区霞が関二丁目１番２号"}, {"agentName", "代理　一郎"}};
  if (form == "inkan-shomei") return {{"applicant", "代理人"}, {"registrationNumber", "A-12345"}, {"copies", "3"}};
  return {};
}

FillResult fill(const FormDefinition& form, const Person& person, std::map<std::string, std::string> values = {}) {
  FillRequest request;
  request.person = &person;
  request.values = values.empty() ? sampleValues(form.id) : values;
  request.date = "2026-11-23";
  auto r = fillForm(form, kSource + "/templates", fontSet(), request);
  EXPECT_TRUE(r.ok()) << form.id << ": " << (r.ok() ? "" : r.error().diagnostic);
  return r.ok() ? std::move(*r) : FillResult{};
}

bool hasWarning(const FillResult& r, const std::string& field, const std::string& code) {
  for (const auto& w : r.warnings) {
    if (w.field == field && warningName(w.code) == code) return true;
  }
  return false;
}

const FormField* fieldNamed(const FormDefinition& f, const std::string& name) {
  for (const auto& field : f.fields) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

std::string choiceOf(const FillResult& r, const std::string& field) {
  for (const auto& c : r.choices) {
    if (c.field == field) return c.option;
  }
  return "";
}

TEST(Forms, DefinitionsLoadAndMatchTheirTemplates) {
  ASSERT_GE(allForms().size(), 5u);
  bool vertical = false;
  for (const auto& f : allForms()) {
    EXPECT_TRUE(std::filesystem::exists(kSource + "/templates/" + f.templateFile)) << f.id;
    for (const auto& field : f.fields) {
      vertical |= field.style.direction == typeset::Direction::Vertical;
      if (field.kind == FieldKind::Choice) continue;
      EXPECT_LE(field.box.x + field.box.width, 595.3) << f.id << " " << field.name;
      EXPECT_LE(field.box.y + field.box.height, 841.9) << f.id << " " << field.name;
    }
  }
  EXPECT_TRUE(vertical) << "at least one form is vertical";
}

TEST(Forms, EveryResidentOnEveryFormIsRightAndStaysInItsBoxes) {
  TempDir dir;
  for (const auto& res : residents()) {
    for (const auto& form : allForms()) {
      SCOPED_TRACE(res.id + " × " + form.id);
      const FillResult r = fill(form, res.person);
      ASSERT_FALSE(r.pdf.empty());
      const auto pdf = dir.path() / (res.id + "-" + form.id + ".pdf");
      writeFile(pdf, std::string(r.pdf.begin(), r.pdf.end()));

      auto qpdf = run({"qpdf", "--check", pdf.string()}, "", dir.path());
      EXPECT_EQ(qpdf.exitCode, 0) << qpdf.out << qpdf.err;

      // Every font embedded, subset, with a ToUnicode map.
      auto fonts = run({"pdffonts", pdf.string()}, "", dir.path());
      ASSERT_EQ(fonts.exitCode, 0);
      std::istringstream lines(fonts.out);
      int rows = 0;
      for (std::string line; std::getline(lines, line);) {
        if (line.find("CID TrueType") == std::string::npos) continue;
        ++rows;
        EXPECT_NE(line.find("yes yes yes"), std::string::npos) << line;
        EXPECT_NE(line.find('+'), std::string::npos) << line;  // subset tag
      }
      EXPECT_GE(rows, 2);

      // Extraction gives back each horizontal value exactly.
      auto text = run({"pdftotext", "-enc", "UTF-8", pdf.string(), "-"}, "", dir.path());
      ASSERT_EQ(text.exitCode, 0);
      FillRequest asked;
      asked.person = &res.person;
      asked.values = sampleValues(form.id);
      asked.date = "2026-11-23";
      for (const auto& field : form.fields) {
        if (field.kind == FieldKind::Choice || field.style.direction != typeset::Direction::Horizontal) continue;
        const auto expected = fieldText(field, asked);
        if (!expected) continue;
        EXPECT_NE(text.out.find(*expected), std::string::npos) << field.name << ": " << *expected;
        // And for the person's own values, the card's text itself.
        if (field.source == "person.name") EXPECT_NE(text.out.find(std::string(res.person.name.view())), std::string::npos) << field.name;
        if (field.source == "person.address") EXPECT_NE(text.out.find(std::string(res.person.address.view())), std::string::npos) << field.name;
      }
      if (form.id == "juminhyo") EXPECT_NE(text.out.find("令和８年１１月２３日"), std::string::npos);

      // No glyph cell outside its field's box.
      for (const auto& f : r.layout) {
        EXPECT_GE(f.ink.x, f.box.x - 0.01) << f.name;
        EXPECT_GE(f.ink.y, f.box.y - 0.01) << f.name;
        EXPECT_LE(f.ink.x + f.ink.width, f.box.x + f.box.width + 0.01) << f.name;
        EXPECT_LE(f.ink.y + f.ink.height, f.box.y + f.box.height + 0.01) << f.name;
      }

      // Same inputs, same bytes.
      const FillResult again = fill(form, res.person);
      EXPECT_TRUE(again.pdf == r.pdf);

      // The warnings the cases call for.
      const bool nonBmp = res.person.name.view().find("𠮷") != std::string_view::npos;
      if (fieldNamed(form, "name") != nullptr) {
        EXPECT_EQ(hasWarning(r, "name", "fallback_font"), nonBmp);
        for (const auto& w : r.warnings) EXPECT_NE(w.code, WarningCode::Overflow) << w.field;
      }
    }
  }
}

TEST(Forms, VariationSelectorsSurviveIntoTheText) {
  TempDir dir;
  for (const auto& res : residents()) {
    if (res.id != "ivs") continue;
    const FillResult r = fill(allForms().front(), res.person);
    writeFile(dir.path() / "ivs.pdf", std::string(r.pdf.begin(), r.pdf.end()));
    auto text = run({"pdftotext", "-enc", "UTF-8", (dir.path() / "ivs.pdf").string(), "-"}, "", dir.path());
    EXPECT_NE(text.out.find("葛\xF3\xA0\x84\x80城"), std::string::npos);  // U+845B U+E0100 kept
    EXPECT_NE(text.out.find("辻\xF3\xA0\x84\x80彦"), std::string::npos);
  }
}

TEST(Forms, EraChoicesAndYearsAtTheBoundariesInTheCases) {
  const FormDefinition* juminhyo = nullptr;
  for (const auto& f : allForms()) {
    if (f.id == "juminhyo") juminhyo = &f;
  }
  ASSERT_NE(juminhyo, nullptr);
  const std::map<std::string, std::pair<std::string, std::string>> expected = {
      {"basic", {"昭和", "５５"}},      {"variant-kanji", {"平成", "元"}}, {"non-bmp", {"昭和", "６４"}},
      {"ivs", {"令和", "元"}},          {"long-address", {"昭和", "元"}}, {"latin-name", {"平成", "７"}},
      {"taisho", {"大正", "元"}},       {"unspecified-sex", {"平成", "１３"}}};
  TempDir dir;
  for (const auto& res : residents()) {
    auto it = expected.find(res.id);
    if (it == expected.end()) continue;
    SCOPED_TRACE(res.id);
    const FillResult r = fill(*juminhyo, res.person);
    EXPECT_EQ(choiceOf(r, "birthEra"), it->second.first);
    writeFile(dir.path() / "era.pdf", std::string(r.pdf.begin(), r.pdf.end()));
    auto text = run({"pdftotext", "-enc", "UTF-8", (dir.path() / "era.pdf").string(), "-"}, "", dir.path());
    EXPECT_NE(text.out.find(it->second.second), std::string::npos);
    const std::string sex = std::string(sexName(res.person.sex));
    EXPECT_EQ(choiceOf(r, "sex"), sex == "unspecified" ? "" : sex);  // nothing circled when unspecified
  }
}

TEST(Forms, AcroFormTemplateIsFilledByNameAndFlattened) {
  const auto form = std::find_if(allForms().begin(), allForms().end(), [](const auto& f) { return f.id == "inkan-shomei"; });
  ASSERT_NE(form, allForms().end());
  auto tmpl = pdf::FormPdfWriter::open(kSource + "/templates/" + form->templateFile);
  ASSERT_TRUE(tmpl.ok());
  const auto fields = (*tmpl)->acroFields();
  ASSERT_EQ(fields.size(), 8u);
  bool sawCheckbox = false;
  for (const auto& f : fields) {
    if (!f.checkbox) continue;
    sawCheckbox = true;
    EXPECT_EQ(f.onState, "選択");  // the on-state is read from /AP /N, not assumed to be /Yes
  }
  EXPECT_TRUE(sawCheckbox);
  const FillResult r = fill(*form, residents().front().person);
  EXPECT_EQ(choiceOf(r, "applicant"), "代理人");
  // Flattened: the filled document has no form and no widgets (the template's own bytes stay
  // as the earlier revision of the incremental update; they hold nothing of the resident).
  TempDir dir;
  writeFile(dir.path() / "acro.pdf", std::string(r.pdf.begin(), r.pdf.end()));
  auto info = run({"pdfinfo", (dir.path() / "acro.pdf").string()}, "", dir.path());
  const auto formLine = info.out.substr(info.out.find("Form:"), info.out.find('\n', info.out.find("Form:")) - info.out.find("Form:"));
  EXPECT_NE(formLine.find("none"), std::string::npos) << info.out;
  auto reopened = pdf::FormPdfWriter::open((dir.path() / "acro.pdf").string());
  ASSERT_TRUE(reopened.ok());
  EXPECT_TRUE((*reopened)->acroFields().empty());
  // The values sit where the named fields were.
  for (const auto& f : r.layout) {
    if (f.name != "name") continue;
    const auto shimei = std::find_if(fields.begin(), fields.end(), [](const auto& a) { return a.name == "shimei"; });
    EXPECT_NEAR(f.box.x, shimei->box.x, 0.01);
    EXPECT_NEAR(f.box.y, shimei->box.y, 0.01);
  }
}

TEST(Forms, CommittedTemplatesAreWhatTheirSourcesMake) {
  TempDir dir;
  std::filesystem::copy(kSource + "/templates/src", dir.path() / "src");
  auto made = run({KAKANAI_MAKE_TEMPLATES_BIN, kSource + "/fonts/manifest.json", dir.path().string()}, "", dir.path());
  ASSERT_EQ(made.exitCode, 0) << made.err;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    if (entry.path().extension() != ".pdf") continue;
    EXPECT_EQ(slurp(entry.path()), slurp(std::filesystem::path(kSource) / "templates" / entry.path().filename()))
        << entry.path().filename() << " is stale: run scripts/make-templates.sh";
  }
}

TEST(Forms, ABundleHoldsEveryFillsPagesInOrderAndRefusesWhatIsNoPdf) {
  const auto people = residents();
  ASSERT_FALSE(people.empty());
  TempDir dir;
  pdf::PdfBundle bundle;
  std::vector<std::string> ids{"juminhyo", "idou"};  // not the catalogue's order: the caller's
  for (const auto& id : ids) {
    const auto form = std::find_if(allForms().begin(), allForms().end(), [&](const FormDefinition& f) { return f.id == id; });
    ASSERT_NE(form, allForms().end());
    FillResult filled = fill(*form, people[0].person);
    auto part = pdf::BundlePart::read(ByteView(filled.pdf.data(), filled.pdf.size()));
    ASSERT_TRUE(part.ok()) << part.error().diagnostic;
    ASSERT_TRUE(bundle.append(std::move(*part)).ok());
  }
  auto bytes = bundle.finish();
  ASSERT_TRUE(bytes.ok()) << bytes.error().diagnostic;
  const auto path = dir.path() / "bundle.pdf";
  writeFile(path, std::string(bytes->begin(), bytes->end()));
  auto check = run({"qpdf", "--check", path.string()}, "", dir.path());
  EXPECT_EQ(check.exitCode, 0) << check.out << check.err;
  auto pages = run({"qpdf", "--show-npages", path.string()}, "", dir.path());
  EXPECT_EQ(pages.out, "2\n");
  // Each page is its form's, in the order appended: 住民票 first, then 異動届.
  auto first = run({"pdftotext", "-enc", "UTF-8", "-f", "1", "-l", "1", path.string(), "-"}, "", dir.path());
  auto second = run({"pdftotext", "-enc", "UTF-8", "-f", "2", "-l", "2", path.string(), "-"}, "", dir.path());
  EXPECT_NE(first.out.find("住民票の写し"), std::string::npos) << first.out;
  EXPECT_NE(second.out.find("届出日"), std::string::npos) << second.out;
  EXPECT_NE(first.out.find("山田"), std::string::npos);
  EXPECT_NE(second.out.find("山田"), std::string::npos);

  const std::string notPdf = "%PDF-1.7 this is not a document";
  auto refused = pdf::BundlePart::read(ByteView(reinterpret_cast<const std::uint8_t*>(notPdf.data()), notPdf.size()));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::Internal);  // our own fills: a defect of ours, never the clerk's
  EXPECT_FALSE(pdf::PdfBundle().finish().ok());  // nothing appended
}

TEST(Forms, ACharacterNoFontHasIsGlyphMissingForTheClerk) {
  Person p;
  p.name = SecretText("辻\U000E0105　花子😀");
  p.address = SecretText("東京都");
  p.birthDate = SecretText("1980-04-01");
  FillRequest request;
  request.person = &p;
  request.values = sampleValues("juminhyo");
  request.date = "2026-11-23";
  const auto form = std::find_if(allForms().begin(), allForms().end(), [](const auto& f) { return f.id == "juminhyo"; });
  ASSERT_NE(form, allForms().end());
  auto r = fillForm(*form, kSource + "/templates", fontSet(), request);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::GlyphMissing);
  EXPECT_EQ(r.error().items, (std::vector<std::string>{"U+8FBB U+E0105", "U+1F600"}));
}

TEST(Forms, MissingClerkInputsAreNamed) {
  for (const auto& form : allForms()) {
    if (form.id != "juminhyo") continue;
    Person p = residents().front().person;
    FillRequest request;
    request.person = &p;
    request.date = "2026-11-23";
    auto r = fillForm(form, kSource + "/templates", fontSet(), request);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::MissingInput);
    EXPECT_EQ(r.error().items, std::vector<std::string>{"copies"});
  }
}

TEST(Forms, BadDefinitionsNameTheFileAndField) {
  auto r = parseFormDefinition(R"({"id":"x","title":"t","template":"x.pdf","fields":[{"name":"a","source":"person.name","box":[1,2,3]}]})", "bad.json");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().diagnostic.find("bad.json: field a: box"), std::string::npos) << r.error().diagnostic;
  r = parseFormDefinition(R"({"id":"x","title":"t","template":"x.pdf","fields":[{"name":"b","source":"values.nope","box":[1,2,3,4]}]})", "bad.json");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().diagnostic.find("field b"), std::string::npos);
  r = parseFormDefinition(R"({"id":"x","title":"t","template":"../etc/passwd","fields":[]})", "bad.json");
  ASSERT_FALSE(r.ok());
}

// Values Poco cannot convert (a null in a list, an integer beyond int) once threw out of the
// parser and ended the process (found by the form-definition fuzzer).
TEST(Forms, ValuesOfTheWrongTypeAreDefinitionErrorsNotCrashes) {
  const std::string head = R"({"id":"x","title":"t","template":"x.pdf",)";
  const std::string grid = R"("fields":[{"name":"p","type":"grid","source":"person.name","cells":7,"box":[1,2,30,5],"groups":)";
  const struct {
    std::string json, expected;
  } cases[] = {
      {head + grid + "[3, 4444444444444]}]}", "groups must be positive"},
      {head + grid + "[3, 40]}]}", "groups must be positive"},
      {head + R"("fields":[{"name":"a","source":"person.name","box":[1,2,3,4],"fit":[null]}]})", "fit must be a list"},
      {head + R"("inputs":[{"name":"k","label":"K","type":"choice","options":["a",null]}],)"
              R"("fields":[{"name":"a","source":"values.k","box":[1,2,3,4]}]})",
       "options must be a list of strings"},
  };
  for (const auto& c : cases) {
    auto r = parseFormDefinition(c.json, "bad.json");
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(r.error().code, ErrorCode::DefinitionInvalid);
    EXPECT_NE(r.error().diagnostic.find(c.expected), std::string::npos) << r.error().diagnostic;
  }
}

const FormDefinition& formNamed(const std::string& id) {
  for (const auto& f : allForms()) {
    if (f.id == id) return f;
  }
  ADD_FAILURE() << "no form " << id;
  return allForms().front();
}

Person personOf(const std::string& name, const std::string& address, const std::string& birthDate) {
  Person p;
  p.name = SecretText(name);
  p.address = SecretText(address);
  p.birthDate = SecretText(birthDate);
  p.sex = Sex::Female;
  return p;
}

Result<FillResult> tryFill(const FormDefinition& form, const Person& person, std::map<std::string, std::string> values,
                           const std::string& date = "2026-11-23", const std::string& today = "2026-11-23") {
  FillRequest request;
  request.person = &person;
  request.values = values.empty() ? sampleValues(form.id) : values;
  request.date = date;
  request.today = today;
  return fillForm(form, kSource + "/templates", fontSet(), request);
}

// pdftotext of the document; with `toUnicodeOnly`, of a copy whose /ActualText spans are made
// unknown to the reader (qpdf uncompresses the streams, the key is renamed in place), so that
// only the fonts' ToUnicode maps say what each glyph is — as many viewers' search does.
std::string extractText(const FillResult& r, const TempDir& dir, bool toUnicodeOnly, bool raw = false) {
  const auto pdf = dir.path() / "x.pdf";
  writeFile(pdf, std::string(r.pdf.begin(), r.pdf.end()));
  auto source = pdf;
  if (toUnicodeOnly) {
    const auto qdf = dir.path() / "x.qdf.pdf";
    auto q = run({"qpdf", "--qdf", "--object-streams=disable", pdf.string(), qdf.string()}, "", dir.path());
    EXPECT_EQ(q.exitCode, 0) << q.err;
    std::string bytes = slurp(qdf);
    std::size_t renamed = 0;
    for (std::size_t at = bytes.find("/ActualText"); at != std::string::npos; at = bytes.find("/ActualText", at)) {
      bytes.replace(at, 11, "/ActualTexX");
      ++renamed;
    }
    EXPECT_GT(renamed, 0u);
    source = dir.path() / "x.stripped.pdf";
    writeFile(source, bytes);
  }
  std::vector<std::string> args{"pdftotext", "-enc", "UTF-8"};
  if (raw) args.push_back("-raw");
  args.push_back(source.string());
  args.push_back("-");
  auto text = run(args, "", dir.path());
  EXPECT_EQ(text.exitCode, 0) << text.err;
  if (!raw) return text.out;
  std::string joined;  // -raw gives content order, one line per column fragment
  for (char c : text.out) {
    if (c != '\n') joined.push_back(c);
  }
  return joined;
}

TEST(Forms, ANameAndAnAddressComeOutExactlyAsGiven) {
  const Person p = personOf("Smith-Jones　花子", "東京都港区芝公園4-2-8 Tower-A 12F", "1980-04-01");
  TempDir dir;
  for (const auto& form : allForms()) {
    if (fieldNamed(form, "name") == nullptr || fieldNamed(form, "name")->style.direction != typeset::Direction::Horizontal) continue;
    SCOPED_TRACE(form.id);
    auto r = tryFill(form, p, {});
    ASSERT_TRUE(r.ok()) << r.error().diagnostic;
    for (bool toUnicodeOnly : {false, true}) {
      const std::string text = extractText(*r, dir, toUnicodeOnly);
      EXPECT_NE(text.find("Smith-Jones"), std::string::npos) << text;
      EXPECT_EQ(text.find("Smith－Jones"), std::string::npos);
      EXPECT_NE(text.find("Tower-A 12F"), std::string::npos) << text;
      EXPECT_NE(text.find("芝公園４－２－８"), std::string::npos);  // the address field asks for full-width numbers
    }
  }
}

TEST(Forms, ADigitInANameIsConvertedOnlyWhereTheDefinitionAsks) {
  const Person p = personOf("山田　太郎2世", "東京都", "1980-04-01");
  TempDir dir;
  auto r = tryFill(formNamed("juminhyo"), p, {});
  ASSERT_TRUE(r.ok());
  EXPECT_NE(extractText(*r, dir, false).find("山田　太郎2世"), std::string::npos);
  auto def = parseFormDefinition(R"({"id":"x","title":"t","template":"juminhyo.pdf","fields":[
      {"name":"a","source":"person.name","box":[10,10,100,10]},
      {"name":"b","source":"person.name","box":[10,30,100,10],"digits":"full"}]})", "x.json");
  ASSERT_TRUE(def.ok()) << def.error().diagnostic;
  FillRequest asked;
  asked.person = &p;
  EXPECT_EQ(*fieldText(def->fields[0], asked), "山田　太郎2世");
  EXPECT_EQ(*fieldText(def->fields[1], asked), "山田　太郎２世");
}

TEST(Forms, AGridPlacesEveryDigitOrRefusesTheValue) {
  const FormDefinition& inkan = formNamed("inkan");
  const Person p = residents().front().person;
  auto values = sampleValues("inkan");
  for (const std::string code : {"100-0001", "1000001", "１００－０００１", "100 0001"}) {
    SCOPED_TRACE(code);
    values["postalCode"] = code;
    auto r = tryFill(inkan, p, values);
    ASSERT_TRUE(r.ok()) << r.error().diagnostic;
    // Seven cells, each with its digit centred in it: the hyphen is not a cell.
    std::size_t cells = 0;
    for (const auto& f : r->layout) {
      if (f.name.rfind("postalCode[", 0) != 0) continue;
      ++cells;
      EXPECT_GT(f.ink.width, 0);
      EXPECT_NEAR(f.ink.x + f.ink.width / 2, f.box.x + f.box.width / 2, 0.6) << f.name;
    }
    EXPECT_EQ(cells, 7u);
    for (const auto& w : r->warnings) EXPECT_NE(w.code, WarningCode::Overflow);
  }
  for (const std::string code : {"06-0001", "060001", "10000011", "1000-001", "100-00011"}) {
    SCOPED_TRACE(code);
    values["postalCode"] = code;
    auto r = tryFill(inkan, p, values);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::GridMismatch);
    EXPECT_EQ(r.error().items, std::vector<std::string>{"postalCode"});
    EXPECT_EQ(r.error().diagnostic.find(code), std::string::npos);  // the value itself is not logged
  }
  // A grid without groups: right-aligned when shorter, refused when longer.
  auto def = parseFormDefinition(R"({"id":"x","title":"t","template":"inkan.pdf","fields":[
      {"name":"g","type":"grid","source":"person.name","cells":4,"box":[10,10,40,10]}]})", "x.json");
  ASSERT_TRUE(def.ok());
  EXPECT_EQ(*gridCells(def->fields[0], U"ab"), (std::vector<std::u32string>{U"", U"", U"a", U"b"}));
  EXPECT_EQ(gridCells(def->fields[0], U"abcde").error().code, ErrorCode::GridMismatch);
  def = parseFormDefinition(R"({"id":"x","title":"t","template":"inkan.pdf","fields":[
      {"name":"g","type":"grid","source":"person.name","cells":7,"groups":[3,3],"box":[10,10,40,10]}]})", "x.json");
  EXPECT_FALSE(def.ok());  // groups that do not add up to the cells
}

TEST(Forms, HalfWidthDigitsNeverMixWidths) {
  auto values = sampleValues("inkan");
  values["phone"] = "０３－１２３４－５６７８";
  auto r = tryFill(formNamed("inkan"), residents().front().person, values);
  ASSERT_TRUE(r.ok());
  TempDir dir;
  for (bool toUnicodeOnly : {false, true}) {
    const std::string text = extractText(*r, dir, toUnicodeOnly);
    EXPECT_NE(text.find("03-1234-5678"), std::string::npos) << text;
    EXPECT_EQ(text.find("－"), std::string::npos);
  }
}

TEST(Forms, NoFormPrintsAnEraDateThatNeverExisted) {
  for (const auto& form : allForms()) {
    SCOPED_TRACE(form.id);
    for (const std::string birth : {"1867-12-31", "1800-01-01", "1872-12-31"}) {
      auto r = tryFill(form, personOf("山田　花子", "東京都", birth), {});
      ASSERT_FALSE(r.ok()) << birth;
      EXPECT_EQ(r.error().code, ErrorCode::DateOutOfRange);
      EXPECT_EQ(r.error().items.size(), 1u);
    }
    auto r = tryFill(form, personOf("山田　花子", "東京都", "1980-04-01"), {}, "1872-06-01", "1872-06-01");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::DateOutOfRange);
    EXPECT_EQ(r.error().items, std::vector<std::string>{"applicationDate"});
  }
  // The first day of the solar calendar is 明治6年1月1日.
  auto r = tryFill(formNamed("idou"), personOf("山田　花子", "東京都", "1873-01-01"), {});
  ASSERT_TRUE(r.ok());
  TempDir dir;
  EXPECT_NE(extractText(*r, dir, false).find("明治６年１月１日"), std::string::npos);
  EXPECT_NE(std::string(clerkMessage(ErrorCode::DateOutOfRange)).find("明治6年より前"), std::string::npos);
  EXPECT_EQ(codeName(ErrorCode::DateOutOfRange), "date_out_of_range");
  EXPECT_EQ(codeName(ErrorCode::GridMismatch), "grid_mismatch");
}

TEST(Forms, ImplausibleDatesAreWarningsTheClerkSees) {
  const FormDefinition& idou = formNamed("idou");
  auto r = tryFill(idou, personOf("山田　花子", "東京都", "2026-12-01"), {});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(hasWarning(*r, "birthDate", "birth_date_after_application"));
  r = tryFill(idou, personOf("山田　花子", "東京都", "1980-04-01"), {}, "2024-11-01", "2026-11-23");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(hasWarning(*r, "applicationDate", "application_date_far"));
  EXPECT_FALSE(hasWarning(*r, "birthDate", "birth_date_after_application"));
  r = tryFill(idou, personOf("山田　花子", "東京都", "1980-04-01"), {}, "2027-12-01", "2026-11-23");
  EXPECT_TRUE(hasWarning(*r, "applicationDate", "application_date_far"));
  r = tryFill(idou, personOf("山田　花子", "東京都", "1980-04-01"), {}, "2027-11-23", "2026-11-23");  // 365 days
  EXPECT_FALSE(hasWarning(*r, "applicationDate", "application_date_far"));
  // The tolerance is the request's.
  FillRequest request;
  const Person p = personOf("山田　花子", "東京都", "1980-04-01");
  request.person = &p;
  request.values = sampleValues("idou");
  request.date = "2026-11-01";
  request.today = "2026-11-23";
  request.applicationDateToleranceDays = 7;
  auto near = fillForm(idou, kSource + "/templates", fontSet(), request);
  ASSERT_TRUE(near.ok());
  EXPECT_TRUE(hasWarning(*near, "applicationDate", "application_date_far"));
}

TEST(Forms, AVerticalFormReadsAsACarefulClerkWouldWriteIt) {
  const FormDefinition& ininjo = formNamed("ininjo");
  const Person p = personOf("Mary　O'Brien", "東京都新宿区西新宿2-8-1 Sunny-Heights 3F", "1980-04-01");
  auto r = tryFill(ininjo, p, {{"agentAddress", "東京都千代田区霞が関１２３４番地"}, {"agentName", "代理人11号"}});
  ASSERT_TRUE(r.ok()) << r.error().diagnostic;
  TempDir dir;
  const std::string text = extractText(*r, dir, false);
  EXPECT_NE(text.find("西新宿二の八の一 Sunny-Heights 3F"), std::string::npos) << text;  // no 三F, no 二-八
  EXPECT_NE(text.find("Mary　O'Brien"), std::string::npos);
  // Without /ActualText, in content order: every digit once, as the text has it.
  const std::string plain = extractText(*r, dir, true, /*raw=*/true);
  for (const char* s : {"令和８年１１月２３日", "代理人11号", "昭和５５年４月１日", "Sunny-Heights3F", "一二三四番地"}) {
    EXPECT_NE(plain.find(s), std::string::npos) << s << " in " << plain;
  }
  // One glyph (the half-width 1 of 縦中横) stands for "１" in the date and "1" in the name: two CIDs.
  const std::string bytes = slurp(dir.path() / "x.qdf.pdf");
  EXPECT_NE(bytes.find("/CIDToGIDMap "), std::string::npos);
  EXPECT_NE(bytes.find("/CIDToGIDMap /Identity"), std::string::npos);
  // The vertical metrics /W2 leaves out are the ones /DW2 states, said explicitly (not left to
  // each reader's idea of the default); that they are right is what the rendered references show.
  EXPECT_NE(bytes.find("/DW2 [\n    880\n    -1000\n  ]"), std::string::npos);
  for (const auto& f : r->layout) {
    EXPECT_GE(f.ink.y, f.box.y - 0.01) << f.name;
    EXPECT_LE(f.ink.y + f.ink.height, f.box.y + f.box.height + 0.01) << f.name;
  }
}

using kakanai::testing::pdf::readPng;

// Renders the first page with poppler and compares it with tests/forms/reference/NAME.png.
// KAKANAI_UPDATE_REFERENCES=1 rewrites the references (then look at them!).
void expectMatchesReference(const FillResult& r, const std::string& name) {
  TempDir dir;
  const bool update = std::getenv("KAKANAI_UPDATE_REFERENCES") != nullptr;
  const auto pdf = dir.path() / (name + ".pdf");
  writeFile(pdf, std::string(r.pdf.begin(), r.pdf.end()));
  auto render = run({"pdftoppm", "-r", "72", "-gray", "-png", "-singlefile", pdf.string(), (dir.path() / name).string()}, "", dir.path());
  ASSERT_EQ(render.exitCode, 0) << render.err;
  const auto got = dir.path() / (name + ".png");
  const auto reference = std::filesystem::path(kSource) / "tests/forms/reference" / (name + ".png");
  if (update) std::filesystem::copy_file(got, reference, std::filesystem::copy_options::overwrite_existing);
  unsigned w1 = 0, h1 = 0, w2 = 0, h2 = 0;
  const auto a = readPng(got.string(), w1, h1);
  const auto b = readPng(reference.string(), w2, h2);
  ASSERT_FALSE(b.empty()) << "no reference image " << reference;
  ASSERT_EQ(w1, w2);
  ASSERT_EQ(h1, h2);
  std::size_t differing = 0;
  for (std::size_t i = 0; i < a.size(); ++i) differing += std::abs(int(a[i]) - int(b[i])) > 64 ? 1 : 0;
  // Same Debian poppler renders bit-exactly; the budget only absorbs anti-aliasing noise, so
  // even one digit moved by a millimetre fails.
  EXPECT_LE(differing, 20u) << differing << " pixels differ";
}

TEST(Forms, RenderedPagesMatchTheReferences) {
  // One fixed resident per form, so that a layout regression shows.
  const auto people = residents();
  for (const auto& form : allForms()) {
    SCOPED_TRACE(form.id);
    expectMatchesReference(fill(form, people[3].person), form.id);  // the IVS resident, 令和元年
  }
}

TEST(Forms, VerticalNumbersHyphensAndLatinMatchTheirReference) {
  // Rotated Latin (Mary O'Brien, Sunny-Heights 3F), の between kanji numerals, 123 upright one
  // digit per cell and 45 縦中横, hyphens in their vertical form.
  const Person p = personOf("Mary　O'Brien", "東京都新宿区西新宿2-8-1 Sunny-Heights 3F", "1980-04-01");
  auto r = tryFill(formNamed("ininjo"), p, {{"agentAddress", "東京都千代田区霞が関１２３４番地 第七号館ビル"}, {"agentName", "代理123-45－6"}});
  ASSERT_TRUE(r.ok());
  expectMatchesReference(*r, "ininjo-vertical-latin");
}

TEST(Forms, CommandLineFillsAndReportsErrorsWithProtocolCodes) {
  TempDir dir;
  writeFile(dir.path() / "p.json", R"({"name":"𠮷田　花子","address":"愛知県名古屋市中区三の丸三丁目１番１号","birthDate":"1989-01-07","sex":"female"})");
  writeFile(dir.path() / "v.json", R"({"copies": 2})");
  const std::string agent = KAKANAI_AGENT_BIN;
  auto ok = run({agent, "fill", "--form", "juminhyo", "--person", (dir.path() / "p.json").string(), "--values",
                 (dir.path() / "v.json").string(), "--date", "2026-11-23", "-o", (dir.path() / "o.pdf").string()},
                "", dir.path());
  ASSERT_EQ(ok.exitCode, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("\"fallback_font\""), std::string::npos);
  EXPECT_TRUE(std::filesystem::file_size(dir.path() / "o.pdf") > 1000);
  auto missing = run({agent, "fill", "--form", "juminhyo", "--person", (dir.path() / "p.json").string(), "-o",
                      (dir.path() / "o2.pdf").string()}, "", dir.path());
  EXPECT_NE(missing.exitCode, 0);
  EXPECT_NE(missing.out.find("\"missing_input\""), std::string::npos);
  EXPECT_NE(missing.out.find("\"copies\""), std::string::npos);
  auto unknown = run({agent, "fill", "--form", "nope", "--person", (dir.path() / "p.json").string(), "-o",
                      (dir.path() / "o3.pdf").string()}, "", dir.path());
  EXPECT_NE(unknown.out.find("\"unknown_form\""), std::string::npos);
  auto list = run({agent, "forms", "--json"}, "", dir.path());
  ASSERT_EQ(list.exitCode, 0);
  Poco::JSON::Parser parser;
  auto forms = parser.parse(list.out).extract<Poco::JSON::Object::Ptr>()->getArray("forms");
  EXPECT_EQ(forms->size(), allForms().size());
  // The agent prints nothing of the resident on its diagnostics channel.
  for (const auto& r : {ok, missing, unknown}) {
    EXPECT_EQ(r.err.find("花子"), std::string::npos);
    EXPECT_EQ(r.err.find("名古屋"), std::string::npos);
  }
}

}  // namespace
}  // namespace kakanai::forms
