// Line breaking and fitting on arbitrary text: residents' addresses come from cards and clerks.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fonts/font_set.h"
#include "typeset/field_layout.h"
#include "typeset/line_breaker.h"
#include "typeset/shaper.h"

using namespace kakanai;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static auto fonts = *fonts::FontSet::load(KAKANAI_SOURCE_DIR "/fonts/manifest.json", /*verifyChecksums=*/false);
  if (size < 2) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 2, size - 2);
  const auto codepoints = typeset::decodeUtf8(text);
  std::vector<std::u32string> clusters;
  for (char32_t c : codepoints) clusters.push_back(std::u32string(1, c));
  (void)typeset::lineBreakOpportunities(clusters, data[0] & 1 ? typeset::BreakStyle::Address : typeset::BreakStyle::Plain);
  typeset::FieldStyle st;
  st.direction = data[0] & 2 ? typeset::Direction::Vertical : typeset::Direction::Horizontal;
  st.maxLines = 1 + (data[1] & 3);
  st.steps = {typeset::FitStep::Wrap, typeset::FitStep::Shrink, typeset::FitStep::Condense};
  st.distribute = {{2, 6}, {6, 7}};
  auto shaped = typeset::shapeText(*fonts, *fonts->byRole("mincho"), codepoints, st.direction);
  if (!shaped) return 0;
  typeset::applyVerticalForms(*shaped, *fonts, {1 + (data[1] & 3), data[0] & 4 ? 3 : 0});
  const typeset::Box box{10, 10, 20.0 + (data[1] >> 2) * 4, 12.0 + (data[0] >> 2) * 2};
  const auto laid = typeset::layoutField(*shaped, *fonts, box, st);
  // The one promise that must hold for any input: nothing outside the box.
  if (laid.ink.width > 0 && (laid.ink.x < box.x - 1e-6 || laid.ink.y < box.y - 1e-6 ||
                             laid.ink.x + laid.ink.width > box.x + box.width + 1e-6 ||
                             laid.ink.y + laid.ink.height > box.y + box.height + 1e-6)) {
    __builtin_trap();
  }
  return 0;
}
