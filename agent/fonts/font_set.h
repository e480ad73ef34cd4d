// The fonts a form may use, as fonts/manifest.json names them: each file checked against its
// SHA-256 before use (a wrong or missing file is refused, naming the role and the file), opened
// once with HarfBuzz and kept for the agent's lifetime.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "core/error.h"

using hb_blob_t = struct hb_blob_t;
using hb_face_t = struct hb_face_t;
using hb_font_t = struct hb_font_t;

namespace kakanai::fonts {

struct FontManifestEntry {
  std::string role;
  std::string family;
  std::string package;
  std::string file;
  std::string sha256;
};

Result<std::vector<FontManifestEntry>> loadFontManifest(const std::string& path);

class Font {
 public:
  ~Font();
  Font(const Font&) = delete;
  Font& operator=(const Font&) = delete;

  static Result<std::unique_ptr<Font>> open(const FontManifestEntry& entry, bool verifyChecksum = true);

  const std::string& role() const { return role_; }
  const std::string& postscriptName() const { return postscriptName_; }
  unsigned unitsPerEm() const { return upem_; }
  const std::string& file() const { return file_; }
  hb_font_t* hbFont() const { return font_; }
  hb_face_t* hbFace() const { return face_; }
  // The same font without the tables a PDF CID font never uses (cmap, layout, names): what
  // hb-subset starts from, so planning a subset does not walk a CJK cmap every time.
  hb_face_t* subsetSourceFace() const { return subsetSource_; }

  // The glyph for a code point followed by an optional variation selector (0 = none). A
  // sequence the font's cmap format 14 table does not list is "missing", never its base glyph.
  std::optional<std::uint32_t> glyphFor(char32_t base, char32_t selector) const;

  // Metrics in 1/1000 em (PDF glyph space).
  double horizontalAdvance(std::uint32_t gid) const;
  double verticalAdvance(std::uint32_t gid) const;  // positive, downwards
  void verticalOrigin(std::uint32_t gid, double& x, double& y) const;
  double ascender() const;
  double descender() const;  // negative

 private:
  Font() = default;
  std::string role_;
  std::string postscriptName_;
  std::string file_;
  unsigned upem_ = 1000;
  hb_blob_t* blob_ = nullptr;
  hb_face_t* face_ = nullptr;
  hb_font_t* font_ = nullptr;
  hb_face_t* subsetSource_ = nullptr;
};

class FontSet {
 public:
  // Opens every font in the manifest. Fails with the role and file of the first one that is
  // missing or whose checksum differs.
  static Result<std::shared_ptr<FontSet>> load(const std::string& manifestPath, bool verifyChecksums = true);

  const Font* byRole(const std::string& role) const;
  const Font* fallback() const { return byRole("fallback"); }
  const std::vector<std::unique_ptr<Font>>& all() const { return fonts_; }
  std::size_t indexOf(const Font* f) const;

 private:
  std::vector<std::unique_ptr<Font>> fonts_;
};

}  // namespace kakanai::fonts
