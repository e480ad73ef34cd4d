#include "fonts/font_set.h"

#include <hb-ot.h>
#include <hb.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <openssl/evp.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "crypto/rsa.h"

namespace kakanai::fonts {

Result<std::vector<FontManifestEntry>> loadFontManifest(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::of(ErrorCode::Internal, "font manifest not found: " + path);
  std::ostringstream s;
  s << in.rdbuf();
  std::vector<FontManifestEntry> out;
  try {
    Poco::JSON::Parser parser;
    auto root = parser.parse(s.str()).extract<Poco::JSON::Object::Ptr>();
    auto fonts = root->getArray("fonts");
    if (!fonts) return Error::of(ErrorCode::Internal, "font manifest: no fonts array");
    for (unsigned i = 0; i < fonts->size(); ++i) {
      auto f = fonts->getObject(i);
      if (!f) return Error::of(ErrorCode::Internal, "font manifest: entry " + std::to_string(i) + " is not an object");
      FontManifestEntry e;
      e.role = f->optValue<std::string>("role", "");
      e.family = f->optValue<std::string>("family", "");
      e.package = f->optValue<std::string>("package", "");
      e.file = f->optValue<std::string>("file", "");
      e.sha256 = f->optValue<std::string>("sha256", "");
      if (e.role.empty() || e.file.empty() || e.sha256.size() != 64) {
        return Error::of(ErrorCode::Internal, "font manifest: entry " + std::to_string(i) + " needs role, file and sha256");
      }
      out.push_back(std::move(e));
    }
  } catch (const Poco::Exception& e) {
    return Error::of(ErrorCode::Internal, "font manifest: " + e.displayText());
  }
  return out;
}

namespace {
std::string fileSha256Hex(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return {};
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  std::vector<unsigned char> buf(1 << 16);
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) EVP_DigestUpdate(ctx, buf.data(), n);
  std::fclose(f);
  unsigned char digest[32];
  unsigned len = 0;
  EVP_DigestFinal_ex(ctx, digest, &len);
  EVP_MD_CTX_free(ctx);
  return toHex(ByteView(digest, len));
}
}  // namespace

Font::~Font() {
  hb_face_destroy(subsetSource_);
  hb_font_destroy(font_);
  hb_face_destroy(face_);
  hb_blob_destroy(blob_);
}

Result<std::unique_ptr<Font>> Font::open(const FontManifestEntry& entry, bool verifyChecksum) {
  std::unique_ptr<Font> f(new Font());
  f->role_ = entry.role;
  f->file_ = entry.file;
  f->blob_ = hb_blob_create_from_file_or_fail(entry.file.c_str());
  if (f->blob_ == nullptr) {
    return Error::of(ErrorCode::Internal, "font for role " + entry.role + " is missing: " + entry.file +
                                              " (Debian package " + entry.package + ")");
  }
  if (verifyChecksum) {
    // Hashed by reading the file, not through the blob's mapping: touching every page of the
    // mapping would keep the whole font (tens of MB for IPAmj) resident for the agent's lifetime,
    // where only the glyphs actually used need to be.
    std::string hex = fileSha256Hex(entry.file);
    for (auto& c : hex) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (hex != entry.sha256) {
      return Error::of(ErrorCode::Internal, "font for role " + entry.role + " has the wrong checksum: " + entry.file);
    }
  }
  f->face_ = hb_face_create(f->blob_, 0);
  f->upem_ = hb_face_get_upem(f->face_);
  f->font_ = hb_font_create(f->face_);
  hb_ot_font_set_funcs(f->font_);
  hb_font_set_scale(f->font_, static_cast<int>(f->upem_), static_cast<int>(f->upem_));
  // A face holding only what an embedded CID font needs.
  static const char* kEmbedded[] = {"head", "hhea", "hmtx", "maxp", "loca", "glyf", "cvt ", "fpgm", "prep"};
  f->subsetSource_ = hb_face_builder_create();
  for (const char* tag : kEmbedded) {
    hb_blob_t* table = hb_face_reference_table(f->face_, hb_tag_from_string(tag, 4));
    if (hb_blob_get_length(table) > 0) hb_face_builder_add_table(f->subsetSource_, hb_tag_from_string(tag, 4), table);
    hb_blob_destroy(table);
  }
  char name[128];
  unsigned size = sizeof name;
  if (hb_ot_name_get_utf8(f->face_, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &size, name) > 0) {
    f->postscriptName_ = name;
  } else {
    f->postscriptName_ = entry.role;
  }
  return f;
}

std::optional<std::uint32_t> Font::glyphFor(char32_t base, char32_t selector) const {
  hb_codepoint_t g = 0;
  if (selector != 0) {
    if (hb_font_get_variation_glyph(font_, base, selector, &g) && g != 0) return g;
    return std::nullopt;
  }
  if (hb_font_get_nominal_glyph(font_, base, &g) && g != 0) return g;
  return std::nullopt;
}

double Font::horizontalAdvance(std::uint32_t gid) const {
  return hb_font_get_glyph_h_advance(font_, gid) * 1000.0 / upem_;
}

double Font::verticalAdvance(std::uint32_t gid) const {
  return -hb_font_get_glyph_v_advance(font_, gid) * 1000.0 / upem_;
}

void Font::verticalOrigin(std::uint32_t gid, double& x, double& y) const {
  hb_position_t ox = 0, oy = 0;
  hb_font_get_glyph_v_origin(font_, gid, &ox, &oy);
  x = ox * 1000.0 / upem_;
  y = oy * 1000.0 / upem_;
}

double Font::ascender() const {
  hb_position_t v = 0;
  hb_ot_metrics_get_position_with_fallback(font_, HB_OT_METRICS_TAG_HORIZONTAL_ASCENDER, &v);
  return v * 1000.0 / upem_;
}

double Font::descender() const {
  hb_position_t v = 0;
  hb_ot_metrics_get_position_with_fallback(font_, HB_OT_METRICS_TAG_HORIZONTAL_DESCENDER, &v);
  return v * 1000.0 / upem_;
}

Result<std::shared_ptr<FontSet>> FontSet::load(const std::string& manifestPath, bool verifyChecksums) {
  auto entries = loadFontManifest(manifestPath);
  if (!entries) return entries.error();
  auto set = std::make_shared<FontSet>();
  for (const auto& e : *entries) {
    auto f = Font::open(e, verifyChecksums);
    if (!f) return f.error();
    set->fonts_.push_back(std::move(*f));
  }
  return set;
}

const Font* FontSet::byRole(const std::string& role) const {
  for (const auto& f : fonts_) {
    if (f->role() == role) return f.get();
  }
  return nullptr;
}

std::size_t FontSet::indexOf(const Font* f) const {
  for (std::size_t i = 0; i < fonts_.size(); ++i) {
    if (fonts_[i].get() == f) return i;
  }
  return fonts_.size();
}

}  // namespace kakanai::fonts
