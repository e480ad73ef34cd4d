// ISO 7816-4 command and response APDUs. Buffers are SecureBytes because a VERIFY carries
// the PIN and a READ BINARY answer carries a resident's data.
#pragma once

#include <cstdint>
#include <optional>

#include "core/bytes.h"
#include "core/error.h"
#include "core/secure_buffer.h"

namespace kakanai::card {

struct CommandApdu {
  std::uint8_t cla = 0x00;
  std::uint8_t ins = 0x00;
  std::uint8_t p1 = 0x00;
  std::uint8_t p2 = 0x00;
  SecureBytes data;
  // Expected response length: nullopt = none (case 1/3); 256 in short form is Le=00,
  // 65536 in extended form is Le=0000.
  std::optional<std::uint32_t> le;

  // Short form when data and Le fit, otherwise extended. Fails for data over 65535 bytes or
  // Le over 65536.
  Result<SecureBytes> encode() const;
  // Forces the short form; fails when data > 255 or Le > 256.
  Result<SecureBytes> encodeShort() const;
};

struct ResponseApdu {
  SecureBytes data;
  std::uint16_t sw = 0;

  std::uint8_t sw1() const { return static_cast<std::uint8_t>(sw >> 8); }
  std::uint8_t sw2() const { return static_cast<std::uint8_t>(sw & 0xFF); }
  bool isSuccess() const { return sw == 0x9000; }

  // A card answer is data followed by SW1 SW2; anything shorter than two bytes is malformed.
  static Result<ResponseApdu> parse(ByteView raw);
};

// A parsed command, as the emulator and the fuzzers see it.
struct ParsedCommand {
  std::uint8_t cla, ins, p1, p2;
  ByteView data;
  std::optional<std::uint32_t> le;
  bool extended = false;
};
std::optional<ParsedCommand> parseCommand(ByteView raw);

// Status words the applets care about.
namespace sw {
inline constexpr std::uint16_t kOk = 0x9000;
inline constexpr std::uint16_t kWrongLength = 0x6700;
inline constexpr std::uint16_t kSecurityNotSatisfied = 0x6982;
inline constexpr std::uint16_t kAuthMethodBlocked = 0x6983;
inline constexpr std::uint16_t kReferenceDataBlocked = 0x6984;
inline constexpr std::uint16_t kConditionsNotSatisfied = 0x6985;
inline constexpr std::uint16_t kWrongData = 0x6A80;
inline constexpr std::uint16_t kFunctionNotSupported = 0x6A81;
inline constexpr std::uint16_t kFileNotFound = 0x6A82;
inline constexpr std::uint16_t kIncorrectP1P2 = 0x6A86;
inline constexpr std::uint16_t kWrongP1P2 = 0x6B00;
inline constexpr std::uint16_t kInsNotSupported = 0x6D00;
inline constexpr std::uint16_t kClaNotSupported = 0x6E00;
inline constexpr std::uint16_t kNoRetryLimit = 0x6300;

inline bool isRetryCounter(std::uint16_t s) { return (s & 0xFFF0) == 0x63C0; }
inline int retryCount(std::uint16_t s) { return s & 0x0F; }
}  // namespace sw

}  // namespace kakanai::card
