#include "forms/form_filler.h"

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

  FillResult result;
  result.pages = (*writer)->pageCount();
  result.warnings = dateWarnings(form, request);
  const auto acroFields = (*writer)->acroFields();
  auto acroField = [&](const std::string& name) -> const pdf::AcroField* {
    for (const auto& a : acroFields) {
      if (a.name == name) return &a;
    }
    return nullptr;
  };
  std::vector<std::string> missingGlyphs;
  for (FormField field : form.fields) {
    if (!field.acroField.empty()) {
      const pdf::AcroField* a = acroField(field.acroField);
      if (a == nullptr) return Error::of(ErrorCode::Internal, form.sourcePath + ": field " + field.name + ": template has no field " + field.acroField);
      field.box = a->box;
      field.page = a->page;
    }
    if (field.page >= result.pages) {
      return Error::of(ErrorCode::Internal, form.sourcePath + ": field " + field.name + " is on a page the template lacks");
    }
    auto raw = sourceValue(field, request);
    if (!raw) continue;
    if (field.kind == FieldKind::Choice) {
      auto formatted = field.format == ValueFormat::Text ? Result<std::string>(*raw) : formatFieldValue(field, *raw);
      if (!formatted) return formatted.error();
      const std::string key = *formatted;
      if (auto named = field.optionFields.find(key); named != field.optionFields.end()) {
        const pdf::AcroField* box = acroField(named->second);
        if (box == nullptr) return Error::of(ErrorCode::Internal, form.sourcePath + ": field " + field.name + ": template has no field " + named->second);
        (*writer)->addMark(box->page, {pdf::MarkKind::Check, box->box});
        result.choices.push_back({field.name, key});
        continue;
      }
      auto it = field.options.find(key);
      if (it == field.options.end()) continue;  // e.g. unspecified sex: nothing is circled
      const pdf::MarkKind kind = field.mark == "check" ? pdf::MarkKind::Check
                                 : field.mark == "cross" ? pdf::MarkKind::Cross
                                                         : pdf::MarkKind::Ellipse;
      (*writer)->addMark(field.page, {kind, it->second});
      result.choices.push_back({field.name, it->first});
      continue;
    }
    const fonts::Font* primary = fonts.byRole(field.fontRole);
    if (primary == nullptr) return Error::of(ErrorCode::Internal, form.sourcePath + ": field " + field.name + ": no font for role " + field.fontRole);
    auto text = formatFieldValue(field, *raw);
    if (!text) return text.error();
    const auto codepoints = typeset::decodeUtf8(*text);
    if (field.kind == FieldKind::Grid) {
      // One character per cell, centred (value_format.h: which cell holds what).
      auto cells = gridCells(field, codepoints);
      if (!cells) return cells.error();
      typeset::MissingGlyphs missing;
      const double cell = field.box.width / field.cells;
      std::vector<typeset::GlyphRun> gridRuns;
      for (std::size_t i = 0; i < cells->size(); ++i) {
        if ((*cells)[i].empty()) continue;
        auto one = typeset::shapeText(fonts, *primary, (*cells)[i], typeset::Direction::Horizontal, &missing);
        if (!one) {
          missingGlyphs.insert(missingGlyphs.end(), missing.codepoints.begin(), missing.codepoints.end());
          continue;
        }
        typeset::FieldStyle st = field.style;
        st.align = typeset::Align::Center;
        st.padding = 0.5;
        const typeset::Box box{field.box.x + cell * static_cast<double>(i), field.box.y, cell, field.box.height};
        auto laid = typeset::layoutField(*one, fonts, box, st);
        gridRuns.insert(gridRuns.end(), laid.runs.begin(), laid.runs.end());
        for (const auto& w : laid.warnings) result.warnings.push_back({field.name, w.code, w.detail});
        result.layout.push_back({field.name + "[" + std::to_string(i) + "]", field.page, box, laid.ink});
      }
      (*writer)->addRuns(field.page, gridRuns, codepoints);
      continue;
    }
    typeset::MissingGlyphs missing;
    auto shaped = typeset::shapeText(fonts, *primary, codepoints, field.style.direction, &missing);
    if (!shaped) {
      missingGlyphs.insert(missingGlyphs.end(), missing.codepoints.begin(), missing.codepoints.end());
      continue;
    }
    if (field.style.direction == typeset::Direction::Vertical) typeset::applyVerticalForms(*shaped, fonts, field.vertical);
    auto laid = typeset::layoutField(*shaped, fonts, field.box, field.style);
    (*writer)->addRuns(field.page, laid.runs, codepoints);
    for (const auto& w : laid.warnings) result.warnings.push_back({field.name, w.code, w.detail});
    result.layout.push_back({field.name, field.page, field.box, laid.ink});
  }
  if (!missingGlyphs.empty()) {
    Error e = Error::of(ErrorCode::GlyphMissing);
    e.items = missingGlyphs;
    return e;
  }
  auto bytes = (*writer)->finish(fonts);
  if (!bytes) return bytes.error();
  result.pdf = std::move(*bytes);
  return result;
}

}  // namespace kakanai::forms
