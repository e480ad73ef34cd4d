// A staff member's My Number card on an attendance reader: only the JPKI user authentication
// certificate (read without a PIN) and, in strong mode, a challenge signed by its key. Nothing
// of the text input assist applet is touched.
#pragma once

#include <optional>
#include <string>

#include "card/reader_system.h"
#include "core/bytes.h"
#include "core/secure_buffer.h"

namespace kakanai::card {

struct StaffCardTap {
  Bytes certificate;                    // DER
  std::optional<int> authPinRetries;    // asked for, and the card said
};

// One short session on the tapped card: the auth certificate and, when `withPinRetries`, the
// tries left on the auth PIN (read without consuming one). not_mynumber when the card has no
// JPKI applet.
Result<StaffCardTap> readStaffCardTap(ReaderSystem& readers, const std::string& reader, bool withPinRetries);

struct AuthSignatureRequest {
  SecretText pin;
  bool allowLastTry = false;
  Bytes digestInfo;           // SHA-256 DigestInfo of the challenge
  Bytes expectedCertificate;  // the card must still be the one that was tapped
};

// VERIFY the auth PIN under the same rules as a resident's PIN (format checked before anything
// is sent, retry counter read first, never the last try unasked), then COMPUTE DIGITAL
// SIGNATURE with the auth key. The card is reset afterwards. card_removed when another card
// has taken the tapped one's place.
Result<Bytes> signWithAuthKey(ReaderSystem& readers, const std::string& reader, const AuthSignatureRequest& request);

}  // namespace kakanai::card
