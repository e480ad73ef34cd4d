// A template PDF opened for filling: the PoDoFo object layer behind guards. Pages are found by our
// own walk of the pages tree (cycles and broken kids are a template error, not a crash or a hang),
// inherited page attributes are resolved along the walked parent chain, and every object the fill
// adds or changes is recorded, so that the output is a true incremental update: the template's
// bytes unchanged, then exactly those objects and a cross-reference section of the template's own
// kind (a stream when the template uses xref streams) whose /Prev is the template's.
#pragma once

#include <podofo/podofo.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "core/error.h"

namespace kakanai::pdf {

// The visible page (the CropBox within the MediaBox) as shown, after /Rotate. `toUser` maps
// displayed coordinates with the origin at the displayed bottom-left to the page's user space.
struct PageGeometry {
  double width = 0, height = 0;       // as displayed, points
  double mediaWidth = 0, mediaHeight = 0;  // the MediaBox as displayed, points
  int rotate = 0;                     // 0, 90, 180, 270 (clockwise, as /Rotate)
  double toUser[6] = {1, 0, 0, 1, 0, 0};
  // User space → displayed coordinates with the origin at the top-left, y down.
  void displayed(double x, double y, double& u, double& vDown) const;
};

class TemplateDocument {
 public:
  // template_invalid (unreadable, damaged beyond what PoDoFo reads, a broken pages tree),
  // template_encrypted (a user password, or printing not allowed).
  static Result<std::unique_ptr<TemplateDocument>> load(const std::string& path);

  PoDoFo::PdfMemDocument& doc() { return doc_; }
  int pageCount() const { return static_cast<int>(pages_.size()); }
  PoDoFo::PdfObject* page(int index) const { return pages_.at(static_cast<std::size_t>(index)).object; }
  const PageGeometry& geometry(int index) const { return pages_.at(static_cast<std::size_t>(index)).geometry; }
  // The page's own key, else the nearest ancestor's (Resources, MediaBox, CropBox, Rotate).
  PoDoFo::PdfObject* inherited(int index, const char* key) const;
  // The index of the page whose object `ref` is, or -1.
  int pageIndexOf(const PoDoFo::PdfReference& ref) const;

  // `o` itself, or what it refers to (nullptr for a dangling reference).
  PoDoFo::PdfObject* resolve(PoDoFo::PdfObject* o) const;
  const PoDoFo::PdfObject* resolve(const PoDoFo::PdfObject* o) const;
  // The value of `key` in dictionary `o`, resolved; nullptr when absent or not a dictionary.
  PoDoFo::PdfObject* get(PoDoFo::PdfObject* o, const char* key) const;
  const PoDoFo::PdfObject* get(const PoDoFo::PdfObject* o, const char* key) const;

  // A new indirect object, written with the update.
  PoDoFo::PdfObject* create(const PoDoFo::PdfDictionary& dict = PoDoFo::PdfDictionary());
  PoDoFo::PdfObject* create(const char* type);
  // Records that the indirect object `o` was changed (a direct one belongs to its container).
  void changed(const PoDoFo::PdfObject* o);
  bool anyChange() const { return !changed_.empty(); }

  // The template's bytes, then the changed and added objects and a cross-reference section.
  Result<Bytes> incrementalUpdate() const;
  // One clean revision of the whole document (drawing a template of our own).
  Result<Bytes> fullRewrite();

 private:
  TemplateDocument() = default;
  Status walkPages();
  Status measurePages();
  struct Page {
    PoDoFo::PdfObject* object = nullptr;
    std::vector<PoDoFo::PdfObject*> parents;  // nearest first
    PageGeometry geometry;
  };
  PoDoFo::PdfMemDocument doc_;
  std::string bytes_;
  std::vector<Page> pages_;
  std::set<PoDoFo::PdfReference> changed_;
};

// What a PdfError says, never a null pointer (PdfError::ErrorMessage returns one for some codes).
std::string describe(const PoDoFo::PdfError& e);

}  // namespace kakanai::pdf
