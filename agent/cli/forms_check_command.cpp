// kakanai-agent forms check: every definition of a data folder (or the IDs given) checked as the
// designer checks before saving, with a fill for every sample resident. Exit 1 when any problem.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "core/iso_time.h"
#include "core/paths.h"
#include "core/person.h"
#include "designer/form_check.h"
#include "designer/sample_residents.h"

namespace kakanai::cli {

namespace {

struct CheckOptions {
  std::optional<std::string> dataDir;
  std::vector<std::string> residentFiles;
  std::vector<std::string> ids;
  std::string date;
  bool json = false;
};

std::optional<CheckOptions> parseOptions(int argc, char** argv) {
  CheckOptions o;
  for (int i = 3; i < argc; ++i) {
    const std::string a = argv[i];
    const bool hasValue = i + 1 < argc;
    if (a == "--data-dir" && hasValue) o.dataDir = argv[++i];
    else if (a == "--residents" && hasValue) o.residentFiles.push_back(argv[++i]);
    else if (a == "--date" && hasValue) o.date = argv[++i];
    else if (a == "--json") o.json = true;
    else if (!a.empty() && a[0] != '-') o.ids.push_back(a);
    else return std::nullopt;
  }
  return o;
}

std::vector<std::filesystem::path> definitionFiles(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (e.path().extension() == ".json" && name.find(".schema.") == std::string::npos) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Poco::JSON::Object reportJson(const designer::CheckReport& r) {
  Poco::JSON::Object o;
  o.set("file", r.file);
  o.set("id", r.id);
  Poco::JSON::Array problems;
  for (const auto& p : r.problems) {
    Poco::JSON::Object po;
    po.set("code", p.code);
    if (!p.field.empty()) po.set("field", p.field);
    if (!p.resident.empty()) po.set("resident", p.resident);
    po.set("message", p.message);
    problems.add(po);
  }
  o.set("problems", problems);
  return o;
}

void printText(const designer::CheckReport& r) {
  if (r.problems.empty()) std::printf("%s: ok\n", r.file.c_str());
  for (const auto& p : r.problems) {
    std::string where = r.file;
    if (!p.field.empty()) where += ": field " + p.field;
    if (!p.resident.empty()) where += " (resident " + p.resident + ")";
    std::printf("%s: %s: %s\n", where.c_str(), p.code.c_str(), p.message.c_str());
  }
}

int fail(const std::string& message) {
  std::fprintf(stderr, "kakanai-agent forms check: %s\n", message.c_str());
  return 2;
}

}  // namespace

int formsCheckCommand(int argc, char** argv) {
  const auto o = parseOptions(argc, argv);
  if (!o) return fail("usage: forms check [--data-dir DIR] [--residents FILE]... [--date YYYY-MM-DD] [ID...] [--json]");
  const std::filesystem::path dataDir = resolveDataDirectory(o->dataDir);
  // The data folder's own fonts, else the installation's (as the designer does).
  std::filesystem::path manifest = dataDir / "fonts" / "manifest.json";
  if (!std::filesystem::is_regular_file(manifest)) manifest = std::filesystem::path(resolveDataDirectory(std::nullopt)) / "fonts" / "manifest.json";
  auto fonts = fonts::FontSet::load(manifest.string());
  if (!fonts) return fail("fonts: " + fonts.error().diagnostic);
  std::vector<designer::SampleResident> residents = designer::builtInSamples();
  for (const auto& file : o->residentFiles) {
    auto more = designer::loadSampleResidents(file);
    if (!more) return fail(more.error().diagnostic);
    for (auto& r : *more) residents.push_back(std::move(r));
  }
  designer::CheckSettings settings;
  settings.templatesDir = (dataDir / "templates").string();
  settings.fonts = fonts->get();
  settings.residents = &residents;
  settings.date = o->date.empty() ? localDate(WallClock::now()) : o->date;
  if (!isIsoDate(settings.date)) return fail("--date must be YYYY-MM-DD");

  std::vector<designer::CheckReport> reports;
  std::vector<std::string> seen;
  for (const auto& path : definitionFiles(dataDir / "forms")) {
    auto report = designer::checkDefinitionText(slurp(path), path.filename().string(), settings);
    if (!o->ids.empty() && std::find(o->ids.begin(), o->ids.end(), report.id) == o->ids.end()) continue;
    if (!report.id.empty() && std::find(seen.begin(), seen.end(), report.id) != seen.end()) {
      report.problems.push_back({"", "", "schema", "another definition has the id " + report.id});
    }
    seen.push_back(report.id);
    reports.push_back(std::move(report));
  }
  std::size_t problems = 0;
  for (const auto& r : reports) problems += r.problems.size();
  for (const auto& id : o->ids) {
    if (std::find(seen.begin(), seen.end(), id) == seen.end()) return fail("no form " + id + " in " + (dataDir / "forms").string());
  }
  if (o->json) {
    Poco::JSON::Array forms;
    for (const auto& r : reports) forms.add(reportJson(r));
    Poco::JSON::Object out;
    out.set("forms", forms);
    out.set("problems", problems);
    out.set("residents", residents.size());
    out.stringify(std::cout);
    std::cout << std::endl;
  } else {
    for (const auto& r : reports) printText(r);
    std::printf("%zu form(s), %zu resident(s), %zu problem(s)\n", reports.size(), residents.size(), problems);
  }
  return problems == 0 ? 0 : 1;
}

}  // namespace kakanai::cli
