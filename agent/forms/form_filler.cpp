#include "forms/form_filler.h"

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "forms/value_format.h"
#include "pdf/form_pdf_writer.h"
#include "typeset/japanese_text.h"
#include "typeset/shaper.h"

namespace kakanai::forms {

namespace {



// The raw value a field's source names. Person values are copied into a SecretText-backed
// string only for as long as the fill takes.
std::optional<std::string> sourceValue(const FormField& f, const FillRequest& r) {
  const Person* p = r.person;
  if (f.source == "date") return r.date;
  if (f.source.rfind("values.", 0) == 0) {
    auto it = r.values.find(f.source.substr(7));
    if (it == r.values.end() || it->second.empty()) return std::nullopt;
    return it->second;
  }
  if (p == nullptr) return std::nullopt;
  if (f.source == "person.name") return std::string(p->name.view());
  if (f.source == "person.address") return std::string(p->address.view());
  if (f.source == "person.birthDate") return std::string(p->birthDate.view());
  if (f.source == "person.sex") return std::string(sexName(p->sex));
  if (f.source == "person.myNumber" && p->myNumber) return std::string(p->myNumber->view());
  return std::nullopt;
}

}  // namespace

std::optional<std::string> fieldText(const FormField& field, const FillRequest& request) {
  auto raw = sourceValue(field, request);
  if (!raw) return std::nullopt;
  auto text = formatFieldValue(field, *raw);
  if (!text) return std::nullopt;
  return *text;
}

namespace {

Error definitionError(const FormDefinition& form, const std::string& field, const std::string& what) {
  return Error::of(ErrorCode::DefinitionInvalid, form.sourcePath + ": field " + field + ": " + what);
}

// The AcroForm field a definition names, or definition_invalid naming the form, the field and,
// for a short name several fields share, every candidate.
Result<const pdf::AcroField*> namedAcroField(const FormDefinition& form, const std::string& field,
                                             const std::vector<pdf::AcroField>& fields, const std::string& name) {
  const pdf::AcroLookup found = pdf::findAcroField(fields, name);
  if (found.field != nullptr) return found.field;
  if (found.candidates.empty()) return definitionError(form, field, "the template has no field " + name);
  std::string list;
  for (const auto& c : found.candidates) list += (list.empty() ? "" : ", ") + c;
  return definitionError(form, field, "the template has several fields named " + name + " (" + list + "): use the full name");
}

struct PaperSize {
  const char* name;
  double width, height;  // mm, portrait
};
constexpr PaperSize kPapers[] = {{"A3", 297, 420}, {"A4", 210, 297}, {"A5", 148, 210}, {"B4", 257, 364},
                                 {"B5", 182, 257}, {"Letter", 215.9, 279.4}, {"Legal", 215.9, 355.6}};

bool matchesPaper(double w, double h, const PaperSize& p) {
  const double tolerance = millimetres(3);
  auto near = [&](double a, double b) { return std::abs(a - millimetres(b)) <= tolerance; };
  return (near(w, p.width) && near(h, p.height)) || (near(w, p.height) && near(h, p.width));
}

// Within the visible page (the CropBox as displayed), with half a point for rounding.
bool insidePage(const typeset::Box& b, const pdf::PageSize& page) {
  constexpr double slack = 0.5;
  return b.x >= -slack && b.y >= -slack && b.x + b.width <= page.width + slack && b.y + b.height <= page.height + slack;
}

Status checkBox(const FormDefinition& form, const std::string& field, int page, const typeset::Box& box, const pdf::FormPdfWriter& w) {
  if (page >= w.pageCount()) {
    return definitionError(form, field, "page " + std::to_string(page + 1) + " is not in the template (" + std::to_string(w.pageCount()) + " pages)");
  }
  if (!insidePage(box, w.pageSize(page))) return definitionError(form, field, "the box is outside the visible page " + std::to_string(page + 1));
  return okStatus();
}

Status checkField(const FormDefinition& form, const FormField& field, const pdf::FormPdfWriter& w) {
  const auto& acro = w.acroFields();
  if (!field.acroField.empty()) {
    auto a = namedAcroField(form, field.name, acro, field.acroField);
    if (!a) return a.error();
    for (const auto& widget : (*a)->widgets) KAKANAI_TRY(checkBox(form, field.name, widget.page, widget.box, w));
    return okStatus();
  }
  if (field.kind != FieldKind::Choice) return checkBox(form, field.name, field.page, field.box, w);
  for (const auto& [_, name] : field.optionFields) KAKANAI_TRY(namedAcroField(form, field.name, acro, name));
  for (const auto& [option, box] : field.options) KAKANAI_TRY(checkBox(form, field.name + " option " + option, field.page, box, w));
  return okStatus();
}

}  // namespace

Status checkFormTemplate(const FormDefinition& form, const pdf::FormPdfWriter& w) {
  for (const auto& paper : kPapers) {
    if (form.paper != paper.name) continue;
    for (int p = 0; p < w.pageCount(); ++p) {
      const pdf::PageSize size = w.pageSize(p);
      if (!matchesPaper(size.width, size.height, paper) && !matchesPaper(size.mediaWidth, size.mediaHeight, paper)) {
        char mm[64];
        std::snprintf(mm, sizeof mm, "%.0f × %.0f mm", size.width * 25.4 / 72, size.height * 25.4 / 72);
        return Error::of(ErrorCode::DefinitionInvalid, form.sourcePath + ": paper " + form.paper + " does not match the template's page " +
                                                           std::to_string(p + 1) + " (" + mm + ")");
      }
    }
  }
  for (const auto& field : form.fields) KAKANAI_TRY(checkField(form, field, w));
  return okStatus();
}

Status checkFormTemplate(const FormDefinition& form, const std::string& templatesDir) {
  auto writer = pdf::FormPdfWriter::open((std::filesystem::path(templatesDir) / form.templateFile).string());
  if (!writer) return writer.error();
  return checkFormTemplate(form, **writer);
}

namespace {

struct Filling {
  const FormDefinition& form;
  const fonts::FontSet& fonts;
  const FillRequest& request;
  pdf::FormPdfWriter& writer;
  FillResult result;
  std::vector<std::string> missingGlyphs;

  Status field(const FormField& f);
  Status choice(const FormField& f, const std::string& raw);
  void text(const FormField& f, const std::u32string& codepoints, const typeset::ShapedText& shaped, int page,
            const pdf::AcroWidget* widget);
  Status grid(const FormField& f, const fonts::Font& primary, const std::u32string& codepoints);
};

pdf::MarkKind markKind(const std::string& mark) {
  return mark == "check" ? pdf::MarkKind::Check : mark == "cross" ? pdf::MarkKind::Cross : pdf::MarkKind::Ellipse;
}

Status Filling::choice(const FormField& f, const std::string& raw) {
  auto formatted = f.format == ValueFormat::Text ? Result<std::string>(raw) : formatFieldValue(f, raw);
  if (!formatted) return formatted.error();
  const std::string key = *formatted;
  if (!f.optionFields.empty()) {
    // Every option's checkbox shows Off but the chosen one, which gets our mark.
    for (const auto& [option, name] : f.optionFields) {
      auto a = namedAcroField(form, f.name, writer.acroFields(), name);
      if (!a) return a.error();
      if (option != key) {
        writer.clearField(**a);
        continue;
      }
      writer.replaceField(**a);
      for (const auto& w : (*a)->widgets) writer.addMark(w.page, {pdf::MarkKind::Check, w.box});
      result.choices.push_back({f.name, key});
    }
    if (f.optionFields.count(key)) return okStatus();
  }
  auto it = f.options.find(key);
  if (it == f.options.end()) return okStatus();  // e.g. unspecified sex: nothing is circled
  writer.addMark(f.page, {markKind(f.mark), it->second});
  result.choices.push_back({f.name, it->first});
  return okStatus();
}

// A box turned by `p.rotation` back onto the displayed page (for the layout report).
typeset::Box displayedBox(const typeset::Box& local, const pdf::Placement& p) {
  const auto& b = p.box;
  switch (p.rotation) {
    case 90: return {b.x + b.width - local.y - local.height, b.y + b.height - local.x - local.width, local.height, local.width};
    case 180: return {b.x + b.width - local.x - local.width, b.y + b.height - local.y - local.height, local.width, local.height};
    case 270: return {b.x + local.y, b.y + local.x, local.height, local.width};
    default: return {b.x + local.x, b.y + local.y, local.width, local.height};
  }
}

void Filling::text(const FormField& f, const std::u32string& codepoints, const typeset::ShapedText& shaped, int page,
                   const pdf::AcroWidget* widget) {
  pdf::Placement placement;
  typeset::Box box = f.box;
  if (widget != nullptr && widget->rotation != 0) {
    // Set in the widget's own rotation: laid out upright in a box of the turned size.
    placement = {widget->box, widget->rotation};
    const bool sideways = widget->rotation == 90 || widget->rotation == 270;
    box = {0, 0, sideways ? widget->box.height : widget->box.width, sideways ? widget->box.width : widget->box.height};
  }
  auto laid = typeset::layoutField(shaped, fonts, box, f.style);
  writer.addRuns(page, laid.runs, codepoints, placement);
  for (const auto& w : laid.warnings) result.warnings.push_back({f.name, w.code, w.detail});
  if (placement.rotation == 0) {
    result.layout.push_back({f.name, page, box, laid.ink});
  } else {
    result.layout.push_back({f.name, page, placement.box, displayedBox(laid.ink, placement)});
  }
}

// One character per cell, centred (value_format.h: which cell holds what).
Status Filling::grid(const FormField& f, const fonts::Font& primary, const std::u32string& codepoints) {
  auto cells = gridCells(f, codepoints);
  if (!cells) return cells.error();
  typeset::MissingGlyphs missing;
  const double cell = f.box.width / f.cells;
  std::vector<typeset::GlyphRun> gridRuns;
  for (std::size_t i = 0; i < cells->size(); ++i) {
    if ((*cells)[i].empty()) continue;
    auto one = typeset::shapeText(fonts, primary, (*cells)[i], typeset::Direction::Horizontal, &missing);
    if (!one) {
      missingGlyphs.insert(missingGlyphs.end(), missing.codepoints.begin(), missing.codepoints.end());
      continue;
    }
    typeset::FieldStyle st = f.style;
    st.align = typeset::Align::Center;
    st.padding = 0.5;
    const typeset::Box box{f.box.x + cell * static_cast<double>(i), f.box.y, cell, f.box.height};
    auto laid = typeset::layoutField(*one, fonts, box, st);
    gridRuns.insert(gridRuns.end(), laid.runs.begin(), laid.runs.end());
    for (const auto& w : laid.warnings) result.warnings.push_back({f.name, w.code, w.detail});
    result.layout.push_back({f.name + "[" + std::to_string(i) + "]", f.page, box, laid.ink});
  }
  writer.addRuns(f.page, gridRuns, codepoints);
  return okStatus();
}

Status Filling::field(const FormField& declared) {
  FormField f = declared;
  const pdf::AcroField* acro = nullptr;
  if (!f.acroField.empty()) {
    auto a = namedAcroField(form, f.name, writer.acroFields(), f.acroField);
    if (!a) return a.error();
    acro = *a;
    writer.replaceField(*acro);  // set by us, or left empty: never the template's own value
    f.box = acro->box;
    f.page = acro->page;
  }
  auto raw = sourceValue(f, request);
  if (!raw) return okStatus();
  if (f.kind == FieldKind::Choice) return choice(f, *raw);
  const fonts::Font* primary = fonts.byRole(f.fontRole);
  if (primary == nullptr) return definitionError(form, f.name, "no font for role " + f.fontRole);
  auto value = formatFieldValue(f, *raw);
  if (!value) return value.error();
  const auto codepoints = typeset::decodeUtf8(*value);
  if (f.kind == FieldKind::Grid) return grid(f, *primary, codepoints);
  typeset::MissingGlyphs missing;
  auto shaped = typeset::shapeText(fonts, *primary, codepoints, f.style.direction, &missing);
  if (!shaped) {
    missingGlyphs.insert(missingGlyphs.end(), missing.codepoints.begin(), missing.codepoints.end());
    return okStatus();
  }
  if (f.style.direction == typeset::Direction::Vertical) typeset::applyVerticalForms(*shaped, fonts, f.vertical);
  if (acro == nullptr) {
    text(f, codepoints, *shaped, f.page, nullptr);
    return okStatus();
  }
  // One field, several widgets (a name repeated on several pages): every widget shows the value.
  for (const auto& w : acro->widgets) {
    f.box = w.box;
    text(f, codepoints, *shaped, w.page, &w);
  }
  return okStatus();
}

}  // namespace

Result<FillResult> fillForm(const FormDefinition& form, const std::string& templatesDir, const fonts::FontSet& fonts,
                            const FillRequest& request) {
  std::vector<std::string> missingInputs;
  for (const auto& input : form.inputs) {
    if (!input.required) continue;
    auto it = request.values.find(input.name);
    if (it == request.values.end() || it->second.empty()) missingInputs.push_back(input.name);
  }
  if (!missingInputs.empty()) {
    Error e = Error::of(ErrorCode::MissingInput);
    e.items = missingInputs;
    return e;
  }
  auto writer = pdf::FormPdfWriter::open((std::filesystem::path(templatesDir) / form.templateFile).string());
  if (!writer) return writer.error();
  KAKANAI_TRY(checkFormTemplate(form, **writer));
  Filling filling{form, fonts, request, **writer, {}, {}};
  filling.result.pages = (*writer)->pageCount();
  filling.result.warnings = dateWarnings(form, request);
  for (const FormField& field : form.fields) KAKANAI_TRY(filling.field(field));
  if (!filling.missingGlyphs.empty()) {
    Error e = Error::of(ErrorCode::GlyphMissing);
    e.items = filling.missingGlyphs;
    return e;
  }
  auto bytes = (*writer)->finish(fonts);
  if (!bytes) return bytes.error();
  filling.result.pdf = std::move(*bytes);
  return std::move(filling.result);
}

}  // namespace kakanai::forms
