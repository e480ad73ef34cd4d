#include "card/my_number_files.h"

#include <algorithm>

#include "card/ber_tlv.h"

namespace kakanai::card {

using namespace text_assist;

namespace {
Error malformed(const char* what) { return Error::of(ErrorCode::CardError, what); }
}  // namespace

std::optional<SecretText> normaliseBirthDate(ByteView d) {
  if (d.size() != 8) return std::nullopt;
  char iso[10];
  std::size_t k = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    if (d[i] < '0' || d[i] > '9') return std::nullopt;
    if (i == 4 || i == 6) iso[k++] = '-';
    iso[k++] = static_cast<char>(d[i]);
  }
  SecretText out(std::string_view(iso, sizeof iso));
  secureWipe(iso, sizeof iso);
  if (!isIsoDate(out.view())) return std::nullopt;
  return out;
}

std::optional<Sex> normaliseSex(ByteView d) {
  if (d.size() != 1) return std::nullopt;
  switch (d[0]) {
    case '1': return Sex::Male;
    case '2': return Sex::Female;
    case '0':
    case '9': return Sex::Unspecified;
    default: return std::nullopt;
  }
}

Result<BasicInfoFile> parseBasicInfoFile(ByteView file) {
  const auto outer = parseTlv(file);
  if (!outer || outer->tag != kTagBasicInfo) return malformed("EF 0002: no FF20 record");
  std::optional<Tlv> offsets, name, address, birth, sex;
  std::size_t nameStart = 0;
  TlvReader reader(outer->value);
  std::array<std::size_t, 4> starts{};
  while (true) {
    const std::size_t at = outer->headerSize + reader.offset();
    auto t = reader.next();
    if (!t) break;
    switch (t->tag) {
      case kTagOffsets: offsets = t; break;
      case kTagName: name = t; starts[0] = at; nameStart = reader.offset() - t->totalSize(); break;
      case kTagAddress: address = t; starts[1] = at; break;
      case kTagBirthDate: birth = t; starts[2] = at; break;
      case kTagSex: sex = t; starts[3] = at; break;
      default: break;  // tolerate items a later card generation may add
    }
  }
  if (reader.failed()) return malformed("EF 0002: malformed TLV");
  if (!name || !address || !birth || !sex) return malformed("EF 0002: an item is missing");
  if (offsets) {
    // The table is only a shortcut for readers; a table that disagrees with the data means the
    // file is not what it claims to be.
    if (offsets->value.size() != 8) return malformed("EF 0002: offset table size");
    for (std::size_t i = 0; i < 4; ++i) {
      const std::size_t v = static_cast<std::size_t>(offsets->value[2 * i] << 8 | offsets->value[2 * i + 1]);
      if (v != starts[i]) return malformed("EF 0002: offset table disagrees with the data");
    }
  }
  if (!isValidUtf8(name->value) || !isValidUtf8(address->value)) return malformed("EF 0002: text is not UTF-8");
  if (name->value.empty()) return malformed("EF 0002: empty name");
  auto birthDate = normaliseBirthDate(birth->value);
  if (!birthDate) return malformed("EF 0002: birth date is not YYYYMMDD");
  auto sexValue = normaliseSex(sex->value);
  if (!sexValue) return malformed("EF 0002: sex is not an ISO 5218 code");

  BasicInfoFile out;
  out.person.name = SecretText(name->value.data(), name->value.size());
  out.person.address = SecretText(address->value.data(), address->value.size());
  out.person.birthDate = std::move(*birthDate);
  out.person.sex = *sexValue;
  // DF32 covers DF22 up to the end of the FF20 value (the value without the offset table).
  out.digestSource = outer->value.subspan(nameStart);
  return out;
}

Result<SecretText> parseMyNumberFile(ByteView file) {
  const auto t = parseTlv(file);
  if (!t || t->tag != kTagMyNumber || t->value.size() != 12) return malformed("EF 0001: no FF10 record");
  SecretText digits(t->value.data(), t->value.size());
  if (!isValidMyNumber(digits.view())) return malformed("EF 0001: not a valid individual number");
  return digits;
}

std::optional<IntegrityRecord> parseIntegrityRecord(ByteView file) {
  const auto outer = parseTlv(file);
  if (!outer || outer->tag != kTagIntegrity) return std::nullopt;
  IntegrityRecord rec;
  bool haveA = false, haveB = false;
  TlvReader reader(outer->value);
  while (true) {
    const std::size_t before = reader.offset();
    auto t = reader.next();
    if (!t) break;
    if (t->tag == kTagMyNumberDigest && t->value.size() == 32) {
      std::copy(t->value.begin(), t->value.end(), rec.myNumberDigest.begin());
      haveA = true;
    } else if (t->tag == kTagBasicInfoDigest && t->value.size() == 32) {
      std::copy(t->value.begin(), t->value.end(), rec.basicInfoDigest.begin());
      haveB = true;
    } else if (t->tag == kTagIntegritySignature) {
      rec.signedData = outer->value.subspan(0, before);
      rec.signature = t->value;
    }
  }
  if (reader.failed() || !haveA || !haveB || rec.signature.empty()) return std::nullopt;
  return rec;
}

std::optional<CardVerifiableCertificate> parseCardVerifiableCertificate(ByteView file, std::uint32_t outerTag) {
  const auto outer = parseTlv(file);
  if (!outer || outer->tag != outerTag) return std::nullopt;
  CardVerifiableCertificate cvc;
  TlvReader reader(outer->value);
  while (auto t = reader.next()) {
    if (t->tag == kTagCvBody) cvc.body = t->value;
    if (t->tag == kTagCvSignature) cvc.signature = t->value;
  }
  if (reader.failed() || cvc.body.size() <= 2 * kKeyIdSize || cvc.signature.empty()) return std::nullopt;
  cvc.issuerKeyId = cvc.body.subspan(0, kKeyIdSize);
  cvc.subjectKeyId = cvc.body.subspan(kKeyIdSize, kKeyIdSize);
  TlvReader key(cvc.body.subspan(2 * kKeyIdSize));
  while (auto t = key.next()) {
    if (t->tag == kTagRsaExponent) cvc.exponent = t->value;
    if (t->tag == kTagRsaModulus) cvc.modulus = t->value;
  }
  if (key.failed() || cvc.exponent.empty() || cvc.modulus.empty()) return std::nullopt;
  return cvc;
}

std::optional<ApInfo> parseApInfoFile(ByteView file) {
  const auto outer = parseTlv(file);
  if (!outer || outer->tag != kTagApInfo) return std::nullopt;
  ApInfo info;
  bool identified = false;
  TlvReader reader(outer->value);
  while (auto t = reader.next()) {
    if (t->tag == kTagApIdentification) {
      if (t->value.size() != 4) return std::nullopt;
      identified = true;
      info.extendedLength = t->value[1] != 0x00;
    } else if (t->tag == kTagApKeyId) {
      if (t->value.size() != kKeyIdSize) return std::nullopt;
      info.keyId = t->value;
    }
  }
  if (reader.failed() || !identified) return std::nullopt;
  return info;
}

}  // namespace kakanai::card
