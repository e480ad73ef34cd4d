// 券面事項入力補助AP: the four basic items, the individual number, and the records that prove
// them authentic. Every method is one step of the card's own protocol; the order and the
// safety rules (retry check before VERIFY, never the last try unasked) live in CardSession.
#pragma once

#include "card/card_channel.h"
#include "card/iso7816.h"
#include "core/secure_buffer.h"

namespace kakanai::card {

// The two ways into the applet the agent uses: the 4-digit PIN (EF 0011, 3 tries) and
// verification number B (EF 0015, 14 digits, its own counter). Each has its own retry counter;
// one never spends the other's tries.
enum class Credential { Pin, VerificationB };

class TextAssistApplet {
 public:
  explicit TextAssistApplet(CardConnection& card) : card_(card) {}

  // False when the card has no text input assist applet (not a My Number card).
  Result<bool> select();
  // Selects the credential's EF and reads its counter without using a try.
  Result<iso::PinCounter> counter(Credential credential);
  Result<iso::PinCounter> pinCounter() { return counter(Credential::Pin); }
  // VERIFY on the EF selected by counter(): the 4 PIN digits or B's 14.
  Status verify(ByteView digits) { return iso::verifyPin(card_, digits); }
  Status verifyPin(ByteView fourDigits) { return verify(fourDigits); }
  Result<SecureBytes> readBasicInfoFile();
  Result<SecureBytes> readMyNumberFile();
  Result<SecureBytes> readIntegrityFile();
  Result<SecureBytes> readCertificateFile();
  Result<SecureBytes> readApInfoFile();     // no PIN needed
  Result<SecureBytes> readAppletKeyFile();  // EF 0007, after the PIN or B
  // The applet's signature over a SHA-256 DigestInfo with its own key, which needs no PIN
  // (80 2A 00 00). nullopt when the card does not offer it.
  Result<std::optional<SecureBytes>> signWithoutPin(ByteView digestInfo);

 private:
  Result<SecureBytes> readFile(std::uint16_t ef);
  CardConnection& card_;
};

// 公的個人認証AP, used for staff attendance: the user authentication certificate and its CA
// certificate (no PIN), and a challenge signed by the auth key (after the auth PIN).
class JpkiApplet {
 public:
  static constexpr std::uint8_t kAid[] = {0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01};
  static constexpr std::uint16_t kEfAuthCertificate = 0x000A;
  static constexpr std::uint16_t kEfAuthCaCertificate = 0x000B;
  static constexpr std::uint16_t kEfSignCertificate = 0x0001;
  static constexpr std::uint16_t kEfSignCaCertificate = 0x0002;
  static constexpr std::uint16_t kEfToken = 0x0006;
  static constexpr std::uint16_t kEfAuthKey = 0x0017;
  static constexpr std::uint16_t kEfAuthPin = 0x0018;
  static constexpr std::uint16_t kEfSignPin = 0x001B;

  explicit JpkiApplet(CardConnection& card) : card_(card) {}

  Result<bool> select();
  Result<SecureBytes> readAuthCertificate();
  Result<SecureBytes> readAuthCaCertificate();
  Result<iso::PinCounter> authPinCounter();  // selects the auth PIN EF
  Status verifyAuthPin(ByteView pin);        // on the PIN EF selected by authPinCounter()
  // COMPUTE DIGITAL SIGNATURE with the auth key over a SHA-256 DigestInfo (needs the auth PIN).
  Result<SecureBytes> signWithAuthKey(ByteView digestInfo);

 private:
  Result<SecureBytes> readFile(std::uint16_t ef);
  CardConnection& card_;
};

}  // namespace kakanai::card
