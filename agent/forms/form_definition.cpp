#include "forms/form_definition.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace kakanai::forms {

double millimetres(double mm) { return mm * 72.0 / 25.4; }

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

struct Context {
  std::string file;
  std::string field;
  Error fail(const std::string& what) const {
    return Error::of(ErrorCode::DefinitionInvalid, file + (field.empty() ? "" : ": field " + field) + ": " + what);
  }
};

std::optional<typeset::Box> boxOf(const Poco::Dynamic::Var& v) {
  if (v.isEmpty()) return std::nullopt;
  Array::Ptr a;
  try {
    a = v.extract<Array::Ptr>();
  } catch (...) {
    return std::nullopt;
  }
  if (!a || a->size() != 4) return std::nullopt;
  double n[4];
  for (unsigned i = 0; i < 4; ++i) {
    try {
      n[i] = a->get(i).convert<double>();
    } catch (...) {
      return std::nullopt;
    }
    if (!(n[i] >= 0) || n[i] > 1000) return std::nullopt;
  }
  if (n[2] <= 0 || n[3] <= 0) return std::nullopt;
  return typeset::Box{millimetres(n[0]), millimetres(n[1]), millimetres(n[2]), millimetres(n[3])};
}

// A list of strings; nullopt when the value is no list or holds anything else (a null or a
// number would otherwise throw out of Poco's conversion).
std::optional<std::vector<std::string>> stringsOf(const Array::Ptr& a) {
  if (!a) return std::nullopt;
  std::vector<std::string> out;
  for (unsigned i = 0; i < a->size(); ++i) {
    if (!a->get(i).isString()) return std::nullopt;
    out.push_back(a->get(i).extract<std::string>());
  }
  return out;
}

template <class T>
std::optional<T> opt(const Object::Ptr& o, const char* key) {
  if (!o->has(key)) return std::nullopt;
  try {
    return o->getValue<T>(key);
  } catch (...) {
    return std::nullopt;
  }
}

bool isKnownSource(const std::string& s) {
  static const char* kPerson[] = {"person.name", "person.address", "person.birthDate", "person.sex", "person.myNumber", "date"};
  if (std::find(std::begin(kPerson), std::end(kPerson), s) != std::end(kPerson)) return true;
  return s.rfind("values.", 0) == 0 && s.size() > 7;
}

std::optional<ValueFormat> formatOf(const std::string& s) {
  static const std::pair<const char*, ValueFormat> kFormats[] = {
      {"text", ValueFormat::Text},       {"era-date", ValueFormat::EraDate}, {"gregorian-date", ValueFormat::GregorianDate},
      {"era-year", ValueFormat::EraYear}, {"month", ValueFormat::Month},     {"day", ValueFormat::Day},
      {"era-name", ValueFormat::EraName}, {"year", ValueFormat::Year}};
  for (const auto& [name, f] : kFormats) {
    if (s == name) return f;
  }
  return std::nullopt;
}

// digits, numerals, numberHyphen, tateChuYoko, uprightInitials.
std::optional<Error> parseNumberOptions(const Object::Ptr& f, const Context& ctx, FormField& field) {
  field.digitsExplicit = f->has("digits");
  const std::string digits = f->optValue<std::string>("digits", "full");
  if (digits != "full" && digits != "half") return ctx.fail("digits must be full or half");
  field.halfWidthDigits = digits == "half";
  field.kanjiNumerals = f->optValue<std::string>("numerals", "") == "kanji";
  const std::string hyphen = f->optValue<std::string>("numberHyphen", "no");
  if (hyphen == "chome") field.numberHyphen = typeset::NumberHyphen::Chome;
  else if (hyphen != "no") return ctx.fail("numberHyphen must be no or chome");
  field.vertical.tateChuYokoDigits = f->optValue<int>("tateChuYoko", 2);
  field.vertical.uprightInitialsUpTo = f->optValue<int>("uprightInitials", 0);
  if (field.vertical.tateChuYokoDigits < 0 || field.vertical.tateChuYokoDigits > 4) return ctx.fail("tateChuYoko must be 0..4 digits");
  if (field.vertical.uprightInitialsUpTo < 0 || field.vertical.uprightInitialsUpTo > 6) return ctx.fail("uprightInitials must be 0..6 letters");
  return std::nullopt;
}

// A grid's groups (postal code [3, 4]), adding up to its cells.
std::optional<Error> parseGridGroups(const Object::Ptr& f, const Context& ctx, FormField& field) {
  if (!f->has("groups")) return std::nullopt;
  auto groups = f->getArray("groups");
  int sum = 0;
  for (unsigned i = 0; groups && i < groups->size(); ++i) {
    // cells is at most 40, so a group beyond it is wrong (and a huge one must not overflow int).
    const auto& v = groups->get(i);
    const double g = v.isInteger() ? v.convert<double>() : 0;
    if (!(g >= 1 && g <= field.cells)) return ctx.fail("groups must be positive cell counts");
    field.groups.push_back(static_cast<int>(g));
    sum += static_cast<int>(g);
  }
  if (!groups || sum != field.cells) return ctx.fail("groups must add up to cells");
  return std::nullopt;
}

Result<FormField> parseField(const Object::Ptr& f, Context& ctx, const FormDefinition& form) {
  FormField field;
  field.name = f->optValue<std::string>("name", "");
  ctx.field = field.name.empty() ? "(unnamed)" : field.name;
  if (field.name.empty()) return ctx.fail("name is required");
  const std::string kind = f->optValue<std::string>("type", "text");
  if (kind == "text") field.kind = FieldKind::Text;
  else if (kind == "choice") field.kind = FieldKind::Choice;
  else if (kind == "grid") field.kind = FieldKind::Grid;
  else return ctx.fail("type must be text, choice or grid");
  field.page = f->optValue<int>("page", 0);
  // Whether the template has the page is checked against the template (checkFormTemplate).
  if (field.page < 0) return ctx.fail("page out of range");
  field.source = f->optValue<std::string>("source", "");
  if (!isKnownSource(field.source)) return ctx.fail("unknown source '" + field.source + "'");
  if (field.source.rfind("values.", 0) == 0) {
    const std::string input = field.source.substr(7);
    if (std::none_of(form.inputs.begin(), form.inputs.end(), [&](const FormInput& i) { return i.name == input; })) {
      return ctx.fail("source names input '" + input + "', which the form does not declare");
    }
  }
  auto format = formatOf(f->optValue<std::string>("format", "text"));
  if (!format) return ctx.fail("unknown format");
  field.format = *format;
  if (auto problem = parseNumberOptions(f, ctx, field)) return *problem;
  field.fontRole = f->optValue<std::string>("font", "mincho");

  if (field.kind == FieldKind::Choice) {
    auto options = f->getObject("options");
    if (!options || options->size() == 0) return ctx.fail("a choice needs options");
    for (const auto& [key, value] : *options) {
      if (value.isString()) {
        field.optionFields[key] = value.convert<std::string>();
        continue;
      }
      auto b = boxOf(value);
      if (!b) return ctx.fail("option '" + key + "' needs a box [x, y, width, height] in mm, or an AcroForm field name");
      field.options[key] = *b;
    }
    field.mark = f->optValue<std::string>("mark", "ellipse");
    if (field.mark != "ellipse" && field.mark != "check" && field.mark != "cross") return ctx.fail("mark must be ellipse, check or cross");
    return field;
  }

  field.acroField = f->optValue<std::string>("acroField", "");
  auto box = boxOf(f->get("box"));
  if (!box && field.acroField.empty()) return ctx.fail("box must be [x, y, width, height] in mm, inside the page (or name an acroField)");
  if (box) field.box = *box;
  auto& st = field.style;
  const std::string direction = f->optValue<std::string>("direction", "horizontal");
  if (direction == "vertical") st.direction = typeset::Direction::Vertical;
  else if (direction != "horizontal") return ctx.fail("direction must be horizontal or vertical");
  st.size = f->optValue<double>("size", 10.5);
  st.minSize = f->optValue<double>("minSize", std::min(st.size, 6.0));
  st.minScale = f->optValue<double>("minScale", 0.7);
  st.maxLines = f->optValue<int>("maxLines", 1);
  st.lineGap = f->optValue<double>("lineGap", 0.2);
  st.padding = f->optValue<double>("padding", 1.0);
  if (!(st.size > 0 && st.size <= 72) || !(st.minSize > 0 && st.minSize <= st.size)) return ctx.fail("size/minSize out of range");
  if (!(st.minScale > 0.3 && st.minScale <= 1)) return ctx.fail("minScale must be in (0.3, 1]");
  if (st.maxLines < 1 || st.maxLines > 20) return ctx.fail("maxLines must be 1..20");
  const std::string align = f->optValue<std::string>("align", "start");
  if (align == "center") st.align = typeset::Align::Center;
  else if (align == "end") st.align = typeset::Align::End;
  else if (align != "start") return ctx.fail("align must be start, center or end");
  st.breaks = f->optValue<std::string>("breaks", "plain") == "address" ? typeset::BreakStyle::Address : typeset::BreakStyle::Plain;
  if (f->has("fit")) {
    auto fit = stringsOf(f->getArray("fit"));
    if (!fit) return ctx.fail("fit must be a list of wrap, shrink, condense");
    st.steps.clear();
    for (const auto& step : *fit) {
      if (step == "wrap") st.steps.push_back(typeset::FitStep::Wrap);
      else if (step == "shrink") st.steps.push_back(typeset::FitStep::Shrink);
      else if (step == "condense") st.steps.push_back(typeset::FitStep::Condense);
      else return ctx.fail("fit step '" + step + "' is not wrap, shrink or condense");
    }
  }
  if (f->has("distribute")) {
    auto d = f->getArray("distribute");
    if (!d) return ctx.fail("distribute must be a list of {upTo, em}");
    for (unsigned i = 0; i < d->size(); ++i) {
      auto o = d->getObject(i);
      if (!o) return ctx.fail("distribute must be a list of {upTo, em}");
      st.distribute.push_back({o->optValue<int>("upTo", 0), o->optValue<double>("em", 0)});
    }
    std::sort(st.distribute.begin(), st.distribute.end(), [](auto& a, auto& b) { return a.upToChars < b.upToChars; });
  }
  if (field.kind == FieldKind::Grid) {
    field.cells = f->optValue<int>("cells", 0);
    if (field.cells < 1 || field.cells > 40) return ctx.fail("a grid needs cells (1..40)");
    if (auto problem = parseGridGroups(f, ctx, field)) return *problem;
  }
  return field;
}

// The clerk-entered inputs a form asks for.
std::optional<Error> parseInputs(const Object::Ptr& root, Context& ctx, FormDefinition& form) {
  if (!root->has("inputs")) return std::nullopt;
  auto inputs = root->getArray("inputs");
  if (!inputs) return ctx.fail("inputs must be a list");
  for (unsigned i = 0; i < inputs->size(); ++i) {
    auto in = inputs->getObject(i);
    if (!in) return ctx.fail("inputs must be objects");
    FormInput input;
    input.name = in->optValue<std::string>("name", "");
    input.label = in->optValue<std::string>("label", "");
    input.type = in->optValue<std::string>("type", "text");
    input.required = in->optValue<bool>("required", false);
    ctx.field = "input " + input.name;
    if (input.name.empty() || input.label.empty()) return ctx.fail("an input needs name and label");
    if (input.type != "text" && input.type != "number" && input.type != "date" && input.type != "choice") {
      return ctx.fail("input type must be text, number, date or choice");
    }
    if (in->has("options")) {
      auto opts = stringsOf(in->getArray("options"));
      if (!opts) return ctx.fail("options must be a list of strings");
      input.options = std::move(*opts);
    }
    if (input.type == "choice" && input.options.empty()) return ctx.fail("a choice input needs options");
    form.inputs.push_back(std::move(input));
  }
  ctx.field.clear();
  return std::nullopt;
}

Result<FormDefinition> parseRoot(const Object::Ptr& root, Context& ctx) {
  FormDefinition form;
  form.sourcePath = ctx.file;
  form.id = root->optValue<std::string>("id", "");
  form.title = root->optValue<std::string>("title", "");
  form.templateFile = root->optValue<std::string>("template", "");
  form.paper = root->optValue<std::string>("paper", "");
  if (form.id.empty() || form.title.empty() || form.templateFile.empty()) return ctx.fail("id, title and template are required");
  if (form.templateFile.find("..") != std::string::npos || form.templateFile.find('/') != std::string::npos) {
    return ctx.fail("template must be a file name inside the templates directory");
  }
  static const char* kPapers[] = {"", "A3", "A4", "A5", "B4", "B5", "Letter", "Legal"};
  if (std::find(std::begin(kPapers), std::end(kPapers), form.paper) == std::end(kPapers)) {
    return ctx.fail("paper must be A3, A4, A5, B4, B5, Letter or Legal");
  }
  if (auto problem = parseInputs(root, ctx, form)) return *problem;
  auto fields = root->getArray("fields");
  if (!fields || fields->size() == 0) return ctx.fail("fields must be a non-empty list");
  for (unsigned i = 0; i < fields->size(); ++i) {
    auto f = fields->getObject(i);
    if (!f) return ctx.fail("fields must be objects");
    auto field = parseField(f, ctx, form);
    if (!field) return field.error();
    form.fields.push_back(std::move(*field));
  }
  return form;
}

}  // namespace

Result<FormDefinition> parseFormDefinition(const std::string& json, const std::string& fileName) {
  Context ctx{fileName, {}};
  Object::Ptr root;
  try {
    Poco::JSON::Parser parser;
    root = parser.parse(json).extract<Object::Ptr>();
  } catch (...) {
    return ctx.fail("not a JSON object");
  }
  if (!root) return ctx.fail("not a JSON object");
  // Each value is checked for its type where it is read; this is the backstop for a conversion
  // Poco throws on that a check missed, so a hand-edited file is a clear error, never a crash.
  try {
    return parseRoot(root, ctx);
  } catch (const Poco::Exception&) {
    return ctx.fail("a value has the wrong type or is out of range");
  }
}

Result<FormDefinition> loadFormDefinition(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::of(ErrorCode::DefinitionInvalid, path + ": cannot be read");
  std::ostringstream s;
  s << in.rdbuf();
  return parseFormDefinition(s.str(), std::filesystem::path(path).filename().string());
}

Result<std::vector<FormDefinition>> loadFormDirectory(const std::string& dir) {
  std::vector<FormDefinition> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const auto& p = entry.path();
    if (p.extension() != ".json" || p.filename().string().find(".schema.") != std::string::npos) continue;
    auto form = loadFormDefinition(p.string());
    if (!form) return form.error();
    out.push_back(std::move(*form));
  }
  if (ec) return Error::of(ErrorCode::Internal, "forms directory cannot be read: " + dir);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

}  // namespace kakanai::forms
