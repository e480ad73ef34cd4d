// kakanai-agent template import|inspect: the administrator's side of template intake
// (template/template_intake.h). Output is Japanese for people, JSON for the designer and scripts.
#include "cli/template_command.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cmath>
#include <filesystem>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "template/template_intake.h"

namespace kakanai::cli {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;
using namespace template_intake;

int usage() {
  std::fprintf(stderr,
               "usage: kakanai-agent template import IN.pdf [-o OUT.pdf] [--drop-signature] [--json]\n"
               "       kakanai-agent template inspect FILE.pdf [--json]\n");
  return 2;
}

double mm(double v) { return std::round(v * 10) / 10; }

Array strings(const std::vector<std::string>& list) {
  Array a;
  for (const auto& s : list) a.add(s);
  return a;
}

Object errorJson(const Error& e) {
  Object err;
  err.set("code", std::string(codeName(e.code)));
  err.set("message", e.diagnostic);
  Object out;
  out.set("ok", false);
  out.set("error", err);
  return out;
}

int refused(const Error& e, bool json) {
  if (json) {
    errorJson(e).stringify(std::cout);
    std::cout << std::endl;
  } else {
    std::fprintf(stderr, "取り込めません（%s）：%s\n", std::string(codeName(e.code)).c_str(), e.diagnostic.c_str());
  }
  return 1;
}

Object inspectionJson(const TemplateInspection& t) {
  Object flags;
  flags.set("encrypted", t.encrypted);
  flags.set("needsPassword", t.needsPassword);
  flags.set("printAllowed", t.printAllowed);
  flags.set("signed", t.signedDocument);
  flags.set("objectStreams", t.objectStreams);
  flags.set("linearized", t.linearized);
  flags.set("needAppearances", t.needAppearances);
  Array pages;
  for (const auto& p : t.pages) {
    Object o;
    Array media, crop;
    for (double v : {p.mediaWidth, p.mediaHeight}) media.add(mm(v));
    for (double v : {p.cropLeft, p.cropBottom, p.cropWidth, p.cropHeight}) crop.add(mm(v));
    o.set("mediaBox", media);
    o.set("cropBox", crop);
    o.set("rotation", p.rotation);
    pages.add(o);
  }
  Array fields;
  for (const auto& f : t.fields) {
    Object o;
    o.set("name", f.name);
    o.set("kind", f.kind);
    o.set("page", f.page);
    Array box;
    for (double v : {f.box.x, f.box.y, f.box.width, f.box.height}) box.add(mm(v));
    o.set("box", box);
    o.set("widgets", f.widgets);
    o.set("options", strings(f.options));
    o.set("value", f.value);
    fields.add(o);
  }
  Object out;
  out.set("pdfVersion", t.pdfVersion);
  out.set("producer", t.producer);
  out.set("creator", t.creator);
  out.set("flags", flags);
  out.set("pages", pages);
  out.set("fields", fields);
  out.set("repairs", strings(t.repairs));
  return out;
}

void printInspection(const TemplateInspection& t) {
  std::printf("PDF %s  作成: %s / %s\n", t.pdfVersion.c_str(), t.creator.c_str(), t.producer.c_str());
  std::printf("暗号化 %s  印刷 %s  電子署名 %s  オブジェクトストリーム %s\n", t.encrypted ? "あり" : "なし",
              t.printAllowed ? "可" : "不可", t.signedDocument ? "あり" : "なし", t.objectStreams ? "あり" : "なし");
  for (std::size_t i = 0; i < t.pages.size(); ++i) {
    const auto& p = t.pages[i];
    std::printf("  %zu ページ: %.1f × %.1f mm（表示域 %.1f × %.1f mm）回転 %d°\n", i + 1, p.mediaWidth, p.mediaHeight, p.cropWidth,
                p.cropHeight, p.rotation);
  }
  for (const auto& f : t.fields) {
    std::printf("  欄 %s（%s）%d ページ [%.1f, %.1f, %.1f, %.1f] mm  値: %s\n", f.name.c_str(), f.kind.c_str(), f.page, f.box.x, f.box.y,
                f.box.width, f.box.height, f.value.c_str());
  }
}

int inspect(const std::vector<std::string>& args) {
  bool json = false;
  std::string file;
  for (const auto& a : args) {
    if (a == "--json") json = true;
    else if (file.empty() && !a.starts_with("--")) file = a;
    else return usage();
  }
  if (file.empty()) return usage();
  auto t = inspectTemplate(file);
  if (!t) return refused(t.error(), json);
  if (!json) {
    printInspection(*t);
    return 0;
  }
  inspectionJson(*t).stringify(std::cout);
  std::cout << std::endl;
  return 0;
}

struct ImportArgs {
  std::string in, out;
  IntakeOptions options;
  bool json = false;
};

bool parseImport(const std::vector<std::string>& args, ImportArgs& a) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--json") a.json = true;
    else if (args[i] == "--drop-signature") a.options.dropSignature = true;
    else if (args[i] == "-o" && i + 1 < args.size()) a.out = args[++i];
    else if (a.in.empty() && !args[i].starts_with("-")) a.in = args[i];
    else return false;
  }
  if (a.in.empty()) return false;
  if (a.out.empty()) a.out = "templates/" + std::filesystem::path(a.in).filename().string();
  return true;
}

int import(const std::vector<std::string>& args) {
  ImportArgs a;
  if (!parseImport(args, a)) return usage();
  auto report = importTemplate(a.in, a.out, a.options);
  if (!report) return refused(report.error(), a.json);
  if (a.json) {
    Object out;
    out.set("ok", true);
    out.set("template", a.out);
    out.set("pages", report->pages);
    out.set("done", strings(report->done));
    out.set("warnings", strings(report->warnings));
    out.set("repairs", strings(report->repairs));
    out.stringify(std::cout);
    std::cout << std::endl;
    return 0;
  }
  std::printf("取り込みました: %s（%d ページ）\n", a.out.c_str(), report->pages);
  for (const auto& d : report->done) std::printf("  ・%s\n", d.c_str());
  for (const auto& w : report->warnings) std::printf("  ！%s\n", w.c_str());
  return 0;
}

}  // namespace

int cmdTemplate(int argc, char** argv) {
  if (argc < 3) return usage();
  const std::string sub = argv[2];
  std::vector<std::string> args(argv + 3, argv + argc);
  if (sub == "import") return import(args);
  if (sub == "inspect") return inspect(args);
  return usage();
}

}  // namespace kakanai::cli
