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
inline constexpr std::uint16_t kEfAppletKey = 0x0007;  // the key of the PIN-less signature, certified
inline constexpr std::uint16_t kEfPin = 0x0011;
inline constexpr std::uint16_t kEfVerificationA = 0x0014;
inline constexpr std::uint16_t kEfVerificationB = 0x0015;

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
inline constexpr std::uint32_t kTagApInfo = 0xFF40;
inline constexpr std::uint32_t kTagApIdentification = 0xDF41;
inline constexpr std::uint32_t kTagApKeyId = 0xDF42;
inline constexpr std::uint32_t kTagApInfoData = 0xDF43;
inline constexpr std::uint32_t kTagAppletKey = 0xFF50;
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
// EF 0004 (outer tag 7F21) and, in the same layout inside FF50, EF 0007.
std::optional<CardVerifiableCertificate> parseCardVerifiableCertificate(
    ByteView file, std::uint32_t outerTag = text_assist::kTagCvCertificate);

// EF 0005, of either shape real cards and older readers have met: FF40 with DF41 alone (10
// bytes), or DF41, DF42 and DF43 in a file of about 256 bytes. Only DF41 is required.
struct ApInfo {
  bool extendedLength = false;  // DF41 byte 2: 00 on cards without, 03 on every card examined with
  std::optional<ByteView> keyId;  // DF42, 16 bytes
};
std::optional<ApInfo> parseApInfoFile(ByteView file);

}  // namespace kakanai::card
