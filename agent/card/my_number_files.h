// The text input assist applet's files, parsed. Layouts are in ../shared/CARD.md; each parser
// takes the file exactly as read (filler included) and never trusts a length or an offset it has
// not checked against the buffer.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "core/bytes.h"
#include "core/error.h"
#include "core/person.h"

namespace kakanai::card {

namespace text_assist {
inline constexpr std::uint8_t kAid[] = {0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08};
inline constexpr std::uint16_t kEfMyNumber = 0x0001;
inline constexpr std::uint16_t kEfBasicInfo = 0x0002;
inline constexpr std::uint16_t kEfIntegrity = 0x0003;
inline constexpr std::uint16_t kEfCertificate = 0x0004;
inline constexpr std::uint16_t kEfApInfo = 0x0005;
inline constexpr std::uint16_t kEfPin = 0x0011;

inline constexpr std::uint32_t kTagMyNumber = 0xFF10;
inline constexpr std::uint32_t kTagBasicInfo = 0xFF20;
inline constexpr std::uint32_t kTagOffsets = 0xDF21;
inline constexpr std::uint32_t kTagName = 0xDF22;
inline constexpr std::uint32_t kTagAddress = 0xDF23;
inline constexpr std::uint32_t kTagBirthDate = 0xDF24;
inline constexpr std::uint32_t kTagSex = 0xDF25;
inline constexpr std::uint32_t kTagIntegrity = 0xFF30;
inline constexpr std::uint32_t kTagMyNumberDigest = 0xDF31;
inline constexpr std::uint32_t kTagBasicInfoDigest = 0xDF32;
inline constexpr std::uint32_t kTagIntegritySignature = 0xDF33;
inline constexpr std::uint32_t kTagCvCertificate = 0x7F21;
inline constexpr std::uint32_t kTagCvBody = 0x5F4E;
inline constexpr std::uint32_t kTagCvSignature = 0x5F37;
inline constexpr std::uint32_t kTagRsaExponent = 0x90;
inline constexpr std::uint32_t kTagRsaModulus = 0x91;
inline constexpr std::size_t kKeyIdSize = 16;
}  // namespace text_assist

// EF 0002 → the four items, normalised to the protocol's shapes (YYYY-MM-DD, male/female/
// unspecified). `digestSource` is the span the integrity record's DF32 digest covers: from the
// start of DF22 to the end of the FF20 value.
struct BasicInfoFile {
  Person person;
  ByteView digestSource;
};
Result<BasicInfoFile> parseBasicInfoFile(ByteView file);

// EF 0001 → 12 digits (the file's own bytes are what DF31 covers).
Result<SecretText> parseMyNumberFile(ByteView file);

// YYYYMMDD → YYYY-MM-DD, checked to be a real date.
std::optional<SecretText> normaliseBirthDate(ByteView yyyymmdd);
// ISO 5218 digit → protocol sex. 1 male, 2 female, 0 and 9 unspecified; anything else nullopt.
std::optional<Sex> normaliseSex(ByteView digit);

struct IntegrityRecord {
  std::array<std::uint8_t, 32> myNumberDigest{};
  std::array<std::uint8_t, 32> basicInfoDigest{};
  ByteView signedData;  // the DF31 and DF32 TLVs as written
  ByteView signature;
};
std::optional<IntegrityRecord> parseIntegrityRecord(ByteView file);

struct CardVerifiableCertificate {
  ByteView issuerKeyId;   // 16 bytes
  ByteView subjectKeyId;  // 16 bytes
  ByteView exponent;
  ByteView modulus;
  ByteView body;  // what the issuer signed: the 5F4E value
  ByteView signature;
};
std::optional<CardVerifiableCertificate> parseCardVerifiableCertificate(ByteView file);

}  // namespace kakanai::card
