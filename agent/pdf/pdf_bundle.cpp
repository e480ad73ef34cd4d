#include "pdf/pdf_bundle.h"

#include <podofo/podofo.h>

namespace kakanai::pdf {

using namespace PoDoFo;

namespace {

// Our own fills that PoDoFo cannot read back: a defect of ours, not the clerk's or the template's.
Error bundleError(const PdfError& e) {
  const char* what = PdfError::ErrorMessage(e.GetError());  // null for some codes
  return Error::of(ErrorCode::Internal, std::string("bundle: ") + (what != nullptr ? what : "PoDoFo error"));
}

}  // namespace

struct BundlePart::Impl {
  PdfMemDocument document;
};

BundlePart::BundlePart() : impl_(std::make_unique<Impl>()) {}
BundlePart::BundlePart(BundlePart&&) noexcept = default;
BundlePart& BundlePart::operator=(BundlePart&&) noexcept = default;
BundlePart::~BundlePart() = default;

Result<BundlePart> BundlePart::read(ByteView document) {
  try {
    BundlePart part;
    PdfMemDocument& d = part.impl_->document;
    d.LoadFromBuffer(reinterpret_cast<const char*>(document.data()), static_cast<long>(document.size()));
    // PoDoFo parses an object when it is first used; use each one here, in this thread.
    for (PdfObject* o : d.GetObjects()) {
      if (o != nullptr) o->HasStream();
    }
    return part;
  } catch (const PdfError& e) {
    return bundleError(e);
  }
}

struct PdfBundle::Impl {
  PdfMemDocument bundle;
  std::size_t documents = 0;
};

PdfBundle::PdfBundle() : impl_(std::make_unique<Impl>()) {}
PdfBundle::~PdfBundle() = default;

Status PdfBundle::append(BundlePart part) {
  try {
    impl_->bundle.Append(part.impl_->document);
    ++impl_->documents;
    return okStatus();
  } catch (const PdfError& e) {
    return bundleError(e);
  }
}

Result<SecureBytes> PdfBundle::finish() {
  if (impl_->documents == 0) return Error::of(ErrorCode::Internal, "bundle: no documents");
  try {
    // No timestamps, no producer: the same documents give the same bundle.
    PdfObject* info = impl_->bundle.GetTrailer()->GetIndirectKey("Info");
    if (info != nullptr && info->IsDictionary()) {
      for (const char* key : {"CreationDate", "ModDate", "Producer"}) info->GetDictionary().RemoveKey(key);
    }
    PdfRefCountedBuffer buffer;
    PdfOutputDevice device(&buffer);
    impl_->bundle.Write(&device);
    const auto* data = reinterpret_cast<const std::uint8_t*>(buffer.GetBuffer());
    SecureBytes out(data, data + device.GetLength());
    secureWipe(buffer.GetBuffer(), buffer.GetSize());
    return out;
  } catch (const PdfError& e) {
    return bundleError(e);
  }
}

}  // namespace kakanai::pdf
