#include "core/secure_buffer.h"

#include <openssl/crypto.h>

namespace kakanai {

void secureWipe(void* p, std::size_t n) noexcept {
  if (p != nullptr && n != 0) OPENSSL_cleanse(p, n);
}

}  // namespace kakanai
