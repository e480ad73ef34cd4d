#include "pdf/font_embedder.h"

#include <hb-subset.h>
#include <hb.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <optional>

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

GlyphCodes::GlyphCodes(const fonts::Font& font) : nextAlias_(hb_face_get_glyph_count(font.hbFace())) {}

std::uint32_t GlyphCodes::use(std::uint32_t gid, const std::u32string& text) {
  const auto key = std::make_pair(gid, text);
  if (auto it = cids_.find(key); it != cids_.end()) return it->second;
  glyphs_.insert(gid);
  std::uint32_t cid;
  if (!primaryText_.count(gid)) {
    cid = gid;
    primaryText_[gid] = text;
  } else {
    cid = nextAlias_++;
    aliases_[cid] = gid;
    aliasText_[cid] = text;
  }
  cids_[key] = cid;
  return cid;
}

std::uint32_t GlyphCodes::cidOf(std::uint32_t gid, const std::u32string& text) const {
  auto it = cids_.find({gid, text});
  return it == cids_.end() ? gid : it->second;
}

std::vector<std::pair<std::uint32_t, std::u32string>> GlyphCodes::toUnicode() const {
  std::vector<std::pair<std::uint32_t, std::u32string>> out;
  for (const auto& [cid, text] : primaryText_) {
    if (!text.empty()) out.emplace_back(cid, text);
  }
  for (const auto& [cid, text] : aliasText_) {
    if (!text.empty()) out.emplace_back(cid, text);
  }
  return out;
}

std::map<std::uint32_t, std::uint32_t> GlyphCodes::cidGlyphs() const {
  std::map<std::uint32_t, std::uint32_t> out;
  for (auto g : glyphs_) out[g] = g;
  for (const auto& [cid, gid] : aliases_) out[cid] = gid;
  return out;
}

Bytes GlyphCodes::cidToGidMap() const {
  const auto all = cidGlyphs();
  const std::uint32_t last = all.empty() ? 0 : all.rbegin()->first;
  Bytes out(2 * (static_cast<std::size_t>(last) + 1), 0);
  for (std::uint32_t cid = 0; cid <= last; ++cid) {
    auto it = all.find(cid);
    // CIDs no text uses show their own glyph, as with /Identity.
    const std::uint32_t gid = it == all.end() ? cid : it->second;
    out[2 * cid] = static_cast<std::uint8_t>(gid >> 8);
    out[2 * cid + 1] = static_cast<std::uint8_t>(gid);
  }
  return out;
}

namespace {
// `values` gives a CID's metrics, or nothing when they are the defaults.
MetricRuns runsOf(const GlyphCodes& codes, const std::function<std::optional<std::vector<long>>(std::uint32_t)>& values) {
  MetricRuns runs;
  std::optional<std::uint32_t> prev;
  for (const auto& [cid, gid] : codes.cidGlyphs()) {
    auto v = values(gid);
    if (!v) continue;
    if (!prev || cid != *prev + 1) runs.push_back({cid, {}});
    runs.back().second.insert(runs.back().second.end(), v->begin(), v->end());
    prev = cid;
  }
  return runs;
}
}  // namespace

MetricRuns horizontalWidths(const fonts::Font& font, const GlyphCodes& codes) {
  return runsOf(codes, [&](std::uint32_t g) -> std::optional<std::vector<long>> {
    const long w = std::lround(font.horizontalAdvance(g));
    if (w == kDefaultWidth) return std::nullopt;
    return std::vector<long>{w};
  });
}

MetricRuns verticalMetrics(const fonts::Font& font, const GlyphCodes& codes) {
  return runsOf(codes, [&](std::uint32_t g) -> std::optional<std::vector<long>> {
    double vx = 0, vy = 0;
    font.verticalOrigin(g, vx, vy);
    const long w1y = std::lround(-font.verticalAdvance(g)), x = std::lround(vx), y = std::lround(vy);
    // The default position vector is (w0 / 2, 880), w0 being the glyph's width (PDF 32000
    // 9.7.4.3), but pdf.js takes half of /DW instead, and its text layer advances a glyph missing
    // from /W2 by its width: a glyph narrower or wider than /DW is listed, so the browser's preview
    // places and selects it where print does.
    const long w0 = std::lround(font.horizontalAdvance(g));
    if (y == kDefaultVertical[0] && w1y == kDefaultVertical[1] && 2 * x == w0 && w0 == kDefaultWidth) return std::nullopt;
    return std::vector<long>{w1y, x, y};
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
