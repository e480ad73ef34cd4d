#include "crypto/rsa.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

namespace kakanai::crypto {

void PkeyDeleter::operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }

Sha256Digest sha256(ByteView data) {
  Sha256Digest out{};
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr);
  return out;
}

ByteView sha256DigestInfoPrefix() {
  static const std::uint8_t kPrefix[] = {0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                         0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
  return kPrefix;
}

namespace {

struct BnDeleter {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnDeleter>;

Bytes bnParam(EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &bn) != 1) return {};
  BnPtr holder(bn);
  Bytes out(static_cast<std::size_t>(BN_num_bytes(bn)));
  BN_bn2bin(bn, out.data());
  return out;
}

bool verifyWith(EVP_PKEY* key, const EVP_MD* md, ByteView data, ByteView signature) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr) return false;
  bool ok = EVP_DigestVerifyInit(ctx, nullptr, md, nullptr, key) == 1 &&
            EVP_DigestVerify(ctx, signature.data(), signature.size(), data.data(), data.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

}  // namespace

std::optional<RsaPublicKey> RsaPublicKey::fromModulus(ByteView modulus, ByteView exponent) {
  if (modulus.empty() || exponent.empty()) return std::nullopt;
  BnPtr n(BN_bin2bn(modulus.data(), static_cast<int>(modulus.size()), nullptr));
  BnPtr e(BN_bin2bn(exponent.data(), static_cast<int>(exponent.size()), nullptr));
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  if (!n || !e || bld == nullptr) {
    OSSL_PARAM_BLD_free(bld);
    return std::nullopt;
  }
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n.get());
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e.get());
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  OSSL_PARAM_BLD_free(bld);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
  EVP_PKEY* key = nullptr;
  const bool ok = ctx != nullptr && params != nullptr && EVP_PKEY_fromdata_init(ctx) == 1 &&
                  EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) == 1;
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  if (!ok) return std::nullopt;
  return RsaPublicKey(PkeyPtr(key));
}

std::optional<RsaPublicKey> RsaPublicKey::fromPem(std::string_view pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key == nullptr || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
    EVP_PKEY_free(key);
    return std::nullopt;
  }
  return RsaPublicKey(PkeyPtr(key));
}

std::optional<RsaPublicKey> RsaPublicKey::fromDerSubjectPublicKeyInfo(ByteView der) {
  const unsigned char* p = der.data();
  EVP_PKEY* key = d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size()));
  if (key == nullptr || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
    EVP_PKEY_free(key);
    return std::nullopt;
  }
  return RsaPublicKey(PkeyPtr(key));
}

bool RsaPublicKey::verifySha256(ByteView data, ByteView signature) const {
  return verifyWith(key_.get(), EVP_sha256(), data, signature);
}

bool RsaPublicKey::verifyDigestInfo(ByteView digestInfo, ByteView signature) const {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key_.get(), nullptr);
  if (ctx == nullptr) return false;
  Bytes recovered(static_cast<std::size_t>(EVP_PKEY_get_size(key_.get())));
  std::size_t len = recovered.size();
  const bool ok = EVP_PKEY_verify_recover_init(ctx) == 1 &&
                  EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
                  EVP_PKEY_verify_recover(ctx, recovered.data(), &len, signature.data(), signature.size()) == 1;
  EVP_PKEY_CTX_free(ctx);
  return ok && len == digestInfo.size() && std::equal(digestInfo.begin(), digestInfo.end(), recovered.begin());
}

Bytes RsaPublicKey::modulus() const { return bnParam(key_.get(), OSSL_PKEY_PARAM_RSA_N); }
Bytes RsaPublicKey::exponent() const { return bnParam(key_.get(), OSSL_PKEY_PARAM_RSA_E); }

std::optional<RsaPrivateKey> RsaPrivateKey::generate(int bits) {
  EVP_PKEY* key = EVP_RSA_gen(static_cast<unsigned int>(bits));
  if (key == nullptr) return std::nullopt;
  return RsaPrivateKey(PkeyPtr(key));
}

std::optional<RsaPrivateKey> RsaPrivateKey::fromPem(std::string_view pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key == nullptr || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
    EVP_PKEY_free(key);
    return std::nullopt;
  }
  return RsaPrivateKey(PkeyPtr(key));
}

Bytes RsaPrivateKey::signSha256(ByteView data) const {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  Bytes sig(static_cast<std::size_t>(EVP_PKEY_get_size(key_.get())));
  std::size_t len = sig.size();
  const bool ok = ctx != nullptr && EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key_.get()) == 1 &&
                  EVP_DigestSign(ctx, sig.data(), &len, data.data(), data.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) return {};
  sig.resize(len);
  return sig;
}

std::optional<Bytes> RsaPrivateKey::signDigestInfo(ByteView digestInfo) const {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key_.get(), nullptr);
  if (ctx == nullptr) return std::nullopt;
  Bytes sig(static_cast<std::size_t>(EVP_PKEY_get_size(key_.get())));
  std::size_t len = sig.size();
  const bool ok = EVP_PKEY_sign_init(ctx) == 1 && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
                  EVP_PKEY_sign(ctx, sig.data(), &len, digestInfo.data(), digestInfo.size()) == 1;
  EVP_PKEY_CTX_free(ctx);
  if (!ok) return std::nullopt;
  sig.resize(len);
  return sig;
}

RsaPublicKey RsaPrivateKey::publicKey() const {
  return *RsaPublicKey::fromModulus(bnParam(key_.get(), OSSL_PKEY_PARAM_RSA_N),
                                    bnParam(key_.get(), OSSL_PKEY_PARAM_RSA_E));
}

std::string RsaPrivateKey::toPem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key_.get(), nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  return out;
}

}  // namespace kakanai::crypto
