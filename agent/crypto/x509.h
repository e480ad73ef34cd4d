// X.509 certificates: reading the fields the agent uses (fingerprint, validity, key) and, for
// the virtual card, making test certificates.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/bytes.h"
#include "crypto/rsa.h"

namespace kakanai::crypto {

struct CertificateInfo {
  Bytes der;
  Sha256Digest fingerprint{};
  std::chrono::system_clock::time_point notBefore;
  std::chrono::system_clock::time_point notAfter;
  std::optional<RsaPublicKey> publicKey;
};

std::optional<CertificateInfo> parseCertificateDer(ByteView der);
std::optional<Bytes> certificatePemToDer(std::string_view pem);
std::string certificateDerToPem(ByteView der);  // empty when der is not a certificate

// Issues a certificate for `subjectKey`, signed by `issuerKey` (self-signed when issuerDer is
// empty), valid from notBefore for `days` days.
std::optional<Bytes> issueTestCertificate(const RsaPrivateKey& subjectKey, std::string_view commonName,
                                          const RsaPrivateKey& issuerKey, ByteView issuerDer,
                                          bool isCa, std::chrono::system_clock::time_point notBefore,
                                          int days);

}  // namespace kakanai::crypto
