#include "designer/form_check.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>

#include "forms/form_filler.h"
#include "pdf/form_pdf_writer.h"
#include "typeset/shaper.h"

namespace kakanai::designer {

namespace {

using forms::FieldKind;
using forms::FormDefinition;
using forms::FormField;
using Poco::JSON::Object;

// The keys forms/form.schema.json allows (additionalProperties: false at every level): our
// loader ignores what it does not know, so a misspelt key would otherwise pass silently.
const std::set<std::string> kRootKeys = {"id", "title", "template", "paper", "inputs", "fields"};
const std::set<std::string> kInputKeys = {"name", "label", "type", "required", "options"};
const std::set<std::string> kFieldKeys = {"name",    "type",     "page",     "source",   "format",   "digits",  "numerals",
                                          "numberHyphen", "tateChuYoko", "uprightInitials", "font", "box", "acroField",
                                          "direction", "size", "minSize", "minScale", "maxLines", "lineGap", "padding",
                                          "align",   "breaks",   "fit",      "distribute", "cells", "groups", "options", "mark"};

void unknownKeys(const Object::Ptr& o, const std::set<std::string>& allowed, const std::string& field, const std::string& where,
                 std::vector<Problem>& out) {
  if (!o) return;
  for (const auto& [key, _] : *o) {
    if (allowed.count(key) == 0) out.push_back({field, "", "schema", where + "unknown key '" + key + "'"});
  }
}

// Keys the loader does not read, field names used twice.
std::vector<Problem> schemaExtras(const std::string& json) {
  std::vector<Problem> out;
  Object::Ptr root;
  try {
    Poco::JSON::Parser parser;
    root = parser.parse(json).extract<Object::Ptr>();
  } catch (...) {
    return out;  // the loader reports it
  }
  unknownKeys(root, kRootKeys, "", "", out);
  if (auto inputs = root->getArray("inputs")) {
    for (unsigned i = 0; i < inputs->size(); ++i) {
      auto in = inputs->getObject(i);
      unknownKeys(in, kInputKeys, "", "input " + (in ? in->optValue<std::string>("name", std::to_string(i + 1)) : "") + ": ", out);
    }
  }
  std::set<std::string> names;
  if (auto fields = root->getArray("fields")) {
    for (unsigned i = 0; i < fields->size(); ++i) {
      auto f = fields->getObject(i);
      if (!f) continue;
      const std::string name = f->optValue<std::string>("name", "");
      unknownKeys(f, kFieldKeys, name, "", out);
      if (!name.empty() && !names.insert(name).second) out.push_back({name, "", "schema", "two fields are named " + name});
    }
  }
  return out;
}

// "FILE: field NAME: what" → NAME.
std::string fieldOfMessage(const std::string& message) {
  const auto at = message.find(": field ");
  if (at == std::string::npos) return {};
  const auto start = at + 8;
  const auto end = message.find(": ", start);
  return message.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// The loader's and the template check's "FILE: field NAME: what", without what the report says already.
std::string shortMessage(std::string message) {
  const auto at = message.find(": field ");
  if (at != std::string::npos && message.find(' ') > at) {
    const auto end = message.find(": ", at + 8);
    if (end != std::string::npos) return message.substr(end + 2);
  }
  const auto colon = message.find(".json: ");
  if (colon != std::string::npos && message.find(' ') > colon) return message.substr(colon + 7);
  return message;
}

std::string problemCodeOf(const std::string& message) {
  if (message.find("outside the visible page") != std::string::npos) return "outside_page";
  if (message.find("is not in the template") != std::string::npos) return "page";
  if (message.find("the template has") != std::string::npos) return "acro_field";
  if (message.find("paper ") != std::string::npos) return "paper";
  return "template";
}

std::string errorText(const Error& e) {
  std::string s(codeName(e.code));
  if (!e.diagnostic.empty()) s += ": " + e.diagnostic;
  return s;
}

// Each field against the template on its own, so every field's problem is reported, not the first.
std::vector<Problem> templateProblems(const FormDefinition& form, const pdf::FormPdfWriter& writer) {
  std::vector<Problem> out;
  FormDefinition one = form;
  one.fields.clear();
  if (auto s = forms::checkFormTemplate(one, writer); !s) out.push_back({"", "", "paper", shortMessage(s.error().diagnostic)});
  one.paper.clear();
  for (const auto& field : form.fields) {
    one.fields = {field};
    auto s = forms::checkFormTemplate(one, writer);
    if (!s) out.push_back({field.name, "", problemCodeOf(s.error().diagnostic), shortMessage(s.error().diagnostic)});
  }
  return out;
}

struct Placed {
  std::string field;
  int page;
  typeset::Box box;
};

void placeAcro(const std::string& field, const std::string& name, const pdf::FormPdfWriter& w, std::vector<Placed>& out) {
  const auto found = pdf::findAcroField(w.acroFields(), name);
  if (found.field == nullptr) return;
  for (const auto& widget : found.field->widgets) out.push_back({field, widget.page, widget.box});
}

std::vector<Placed> placements(const FormDefinition& form, const pdf::FormPdfWriter& w) {
  std::vector<Placed> out;
  for (const auto& f : form.fields) {
    if (!f.acroField.empty()) placeAcro(f.name, f.acroField, w, out);
    else if (f.kind != FieldKind::Choice) out.push_back({f.name, f.page, f.box});
    for (const auto& [_, box] : f.options) out.push_back({f.name, f.page, box});
    for (const auto& [_, name] : f.optionFields) placeAcro(f.name, name, w, out);
  }
  return out;
}

double mm(double points) { return points * 25.4 / 72; }

// Two fields whose boxes share more than half a point each way would print over each other.
std::vector<Problem> overlaps(const FormDefinition& form, const pdf::FormPdfWriter& w) {
  std::vector<Problem> out;
  const auto placed = placements(form, w);
  std::set<std::pair<std::string, std::string>> reported;
  for (std::size_t i = 0; i < placed.size(); ++i) {
    for (std::size_t j = i + 1; j < placed.size(); ++j) {
      const Placed& a = placed[i];
      const Placed& b = placed[j];
      if (a.field == b.field || a.page != b.page) continue;
      const double dx = std::min(a.box.x + a.box.width, b.box.x + b.box.width) - std::max(a.box.x, b.box.x);
      const double dy = std::min(a.box.y + a.box.height, b.box.y + b.box.height) - std::max(a.box.y, b.box.y);
      if (dx <= 0.5 || dy <= 0.5 || !reported.insert({a.field, b.field}).second) continue;
      char text[160];
      std::snprintf(text, sizeof text, "overlaps field %s on page %d (%.1f × %.1f mm)", a.field.c_str(), a.page + 1, mm(dx), mm(dy));
      out.push_back({b.field, "", "overlap", text});
    }
  }
  return out;
}

// The values a choice can be given: a sex, an era of a birth date, a choice input's options.
std::vector<std::string> choiceValues(const FormDefinition& form, const FormField& f) {
  if (f.source == "person.sex") return {"male", "female"};
  if (f.format == forms::ValueFormat::EraName) {
    if (f.source == "person.birthDate") return {"大正", "昭和", "平成", "令和"};
    return {"令和"};
  }
  if (f.source.rfind("values.", 0) == 0) {
    const std::string input = f.source.substr(7);
    for (const auto& in : form.inputs) {
      if (in.name == input && in.type == "choice") return in.options;
    }
  }
  return {};
}

std::vector<Problem> choiceProblems(const FormDefinition& form) {
  std::vector<Problem> out;
  for (const auto& f : form.fields) {
    if (f.kind != FieldKind::Choice) continue;
    for (const auto& v : choiceValues(form, f)) {
      if (f.options.count(v) == 0 && f.optionFields.count(v) == 0) {
        out.push_back({f.name, "", "choice_option", "option '" + v + "' has no mark position"});
      }
    }
  }
  return out;
}

std::map<std::string, std::string> sampleValues(const FormDefinition& form, const std::string& date) {
  std::map<std::string, std::string> values;
  for (const auto& in : form.inputs) {
    if (in.type == "choice") values[in.name] = in.options.empty() ? "" : in.options.front();
    else if (in.type == "date") values[in.name] = date;
    else if (in.type == "number") values[in.name] = "12";
    else values[in.name] = "記入例";
  }
  // A grid takes exactly its cells: digits, as a postal code or a number would be given.
  for (const auto& f : form.fields) {
    if (f.kind != FieldKind::Grid || f.source.rfind("values.", 0) != 0) continue;
    std::string digits;
    for (int i = 0; i < f.cells; ++i) digits += static_cast<char>('1' + i % 9);
    values[f.source.substr(7)] = digits;
  }
  return values;
}

// glyph_missing lists characters for the whole form: the fields are found by their text.
void missingGlyphFields(const FormDefinition& form, const forms::FillRequest& request, const Error& e, const std::string& resident,
                        std::vector<Problem>& out) {
  for (const auto& f : form.fields) {
    if (f.kind == FieldKind::Choice) continue;
    auto text = forms::fieldText(f, request);
    if (!text) continue;
    std::string missing;
    for (char32_t c : typeset::decodeUtf8(*text)) {
      char code[16];
      std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(c));
      if (std::find(e.items.begin(), e.items.end(), code) != e.items.end() && missing.find(code) == std::string::npos) {
        missing += (missing.empty() ? "" : " ") + std::string(code);
      }
    }
    if (!missing.empty()) out.push_back({f.name, resident, "glyph_missing", "no configured font has " + missing});
  }
}

std::vector<Problem> fillProblems(const FormDefinition& form, const CheckSettings& s) {
  std::vector<Problem> out;
  if (s.fonts == nullptr || s.residents == nullptr) return out;
  for (const auto& r : *s.residents) {
    forms::FillRequest request;
    request.person = &r.person;
    request.date = s.date;
    request.values = sampleValues(form, s.date);
    auto filled = forms::fillForm(form, s.templatesDir, *s.fonts, request);
    if (!filled) {
      if (filled.error().code == ErrorCode::GlyphMissing) missingGlyphFields(form, request, filled.error(), r.id, out);
      else {
        const Error& e = filled.error();
        out.push_back({e.field.empty() ? fieldOfMessage(e.diagnostic) : e.field, r.id, "fill", errorText(e)});
      }
      continue;
    }
    for (const auto& w : filled->warnings) {
      if (w.code == WarningCode::Overflow) out.push_back({w.field, r.id, "overflow", w.detail});
    }
  }
  return out;
}

}  // namespace

std::vector<Problem> checkParsedForm(const FormDefinition& form, const CheckSettings& settings) {
  std::vector<Problem> out = choiceProblems(form);
  const std::string path = (std::filesystem::path(settings.templatesDir) / form.templateFile).string();
  auto writer = pdf::FormPdfWriter::open(path);
  if (!writer) {
    out.push_back({"", "", "template", "template " + form.templateFile + ": " + errorText(writer.error())});
    return out;
  }
  auto t = templateProblems(form, **writer);
  out.insert(out.end(), t.begin(), t.end());
  auto o = overlaps(form, **writer);
  out.insert(out.end(), o.begin(), o.end());
  if (t.empty()) {  // a fill stops at the first template problem: nothing more to learn
    auto f = fillProblems(form, settings);
    out.insert(out.end(), f.begin(), f.end());
  }
  return out;
}

CheckReport checkDefinitionText(const std::string& json, const std::string& file, const CheckSettings& settings) {
  CheckReport report;
  report.file = file;
  auto parsed = forms::parseFormDefinition(json, file);
  report.problems = schemaExtras(json);
  if (!parsed) {
    const std::string message = parsed.error().diagnostic;
    report.problems.push_back({fieldOfMessage(message), "", "schema", shortMessage(message)});
    return report;
  }
  report.id = parsed->id;
  auto rest = checkParsedForm(*parsed, settings);
  report.problems.insert(report.problems.end(), rest.begin(), rest.end());
  report.form = std::move(*parsed);
  return report;
}

}  // namespace kakanai::designer
