// A procedure's documents as one PDF: every page of each, in order, for one preview and one print
// job. The documents are our own fills; the bundle is wiped like them (SecureBytes).
#pragma once

#include <vector>

#include "core/bytes.h"
#include "core/error.h"
#include "core/secure_buffer.h"

namespace kakanai::pdf {

Result<SecureBytes> bundleDocuments(const std::vector<ByteView>& documents);

}  // namespace kakanai::pdf
