// The memory of a live process, read through /proc/PID/mem over every readable mapping, and a
// search of it for a resident's data in each encoding it could have taken on the way from the
// card to the PDF. Needs CAP_SYS_PTRACE (the agent makes itself non-dumpable; the tests run as root).
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

namespace kakanai::testing {

// One thing to look for: a label for the report ("name as UTF-16LE") and its bytes.
struct Needle {
  std::string label;
  std::string bytes;
};

inline std::u32string utf32Of(const std::string& utf8) {
  std::u32string out;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    const int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
    for (int k = 1; k < len && i + static_cast<std::size_t>(k) < utf8.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + static_cast<std::size_t>(k)]) & 0x3F);
    }
    out.push_back(cp);
    i += static_cast<std::size_t>(len);
  }
  return out;
}

inline std::string utf8Of(const std::u32string& s) {
  std::string out;
  for (char32_t c : s) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += {static_cast<char>(0xC0 | (c >> 6)), static_cast<char>(0x80 | (c & 0x3F))};
    } else if (c < 0x10000) {
      out += {static_cast<char>(0xE0 | (c >> 12)), static_cast<char>(0x80 | ((c >> 6) & 0x3F)), static_cast<char>(0x80 | (c & 0x3F))};
    } else {
      out += {static_cast<char>(0xF0 | (c >> 18)), static_cast<char>(0x80 | ((c >> 12) & 0x3F)),
              static_cast<char>(0x80 | ((c >> 6) & 0x3F)), static_cast<char>(0x80 | (c & 0x3F))};
    }
  }
  return out;
}

inline std::u16string utf16Of(const std::u32string& s) {
  std::u16string out;
  for (char32_t c : s) {
    if (c >= 0x10000) {
      out.push_back(static_cast<char16_t>(0xD800 + ((c - 0x10000) >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + ((c - 0x10000) & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(c));
    }
  }
  return out;
}

// UTF-8, UTF-16LE/BE, UTF-32LE/BE, and the PDF hex string of its UTF-16BE (the /ActualText and
// ToUnicode form; upper and lower case) of one value.
inline std::vector<Needle> encodingsOf(const std::string& what, const std::string& utf8) {
  const std::u32string u32 = utf32Of(utf8);
  const std::u16string u16 = utf16Of(u32);
  std::string le16, be16, le32, be32, hexUpper, hexLower;
  for (char16_t c : u16) {
    le16 += {static_cast<char>(c & 0xFF), static_cast<char>(c >> 8)};
    be16 += {static_cast<char>(c >> 8), static_cast<char>(c & 0xFF)};
    char h[8];
    std::snprintf(h, sizeof h, "%04X", static_cast<unsigned>(c));
    hexUpper += h;
    std::snprintf(h, sizeof h, "%04x", static_cast<unsigned>(c));
    hexLower += h;
  }
  for (char32_t c : u32) {
    for (int k = 0; k < 4; ++k) le32 += static_cast<char>((c >> (8 * k)) & 0xFF);
    for (int k = 3; k >= 0; --k) be32 += static_cast<char>((c >> (8 * k)) & 0xFF);
  }
  return {{what + " as UTF-8", utf8},        {what + " as UTF-16LE", le16},       {what + " as UTF-16BE", be16},
          {what + " as UTF-32LE", le32},     {what + " as UTF-32BE", be32},       {what + " as PDF hex", hexUpper},
          {what + " as PDF hex (lower case)", hexLower}};
}

// Every readable mapping of `pid`, concatenated with a gap byte between mappings. AddressSanitizer's
// shadow (terabytes of reserved address space holding shadow bytes, never data) is left out by size.
inline std::string readProcessMemory(pid_t pid, std::size_t* mappings = nullptr, std::string* index = nullptr) {
  std::ifstream maps("/proc/" + std::to_string(pid) + "/maps");
  const int fd = ::open(("/proc/" + std::to_string(pid) + "/mem").c_str(), O_RDONLY);
  std::string memory;
  if (fd < 0) return memory;
  std::size_t count = 0;
  for (std::string line; std::getline(maps, line);) {
    std::uint64_t from = 0, to = 0;
    char perms[8] = {};
    if (std::sscanf(line.c_str(), "%lx-%lx %7s", &from, &to, perms) != 3 || perms[0] != 'r') continue;
    if (line.find("[vvar]") != std::string::npos || line.find("[vsyscall]") != std::string::npos) continue;
    if (to - from > (std::uint64_t{1} << 40)) continue;
    ++count;
    if (index) *index += std::to_string(memory.size()) + " " + line + "\n";
    std::vector<char> chunk(1 << 20);
    for (std::uint64_t at = from; at < to; at += chunk.size()) {
      const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), to - at));
      const ssize_t got = ::pread(fd, chunk.data(), n, static_cast<off_t>(at));
      if (got > 0) memory.append(chunk.data(), static_cast<std::size_t>(got));
    }
    memory.push_back('\xA5');
  }
  ::close(fd);
  if (mappings) *mappings = count;
  return memory;
}

// Which needles occur in `memory`, with their counts. One pass: every position's first four bytes
// are looked up among the needles' first four bytes.
inline std::map<std::string, int> findNeedles(const std::string& memory, const std::vector<Needle>& needles) {
  std::unordered_map<std::uint32_t, std::vector<const Needle*>> byPrefix;
  std::vector<std::uint8_t> filter(1 << 16, 0);
  for (const auto& n : needles) {
    if (n.bytes.size() < 4) continue;
    std::uint32_t key;
    std::memcpy(&key, n.bytes.data(), 4);
    byPrefix[key].push_back(&n);
    filter[(key ^ (key >> 16)) & 0xFFFF] = 1;
  }
  std::map<std::string, int> found;
  const char* p = memory.data();
  for (std::size_t i = 0; i + 4 <= memory.size(); ++i) {
    std::uint32_t key;
    std::memcpy(&key, p + i, 4);
    if (!filter[(key ^ (key >> 16)) & 0xFFFF]) continue;
    const auto it = byPrefix.find(key);
    if (it == byPrefix.end()) continue;
    for (const Needle* n : it->second) {
      if (i + n->bytes.size() <= memory.size() && std::memcmp(p + i, n->bytes.data(), n->bytes.size()) == 0) ++found[n->label];
    }
  }
  return found;
}

}  // namespace kakanai::testing
