#include "card/iso7816.h"

#include <algorithm>

#include "card/ber_tlv.h"

namespace kakanai::card::iso {

Error statusError(std::uint16_t s) {
  if (s == sw::kReferenceDataBlocked || s == sw::kAuthMethodBlocked) {
    return Error::statusWord(ErrorCode::PinLocked, s);
  }
  return Error::statusWord(ErrorCode::CardError, s);
}

Result<bool> selectAid(CardConnection& card, ByteView aid) {
  CommandApdu c;
  c.ins = 0xA4;
  c.p1 = 0x04;
  c.p2 = 0x0C;
  c.data.assign(aid.begin(), aid.end());
  auto r = card.exchange(c);
  if (!r) return r.error();
  if (r->sw == sw::kOk) return true;
  if (r->sw == sw::kFileNotFound || r->sw == sw::kFunctionNotSupported ||
      r->sw == sw::kInsNotSupported || r->sw == sw::kClaNotSupported ||
      r->sw == sw::kIncorrectP1P2 || r->sw == sw::kWrongP1P2 || r->sw == sw::kWrongData) {
    return false;
  }
  return statusError(r->sw);
}

Status selectEf(CardConnection& card, std::uint16_t fileId) {
  CommandApdu c;
  c.ins = 0xA4;
  c.p1 = 0x02;
  c.p2 = 0x0C;
  c.data = {static_cast<std::uint8_t>(fileId >> 8), static_cast<std::uint8_t>(fileId & 0xFF)};
  auto r = card.exchange(c);
  if (!r) return r.error();
  if (r->sw != sw::kOk) return statusError(r->sw);
  return okStatus();
}

namespace {
CommandApdu readBinary(std::size_t offset, std::uint32_t le) {
  CommandApdu c;
  c.ins = 0xB0;
  c.p1 = static_cast<std::uint8_t>((offset >> 8) & 0x7F);
  c.p2 = static_cast<std::uint8_t>(offset & 0xFF);
  c.le = le;
  return c;
}
constexpr std::size_t kMaxOffset = 0x7FFF;
}  // namespace

Result<SecureBytes> readTlvFile(CardConnection& card) {
  SecureBytes file;
  std::optional<std::size_t> wanted;
  while (true) {
    std::uint32_t le = card.readLimit();
    if (wanted) le = static_cast<std::uint32_t>(std::min<std::size_t>(le, *wanted - file.size()));
    if (file.size() > kMaxOffset) return Error::of(ErrorCode::CardError, "file larger than READ BINARY can address");
    auto r = card.exchange(readBinary(file.size(), le));
    if (!r) return r.error();
    if (r->sw == sw::kWrongLength && le > 256) {
      // The card or the reader does not take extended length after all: the same read again,
      // short. Nothing is lost: READ BINARY changes nothing on the card.
      card.useShortReads();
      continue;
    }
    if (r->sw == sw::kWrongP1P2 && !file.empty()) break;  // exactly at the end of the file
    if (r->sw != sw::kOk) return statusError(r->sw);
    // A 6C xx to an extended read was answered by resending short with Le xx: that, not ours, is
    // the length to compare with (a full answer is not the end of the file).
    if (le > card.readLimit() && r->data.size() <= card.readLimit()) le = static_cast<std::uint32_t>(r->data.size());
    if (r->data.size() > le) return Error::of(ErrorCode::CardError, "card returned more than asked");
    file.insert(file.end(), r->data.begin(), r->data.end());
    if (!wanted) {
      const auto header = parseTlvHeader(file);
      if (!header) break;  // not a TLV file: what one read gave is the file
      wanted = header->headerSize + header->valueSize;
    }
    if (file.size() >= *wanted || r->data.size() < le) break;
  }
  return file;
}

Result<PinCounter> queryPinCounter(CardConnection& card) {
  CommandApdu c;
  c.ins = 0x20;
  c.p1 = 0x00;
  c.p2 = 0x80;
  // Deliberately no data: this is the non-consuming query. The data-bearing VERIFY lives in
  // verifyPin() alone.
  auto r = card.exchange(c);
  if (!r) return r.error();
  PinCounter counter;
  if (sw::isRetryCounter(r->sw)) {
    counter.retries = sw::retryCount(r->sw);
    counter.blocked = counter.retries == 0;
  } else if (r->sw == sw::kReferenceDataBlocked || r->sw == sw::kAuthMethodBlocked) {
    counter.retries = 0;
    counter.blocked = true;
  } else if (r->sw != sw::kOk && r->sw != sw::kNoRetryLimit) {
    return statusError(r->sw);
  }
  return counter;
}

Status verifyPin(CardConnection& card, ByteView pin) {
  if (pin.empty()) return Error::of(ErrorCode::Internal, "refusing an empty VERIFY as a login");
  CommandApdu c;
  c.ins = 0x20;
  c.p1 = 0x00;
  c.p2 = 0x80;
  c.data.assign(pin.begin(), pin.end());
  auto r = card.exchange(c);
  if (!r) return r.error();
  if (r->sw == sw::kOk) return okStatus();
  if (sw::isRetryCounter(r->sw)) {
    const int left = sw::retryCount(r->sw);
    if (left == 0) return Error::statusWord(ErrorCode::PinLocked, r->sw);
    return Error::pinWrong(left);
  }
  return statusError(r->sw);
}

}  // namespace kakanai::card::iso
