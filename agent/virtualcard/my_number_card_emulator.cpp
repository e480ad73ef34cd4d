#include "virtualcard/my_number_card_emulator.h"

#include <chrono>
#include <thread>

#include "card/apdu.h"
#include "card/ber_tlv.h"
#include "card/issuer_trust.h"
#include "card/my_number_files.h"
#include "card/text_assist_applet.h"
#include "crypto/x509.h"

namespace kakanai::virtualcard {

using card::appendTlv;
using card::appendTlvHeader;
namespace ta = card::text_assist;
namespace sw = card::sw;

namespace {

Bytes bytesOf(std::string_view s) { return Bytes(s.begin(), s.end()); }

// EF 0002: FF20 { DF21 offsets, DF22 name, DF23 address, DF24 birth date, DF25 sex }, padded.
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

// EF 0001: FF 10 0C (long form on purpose, as the card writes it) + 12 digits + FF FF filler.
Bytes buildMyNumberFile(const std::string& digits) {
  std::string raw("\xFF\x10\x0C");  // header, then the digits and the FF FF filler
  raw.append(digits);
  raw.append("\xFF\xFF");
  return Bytes(raw.begin(), raw.end());
}

Bytes buildCvCertificate(const Bytes& issuerKeyId, const Bytes& subjectKeyId, const crypto::RsaPublicKey& key,
                         const crypto::RsaPrivateKey& issuer) {
  Bytes body = issuerKeyId;
  body.insert(body.end(), subjectKeyId.begin(), subjectKeyId.end());
  appendTlv(body, ta::kTagRsaExponent, key.exponent());
  appendTlv(body, ta::kTagRsaModulus, key.modulus());
  Bytes inner;
  appendTlv(inner, ta::kTagCvBody, body);
  appendTlv(inner, ta::kTagCvSignature, issuer.signSha256(body));
  Bytes file;
  appendTlv(file, ta::kTagCvCertificate, inner);
  return file;
}

Bytes buildIntegrityFile(const Bytes& myNumberFile, ByteView basicInfoDigestSource,
                         const crypto::RsaPrivateKey& appletKey, bool tamper) {
  Bytes signedPart;
  const auto a = crypto::sha256(myNumberFile);
  const auto b = crypto::sha256(basicInfoDigestSource);
  appendTlv(signedPart, ta::kTagMyNumberDigest, a);
  appendTlv(signedPart, ta::kTagBasicInfoDigest, b);
  Bytes signature = appletKey.signSha256(signedPart);
  if (tamper && !signature.empty()) signature.back() ^= 0x01;
  Bytes inner = signedPart;
  appendTlv(inner, ta::kTagIntegritySignature, signature);
  Bytes file;
  appendTlv(file, ta::kTagIntegrity, inner);
  return file;
}

}  // namespace

const Bytes& MyNumberCardEmulator::atr() {
  static const Bytes kAtr = {0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14};
  return kAtr;
}

Result<std::unique_ptr<MyNumberCardEmulator>> MyNumberCardEmulator::create(const CardProfile& profile) {
  std::unique_ptr<MyNumberCardEmulator> card(new MyNumberCardEmulator());
  const auto& t = profile.textAssist;
  card->faults_ = profile.faults;

  const Bytes basic = buildBasicInfoFile(t);
  auto parsed = card::parseBasicInfoFile(basic);
  if (!parsed) return Error::of(ErrorCode::BadRequest, "card profile: textAssist items do not make a valid EF 0002");
  const Bytes myNumber = buildMyNumberFile(t.myNumber);

  const std::string issuerPem = profile.testIssuerKeyPem.empty() ? kakanaiTestIssuerKeyPem() : profile.testIssuerKeyPem;
  auto issuer = crypto::RsaPrivateKey::fromPem(issuerPem);
  if (!issuer) return Error::of(ErrorCode::BadRequest, "card profile: testIssuerKeyPem is not an RSA private key");
  auto appletKey = crypto::RsaPrivateKey::generate(2048);
  if (!appletKey) return Error::of(ErrorCode::Internal, "virtual card: key generation failed");
  const Bytes issuerId = card::textAssistKeyId(card::kKakanaiTestIssuerNumber);
  const Bytes subjectId = card::textAssistKeyId("9100033");

  auto& ft = card->textAssistFiles_;
  ft[ta::kEfMyNumber] = {myNumber, Pin::TextAssist};
  ft[ta::kEfBasicInfo] = {basic, Pin::TextAssist};
  if (profile.faults.corruptBasicInfo) ft[ta::kEfBasicInfo].content[7] ^= 0x01;  // first offset of DF21
  ft[ta::kEfIntegrity] = {buildIntegrityFile(myNumber, parsed->digestSource, *appletKey, profile.faults.tamperSignature),
                          Pin::TextAssist};
  ft[ta::kEfCertificate] = {buildCvCertificate(issuerId, subjectId, appletKey->publicKey(), *issuer), std::nullopt};
  Bytes apInfo;
  const std::uint8_t identification[] = {0x01, 0x00, 0x0E, 0x01};  // byte 2 = 00: no extended length
  appendTlv(apInfo, 0xDF41, identification);
  Bytes apInfoFile;
  appendTlv(apInfoFile, 0xFF40, apInfo);
  ft[ta::kEfApInfo] = {apInfoFile, std::nullopt};

  // JPKI: the user authentication certificate and its CA.
  const auto& j = profile.jpki;
  Bytes authCert, caCert;
  if (!j.certificatePem.empty()) {
    auto der = crypto::certificatePemToDer(j.certificatePem);
    card->jpkiAuthKey_ = crypto::RsaPrivateKey::fromPem(j.privateKeyPem);
    if (!der || !card->jpkiAuthKey_) return Error::of(ErrorCode::BadRequest, "card profile: jpki certificate or key unreadable");
    authCert = *der;
    caCert = authCert;  // no CA given: the certificate stands for its own issuer
  } else {
    auto caKey = crypto::RsaPrivateKey::generate(2048);
    card->jpkiAuthKey_ = crypto::RsaPrivateKey::generate(2048);
    if (!caKey || !card->jpkiAuthKey_) return Error::of(ErrorCode::Internal, "virtual card: key generation failed");
    const auto now = std::chrono::system_clock::now();
    auto ca = crypto::issueTestCertificate(*caKey, "Kakanai Test JPKI Auth CA", *caKey, {}, true,
                                           now - std::chrono::hours(24 * 365), 3650);
    if (!ca) return Error::of(ErrorCode::Internal, "virtual card: CA certificate failed");
    auto leaf = crypto::issueTestCertificate(*card->jpkiAuthKey_, j.commonName, *caKey, *ca, false,
                                             now - std::chrono::hours(24) * j.notBeforeDaysAgo, j.validDays);
    if (!leaf) return Error::of(ErrorCode::Internal, "virtual card: certificate failed");
    authCert = *leaf;
    caCert = *ca;
  }
  using J = card::JpkiApplet;
  auto& fj = card->jpkiFiles_;
  fj[J::kEfAuthCertificate] = {authCert, std::nullopt};
  fj[J::kEfAuthCaCertificate] = {caCert, std::nullopt};
  fj[J::kEfSignCertificate] = {authCert, Pin::JpkiSign};  // stands in for the signing certificate
  fj[J::kEfSignCaCertificate] = {caCert, std::nullopt};
  // The token label of a physical card, space-padded to the EF's 32 bytes.
  Bytes token(32, ' ');
  const std::string_view label = "JPKIAPICCTOKEN2";
  std::copy(label.begin(), label.end(), token.begin());
  fj[J::kEfToken] = {token, std::nullopt};

  card->pins_[Pin::TextAssist] = {bytesOf(t.pin), 3, t.retries, false};
  card->pins_[Pin::JpkiAuth] = {bytesOf(j.authPin), 3, j.authRetries, false};
  card->pins_[Pin::JpkiSign] = {bytesOf(j.signPin), 5, j.signRetries, false};
  return card;
}

void MyNumberCardEmulator::reset() {
  app_ = App::None;
  ef_.reset();
  for (auto& [_, p] : pins_) p.verified = false;
}

CardReply MyNumberCardEmulator::process(ByteView command) {
  if (faults_.removeAfterApdus > 0 && answered_ >= faults_.removeAfterApdus) {
    faults_.removeAfterApdus = 0;  // fires once; the card comes back well-behaved
    answered_ = 0;
    reset();
    return {{}, true};
  }
  if (faults_.delayMs > 0) std::this_thread::sleep_for(std::chrono::milliseconds(faults_.delayMs));
  Bytes out;
  const std::uint16_t status = handle(command, out);
  ++answered_;
  out.push_back(static_cast<std::uint8_t>(status >> 8));
  out.push_back(static_cast<std::uint8_t>(status & 0xFF));
  return {std::move(out), false};
}

std::uint16_t MyNumberCardEmulator::handle(ByteView command, Bytes& out) {
  const auto c = card::parseCommand(command);
  if (!c) {
    if (observer_) observer_(command.size() > 0 ? command[0] : 0, command.size() > 1 ? command[1] : 0, 0, 0, 0, sw::kWrongLength);
    return sw::kWrongLength;
  }
  std::uint16_t status = sw::kInsNotSupported;
  if (c->cla != 0x00 && c->cla != 0x80) {
    status = sw::kClaNotSupported;
  } else if (c->extended) {
    status = sw::kWrongLength;  // this card advertises no extended length (EF 0005)
  } else if (c->cla == 0x00 && c->ins == 0xA4) {
    status = select(c->p1, c->data);
  } else if (c->cla == 0x00 && c->ins == 0x20) {
    status = c->p1 == 0x00 && c->p2 == 0x80 ? verify(c->data) : sw::kIncorrectP1P2;
  } else if (c->cla == 0x00 && c->ins == 0xB0) {
    status = readBinary(c->p1, c->p2, c->le, out);
  } else if (c->cla == 0x80 && c->ins == 0x2A) {
    status = sign(c->p2, c->data, out);
  }
  if (observer_) observer_(c->cla, c->ins, c->p1, c->p2, c->data.size(), status);
  return status;
}

std::uint16_t MyNumberCardEmulator::select(std::uint8_t p1, ByteView data) {
  if (p1 == 0x04) {
    static const std::uint8_t kSurface[] = {0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02};
    static const std::uint8_t kRegistry[] = {0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x01};
    auto is = [&](ByteView aid) { return std::equal(data.begin(), data.end(), aid.begin(), aid.end()); };
    App next = App::None;
    if (is(ta::kAid) && !faults_.notMyNumber) next = App::TextAssist;
    else if (is(card::JpkiApplet::kAid)) next = App::Jpki;
    else if (is(kSurface)) next = App::Surface;
    else if (is(kRegistry)) next = App::Registry;
    else return sw::kFileNotFound;
    // The application firewall: leaving (or re-entering) an application drops its security state.
    reset();
    app_ = next;
    return sw::kOk;
  }
  if (p1 == 0x02) {
    if (data.size() != 2) return sw::kWrongLength;
    const std::uint16_t id = static_cast<std::uint16_t>(data[0] << 8 | data[1]);
    const bool exists = (app_ == App::TextAssist && (textAssistFiles_.count(id) || id == ta::kEfPin)) ||
                        (app_ == App::Jpki && (jpkiFiles_.count(id) || pinForEf(id) ||
                                               id == card::JpkiApplet::kEfAuthKey || id == 0x001A));
    if (!exists) return sw::kFileNotFound;
    ef_ = id;
    return sw::kOk;
  }
  return sw::kIncorrectP1P2;
}

std::optional<MyNumberCardEmulator::Pin> MyNumberCardEmulator::pinForEf(std::uint16_t ef) const {
  if (app_ == App::TextAssist && ef == ta::kEfPin) return Pin::TextAssist;
  if (app_ == App::Jpki && ef == card::JpkiApplet::kEfAuthPin) return Pin::JpkiAuth;
  if (app_ == App::Jpki && ef == card::JpkiApplet::kEfSignPin) return Pin::JpkiSign;
  return std::nullopt;
}

std::uint16_t MyNumberCardEmulator::verify(ByteView data) {
  const auto which = ef_ ? pinForEf(*ef_) : std::nullopt;
  if (!which) return sw::kConditionsNotSatisfied;
  PinState& pin = pins_.at(*which);
  if (data.empty()) {  // the non-consuming query
    if (pin.verified) return sw::kOk;
    return static_cast<std::uint16_t>(0x63C0 | pin.left);
  }
  if (pin.left == 0) return sw::kReferenceDataBlocked;
  if (*which == Pin::TextAssist && data.size() != 4) return sw::kWrongLength;
  if (std::equal(data.begin(), data.end(), pin.value.begin(), pin.value.end())) {
    pin.left = pin.max;
    pin.verified = true;
    return sw::kOk;
  }
  pin.verified = false;
  --pin.left;
  return static_cast<std::uint16_t>(0x63C0 | pin.left);
}

std::uint16_t MyNumberCardEmulator::readBinary(std::uint8_t p1, std::uint8_t p2, std::optional<std::uint32_t> le,
                                               Bytes& out) {
  if (!le) return sw::kWrongLength;
  std::size_t offset = static_cast<std::size_t>((p1 & 0x7F) << 8 | p2);
  if (p1 & 0x80) return sw::kFunctionNotSupported;  // no short EF identifiers on this card
  auto* files = app_ == App::TextAssist ? &textAssistFiles_ : app_ == App::Jpki ? &jpkiFiles_ : nullptr;
  if (files == nullptr || !ef_) return sw::kConditionsNotSatisfied;
  auto it = files->find(*ef_);
  if (it == files->end()) return sw::kConditionsNotSatisfied;  // a PIN or key EF is not readable
  if (it->second.readNeeds && !pins_.at(*it->second.readNeeds).verified) return sw::kSecurityNotSatisfied;
  const Bytes& content = it->second.content;
  if (offset >= content.size()) return sw::kWrongP1P2;
  const std::size_t n = std::min<std::size_t>(*le, content.size() - offset);
  out.insert(out.end(), content.begin() + static_cast<long>(offset), content.begin() + static_cast<long>(offset + n));
  return sw::kOk;
}

std::uint16_t MyNumberCardEmulator::sign(std::uint8_t p2, ByteView digestInfo, Bytes& out) {
  if (app_ != App::Jpki || p2 != 0x80) return sw::kIncorrectP1P2;
  if (!ef_ || *ef_ != card::JpkiApplet::kEfAuthKey) return sw::kConditionsNotSatisfied;
  if (!pins_.at(Pin::JpkiAuth).verified) return sw::kSecurityNotSatisfied;
  auto sig = jpkiAuthKey_->signDigestInfo(digestInfo);
  if (!sig) return sw::kWrongData;
  out = std::move(*sig);
  return sw::kOk;
}

}  // namespace kakanai::virtualcard
