// The little public-key cryptography the agent needs, over OpenSSL 3: SHA-256, RSA PKCS#1 v1.5
// signatures with SHA-256, and keys from raw moduli (the card's format) or PEM.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/bytes.h"
#include "core/error.h"

using EVP_PKEY = struct evp_pkey_st;

namespace kakanai::crypto {

using Sha256Digest = std::array<std::uint8_t, 32>;
Sha256Digest sha256(ByteView data);

// DER DigestInfo prefix for SHA-256 (what a card's RSA "sign digest" command expects first).
ByteView sha256DigestInfoPrefix();

struct PkeyDeleter {
  void operator()(EVP_PKEY* p) const;
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

class RsaPublicKey {
 public:
  static std::optional<RsaPublicKey> fromModulus(ByteView modulus, ByteView exponent);
  static std::optional<RsaPublicKey> fromPem(std::string_view pem);
  static std::optional<RsaPublicKey> fromDerSubjectPublicKeyInfo(ByteView der);

  bool verifySha256(ByteView data, ByteView signature) const;
  // Verifies a signature over an already computed DigestInfo (as a card produces it).
  bool verifyDigestInfo(ByteView digestInfo, ByteView signature) const;
  Bytes modulus() const;
  Bytes exponent() const;
  EVP_PKEY* raw() const { return key_.get(); }

 private:
  explicit RsaPublicKey(PkeyPtr k) : key_(std::shared_ptr<EVP_PKEY>(k.release(), PkeyDeleter{})) {}
  std::shared_ptr<EVP_PKEY> key_;
};

class RsaPrivateKey {
 public:
  static std::optional<RsaPrivateKey> generate(int bits = 2048);
  static std::optional<RsaPrivateKey> fromPem(std::string_view pem);

  Bytes signSha256(ByteView data) const;
  // Raw PKCS#1 v1.5 signature over a caller-supplied DigestInfo (no hashing here).
  std::optional<Bytes> signDigestInfo(ByteView digestInfo) const;
  RsaPublicKey publicKey() const;
  std::string toPem() const;
  EVP_PKEY* raw() const { return key_.get(); }

 private:
  explicit RsaPrivateKey(PkeyPtr k) : key_(std::shared_ptr<EVP_PKEY>(k.release(), PkeyDeleter{})) {}
  std::shared_ptr<EVP_PKEY> key_;
};

}  // namespace kakanai::crypto
