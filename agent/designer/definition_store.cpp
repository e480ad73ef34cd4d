#include "designer/definition_store.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace kakanai::designer {

namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

// The schema's order (forms/form.schema.json).
const std::vector<std::string> kRootOrder = {"id", "title", "template", "paper", "inputs", "fields"};
const std::vector<std::string> kInputOrder = {"name", "label", "type", "required", "options"};
const std::vector<std::string> kFieldOrder = {"name",    "type",   "page",      "source",      "format",          "digits",
                                              "numerals", "numberHyphen", "tateChuYoko", "uprightInitials", "font", "box",
                                              "acroField", "direction", "size", "minSize", "minScale", "maxLines", "lineGap",
                                              "padding", "align", "breaks", "fit", "distribute", "cells", "groups", "options",
                                              "mark"};
const std::vector<std::string> kDistributeOrder = {"upTo", "em"};

std::string number(double v) {
  if (!std::isfinite(v)) return "0";
  if (v == std::floor(v) && std::abs(v) < 1e15) {
    char text[32];
    std::snprintf(text, sizeof text, "%.0f", v);
    return text;
  }
  for (int precision = 1; precision <= 17; ++precision) {  // the shortest text that reads back as v
    char text[40];
    std::snprintf(text, sizeof text, "%.*g", precision, v);
    if (std::strtod(text, nullptr) == v) return text;
  }
  return "0";
}

std::string string(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"') out += "\\\"";
    else if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20) {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\u%04x", c);
      out += esc;
    } else out += static_cast<char>(c);
  }
  return out + "\"";
}

std::string value(const Var& v, const std::vector<std::string>* order);

// Members in `order`, then (objects whose keys are data: choice options) in the order given.
std::string object(const Object::Ptr& o, const std::vector<std::string>* order) {
  std::string out = "{";
  bool first = true;
  auto member = [&](const std::string& key) {
    out += (first ? "" : ", ") + string(key) + ": " + value(o->get(key), key == "distribute" ? &kDistributeOrder : nullptr);
    first = false;
  };
  if (order != nullptr) {
    for (const auto& key : *order) {
      if (o->has(key)) member(key);
    }
  } else {
    for (const auto& key : o->getNames()) member(key);
  }
  return out + "}";
}

std::string value(const Var& v, const std::vector<std::string>* order) {
  if (v.isEmpty()) return "null";
  if (v.type() == typeid(Object::Ptr)) return object(v.extract<Object::Ptr>(), order);
  if (v.type() == typeid(Array::Ptr)) {
    const auto a = v.extract<Array::Ptr>();
    std::string out = "[";
    for (unsigned i = 0; i < a->size(); ++i) {
      out += (i ? ", " : "") + value(a->get(i), order);
    }
    return out + "]";
  }
  if (v.isBoolean()) return v.convert<bool>() ? "true" : "false";
  if (v.isNumeric()) return number(v.convert<double>());
  return string(v.convert<std::string>());
}

Error invalid(const std::string& what) { return Error::of(ErrorCode::DefinitionInvalid, what); }

Status knownKeys(const Object::Ptr& o, const std::vector<std::string>& order, const std::string& where) {
  for (const auto& key : o->getNames()) {
    if (std::find(order.begin(), order.end(), key) == order.end()) return invalid(where + "unknown key '" + key + "'");
  }
  return okStatus();
}

std::string list(const Object::Ptr& root, const char* key, const std::vector<std::string>& order) {
  const auto a = root->getArray(key);
  std::string out = "[";
  for (unsigned i = 0; i < a->size(); ++i) out += std::string(i ? ",\n" : "\n") + "    " + value(a->get(i), &order);
  return out + (a->size() ? "\n  ]" : "]");
}

// The real folder `p` is in, or an error when it is not under `root` (after resolving links).
bool inside(const std::filesystem::path& p, const std::filesystem::path& root) {
  std::error_code ec;
  const auto real = std::filesystem::weakly_canonical(p, ec);
  const auto base = std::filesystem::weakly_canonical(root, ec);
  if (ec) return false;
  auto r = real.begin();
  for (auto b = base.begin(); b != base.end(); ++b, ++r) {
    if (r == real.end() || *r != *b) return false;
  }
  return true;
}

}  // namespace

Result<std::string> canonicalDefinition(const std::string& json) {
  Object::Ptr root;
  try {
    Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
    root = parser.parse(json).extract<Object::Ptr>();
  } catch (...) {
    return invalid("not a JSON object");
  }
  if (!root) return invalid("not a JSON object");
  KAKANAI_TRY(knownKeys(root, kRootOrder, ""));
  for (const char* key : {"inputs", "fields"}) {
    if (root->has(key) && !root->getArray(key)) return invalid(std::string(key) + " must be a list");
  }
  auto members = [&](const char* key, const std::vector<std::string>& order, const char* what) -> Status {
    if (!root->has(key)) return okStatus();
    const auto a = root->getArray(key);
    for (unsigned i = 0; i < a->size(); ++i) {
      const auto o = a->getObject(i);
      if (!o) return invalid(std::string(key) + " must be objects");
      KAKANAI_TRY(knownKeys(o, order, std::string(what) + " " + o->optValue<std::string>("name", std::to_string(i + 1)) + ": "));
    }
    return okStatus();
  };
  KAKANAI_TRY(members("inputs", kInputOrder, "input"));
  KAKANAI_TRY(members("fields", kFieldOrder, "field"));
  std::string out = "{";
  bool first = true;
  for (const auto& key : kRootOrder) {
    if (!root->has(key)) continue;
    out += std::string(first ? "\n" : ",\n") + "  " + string(key) + ": ";
    if (key == "inputs") out += list(root, "inputs", kInputOrder);
    else if (key == "fields") out += list(root, "fields", kFieldOrder);
    else out += value(root->get(key), nullptr);
    first = false;
  }
  return out + "\n}\n";
}

bool isPlainId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
  }
  return true;
}

SaveOutcome saveDefinition(const std::string& dataDir, const std::string& json, const CheckSettings& settings) {
  SaveOutcome outcome;
  auto canonical = canonicalDefinition(json);
  if (!canonical) {
    outcome.problems.push_back({"", "", "schema", canonical.error().diagnostic});
    return outcome;
  }
  CheckReport report = checkDefinitionText(*canonical, "definition", settings);
  if (!report.id.empty() && !isPlainId(report.id)) {
    report.problems.push_back({"", "", "schema", "id must be letters, digits, - or _ (at most 64)"});
  }
  if (!report.problems.empty()) {
    outcome.problems = std::move(report.problems);
    return outcome;
  }
  const std::filesystem::path root(dataDir);
  const std::filesystem::path dir = root / "forms";
  const std::filesystem::path file = dir / (report.id + ".json");
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (!inside(dir, root) || !inside(file, dir) || std::filesystem::is_symlink(std::filesystem::symlink_status(file, ec))) {
    outcome.problems.push_back({"", "", "save", "forms/" + report.id + ".json would be written outside the data folder"});
    return outcome;
  }
  const std::filesystem::path temp = dir / ("." + report.id + ".json." + std::to_string(::getpid()) + ".tmp");
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << *canonical;
    out.flush();
    if (!out) {
      std::filesystem::remove(temp, ec);
      outcome.problems.push_back({"", "", "save", "cannot write " + file.string()});
      return outcome;
    }
  }
  std::filesystem::rename(temp, file, ec);
  if (ec) {
    std::filesystem::remove(temp, ec);
    outcome.problems.push_back({"", "", "save", "cannot write " + file.string()});
    return outcome;
  }
  outcome.saved = true;
  outcome.file = "forms/" + report.id + ".json";
  return outcome;
}

}  // namespace kakanai::designer
