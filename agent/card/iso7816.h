// The ISO 7816-4 operations both applets use, each one exchange (or a bounded series of reads).
#pragma once

#include <cstdint>
#include <optional>

#include "card/card_channel.h"
#include "core/secure_buffer.h"

namespace kakanai::card::iso {

// SELECT by AID, no FCI (P2=0C). Returns false when the card has no such application (6A82).
Result<bool> selectAid(CardConnection& card, ByteView aid);
// SELECT EF by file id within the current application.
Status selectEf(CardConnection& card, std::uint16_t fileId);

// Reads the current EF, each READ BINARY asking for up to card.readLimit() bytes (256 unless
// extended length is in use; an extended read the card or reader refuses with 67 00 is sent
// again short). The first read takes as much as one read may; when the file
// starts with a TLV header the total size comes from it, so a small file costs one APDU and a
// large one no more reads than its size needs. Stops at end of file (a short answer or 6B00).
Result<SecureBytes> readTlvFile(CardConnection& card);

// Tries left on the PIN whose EF is selected, without consuming one (VERIFY with no data).
struct PinCounter {
  std::optional<int> retries;  // nullopt: the card did not say (9000: already verified; 6300)
  bool blocked = false;
};
Result<PinCounter> queryPinCounter(CardConnection& card);

// VERIFY with data on the selected PIN EF. Maps 63Cx to pin_wrong (retriesLeft x) or, at zero,
// pin_locked, and 6983/6984 to pin_locked.
Status verifyPin(CardConnection& card, ByteView pin);

// Status word to the protocol's error: anything not otherwise understood is card_error + sw.
Error statusError(std::uint16_t sw);

}  // namespace kakanai::card::iso
