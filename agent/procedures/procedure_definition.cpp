#include "procedures/procedure_definition.h"

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <exception>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace kakanai::procedures {

namespace {

using Poco::JSON::Object;

Error invalid(const std::string& file, const std::string& what) { return Error::of(ErrorCode::DefinitionInvalid, file + ": " + what); }

const forms::FormDefinition* findForm(const std::vector<forms::FormDefinition>& all, const std::string& id) {
  for (const auto& f : all) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

const forms::FormInput* findInput(const forms::FormDefinition& form, const std::string& name) {
  for (const auto& in : form.inputs) {
    if (in.name == name) return &in;
  }
  return nullptr;
}

Result<std::map<std::string, std::string>> stringMap(const Object::Ptr& o, const char* key, const std::string& where) {
  std::map<std::string, std::string> out;
  if (!o->has(key)) return out;
  auto m = o->getObject(key);
  if (!m) return Error::of(ErrorCode::DefinitionInvalid, where + ": " + key + " must be an object");
  for (const auto& name : m->getNames()) {
    if (!m->get(name).isString()) return Error::of(ErrorCode::DefinitionInvalid, where + ": " + key + "." + name + " must be a string");
    out[name] = m->getValue<std::string>(name);
  }
  return out;
}

// One entry of "forms", checked against the form it names.
Result<ProcedureForm> parseForm(const Object::Ptr& o, const std::string& file, const std::vector<forms::FormDefinition>& all) {
  ProcedureForm pf;
  if (!o || !o->has("form") || !o->get("form").isString()) return invalid(file, "each of forms needs a form id");
  pf.form = o->getValue<std::string>("form");
  const std::string where = file + ": form " + pf.form;
  const forms::FormDefinition* form = findForm(all, pf.form);
  if (form == nullptr) return Error::of(ErrorCode::DefinitionInvalid, where + ": no such form");
  pf.required = o->optValue<bool>("required", true);
  pf.reason = o->optValue<std::string>("reason", "");
  if (!pf.required && pf.reason.empty()) return Error::of(ErrorCode::DefinitionInvalid, where + ": an optional form needs a reason");
  auto inputs = stringMap(o, "inputs", where);
  if (!inputs) return inputs.error();
  auto values = stringMap(o, "values", where);
  if (!values) return values.error();
  pf.inputs = std::move(*inputs);
  pf.values = std::move(*values);
  for (const auto& [name, _] : pf.inputs) {
    if (!findInput(*form, name)) return Error::of(ErrorCode::DefinitionInvalid, where + ": inputs." + name + " is not an input of the form");
  }
  for (const auto& [name, value] : pf.values) {
    const forms::FormInput* in = findInput(*form, name);
    if (!in) return Error::of(ErrorCode::DefinitionInvalid, where + ": values." + name + " is not an input of the form");
    if (in->type == "choice" && std::find(in->options.begin(), in->options.end(), value) == in->options.end()) {
      return Error::of(ErrorCode::DefinitionInvalid, where + ": values." + name + " is not one of its options");
    }
  }
  return pf;
}

// The union of the forms' inputs that the procedure does not set itself, each asked once.
Status collectInputs(Procedure& p, const std::vector<forms::FormDefinition>& all) {
  for (const auto& pf : p.forms) {
    const forms::FormDefinition& form = *findForm(all, pf.form);
    for (const auto& in : form.inputs) {
      if (pf.values.count(in.name)) continue;
      const std::string asked = procedureInputFor(pf, in.name);
      auto known = std::find_if(p.inputs.begin(), p.inputs.end(), [&](const ProcedureInput& i) { return i.name == asked; });
      if (known == p.inputs.end()) {
        p.inputs.push_back({asked, in, in.required, {pf.form}});
        p.inputs.back().definition.name = asked;
        continue;
      }
      if (known->definition.type != in.type) {
        return invalid(p.sourcePath, "input " + asked + " is " + known->definition.type + " in one form and " + in.type + " in " + pf.form);
      }
      known->required = known->required || in.required;
      known->forms.push_back(pf.form);
    }
  }
  return okStatus();
}

}  // namespace

std::string procedureInputFor(const ProcedureForm& form, const std::string& formInput) {
  auto mapped = form.inputs.find(formInput);
  return mapped == form.inputs.end() ? formInput : mapped->second;
}

Result<Procedure> parseProcedure(const std::string& json, const std::string& fileName, const std::vector<forms::FormDefinition>& all) {
  Procedure p;
  p.sourcePath = fileName;
  try {
    Poco::JSON::Parser parser;
    auto root = parser.parse(json).extract<Object::Ptr>();
    if (!root || !root->has("id") || !root->has("title") || !root->getArray("forms")) return invalid(fileName, "id, title and forms are required");
    p.id = root->getValue<std::string>("id");
    p.title = root->getValue<std::string>("title");
    auto list = root->getArray("forms");
    std::set<std::string> seen;
    for (unsigned i = 0; i < list->size(); ++i) {
      auto pf = parseForm(list->getObject(i), fileName, all);
      if (!pf) return pf.error();
      if (!seen.insert(pf->form).second) return invalid(fileName, "form " + pf->form + " is listed twice");
      p.forms.push_back(std::move(*pf));
    }
    if (p.forms.empty()) return invalid(fileName, "a procedure needs at least one form");
  } catch (const std::exception& e) {
    return invalid(fileName, std::string("not a procedure: ") + e.what());
  }
  KAKANAI_TRY(collectInputs(p, all));
  return p;
}

Result<std::vector<Procedure>> loadProcedureDirectory(const std::string& dir, const std::vector<forms::FormDefinition>& all) {
  std::vector<Procedure> out;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return out;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const auto& path = entry.path();
    if (path.extension() != ".json" || path.filename().string().find(".schema.") != std::string::npos) continue;
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    auto p = parseProcedure(text.str(), path.filename().string(), all);
    if (!p) return p.error();
    out.push_back(std::move(*p));
  }
  std::sort(out.begin(), out.end(), [](const Procedure& a, const Procedure& b) { return a.id < b.id; });
  for (std::size_t i = 1; i < out.size(); ++i) {
    if (out[i].id == out[i - 1].id) return invalid(out[i].sourcePath, "procedure id " + out[i].id + " is used twice");
  }
  return out;
}

}  // namespace kakanai::procedures
