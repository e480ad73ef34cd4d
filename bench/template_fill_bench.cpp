// Fills one real-world template (any PDF) with a name and an address on its first page, cold
// and warm, and reports the template's size and pages, the fill times, the bytes the update
// adds and the process's peak RSS. One template per process, so the RSS is that template's.
//
// usage: template_fill_bench SOURCE_DIR TEMPLATE.pdf ITERATIONS   (prints one JSON object)
#include <sys/resource.h>

#include <Poco/JSON/Object.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>

#include "fonts/font_set.h"
#include "forms/form_filler.h"
#include "pdf/form_pdf_writer.h"

using namespace kakanai;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  if (argc < 4) return 2;
  const std::string source = argv[1];
  const std::filesystem::path tmpl = std::filesystem::absolute(argv[2]);
  const int iterations = std::atoi(argv[3]);
  const auto coldStart = Clock::now();
  auto fonts = fonts::FontSet::load(source + "/fonts/manifest.json");
  if (!fonts) return 1;
  auto form = forms::parseFormDefinition(R"({"id":"bench","title":"bench","template":")" + tmpl.filename().string() + R"(",
      "fields":[{"name":"name","source":"person.name","box":[20,20,80,8]},
                {"name":"address","source":"person.address","box":[20,32,150,14],"maxLines":2,"fit":["wrap","shrink"]}]})",
                                         "bench.json");
  if (!form) return 1;
  Person p;
  p.name = SecretText("佐々木　久美子");
  p.address = SecretText("北海道札幌市中央区北一条西二丁目１番地　札幌ホワイトビルディング第二別館１２０３号室");
  p.birthDate = SecretText("1926-12-25");
  forms::FillRequest request;
  request.person = &p;
  request.date = "2026-11-23";
  const std::string dir = tmpl.parent_path().string();
  auto first = forms::fillForm(*form, dir, **fonts, request);
  const double coldMs = std::chrono::duration<double, std::milli>(Clock::now() - coldStart).count();
  if (!first) {
    std::cerr << first.error().diagnostic << "\n";
    return 1;
  }
  std::vector<double> warm;
  for (int i = 0; i < iterations; ++i) {
    const auto t0 = Clock::now();
    auto r = forms::fillForm(*form, dir, **fonts, request);
    warm.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    if (!r) return 1;
  }
  std::sort(warm.begin(), warm.end());
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto templateBytes = static_cast<long long>(std::filesystem::file_size(tmpl));
  Poco::JSON::Object out;
  out.set("template", tmpl.filename().string());
  out.set("templateBytes", templateBytes);
  out.set("pages", first->pages);
  out.set("coldMs", coldMs);
  out.set("warmMedianMs", warm.empty() ? coldMs : warm[warm.size() / 2]);
  out.set("bytesAdded", static_cast<long long>(first->pdf.size()) - templateBytes);
  out.set("peakRssKiB", static_cast<long long>(usage.ru_maxrss));
  out.stringify(std::cout);
  std::cout << "\n";
  return 0;
}
