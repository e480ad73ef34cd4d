#include "core/secure_buffer.h"

#include <openssl/crypto.h>

namespace kakanai {

void secureWipe(void* p, std::size_t n) noexcept {
  if (p != nullptr && n != 0) OPENSSL_cleanse(p, n);
}

// Not inlined, so the alloca'd area lies below the caller's frame, where its callees' frames were.
__attribute__((noinline)) void wipeStackBelow(std::size_t bytes) noexcept {
  void* area = __builtin_alloca(bytes);
  OPENSSL_cleanse(area, bytes);
  __asm__ __volatile__("" : : "r"(area) : "memory");
}

}  // namespace kakanai
