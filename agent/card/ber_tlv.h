// BER-TLV as the My Number card writes it: tags of up to three bytes, definite lengths in the
// short form or the 81/82/83 long forms (the card sometimes uses a long form where a short one
// would do, e.g. FF 10 0C). The parser never reads past the buffer it is given and rejects
// truncated or oversized values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "core/bytes.h"

namespace kakanai::card {

struct Tlv {
  std::uint32_t tag = 0;
  std::size_t headerSize = 0;  // tag bytes + length bytes
  ByteView value;
  std::size_t totalSize() const { return headerSize + value.size(); }
};

struct TlvHeader {
  std::uint32_t tag = 0;
  std::size_t headerSize = 0;
  std::size_t valueSize = 0;
};

// Parses just the tag and length at the start of `in`. Needs the header bytes only, so a
// reader can learn a file's size from its first bytes.
std::optional<TlvHeader> parseTlvHeader(ByteView in);

// Parses one TLV at the start of `in`; nullopt when malformed or when the value runs past the end.
std::optional<Tlv> parseTlv(ByteView in);

// Walks consecutive TLVs inside a constructed value. Stops cleanly at the end or at filler
// (a 00 or FF where a tag would start); sets failed() on anything malformed.
class TlvReader {
 public:
  explicit TlvReader(ByteView in) : rest_(in) {}
  std::optional<Tlv> next();
  bool failed() const { return failed_; }
  // Offset of the next TLV from the start of the buffer given to the constructor.
  std::size_t offset() const { return consumed_; }

 private:
  ByteView rest_;
  std::size_t consumed_ = 0;
  bool failed_ = false;
};

// Appends a TLV with minimal length encoding (used by the virtual card and tests).
void appendTlv(Bytes& out, std::uint32_t tag, ByteView value);
void appendTlvHeader(Bytes& out, std::uint32_t tag, std::size_t valueSize);

}  // namespace kakanai::card
