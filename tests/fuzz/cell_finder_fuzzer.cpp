// The cell finder's content-stream reader on arbitrary bytes: a template's page content is outside
// input (any municipality's PDF). A form XObject named /F draws the input again (nesting limit).
#include <cstddef>
#include <cstdint>
#include <string>

#include "designer/cell_finder.h"

using namespace kakanai::designer;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string content(reinterpret_cast<const char*>(data), size);
  XObjectLookup lookup;
  lookup = [&](const std::string& name) -> std::optional<FormXObject> {
    if (name != "F") return std::nullopt;
    return FormXObject{content, Matrix{0.5, 0, 0, 0.5, 10, 10}, lookup};
  };
  const auto segments = paintedSegments(content, {}, lookup);
  const RuledLines lines = ruledLines(segments, [](double x, double y, double& u, double& v) {
    u = x;
    v = 842 - y;
  });
  for (double y = 0; y < 842; y += 97) {
    for (double x = 0; x < 595; x += 89) (void)findCell(lines, x, y);
  }
  return 0;
}
