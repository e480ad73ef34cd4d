#include "virtualcard/my_number_card_emulator.h"

#include <openssl/rand.h>

#include <chrono>
#include <thread>

#include "card/apdu.h"
#include "card/issuer_trust.h"
#include "card/my_number_files.h"
#include "card/text_assist_applet.h"
#include "card/verification_b.h"
#include "crypto/x509.h"
#include "virtualcard/text_assist_files.h"

namespace kakanai::virtualcard {

namespace ta = card::text_assist;
namespace sw = card::sw;
using J = card::JpkiApplet;

namespace {

Bytes bytesOf(std::string_view s) { return Bytes(s.begin(), s.end()); }

constexpr std::uint8_t kSurfaceAid[] = {0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02};
constexpr std::uint8_t kRegistryAid[] = {0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x01};
constexpr std::uint16_t kEfLocked0012 = 0x0012;
constexpr std::uint16_t kEfJpkiSignKey = 0x001A;

// Contents no public source describes (EF 0006, 0008): a fixed, protected stand-in that reads
// as one well-formed TLV.
Bytes opaqueFile(std::uint8_t tag) {
  Bytes file = {0xFF, tag, 0x10};
  file.resize(file.size() + 16, 0x00);
  return file;
}

}  // namespace

const Bytes& MyNumberCardEmulator::atr() {
  static const Bytes kAtr = {0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14};
  return kAtr;
}

Status MyNumberCardEmulator::buildTextAssist(const CardProfile& profile) {
  const auto& t = profile.textAssist;
  const Bytes basic = buildBasicInfoFile(t);
  auto parsed = card::parseBasicInfoFile(basic);
  if (!parsed) return Error::of(ErrorCode::BadRequest, "card profile: textAssist items do not make a valid EF 0002");
  // B as the card checks it, from what its face prints.
  const std::string iso = t.birthDate.substr(0, 4) + "-" + t.birthDate.substr(4, 2) + "-" + t.birthDate.substr(6, 2);
  auto b = card::verificationBFromCardFace(iso, t.expiryYear, t.securityCode);
  if (!b) return Error::of(ErrorCode::BadRequest, "card profile: birthDate, expiryYear and securityCode do not make a verification number B");
  const Bytes myNumber = buildMyNumberFile(t.myNumber);

  const std::string issuerPem = profile.testIssuerKeyPem.empty() ? kakanaiTestIssuerKeyPem() : profile.testIssuerKeyPem;
  auto issuer = crypto::RsaPrivateKey::fromPem(issuerPem);
  if (!issuer) return Error::of(ErrorCode::BadRequest, "card profile: testIssuerKeyPem is not an RSA private key");
  auto appletKey = crypto::RsaPrivateKey::fromPem(virtualCardAppletKeyPem());
  if (!appletKey) return Error::of(ErrorCode::Internal, "virtual card: applet key unreadable");
  if (t.pinlessSignature) {
    pinlessKey_ = crypto::RsaPrivateKey::fromPem(virtualCardPinlessKeyPem());
    if (!pinlessKey_) return Error::of(ErrorCode::Internal, "virtual card: PIN-less signature key unreadable");
  }
  const Bytes issuerId = card::textAssistKeyId(card::kKakanaiTestIssuerNumber);
  const Bytes appletKeyId = card::textAssistKeyId("9100033");
  const Bytes pinlessKeyId = card::textAssistKeyId("9100034");

  const std::vector<Pin> pin{Pin::TextAssist}, withB{Pin::TextAssist, Pin::VerificationB},
      any{Pin::TextAssist, Pin::VerificationA, Pin::VerificationB};
  auto& ft = textAssistFiles_;
  ft[ta::kEfMyNumber] = {myNumber, {Pin::TextAssist, Pin::VerificationA}};
  ft[ta::kEfBasicInfo] = {basic, withB};
  if (profile.faults.corruptBasicInfo) ft[ta::kEfBasicInfo].content[7] ^= 0x01;  // first offset of DF21
  ft[ta::kEfIntegrity] = {buildIntegrityFile(myNumber, parsed->digestSource, *appletKey, profile.faults.tamperSignature), any};
  ft[ta::kEfCertificate] = {buildKeyCertificate(ta::kTagCvCertificate, issuerId, appletKeyId, appletKey->publicKey(), *issuer), {}};
  ft[ta::kEfApInfo] = {buildApInfoFile(t.apInfo, t.extendedLength, pinlessKeyId), {}};
  ft[0x0006] = {opaqueFile(0x60), any};
  if (pinlessKey_) {
    ft[ta::kEfAppletKey] = {buildKeyCertificate(ta::kTagAppletKey, issuerId, pinlessKeyId, pinlessKey_->publicKey(), *issuer), any};
  }
  ft[0x0008] = {opaqueFile(0x80), pin};  // who may read it is not published: the strictest
  pins_[Pin::TextAssist] = {bytesOf(t.pin), 3, t.pinSet ? t.retries : 0, false};
  pins_[Pin::VerificationA] = {bytesOf(t.myNumber), 10, 10, false};
  pins_[Pin::LockedEf0012] = {{}, 3, 0, false};
  pins_[Pin::VerificationB] = {Bytes(b->bytes().begin(), b->bytes().end()), 10, t.verificationBRetries, false};
  return okStatus();
}

Status MyNumberCardEmulator::buildJpki(const JpkiProfile& j) {
  Bytes authCert, caCert, signCert;
  if (!j.certificatePem.empty()) {
    auto der = crypto::certificatePemToDer(j.certificatePem);
    jpkiAuthKey_ = crypto::RsaPrivateKey::fromPem(j.privateKeyPem);
    if (!der || !jpkiAuthKey_) return Error::of(ErrorCode::BadRequest, "card profile: jpki certificate or key unreadable");
    authCert = *der;
    caCert = authCert;  // no CA given: the certificate stands for its own issuer
    signCert = authCert;
    jpkiSignKey_ = jpkiAuthKey_;  // and for the signing certificate, with its key
  } else {
    auto caKey = crypto::RsaPrivateKey::fromPem(virtualCardJpkiCaKeyPem());
    jpkiAuthKey_ = crypto::RsaPrivateKey::generate(2048);
    jpkiSignKey_ = crypto::RsaPrivateKey::generate(2048);
    if (!caKey || !jpkiAuthKey_ || !jpkiSignKey_) return Error::of(ErrorCode::Internal, "virtual card: key generation failed");
    const auto now = std::chrono::system_clock::now();
    auto ca = crypto::issueTestCertificate(*caKey, "Kakanai Test JPKI CA", *caKey, {}, true,
                                           now - std::chrono::hours(24 * 365), 3650);
    if (!ca) return Error::of(ErrorCode::Internal, "virtual card: CA certificate failed");
    const auto notBefore = now - std::chrono::hours(24) * j.notBeforeDaysAgo;
    auto leaf = crypto::issueTestCertificate(*jpkiAuthKey_, j.commonName, *caKey, *ca, false, notBefore, j.validDays);
    auto signing = crypto::issueTestCertificate(*jpkiSignKey_, j.commonName + " SIGN", *caKey, *ca, false, notBefore, j.validDays);
    if (!leaf || !signing) return Error::of(ErrorCode::Internal, "virtual card: certificate failed");
    authCert = *leaf;
    caCert = *ca;
    signCert = *signing;
  }
  auto& fj = jpkiFiles_;
  fj[J::kEfAuthCertificate] = {authCert, {}};
  fj[J::kEfAuthCaCertificate] = {caCert, {}};
  fj[J::kEfSignCertificate] = {signCert, {Pin::JpkiSign}};
  fj[J::kEfSignCaCertificate] = {caCert, {}};
  // The token label of a physical card, space-padded to the EF's 32 bytes.
  Bytes token(32, ' ');
  const std::string_view label = "JPKIAPICCTOKEN2";
  std::copy(label.begin(), label.end(), token.begin());
  fj[J::kEfToken] = {token, {}};
  pins_[Pin::JpkiAuth] = {bytesOf(j.authPin), 3, j.authRetries, false};
  pins_[Pin::JpkiSign] = {bytesOf(j.signPin), 5, j.signRetries, false};
  return okStatus();
}

Result<std::unique_ptr<MyNumberCardEmulator>> MyNumberCardEmulator::create(const CardProfile& profile) {
  std::unique_ptr<MyNumberCardEmulator> card(new MyNumberCardEmulator());
  card->faults_ = profile.faults;
  card->extendedLength_ = profile.textAssist.extendedLength;
  card->readerExtended_ = profile.reader.extendedLength;
  card->readerReportsExtended_ = profile.reader.reportsExtendedLength.value_or(profile.reader.extendedLength);
  card->textAssistPresent_ = !profile.faults.notMyNumber;
  KAKANAI_TRY(card->buildTextAssist(profile));
  KAKANAI_TRY(card->buildJpki(profile.jpki));
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
  std::uint16_t status = sw::kWrongLength;
  // A reader without extended length answers for the card: the command never reaches it.
  if (!(c->extended && !readerExtended_)) status = dispatch(*c, out);
  if (observer_) observer_(c->cla, c->ins, c->p1, c->p2, c->data.size(), status);
  return status;
}

std::uint16_t MyNumberCardEmulator::dispatch(const card::ParsedCommand& c, Bytes& out) {
  if (c.cla != 0x00 && c.cla != 0x80) return sw::kClaNotSupported;
  if (c.extended && !extendedLength_) return sw::kWrongLength;  // EF 0005 advertises none
  if (c.cla == 0x00 && c.ins == 0xA4) return select(c.p1, c.data);
  if (c.cla == 0x00 && c.ins == 0x20) return c.p1 == 0x00 && c.p2 == 0x80 ? verify(c.data) : sw::kIncorrectP1P2;
  if (c.cla == 0x00 && c.ins == 0xB0) return readBinary(c.p1, c.p2, c.le, out);
  if (c.cla == 0x00 && c.ins == 0x84) return getChallenge(c.p1, c.p2, c.le, out);
  if (c.cla == 0x80 && c.ins == 0x2A) return sign(c.p2, c.data, c.le, out);
  return sw::kInsNotSupported;
}

std::uint16_t MyNumberCardEmulator::select(std::uint8_t p1, ByteView data) {
  if (p1 == 0x04) {
    // A full AID, or a prefix of one (at least the 5-byte RID): the first application in the
    // card's order whose AID starts so, as ISO 7816-4's "first occurrence".
    const std::pair<ByteView, App> apps[] = {{kRegistryAid, App::Registry},
                                             {kSurfaceAid, App::Surface},
                                             {ta::kAid, App::TextAssist},
                                             {J::kAid, App::Jpki}};
    if (data.size() < 5) return sw::kFileNotFound;
    for (const auto& [aid, app] : apps) {
      if (app == App::TextAssist && !textAssistPresent_) continue;
      if (data.size() > aid.size() || !std::equal(data.begin(), data.end(), aid.begin())) continue;
      // The application firewall: leaving (or re-entering) an application drops its security state.
      reset();
      app_ = app;
      return sw::kOk;
    }
    return sw::kFileNotFound;
  }
  if (p1 == 0x02) {
    if (data.size() != 2) return sw::kWrongLength;
    const std::uint16_t id = static_cast<std::uint16_t>(data[0] << 8 | data[1]);
    auto* files = currentFiles();
    const bool exists = (files && files->count(id)) || pinForEf(id) || (app_ == App::Jpki && (id == J::kEfAuthKey || id == kEfJpkiSignKey));
    if (!exists) return sw::kFileNotFound;
    ef_ = id;
    return sw::kOk;
  }
  return sw::kIncorrectP1P2;
}

std::map<std::uint16_t, MyNumberCardEmulator::File>* MyNumberCardEmulator::currentFiles() {
  if (app_ == App::TextAssist) return &textAssistFiles_;
  if (app_ == App::Jpki) return &jpkiFiles_;
  return nullptr;
}

std::optional<MyNumberCardEmulator::Pin> MyNumberCardEmulator::pinForEf(std::uint16_t ef) const {
  if (app_ == App::TextAssist) {
    if (ef == ta::kEfPin) return Pin::TextAssist;
    if (ef == kEfLocked0012) return Pin::LockedEf0012;
    if (ef == ta::kEfVerificationA) return Pin::VerificationA;
    if (ef == ta::kEfVerificationB) return Pin::VerificationB;
  }
  if (app_ == App::Jpki && ef == J::kEfAuthPin) return Pin::JpkiAuth;
  if (app_ == App::Jpki && ef == J::kEfSignPin) return Pin::JpkiSign;
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
  // Each credential has one length; another length is refused without using a try.
  const std::size_t length = *which == Pin::TextAssist       ? 4
                             : *which == Pin::VerificationA ? 12
                             : *which == Pin::VerificationB ? 14
                                                            : 0;
  if (length != 0 && data.size() != length) return sw::kWrongLength;
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
  auto* files = currentFiles();
  if (files == nullptr) return sw::kConditionsNotSatisfied;
  std::size_t offset = static_cast<std::size_t>((p1 & 0x7F) << 8 | p2);
  if (p1 & 0x80) {
    // A short EF identifier: P1 = 100 + 5-bit SFI (= the EF's low byte), P2 the offset. It
    // selects the file as well.
    if (p1 & 0x60) return sw::kIncorrectP1P2;
    const std::uint16_t id = p1 & 0x1F;
    if (!files->count(id)) return sw::kFileNotFound;
    ef_ = id;
    offset = p2;
  }
  if (!ef_) return sw::kConditionsNotSatisfied;
  auto it = files->find(*ef_);
  if (it == files->end()) return sw::kConditionsNotSatisfied;  // a PIN or key EF is not readable
  const auto& openedBy = it->second.openedBy;
  const bool open = openedBy.empty() ||
                    std::any_of(openedBy.begin(), openedBy.end(), [&](Pin p) { return pins_.at(p).verified; });
  if (!open) return sw::kSecurityNotSatisfied;
  const Bytes& content = it->second.content;
  if (offset >= content.size()) return sw::kWrongP1P2;
  const std::size_t n = std::min<std::size_t>(*le, content.size() - offset);
  out.insert(out.end(), content.begin() + static_cast<long>(offset), content.begin() + static_cast<long>(offset + n));
  return sw::kOk;
}

std::uint16_t MyNumberCardEmulator::getChallenge(std::uint8_t p1, std::uint8_t p2, std::optional<std::uint32_t> le,
                                                 Bytes& out) {
  if (p1 != 0 || p2 != 0) return sw::kIncorrectP1P2;
  if (!le || *le != 8) return sw::kWrongLength;  // 8 bytes, the only length public readers ask for
  out.resize(8);
  if (RAND_bytes(out.data(), 8) != 1) return 0x6F00;
  return sw::kOk;
}

std::uint16_t MyNumberCardEmulator::sign(std::uint8_t p2, ByteView digestInfo, std::optional<std::uint32_t> le,
                                         Bytes& out) {
  if (!le) return sw::kWrongLength;
  const crypto::RsaPrivateKey* key = nullptr;
  if (app_ == App::TextAssist && p2 == 0x00) {
    // The applet's own key signs without any PIN: what proves a genuine card is present.
    if (!pinlessKey_) return sw::kInsNotSupported;
    key = &*pinlessKey_;
  } else if (app_ == App::Jpki && p2 == 0x80) {
    const bool auth = ef_ && *ef_ == J::kEfAuthKey, signing = ef_ && *ef_ == kEfJpkiSignKey;
    if (!auth && !signing) return sw::kConditionsNotSatisfied;
    if (!pins_.at(auth ? Pin::JpkiAuth : Pin::JpkiSign).verified) return sw::kSecurityNotSatisfied;
    key = auth ? &*jpkiAuthKey_ : &*jpkiSignKey_;
  } else {
    return sw::kIncorrectP1P2;
  }
  const ByteView prefix = crypto::sha256DigestInfoPrefix();
  const bool sha256 = digestInfo.size() == prefix.size() + 32 && std::equal(prefix.begin(), prefix.end(), digestInfo.begin());
  // The one public source of the PIN-less signature sends a SHA-256 DigestInfo: nothing else is
  // taken there. JPKI keys sign any DigestInfo, as OpenSC uses them.
  if (app_ == App::TextAssist && !sha256) return sw::kWrongData;
  auto sig = key->signDigestInfo(digestInfo);
  if (!sig) return sw::kWrongData;
  out = std::move(*sig);
  return sw::kOk;
}

}  // namespace kakanai::virtualcard
