#include "crypto/x509.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <ctime>

namespace kakanai::crypto {

namespace {

struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
using X509Ptr = std::unique_ptr<X509, X509Deleter>;

std::chrono::system_clock::time_point toTimePoint(const ASN1_TIME* t) {
  struct tm tm {};
  if (ASN1_TIME_to_tm(t, &tm) != 1) return {};
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

Bytes toDer(X509* x) {
  const int len = i2d_X509(x, nullptr);
  if (len <= 0) return {};
  Bytes out(static_cast<std::size_t>(len));
  unsigned char* p = out.data();
  i2d_X509(x, &p);
  return out;
}

}  // namespace

std::optional<CertificateInfo> parseCertificateDer(ByteView der) {
  const unsigned char* p = der.data();
  X509Ptr x(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!x || p != der.data() + der.size()) return std::nullopt;
  CertificateInfo info;
  info.der.assign(der.begin(), der.end());
  info.fingerprint = sha256(der);
  info.notBefore = toTimePoint(X509_get0_notBefore(x.get()));
  info.notAfter = toTimePoint(X509_get0_notAfter(x.get()));
  EVP_PKEY* pk = X509_get0_pubkey(x.get());
  if (pk != nullptr) {
    const int len = i2d_PUBKEY(pk, nullptr);
    if (len > 0) {
      Bytes spki(static_cast<std::size_t>(len));
      unsigned char* q = spki.data();
      i2d_PUBKEY(pk, &q);
      info.publicKey = RsaPublicKey::fromDerSubjectPublicKeyInfo(spki);
    }
  }
  return info;
}

std::optional<Bytes> certificatePemToDer(std::string_view pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509Ptr x(PEM_read_bio_X509(bio, nullptr, nullptr, nullptr));
  BIO_free(bio);
  if (!x) return std::nullopt;
  return toDer(x.get());
}

std::string certificateDerToPem(ByteView der) {
  const unsigned char* p = der.data();
  X509Ptr x(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!x) return {};
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, x.get());
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  return pem;
}

std::optional<Bytes> issueTestCertificate(const RsaPrivateKey& subjectKey, std::string_view commonName,
                                          const RsaPrivateKey& issuerKey, ByteView issuerDer, bool isCa,
                                          std::chrono::system_clock::time_point notBefore, int days) {
  X509Ptr x(X509_new());
  if (!x) return std::nullopt;
  X509_set_version(x.get(), 2);
  // A serial from the key's hash keeps test certificates distinct without randomness.
  const auto serialSeed = sha256(subjectKey.publicKey().modulus());
  BIGNUM* serial = BN_bin2bn(serialSeed.data(), 16, nullptr);
  BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(x.get()));
  BN_free(serial);
  const std::time_t start = std::chrono::system_clock::to_time_t(notBefore);
  ASN1_TIME_set(X509_getm_notBefore(x.get()), start);
  ASN1_TIME_set(X509_getm_notAfter(x.get()), start + static_cast<std::time_t>(days) * 86400);
  X509_set_pubkey(x.get(), subjectKey.raw());
  X509_NAME* name = X509_get_subject_name(x.get());
  X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("JP"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("Kakanai Test"), -1, -1, 0);
  const std::string cn(commonName);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  if (issuerDer.empty()) {
    X509_set_issuer_name(x.get(), name);
  } else {
    const unsigned char* p = issuerDer.data();
    X509Ptr issuer(d2i_X509(nullptr, &p, static_cast<long>(issuerDer.size())));
    if (!issuer) return std::nullopt;
    X509_set_issuer_name(x.get(), X509_get_subject_name(issuer.get()));
  }
  X509V3_CTX v3;
  X509V3_set_ctx_nodb(&v3);
  X509V3_set_ctx(&v3, x.get(), x.get(), nullptr, nullptr, 0);
  X509_EXTENSION* bc = X509V3_EXT_conf_nid(nullptr, &v3, NID_basic_constraints,
                                           isCa ? "critical,CA:TRUE" : "critical,CA:FALSE");
  X509_add_ext(x.get(), bc, -1);
  X509_EXTENSION_free(bc);
  X509_EXTENSION* ku = X509V3_EXT_conf_nid(nullptr, &v3, NID_key_usage,
                                           isCa ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature");
  X509_add_ext(x.get(), ku, -1);
  X509_EXTENSION_free(ku);
  if (X509_sign(x.get(), issuerKey.raw(), EVP_sha256()) <= 0) return std::nullopt;
  return toDer(x.get());
}

}  // namespace kakanai::crypto
