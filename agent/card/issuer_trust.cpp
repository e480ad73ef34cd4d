#include "card/issuer_trust.h"

#include <algorithm>

#include "card/my_number_files.h"
#include "crypto/rsa.h"

namespace kakanai::card {

namespace {

// Public moduli of the J-LIS keys that certify the text input assist applet's key (証明者鍵ID
// 5000033 for production cards, 6000033 for J-LIS test cards), exponent 65537. They are public
// data, published by open-source readers (soltia48/myna-card, src/ca.rs).
constexpr std::string_view kJlisProduction5000033 =
    "D24615F63525E740C87E83ED64787E76D10A1F8652EBE1EA28934D35CE3BF07716F5B79E2BCB2AE2B91B4F4C9FFB6024"
    "97F596D659AF9D0A14B45CDD738EF56249349B8CC7DB32F2D433BD39BCC44F503E881D56C149ECD5155C1CE7461FC3AC"
    "4F55D0A39CCAAADFAE5B8AFA11CCF91BEDC774023D11CA6EBA99004F81C541A7D67DDED8C724D6E20B10A3DEAAE8C43C"
    "137CCD71B263740E8979752DE4D5676329CABCBD7F3A77FC48A6F8E61D399B4AC66684A9FDFC99ECEF900DD6FF7F0FDD"
    "39E23D163F8A468C62DBEAE00906DFAD5A89B45CA5B7353DC998A80D3803EDA794B55F99F535D1C39A243C8352AD602D"
    "926C389D2816C941349EE24E4F41597F";
constexpr std::string_view kJlisTest6000033 =
    "B1FE36BD147BF41B2011B9156867C4118B05AE47D691CDB4A4467F4949AFDD71E28E12B5C61E68F00B639A6CCBCF4479"
    "8761C7700A81F666C67831433B742A2C1126942601E25371B2B93631067D466F201EAF31393B1BD6A47589FB57B31897"
    "35A27A24583FDE2BF26C2A34D8645FE0E6E2FE901612CEF8C740C228289AF6D457ACA3B1AA2F9EBB56DA3591C30830B8"
    "AFE2A1CA99951E670B9E9C0B40EBDBEC212F9400E5AAF5C2B5107DE34AB6BC66425A86D731A392E81001DEA1CE565981"
    "BE158256AE05598A2B8BFB04C1B66EE2008E019FB1B2BA3785E0CA78CA31EA5F09B4D550577DBF12A747ABD5E1C450C0"
    "750DF965F53EA08BBF12E40A4057C74D";

void addModulus(IssuerTrustStore& store, std::string_view number, std::string_view modulusHex,
                const char* label) {
  static const std::uint8_t kE[] = {0x01, 0x00, 0x01};
  auto key = crypto::RsaPublicKey::fromModulus(*fromHex(modulusHex), kE);
  if (key) store.add({textAssistKeyId(number), *key, label});
}

}  // namespace

Bytes textAssistKeyId(std::string_view digits) {
  Bytes id(digits.begin(), digits.end());
  id.resize(7, '0');
  const std::uint8_t tail[] = {0x08, 0x05, '0', '0', '1', 0, 0, 0, 0};
  id.insert(id.end(), std::begin(tail), std::end(tail));
  return id;
}

IssuerTrustStore IssuerTrustStore::builtIn(bool trustTestIssuers) {
  IssuerTrustStore store;
  addModulus(store, "5000033", kJlisProduction5000033, "J-LIS 5000033");
  if (trustTestIssuers) {
    addModulus(store, "6000033", kJlisTest6000033, "J-LIS test 6000033");
    store.add({textAssistKeyId(kKakanaiTestIssuerNumber), kakanaiTestIssuerPublicKey(), "Kakanai test issuer"});
  }
  return store;
}

const IssuerKey* IssuerTrustStore::find(ByteView keyId) const {
  for (const auto& k : keys_) {
    if (std::equal(k.keyId.begin(), k.keyId.end(), keyId.begin(), keyId.end())) return &k;
  }
  return nullptr;
}

bool verifyTextAssistAuthenticity(const IssuerTrustStore& trust, const AuthenticityInput& in) {
  const auto cvc = parseCardVerifiableCertificate(in.certificateFile);
  if (!cvc) return false;
  const IssuerKey* issuer = trust.find(cvc->issuerKeyId);
  if (issuer == nullptr || !issuer->key.verifySha256(cvc->body, cvc->signature)) return false;
  const auto appletKey = crypto::RsaPublicKey::fromModulus(cvc->modulus, cvc->exponent);
  if (!appletKey) return false;
  const auto record = parseIntegrityRecord(in.integrityFile);
  if (!record || !appletKey->verifySha256(record->signedData, record->signature)) return false;
  if (crypto::sha256(in.basicInfoDigestSource) != record->basicInfoDigest) return false;
  if (in.myNumberFile && crypto::sha256(*in.myNumberFile) != record->myNumberDigest) return false;
  return true;
}

bool verifyCardSignature(const IssuerTrustStore& trust, ByteView appletKeyFile, ByteView digestInfo, ByteView signature) {
  const auto cvc = parseCardVerifiableCertificate(appletKeyFile, text_assist::kTagAppletKey);
  if (!cvc) return false;
  const IssuerKey* issuer = trust.find(cvc->issuerKeyId);
  if (issuer == nullptr || !issuer->key.verifySha256(cvc->body, cvc->signature)) return false;
  const auto key = crypto::RsaPublicKey::fromModulus(cvc->modulus, cvc->exponent);
  return key && key->verifyDigestInfo(digestInfo, signature);
}

}  // namespace kakanai::card
