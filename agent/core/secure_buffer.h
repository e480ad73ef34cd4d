// Memory that held a PIN or a resident's data is overwritten when released, including the
// blocks a growing container leaves behind (the allocator wipes every block it frees; in the
// agent's executables every heap block is wiped on free anyway: core/wiping_allocator.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

namespace kakanai {

void secureWipe(void* p, std::size_t n) noexcept;

// Overwrites `bytes` of this thread's stack below the caller's frame: what deeper calls left there
// (a PIN in a std::string's inline buffer, a shaped run) is gone when a request is done. Thread
// stacks are cached and reused by glibc, never unmapped, so the heap's wipe-on-free does not
// reach them.
inline constexpr std::size_t kStackWipeBytes = 256 * 1024;
void wipeStackBelow(std::size_t bytes = kStackWipeBytes) noexcept;

template <class T>
struct WipingAllocator {
  using value_type = T;
  WipingAllocator() noexcept = default;
  template <class U>
  WipingAllocator(const WipingAllocator<U>&) noexcept {}  // NOLINT(google-explicit-constructor)
  T* allocate(std::size_t n) { return std::allocator<T>{}.allocate(n); }
  void deallocate(T* p, std::size_t n) noexcept {
    secureWipe(p, n * sizeof(T));
    std::allocator<T>{}.deallocate(p, n);
  }
  template <class U>
  bool operator==(const WipingAllocator<U>&) const noexcept { return true; }
};

// Bytes that are wiped when freed. No small-buffer optimisation, so nothing lingers inline.
using SecureBytes = std::vector<std::uint8_t, WipingAllocator<std::uint8_t>>;

// UTF-8 text that is wiped when freed. Deliberately not a std::string: SSO would keep short
// values (a PIN, a birth date) inside the object where no allocator sees them.
class SecretText {
 public:
  SecretText() = default;
  explicit SecretText(std::string_view s) : bytes_(s.begin(), s.end()) {}
  SecretText(const std::uint8_t* p, std::size_t n) : bytes_(p, p + n) {}

  std::string_view view() const {
    return {reinterpret_cast<const char*>(bytes_.data()), bytes_.size()};
  }
  std::span<const std::uint8_t> bytes() const { return bytes_; }
  std::size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }
  void clear() { SecureBytes().swap(bytes_); }
  void append(std::string_view s) { bytes_.insert(bytes_.end(), s.begin(), s.end()); }

  friend bool operator==(const SecretText& a, const SecretText& b) { return a.bytes_ == b.bytes_; }

 private:
  SecureBytes bytes_;
};

}  // namespace kakanai
