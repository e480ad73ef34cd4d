#include "card/apdu.h"

#include <string>

namespace kakanai::card {

namespace {
void putHeader(SecureBytes& out, const CommandApdu& c) {
  out.push_back(c.cla);
  out.push_back(c.ins);
  out.push_back(c.p1);
  out.push_back(c.p2);
}
}  // namespace

Result<SecureBytes> CommandApdu::encodeShort() const {
  if (data.size() > 255 || (le && *le > 256)) {
    return Error::of(ErrorCode::Internal, "APDU does not fit the short form");
  }
  SecureBytes out;
  out.reserve(5 + data.size() + 1);
  putHeader(out, *this);
  if (!data.empty()) {
    out.push_back(static_cast<std::uint8_t>(data.size()));
    out.insert(out.end(), data.begin(), data.end());
  }
  if (le) out.push_back(static_cast<std::uint8_t>(*le == 256 ? 0 : *le));
  return out;
}

Result<SecureBytes> CommandApdu::encode() const {
  if (data.size() <= 255 && (!le || *le <= 256)) return encodeShort();
  if (data.size() > 65535 || (le && *le > 65536)) {
    return Error::of(ErrorCode::Internal, "APDU too long");
  }
  SecureBytes out;
  out.reserve(7 + data.size() + 2);
  putHeader(out, *this);
  out.push_back(0x00);
  if (!data.empty()) {
    out.push_back(static_cast<std::uint8_t>(data.size() >> 8));
    out.push_back(static_cast<std::uint8_t>(data.size() & 0xFF));
    out.insert(out.end(), data.begin(), data.end());
  }
  if (le) {
    const std::uint32_t v = *le == 65536 ? 0 : *le;
    out.push_back(static_cast<std::uint8_t>(v >> 8));
    out.push_back(static_cast<std::uint8_t>(v & 0xFF));
  }
  return out;
}

Result<ResponseApdu> ResponseApdu::parse(ByteView raw) {
  if (raw.size() < 2) {
    return Error::of(ErrorCode::CardError, "response shorter than a status word");
  }
  ResponseApdu r;
  r.data.assign(raw.begin(), raw.end() - 2);
  r.sw = static_cast<std::uint16_t>(raw[raw.size() - 2] << 8 | raw[raw.size() - 1]);
  return r;
}

std::optional<ParsedCommand> parseCommand(ByteView raw) {
  if (raw.size() < 4) return std::nullopt;
  ParsedCommand c{raw[0], raw[1], raw[2], raw[3], {}, std::nullopt, false};
  const ByteView body = raw.subspan(4);
  if (body.empty()) return c;  // case 1
  if (body.size() == 1) {      // case 2 short
    c.le = body[0] == 0 ? 256u : body[0];
    return c;
  }
  if (body[0] != 0) {  // short case 3 or 4
    const std::size_t lc = body[0];
    if (body.size() == 1 + lc) {
      c.data = body.subspan(1, lc);
      return c;
    }
    if (body.size() == 2 + lc) {
      c.data = body.subspan(1, lc);
      c.le = body[1 + lc] == 0 ? 256u : body[1 + lc];
      return c;
    }
    return std::nullopt;
  }
  // Extended forms start with a 00 byte.
  c.extended = true;
  if (body.size() == 3) {  // case 2 extended
    const std::uint32_t v = static_cast<std::uint32_t>(body[1] << 8 | body[2]);
    c.le = v == 0 ? 65536u : v;
    return c;
  }
  if (body.size() < 3) return std::nullopt;
  const std::size_t lc = static_cast<std::size_t>(body[1] << 8 | body[2]);
  if (lc == 0) return std::nullopt;
  if (body.size() == 3 + lc) {
    c.data = body.subspan(3, lc);
    return c;
  }
  if (body.size() == 5 + lc) {
    c.data = body.subspan(3, lc);
    const std::uint32_t v = static_cast<std::uint32_t>(body[3 + lc] << 8 | body[4 + lc]);
    c.le = v == 0 ? 65536u : v;
    return c;
  }
  return std::nullopt;
}

}  // namespace kakanai::card
