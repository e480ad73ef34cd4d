#include "card/text_assist_applet.h"

#include "card/my_number_files.h"

namespace kakanai::card {

Result<bool> TextAssistApplet::select() { return iso::selectAid(card_, text_assist::kAid); }

Result<iso::PinCounter> TextAssistApplet::counter(Credential credential) {
  KAKANAI_TRY(iso::selectEf(card_, credential == Credential::Pin ? text_assist::kEfPin : text_assist::kEfVerificationB));
  return iso::queryPinCounter(card_);
}

Result<SecureBytes> TextAssistApplet::readFile(std::uint16_t ef) {
  KAKANAI_TRY(iso::selectEf(card_, ef));
  return iso::readTlvFile(card_);
}

Result<SecureBytes> TextAssistApplet::readBasicInfoFile() { return readFile(text_assist::kEfBasicInfo); }
Result<SecureBytes> TextAssistApplet::readMyNumberFile() { return readFile(text_assist::kEfMyNumber); }
Result<SecureBytes> TextAssistApplet::readIntegrityFile() { return readFile(text_assist::kEfIntegrity); }
Result<SecureBytes> TextAssistApplet::readCertificateFile() { return readFile(text_assist::kEfCertificate); }
Result<SecureBytes> TextAssistApplet::readApInfoFile() { return readFile(text_assist::kEfApInfo); }
Result<SecureBytes> TextAssistApplet::readAppletKeyFile() { return readFile(text_assist::kEfAppletKey); }

namespace {
CommandApdu computeSignature(std::uint8_t p2, ByteView digestInfo) {
  CommandApdu c;
  c.cla = 0x80;
  c.ins = 0x2A;
  c.p1 = 0x00;
  c.p2 = p2;
  c.data.assign(digestInfo.begin(), digestInfo.end());
  c.le = 256;
  return c;
}
}  // namespace

Result<std::optional<SecureBytes>> TextAssistApplet::signWithoutPin(ByteView digestInfo) {
  auto r = card_.exchange(computeSignature(0x00, digestInfo));
  if (!r) return r.error();
  if (r->sw == sw::kOk) return std::optional<SecureBytes>(std::move(r->data));
  // Cards (and older variants) without the command, or that want a PIN for it.
  if (r->sw == sw::kInsNotSupported || r->sw == sw::kIncorrectP1P2 || r->sw == sw::kFunctionNotSupported ||
      r->sw == sw::kConditionsNotSatisfied || r->sw == sw::kSecurityNotSatisfied || r->sw == sw::kWrongP1P2) {
    return std::optional<SecureBytes>();
  }
  return iso::statusError(r->sw);
}

Result<bool> JpkiApplet::select() { return iso::selectAid(card_, kAid); }

Result<SecureBytes> JpkiApplet::readFile(std::uint16_t ef) {
  KAKANAI_TRY(iso::selectEf(card_, ef));
  return iso::readTlvFile(card_);
}

Result<SecureBytes> JpkiApplet::readAuthCertificate() { return readFile(kEfAuthCertificate); }
Result<SecureBytes> JpkiApplet::readAuthCaCertificate() { return readFile(kEfAuthCaCertificate); }

Result<iso::PinCounter> JpkiApplet::authPinCounter() {
  KAKANAI_TRY(iso::selectEf(card_, kEfAuthPin));
  return iso::queryPinCounter(card_);
}

Status JpkiApplet::verifyAuthPin(ByteView pin) { return iso::verifyPin(card_, pin); }

Result<SecureBytes> JpkiApplet::signWithAuthKey(ByteView digestInfo) {
  KAKANAI_TRY(iso::selectEf(card_, kEfAuthKey));
  auto r = card_.exchange(computeSignature(0x80, digestInfo));
  if (!r) return r.error();
  if (r->sw != sw::kOk) return iso::statusError(r->sw);
  return std::move(r->data);
}

}  // namespace kakanai::card
