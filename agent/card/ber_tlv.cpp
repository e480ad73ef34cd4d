#include "card/ber_tlv.h"

namespace kakanai::card {

std::optional<TlvHeader> parseTlvHeader(ByteView in) {
  std::size_t pos = 0;
  if (in.empty()) return std::nullopt;
  std::uint32_t tag = in[pos++];
  if ((tag & 0x1F) == 0x1F) {
    // Subsequent tag bytes continue while bit 8 is set; we accept at most three tag bytes.
    for (int i = 0;; ++i) {
      if (i == 2 || pos >= in.size()) return std::nullopt;
      const std::uint8_t b = in[pos++];
      tag = tag << 8 | b;
      if ((b & 0x80) == 0) break;
    }
  }
  if (pos >= in.size()) return std::nullopt;
  const std::uint8_t first = in[pos++];
  std::size_t length = 0;
  if (first < 0x80) {
    length = first;
  } else {
    const std::size_t count = first & 0x7F;
    if (count == 0 || count > 3) return std::nullopt;  // indefinite or absurd
    if (in.size() - pos < count) return std::nullopt;
    for (std::size_t i = 0; i < count; ++i) length = length << 8 | in[pos++];
  }
  return TlvHeader{tag, pos, length};
}

std::optional<Tlv> parseTlv(ByteView in) {
  const auto h = parseTlvHeader(in);
  if (!h || h->valueSize > in.size() - h->headerSize) return std::nullopt;
  return Tlv{h->tag, h->headerSize, in.subspan(h->headerSize, h->valueSize)};
}

std::optional<Tlv> TlvReader::next() {
  if (failed_ || rest_.empty() || rest_[0] == 0x00 || rest_[0] == 0xFF) return std::nullopt;
  auto t = parseTlv(rest_);
  if (!t) {
    failed_ = true;
    return std::nullopt;
  }
  consumed_ += t->totalSize();
  rest_ = rest_.subspan(t->totalSize());
  return t;
}

void appendTlvHeader(Bytes& out, std::uint32_t tag, std::size_t n) {
  if (tag > 0xFFFF) out.push_back(static_cast<std::uint8_t>(tag >> 16));
  if (tag > 0xFF) out.push_back(static_cast<std::uint8_t>(tag >> 8));
  out.push_back(static_cast<std::uint8_t>(tag));
  if (n < 0x80) {
    out.push_back(static_cast<std::uint8_t>(n));
  } else if (n <= 0xFF) {
    out.push_back(0x81);
    out.push_back(static_cast<std::uint8_t>(n));
  } else if (n <= 0xFFFF) {
    out.push_back(0x82);
    out.push_back(static_cast<std::uint8_t>(n >> 8));
    out.push_back(static_cast<std::uint8_t>(n));
  } else {
    out.push_back(0x83);
    out.push_back(static_cast<std::uint8_t>(n >> 16));
    out.push_back(static_cast<std::uint8_t>(n >> 8));
    out.push_back(static_cast<std::uint8_t>(n));
  }
}

void appendTlv(Bytes& out, std::uint32_t tag, ByteView value) {
  appendTlvHeader(out, tag, value.size());
  out.insert(out.end(), value.begin(), value.end());
}

}  // namespace kakanai::card
