#include "virtualcard/text_assist_files.h"

#include <array>

#include "card/ber_tlv.h"
#include "card/my_number_files.h"

namespace kakanai::virtualcard {

using card::appendTlv;
using card::appendTlvHeader;
namespace ta = card::text_assist;

Bytes buildBasicInfoFile(const TextAssistProfile& t) {
  Bytes items;
  std::array<std::size_t, 4> starts{};
  const std::pair<std::uint32_t, std::string_view> fields[] = {
      {ta::kTagName, t.name}, {ta::kTagAddress, t.address}, {ta::kTagBirthDate, t.birthDate}, {ta::kTagSex, t.sex}};
  for (std::size_t i = 0; i < 4; ++i) {
    starts[i] = items.size();
    appendTlv(items, fields[i].first, asBytes(fields[i].second));
  }
  const std::size_t offsetTableSize = 3 + 8;  // DF 21 08 + 4 offsets
  const std::size_t valueSize = offsetTableSize + items.size();
  Bytes header;
  appendTlvHeader(header, ta::kTagBasicInfo, valueSize);
  Bytes file = header;
  Bytes table;
  for (std::size_t s : starts) {
    const std::size_t at = header.size() + offsetTableSize + s;
    table.push_back(static_cast<std::uint8_t>(at >> 8));
    table.push_back(static_cast<std::uint8_t>(at & 0xFF));
  }
  appendTlv(file, ta::kTagOffsets, table);
  file.insert(file.end(), items.begin(), items.end());
  // Real cards pad the file; readers must stop at the TLV's end.
  file.resize(file.size() + 16, 0x00);
  return file;
}

Bytes buildMyNumberFile(const std::string& digits) {
  std::string raw("\xFF\x10\x0C");  // header, then the digits and the FF FF filler
  raw.append(digits);
  raw.append("\xFF\xFF");
  return Bytes(raw.begin(), raw.end());
}

Bytes buildKeyCertificate(std::uint32_t outerTag, const Bytes& issuerKeyId, const Bytes& subjectKeyId,
                          const crypto::RsaPublicKey& key, const crypto::RsaPrivateKey& issuer) {
  Bytes body = issuerKeyId;
  body.insert(body.end(), subjectKeyId.begin(), subjectKeyId.end());
  appendTlv(body, ta::kTagRsaExponent, key.exponent());
  appendTlv(body, ta::kTagRsaModulus, key.modulus());
  Bytes inner;
  appendTlv(inner, ta::kTagCvBody, body);
  appendTlv(inner, ta::kTagCvSignature, issuer.signSha256(body));
  Bytes file;
  appendTlv(file, outerTag, inner);
  return file;
}

Bytes buildIntegrityFile(const Bytes& myNumberFile, ByteView basicInfoDigestSource,
                         const crypto::RsaPrivateKey& appletKey, bool tamper) {
  Bytes signedPart;
  appendTlv(signedPart, ta::kTagMyNumberDigest, crypto::sha256(myNumberFile));
  appendTlv(signedPart, ta::kTagBasicInfoDigest, crypto::sha256(basicInfoDigestSource));
  Bytes signature = appletKey.signSha256(signedPart);
  if (tamper && !signature.empty()) signature.back() ^= 0x01;
  Bytes inner = signedPart;
  appendTlv(inner, ta::kTagIntegritySignature, signature);
  Bytes file;
  appendTlv(file, ta::kTagIntegrity, inner);
  return file;
}

Bytes buildApInfoFile(ApInfoShape shape, bool extendedLength, const Bytes& keyId) {
  // DF41 as real cards report it (01 03 0E 01); byte 2 is 00 on a card without extended length.
  const std::uint8_t identification[] = {0x01, static_cast<std::uint8_t>(extendedLength ? 0x03 : 0x00), 0x0E, 0x01};
  Bytes value;
  appendTlv(value, ta::kTagApIdentification, identification);
  if (shape == ApInfoShape::Short) {
    Bytes file;
    appendTlv(file, ta::kTagApInfo, value);
    return file;  // FF 40 07 DF 41 04 …: 10 bytes
  }
  appendTlv(value, ta::kTagApKeyId, keyId);
  // DF43's 128 bytes are not described by any public source: a fixed pattern stands in. Written
  // with the two-byte length form (82 00 80) and the file's FF40 header as 82 00 9F, as the
  // header public readers quote.
  const std::uint8_t df43[] = {0xDF, 0x43, 0x82, 0x00, 0x80};
  value.insert(value.end(), std::begin(df43), std::end(df43));
  const auto pattern = crypto::sha256(keyId);
  for (std::size_t i = 0; i < 128; ++i) value.push_back(static_cast<std::uint8_t>(pattern[i % pattern.size()] ^ i));
  Bytes file = {0xFF, 0x40, 0x82, static_cast<std::uint8_t>(value.size() >> 8), static_cast<std::uint8_t>(value.size() & 0xFF)};
  file.insert(file.end(), value.begin(), value.end());
  file.resize(256, 0xFF);  // the read public readers describe is 256 bytes
  return file;
}

}  // namespace kakanai::virtualcard
