#include "pdf/pdf_bundle.h"

#include <podofo/podofo.h>

#include <memory>

namespace kakanai::pdf {

using namespace PoDoFo;

Result<SecureBytes> bundleDocuments(const std::vector<ByteView>& documents) {
  if (documents.empty()) return Error::of(ErrorCode::Internal, "bundle: no documents");
  try {
    PdfMemDocument bundle;
    for (const auto& d : documents) {
      PdfMemDocument one;
      one.LoadFromBuffer(reinterpret_cast<const char*>(d.data()), static_cast<long>(d.size()));
      bundle.Append(one);
    }
    // No timestamps, no producer: the same documents give the same bundle.
    PdfObject* info = bundle.GetTrailer()->GetIndirectKey("Info");
    if (info != nullptr && info->IsDictionary()) {
      for (const char* key : {"CreationDate", "ModDate", "Producer"}) info->GetDictionary().RemoveKey(key);
    }
    PdfRefCountedBuffer buffer;
    PdfOutputDevice device(&buffer);
    bundle.Write(&device);
    const auto* data = reinterpret_cast<const std::uint8_t*>(buffer.GetBuffer());
    SecureBytes out(data, data + device.GetLength());
    secureWipe(buffer.GetBuffer(), buffer.GetSize());
    return out;
  } catch (const PdfError& e) {
    // Our own fills that PoDoFo cannot read back: a defect of ours, not the clerk's or the template's.
    const char* what = PdfError::ErrorMessage(e.GetError());  // null for some codes
    return Error::of(ErrorCode::Internal, std::string("bundle: ") + (what != nullptr ? what : "PoDoFo error"));
  }
}

}  // namespace kakanai::pdf
