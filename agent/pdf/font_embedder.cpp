#include "pdf/font_embedder.h"

#include <hb-subset.h>
#include <hb.h>

#include <cmath>
#include <cstdio>
#include <functional>

#include "crypto/rsa.h"

namespace kakanai::pdf {

Result<Bytes> subsetFontProgram(const fonts::Font& font, const std::set<std::uint32_t>& glyphs) {
  hb_subset_input_t* input = hb_subset_input_create_or_fail();
  if (input == nullptr) return Error::of(ErrorCode::Internal, "hb_subset_input_create_or_fail");
  hb_set_t* keep = hb_subset_input_glyph_set(input);
  hb_set_add(keep, 0);
  for (auto g : glyphs) hb_set_add(keep, g);
  // The source face holds only the tables a CID font embeds (Font::subsetSourceFace), so there is
  // nothing to drop here: no cmap to walk, no layout tables to close over.
  hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_RETAIN_GIDS | HB_SUBSET_FLAGS_NO_HINTING |
                                       HB_SUBSET_FLAGS_DESUBROUTINIZE);
  hb_face_t* subset = hb_subset_or_fail(font.subsetSourceFace(), input);
  hb_subset_input_destroy(input);
  if (subset == nullptr) return Error::of(ErrorCode::Internal, "hb_subset_or_fail for " + font.postscriptName());
  hb_blob_t* blob = hb_face_reference_blob(subset);
  unsigned len = 0;
  const char* data = hb_blob_get_data(blob, &len);
  Bytes out(reinterpret_cast<const std::uint8_t*>(data), reinterpret_cast<const std::uint8_t*>(data) + len);
  hb_blob_destroy(blob);
  hb_face_destroy(subset);
  return out;
}

std::string subsetTag(const std::string& fontName, const std::set<std::uint32_t>& glyphs) {
  Bytes key(fontName.begin(), fontName.end());
  for (auto g : glyphs) {
    key.push_back(static_cast<std::uint8_t>(g >> 8));
    key.push_back(static_cast<std::uint8_t>(g));
  }
  const auto digest = crypto::sha256(key);
  std::string tag;
  for (int i = 0; i < 6; ++i) tag.push_back(static_cast<char>('A' + digest[static_cast<std::size_t>(i)] % 26));
  return tag;
}

namespace {
MetricRuns runsOf(const std::set<std::uint32_t>& glyphs, const std::function<void(std::uint32_t, std::vector<long>&)>& values) {
  MetricRuns runs;
  std::uint32_t prev = 0;
  for (auto g : glyphs) {
    if (runs.empty() || g != prev + 1) runs.push_back({g, {}});
    values(g, runs.back().second);
    prev = g;
  }
  return runs;
}
}  // namespace

MetricRuns horizontalWidths(const fonts::Font& font, const std::set<std::uint32_t>& glyphs) {
  return runsOf(glyphs, [&](std::uint32_t g, std::vector<long>& v) { v.push_back(std::lround(font.horizontalAdvance(g))); });
}

MetricRuns verticalMetrics(const fonts::Font& font, const std::set<std::uint32_t>& glyphs) {
  return runsOf(glyphs, [&](std::uint32_t g, std::vector<long>& v) {
    double vx = 0, vy = 0;
    font.verticalOrigin(g, vx, vy);
    v.push_back(std::lround(-font.verticalAdvance(g)));
    v.push_back(std::lround(vx));
    v.push_back(std::lround(vy));
  });
}

std::array<long, 4> fontBBox(const fonts::Font& font) {
  hb_blob_t* head = hb_face_reference_table(font.hbFace(), HB_TAG('h', 'e', 'a', 'd'));
  unsigned len = 0;
  const auto* d = reinterpret_cast<const std::uint8_t*>(hb_blob_get_data(head, &len));
  std::array<long, 4> out{0, -120, 1000, 880};
  if (len >= 44) {
    auto s16 = [&](unsigned at) { return static_cast<std::int16_t>(d[at] << 8 | d[at + 1]); };
    const double k = 1000.0 / font.unitsPerEm();
    for (unsigned i = 0; i < 4; ++i) out[i] = std::lround(s16(36 + 2 * i) * k);
  }
  hb_blob_destroy(head);
  return out;
}

}  // namespace kakanai::pdf
