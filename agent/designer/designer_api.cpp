#include "designer/designer_api.h"

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "designer/definition_store.h"
#include "designer/form_check.h"
#include "forms/form_filler.h"
#include "pdf/form_pdf_writer.h"
#include "template/template_intake.h"

namespace kakanai::designer {

namespace {

namespace fs = std::filesystem;
using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr double kPtToMm = 25.4 / 72;

std::string json(const Object& o) {
  std::ostringstream s;
  o.stringify(s);
  return s.str();
}

ApiReply reply(int status, const Object& o) { return {status, "application/json", json(o)}; }

ApiReply message(int status, const std::string& code, const std::string& text) {
  Object o;
  o.set("error", code);
  o.set("message", text);
  return reply(status, o);
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A plain file name in a folder of the data directory: no separators, no dot-dot, no hidden file.
bool plainFileName(const std::string& name) {
  if (name.empty() || name.size() > 200 || name[0] == '.') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
  });
}

Array mmBox(const typeset::Box& b) {
  Array a;
  for (double v : {b.x, b.y, b.width, b.height}) a.add(std::round(v * kPtToMm * 100) / 100);
  return a;
}

Array problemsJson(const std::vector<Problem>& problems) {
  Array a;
  for (const auto& p : problems) {
    Object o;
    o.set("code", p.code);
    o.set("field", p.field);
    o.set("resident", p.resident);
    o.set("message", p.message);
    a.add(o);
  }
  return a;
}

const char* kindName(pdf::AcroKind k) {
  switch (k) {
    case pdf::AcroKind::Text: return "text";
    case pdf::AcroKind::Checkbox: return "checkbox";
    case pdf::AcroKind::Radio: return "radio";
    case pdf::AcroKind::Choice: return "choice";
    case pdf::AcroKind::PushButton: return "button";
    case pdf::AcroKind::Signature: return "signature";
  }
  return "text";
}

Object templateJson(const fs::path& path) {
  Object t;
  t.set("file", path.filename().string());
  auto writer = pdf::FormPdfWriter::open(path.string());
  if (!writer) {
    t.set("error", std::string(codeName(writer.error().code)) + ": " + writer.error().diagnostic);
    return t;
  }
  Array pages, fields;
  for (int p = 0; p < (*writer)->pageCount(); ++p) {
    const auto size = (*writer)->pageSize(p);
    Object page;
    page.set("width", size.width * kPtToMm);
    page.set("height", size.height * kPtToMm);
    pages.add(page);
  }
  for (const auto& f : (*writer)->acroFields()) {
    Object o;
    o.set("name", f.name);
    o.set("kind", std::string(kindName(f.kind)));
    o.set("page", f.page);
    o.set("box", mmBox(f.box));
    Array states;
    for (const auto& w : f.widgets) {
      for (const auto& s : w.onStates) states.add(s);
    }
    o.set("onStates", states);
    fields.add(o);
  }
  t.set("pages", pages);
  t.set("acroFields", fields);
  return t;
}

}  // namespace

DesignerApi::DesignerApi(DesignerSettings settings) : settings_(std::move(settings)) {}

std::string DesignerApi::templatesDir() const { return (fs::path(settings_.dataDir) / "templates").string(); }

ApiReply DesignerApi::handle(const std::string& method, const std::string& path, const std::map<std::string, std::string>& query,
                             const std::string& body) {
  auto q = [&](const char* key) {
    auto it = query.find(key);
    return it == query.end() ? std::string() : it->second;
  };
  if (method == "GET" && path == "/api/state") return state();
  if (method == "GET" && path == "/api/template") return templateFile(q("file"));
  if (method == "GET" && path == "/api/form") return form(q("id"));
  if (method == "GET" && path == "/api/cell") return cell(query);
  if (method == "POST" && path == "/api/check") return check(body);
  if (method == "POST" && path == "/api/preview") return preview(body);
  if (method == "POST" && path == "/api/save") return save(body);
  if (method == "POST" && path == "/api/import") return importPdf(q("name"), q("dropSignature") == "1", body);
  return message(404, "not_found", "no such API: " + method + " " + path);
}

ApiReply DesignerApi::state() {
  Object out;
  Array templates, forms, residents;
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(templatesDir(), ec)) {
    if (e.path().extension() == ".pdf" && plainFileName(e.path().filename().string())) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) templates.add(templateJson(f));
  std::vector<fs::path> defs;
  for (const auto& e : fs::directory_iterator(fs::path(settings_.dataDir) / "forms", ec)) {
    const std::string name = e.path().filename().string();
    if (e.path().extension() == ".json" && name.find(".schema.") == std::string::npos && name[0] != '.') defs.push_back(e.path());
  }
  std::sort(defs.begin(), defs.end());
  for (const auto& d : defs) {
    Object f;
    f.set("id", d.stem().string());
    auto parsed = forms::parseFormDefinition(slurp(d), d.filename().string());
    f.set("title", parsed ? parsed->title : std::string());
    if (!parsed) f.set("error", parsed.error().diagnostic);
    forms.add(f);
  }
  for (const auto& r : settings_.residents) {
    Object o;
    o.set("id", r.id);
    o.set("note", r.note);
    residents.add(o);
  }
  out.set("templates", templates);
  out.set("forms", forms);
  out.set("residents", residents);
  out.set("date", settings_.date);
  out.set("importAvailable", true);
  return reply(200, out);
}

// The administrator's PDF through template intake (libqpdf): written under templates/ only when it
// was normalised and the writer opens it; otherwise the reason, in Japanese, and nothing written.
ApiReply DesignerApi::importPdf(const std::string& name, bool dropSignature, const std::string& body) {
  if (!plainFileName(name) || fs::path(name).extension() != ".pdf") return message(400, "bad_request", "name must be a file name ending in .pdf");
  const fs::path target = fs::path(templatesDir()) / name;
  std::error_code ec;
  if (fs::exists(target, ec)) return message(409, "exists", "同じ名前の様式PDF（" + name + "）がすでにあります。名前を変えて取り込んでください。");
  const fs::path incoming = fs::path(templatesDir()) / (".incoming-" + name);
  {
    std::ofstream out(incoming, std::ios::binary | std::ios::trunc);
    out.write(body.data(), static_cast<std::streamsize>(body.size()));
  }
  template_intake::IntakeOptions options;
  options.dropSignature = dropSignature;
  auto report = template_intake::importTemplate(incoming, target, options);
  fs::remove(incoming, ec);
  if (!report) {
    Object o;
    o.set("error", std::string(codeName(report.error().code)));
    o.set("message", report.error().diagnostic);  // the administrator's sentence (template_intake.h)
    return reply(422, o);
  }
  Object o;
  o.set("template", name);
  o.set("pages", report->pages);
  Array done, warnings;
  for (const auto& d : report->done) done.add(d);
  for (const auto& w : report->warnings) warnings.add(w);
  o.set("done", done);
  o.set("warnings", warnings);
  std::string said = "取り込みました（" + std::to_string(report->pages) + "ページ）。";
  for (const auto& d : report->done) said += d;
  for (const auto& w : report->warnings) said += w;
  o.set("message", said);
  return reply(200, o);
}

ApiReply DesignerApi::templateFile(const std::string& file) {
  if (!plainFileName(file)) return message(400, "bad_request", "template must be a file name");
  const fs::path path = fs::path(templatesDir()) / file;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return message(404, "not_found", "no template " + file);
  return {200, "application/pdf", slurp(path)};
}

ApiReply DesignerApi::form(const std::string& id) {
  if (!isPlainId(id)) return message(400, "bad_request", "id must be a plain name");
  const fs::path path = fs::path(settings_.dataDir) / "forms" / (id + ".json");
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return message(404, "not_found", "no form " + id);
  return {200, "application/json", slurp(path)};
}

ApiReply DesignerApi::cell(const std::map<std::string, std::string>& query) {
  auto get = [&](const char* k) -> std::string { auto it = query.find(k); return it == query.end() ? "" : it->second; };
  const std::string file = get("template");
  if (!plainFileName(file)) return message(400, "bad_request", "template must be a file name");
  int page = 0;
  double x = 0, y = 0;
  try {
    page = std::stoi(get("page"));
    x = std::stod(get("x")) / kPtToMm;
    y = std::stod(get("y")) / kPtToMm;
  } catch (...) {
    return message(400, "bad_request", "page, x and y (mm) are required");
  }
  std::lock_guard lock(mutex_);
  auto it = lines_.find(file);
  if (it == lines_.end()) {
    auto read = readRuledLines((fs::path(templatesDir()) / file).string());
    if (!read) return message(422, std::string(codeName(read.error().code)), read.error().diagnostic);
    it = lines_.emplace(file, std::move(*read)).first;
  }
  if (page < 0 || page >= static_cast<int>(it->second.size())) return message(400, "bad_request", "no such page");
  Object out;
  if (auto box = findCell(it->second[static_cast<std::size_t>(page)], x, y)) out.set("box", mmBox(*box));
  else out.set("box", Poco::Dynamic::Var());
  return reply(200, out);
}

ApiReply DesignerApi::check(const std::string& body) {
  CheckSettings s{templatesDir(), settings_.fonts.get(), &settings_.residents, settings_.date};
  CheckReport report = checkDefinitionText(body, "definition", s);
  Object out;
  out.set("problems", problemsJson(report.problems));
  out.set("residents", settings_.residents.size());
  return reply(200, out);
}

ApiReply DesignerApi::save(const std::string& body) {
  CheckSettings s{templatesDir(), settings_.fonts.get(), &settings_.residents, settings_.date};
  const SaveOutcome outcome = saveDefinition(settings_.dataDir, body, s);
  Object out;
  out.set("saved", outcome.saved);
  out.set("file", outcome.file);
  out.set("problems", problemsJson(outcome.problems));
  return reply(outcome.saved ? 200 : 422, out);
}

ApiReply DesignerApi::preview(const std::string& body) {
  Object::Ptr request;
  try {
    Poco::JSON::Parser parser;
    request = parser.parse(body).extract<Object::Ptr>();
  } catch (...) {
    return message(400, "bad_request", "not a JSON object");
  }
  if (!request || !request->getObject("definition")) return message(400, "bad_request", "definition is required");
  std::ostringstream defText;
  request->getObject("definition")->stringify(defText);
  auto def = forms::parseFormDefinition(defText.str(), "definition");
  Object out;
  if (!def) {
    out.set("problems", problemsJson({{"", "", "schema", def.error().diagnostic}}));
    return reply(422, out);
  }
  const std::string residentId = request->optValue<std::string>("resident", "");
  auto r = std::find_if(settings_.residents.begin(), settings_.residents.end(), [&](const auto& s) { return s.id == residentId; });
  if (r == settings_.residents.end()) return message(400, "bad_request", "no sample resident " + residentId);
  forms::FillRequest fill;
  fill.person = &r->person;
  fill.date = settings_.date;
  if (auto values = request->getObject("values")) {
    for (const auto& [k, v] : *values) {
      if (!v.isString()) return message(400, "bad_request", "values." + k + " must be a string");
      fill.values[k] = v.extract<std::string>();
    }
  }
  auto filled = forms::fillForm(*def, templatesDir(), *settings_.fonts, fill);
  if (!filled) {
    const Error& e = filled.error();
    std::string text = std::string(codeName(e.code)) + (e.diagnostic.empty() ? "" : ": " + e.diagnostic);
    for (const auto& item : e.items) text += " " + item;
    out.set("problems", problemsJson({{e.field, r->id, std::string(codeName(e.code)), text}}));
    return reply(422, out);
  }
  std::ostringstream b64;
  {
    Poco::Base64Encoder encoder(b64);
    encoder.rdbuf()->setLineLength(0);
    encoder.write(reinterpret_cast<const char*>(filled->pdf.data()), static_cast<std::streamsize>(filled->pdf.size()));
    encoder.close();
  }
  Array warnings, layout;
  for (const auto& w : filled->warnings) {
    Object o;
    o.set("field", w.field);
    o.set("code", std::string(warningName(w.code)));
    o.set("detail", w.detail);
    warnings.add(o);
  }
  for (const auto& l : filled->layout) {
    Object o;
    o.set("field", l.name);
    o.set("page", l.page);
    o.set("box", mmBox(l.box));
    o.set("ink", mmBox(l.ink));
    layout.add(o);
  }
  out.set("pdf", b64.str());
  out.set("warnings", warnings);
  out.set("layout", layout);
  out.set("problems", Array());
  return reply(200, out);
}

}  // namespace kakanai::designer
