// A procedure's documents as one PDF: every page of each, in order, for one preview and one print
// job. The documents are our own fills; the bundle is wiped like them (SecureBytes).
#pragma once

#include <memory>

#include "core/bytes.h"
#include "core/error.h"
#include "core/secure_buffer.h"

namespace kakanai::pdf {

// One document read for a bundle. Reading it (every object parsed) is most of what a merge
// costs and needs nothing of the bundle, so each fill's own thread reads its document while the
// other forms are still being filled; the bundle then only copies objects.
class BundlePart {
 public:
  static Result<BundlePart> read(ByteView document);  // safe from any thread: a part is its own
  BundlePart(BundlePart&&) noexcept;
  BundlePart& operator=(BundlePart&&) noexcept;
  ~BundlePart();

 private:
  friend class PdfBundle;
  struct Impl;
  BundlePart();
  std::unique_ptr<Impl> impl_;
};

// Built one document at a time, so a caller can append each as soon as it is read. Not
// thread-safe: append from one thread, in page order.
class PdfBundle {
 public:
  PdfBundle();
  ~PdfBundle();
  PdfBundle(const PdfBundle&) = delete;
  PdfBundle& operator=(const PdfBundle&) = delete;
  Status append(BundlePart part);
  Result<SecureBytes> finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kakanai::pdf
