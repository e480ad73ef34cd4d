#include "card/text_assist_applet.h"

#include "card/my_number_files.h"

namespace kakanai::card {

Result<bool> TextAssistApplet::select() { return iso::selectAid(card_, text_assist::kAid); }

Result<iso::PinCounter> TextAssistApplet::pinCounter() {
  KAKANAI_TRY(iso::selectEf(card_, text_assist::kEfPin));
  return iso::queryPinCounter(card_);
}

Status TextAssistApplet::verifyPin(ByteView fourDigits) { return iso::verifyPin(card_, fourDigits); }

Result<SecureBytes> TextAssistApplet::readFile(std::uint16_t ef) {
  KAKANAI_TRY(iso::selectEf(card_, ef));
  return iso::readTlvFile(card_);
}

Result<SecureBytes> TextAssistApplet::readBasicInfoFile() { return readFile(text_assist::kEfBasicInfo); }
Result<SecureBytes> TextAssistApplet::readMyNumberFile() { return readFile(text_assist::kEfMyNumber); }
Result<SecureBytes> TextAssistApplet::readIntegrityFile() { return readFile(text_assist::kEfIntegrity); }
Result<SecureBytes> TextAssistApplet::readCertificateFile() { return readFile(text_assist::kEfCertificate); }

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
  CommandApdu c;
  c.cla = 0x80;
  c.ins = 0x2A;
  c.p1 = 0x00;
  c.p2 = 0x80;
  c.data.assign(digestInfo.begin(), digestInfo.end());
  c.le = 256;
  auto r = card_.exchange(c);
  if (!r) return r.error();
  if (r->sw != sw::kOk) return iso::statusError(r->sw);
  return std::move(r->data);
}

}  // namespace kakanai::card
