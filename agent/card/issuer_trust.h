// Which issuers' keys make a card's text input assist data "authentic". Production J-LIS keys
// are always trusted; test issuers (J-LIS's test hierarchy, Kakanai's own test issuer used by
// the virtual card) only when the agent runs with --demo or --trust-test-issuer.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "crypto/rsa.h"

namespace kakanai::card {

struct IssuerKey {
  Bytes keyId;  // the 16-byte 証明者鍵ID
  crypto::RsaPublicKey key;
  std::string label;
};

class IssuerTrustStore {
 public:
  static IssuerTrustStore builtIn(bool trustTestIssuers);
  void add(IssuerKey key) { keys_.push_back(std::move(key)); }
  const IssuerKey* find(ByteView keyId) const;
  std::size_t size() const { return keys_.size(); }

 private:
  std::vector<IssuerKey> keys_;
};

// The 16-byte key id for a 7-digit key number, in the card's layout: digits, 08 05, "001",
// four zero bytes.
Bytes textAssistKeyId(std::string_view sevenDigits);

// Kakanai's own test issuer (the virtual card signs with its private half).
inline constexpr std::string_view kKakanaiTestIssuerNumber = "9000033";
crypto::RsaPublicKey kakanaiTestIssuerPublicKey();

struct AuthenticityInput {
  ByteView integrityFile;    // EF 0003
  ByteView certificateFile;  // EF 0004
  ByteView basicInfoDigestSource;
  std::optional<ByteView> myNumberFile;  // EF 0001 as read, when it was read
};

// True only when the whole chain holds: a trusted issuer signed EF 0004, whose key signed
// EF 0003, whose digests match the bytes read.
bool verifyTextAssistAuthenticity(const IssuerTrustStore& trust, const AuthenticityInput& in);

// True only when a trusted issuer certified the key in EF 0007 and that key made `signature`
// over `digestInfo`: the PIN-less signature of a genuine card over our fresh challenge.
bool verifyCardSignature(const IssuerTrustStore& trust, ByteView appletKeyFile, ByteView digestInfo, ByteView signature);

}  // namespace kakanai::card
