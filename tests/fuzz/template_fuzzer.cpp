// Templates: a municipality's PDF, however broken, goes through intake (libqpdf) and through the
// writer (PoDoFo) both as it is and as intake wrote it. Any outcome is fine but a crash, a hang
// or a leak: a template problem must be an error value.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/person.h"
#include "fonts/font_set.h"
#include "forms/form_definition.h"
#include "forms/form_filler.h"
#include "template/template_intake.h"

namespace {

using namespace kakanai;

const std::filesystem::path& workDir() {
  static const std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() / ("kakanai-template-fuzz-" + std::to_string(getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

void fill(const std::string& templateFile) {
  static auto fonts = fonts::FontSet::load(KAKANAI_SOURCE_DIR "/fonts/manifest.json");
  static auto form = forms::parseFormDefinition(
      R"({"id":"f","title":"f","template":")" + templateFile + R"(","fields":[{"name":"name","source":"person.name","box":[15,15,60,8]}]})",
      "f.json");
  if (!fonts.ok() || !form.ok()) __builtin_trap();  // the harness itself is wrong
  static Person person = [] {
    Person p;
    p.name = SecretText("山田　太郎");
    p.birthDate = SecretText("1980-04-01");
    return p;
  }();
  forms::FillRequest request;
  request.person = &person;
  request.date = "2026-12-01";
  auto definition = *form;
  definition.templateFile = templateFile;
  (void)forms::fillForm(definition, workDir().string(), **fonts, request);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  {
    std::ofstream out(workDir() / "in.pdf", std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  fill("in.pdf");
  (void)template_intake::inspectTemplate(workDir() / "in.pdf");
  if (template_intake::importTemplate(workDir() / "in.pdf", workDir() / "imported.pdf").ok()) fill("imported.pdf");
  return 0;
}
