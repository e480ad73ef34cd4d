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

struct PdfBundle::Impl {
  PdfMemDocument bundle;
  std::size_t documents = 0;
};

PdfBundle::PdfBundle() : impl_(std::make_unique<Impl>()) {}
PdfBundle::~PdfBundle() = default;

Status PdfBundle::append(ByteView document) {
  try {
    PdfMemDocument one;
    one.LoadFromBuffer(reinterpret_cast<const char*>(document.data()), static_cast<long>(document.size()));
    impl_->bundle.Append(one);
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
