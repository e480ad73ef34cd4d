// Wipe-on-free for the whole process: every heap block is overwritten when it is freed, whoever
// allocated it — our code, libstdc++'s containers, Poco's JSON parser, PoDoFo's buffers,
// HarfBuzz, OpenSSL, zlib. A resident's data travels through copies we cannot reach one by one
// (a std::string inside a Dynamic::Var, a stringbuf that grew, a u32string of a layout); this
// makes every one of them gone once it is let go. Linked into the agent's executables only (not
// into the libraries, the tests or the fuzzers). Measured in bench/wipe_bench.cpp.
//
// Two ways in, one wipe:
//  - the C allocator: free(), realloc() and reallocarray() defined here interpose glibc's for
//    every shared library (the executable comes first in symbol lookup), and call glibc's own
//    __libc_free / __libc_malloc after wiping malloc_usable_size() bytes (the whole block, slack
//    included). realloc never lets glibc move or shrink a block itself: a block that must grow
//    is copied into a new one and the old one wiped; a shrink keeps the block (its tail is
//    wiped when it is freed).
//  - the C++ allocator: the replaceable global operator new/delete family (plain, array,
//    nothrow, aligned, sized) allocate with malloc / posix_memalign and free with the wiping
//    free(), so no library's delete can bypass it.
// calloc, malloc, posix_memalign, aligned_alloc and memalign need nothing: their blocks all come
// back through free(). Frees inside glibc
// itself (stdio, getaddrinfo) do not pass the PLT and are not wiped; they never see residents'
// data.
//
// Under AddressSanitizer none of this is compiled: ASan intercepts malloc and free itself, and a
// free() of ours would hand its blocks to glibc. There ASan is told to do the same wipe —
// max_free_fill_size (an int: 2 GiB, every byte of any freed block) with free_fill_byte 0 — through
// __asan_default_options, so the memory test proves the same thing in the sanitized build.
#include <malloc.h>
#include <string.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KAKANAI_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define KAKANAI_ASAN 1
#endif

#ifdef KAKANAI_ASAN

extern "C" const char* __asan_default_options() {  // NOLINT(bugprone-reserved-identifier)
  return "max_free_fill_size=2147483647:free_fill_byte=0";
}

#else

extern "C" {
void* __libc_malloc(std::size_t);  // NOLINT(bugprone-reserved-identifier)
void __libc_free(void*);           // NOLINT(bugprone-reserved-identifier)

// glibc marks a chunk it got from mmap with bit 1 of the size word just before the block (the
// layout of malloc_chunk, unchanged since glibc 2.0). Such a chunk is munmapped on free: its pages
// go back to the kernel, and any new mapping is zero-filled, so there is nothing to wipe — and
// wiping would first fault in every page the program never touched.
static bool mmappedChunk(const void* p) noexcept { return (static_cast<const std::size_t*>(p)[-1] & 0x2) != 0; }

void free(void* p) noexcept {
  if (p == nullptr) return;
  if (!mmappedChunk(p)) explicit_bzero(p, malloc_usable_size(p));
  __libc_free(p);
}

void* realloc(void* p, std::size_t n) noexcept {
  if (p == nullptr) return __libc_malloc(n);
  if (n == 0) {
    free(p);
    return nullptr;
  }
  const std::size_t have = malloc_usable_size(p);
  if (n <= have) return p;
  void* q = __libc_malloc(n);
  if (q == nullptr) return nullptr;  // p stays valid, as realloc promises
  memcpy(q, p, have);
  free(p);
  return q;
}

void* reallocarray(void* p, std::size_t count, std::size_t size) noexcept {
  std::size_t n = 0;
  if (__builtin_mul_overflow(count, size, &n)) {
    errno = ENOMEM;
    return nullptr;
  }
  return realloc(p, n);
}
}  // extern "C"

namespace {

void* allocateOrThrow(std::size_t n, std::size_t alignment) {
  if (n == 0) n = 1;
  while (true) {
    void* p = nullptr;
    if (alignment <= alignof(std::max_align_t)) {
      p = std::malloc(n);
    } else if (posix_memalign(&p, alignment, n) != 0) {
      p = nullptr;
    }
    if (p != nullptr) return p;
    std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc();
    handler();
  }
}

void* allocateOrNull(std::size_t n, std::size_t alignment) noexcept {
  try {
    return allocateOrThrow(n, alignment);
  } catch (...) {
    return nullptr;
  }
}

constexpr std::size_t kPlain = alignof(std::max_align_t);

}  // namespace

// NOLINTBEGIN(misc-new-delete-overloads)
void* operator new(std::size_t n) { return allocateOrThrow(n, kPlain); }
void* operator new[](std::size_t n) { return allocateOrThrow(n, kPlain); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return allocateOrNull(n, kPlain); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return allocateOrNull(n, kPlain); }
void* operator new(std::size_t n, std::align_val_t a) { return allocateOrThrow(n, static_cast<std::size_t>(a)); }
void* operator new[](std::size_t n, std::align_val_t a) { return allocateOrThrow(n, static_cast<std::size_t>(a)); }
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return allocateOrNull(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return allocateOrNull(n, static_cast<std::size_t>(a));
}

// The size a sized delete passes is ignored: the whole usable block is wiped, slack included.
void operator delete(void* p) noexcept { free(p); }
void operator delete[](void* p) noexcept { free(p); }
void operator delete(void* p, std::size_t) noexcept { free(p); }
void operator delete[](void* p, std::size_t) noexcept { free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { free(p); }
void operator delete(void* p, std::align_val_t) noexcept { free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { free(p); }
// NOLINTEND(misc-new-delete-overloads)

#endif
