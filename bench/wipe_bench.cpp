// What wipe-on-free costs per call: malloc + free pairs of the sizes the agent's requests make,
// through the wiping free() (this binary links agent/core/wiping_allocator.cpp) and through
// glibc's own __libc_malloc/__libc_free in the same run; and one wipeStackBelow() of 256 KiB.
// Prints a Markdown table. Release build only (under ASan the allocator is ASan's).
//
// usage: wipe_bench [ROUNDS]
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "core/secure_buffer.h"

extern "C" void* __libc_malloc(std::size_t);  // NOLINT(bugprone-reserved-identifier)
extern "C" void __libc_free(void*);           // NOLINT(bugprone-reserved-identifier)

namespace {

using Clock = std::chrono::steady_clock;

template <class Alloc, class Free>
double nsPerPair(std::size_t size, int pairs, Alloc alloc, Free release) {
  std::vector<void*> held(64);
  const auto t0 = Clock::now();
  for (int i = 0; i < pairs; ++i) {
    void*& slot = held[static_cast<std::size_t>(i) % held.size()];
    if (slot) release(slot);
    slot = alloc(size);
    static_cast<volatile char*>(slot)[0] = 1;  // touched, as a real buffer would be
  }
  for (void*& p : held) release(p), p = nullptr;
  return std::chrono::duration<double, std::nano>(Clock::now() - t0).count() / pairs;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 7;
  std::printf("| block size | glibc malloc+free | wiping free | extra per pair |\n|---:|---:|---:|---:|\n");
  // 1 MiB is over glibc's mmap threshold: unmapped on free, not wiped.
  for (std::size_t size : {16, 64, 256, 1024, 4096, 16384, 65536, 1 << 20}) {
    const int pairs = size >= (1 << 20) ? 2000 : 200000;
    std::vector<double> plain, wiping;
    nsPerPair(size, pairs, __libc_malloc, __libc_free);  // warm-up: the heap grown, caches filled
    nsPerPair(size, pairs, ::malloc, ::free);
    for (int r = 0; r < rounds; ++r) {
      plain.push_back(nsPerPair(size, pairs, __libc_malloc, __libc_free));
      wiping.push_back(nsPerPair(size, pairs, ::malloc, ::free));
    }
    std::printf("| %zu B | %.0f ns | %.0f ns | %.0f ns |\n", size, median(plain), median(wiping), median(wiping) - median(plain));
  }
  std::vector<double> stack;
  for (int r = 0; r < rounds; ++r) {
    const auto t0 = Clock::now();
    for (int i = 0; i < 1000; ++i) kakanai::wipeStackBelow();
    stack.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count() / 1000);
  }
  std::printf("\n| wipeStackBelow(256 KiB), once per request | %.1f µs |\n", median(stack));
  return 0;
}
