// A procedure's documents as one PDF: every page of each, in order, for one preview and one print
// job. The documents are our own fills; the bundle is wiped like them (SecureBytes).
#pragma once

#include <memory>

#include "core/bytes.h"
#include "core/error.h"
#include "core/secure_buffer.h"

namespace kakanai::pdf {

// Built one document at a time, so a caller can append each as soon as it is filled while the
// next ones are still being filled. Not thread-safe: append from one thread, in page order.
class PdfBundle {
 public:
  PdfBundle();
  ~PdfBundle();
  PdfBundle(const PdfBundle&) = delete;
  PdfBundle& operator=(const PdfBundle&) = delete;
  Status append(ByteView document);
  Result<SecureBytes> finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kakanai::pdf
