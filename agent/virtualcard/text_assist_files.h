// The text input assist applet's files as a card writes them (layouts in ../shared/CARD.md and
// the README's profile notes), built from a profile for the virtual card.
#pragma once

#include "core/bytes.h"
#include "crypto/rsa.h"
#include "virtualcard/card_profile.h"

namespace kakanai::virtualcard {

// EF 0002: FF20 { DF21 offsets, DF22 name, DF23 address, DF24 birth date, DF25 sex }, padded.
Bytes buildBasicInfoFile(const TextAssistProfile& t);
// EF 0001: FF 10 0C (long form on purpose, as the card writes it) + 12 digits + FF FF filler.
Bytes buildMyNumberFile(const std::string& digits);
// EF 0004 (outer 7F21) or EF 0007 (outer FF50): issuer key id, subject key id, exponent and
// modulus, signed by the issuer.
Bytes buildKeyCertificate(std::uint32_t outerTag, const Bytes& issuerKeyId, const Bytes& subjectKeyId,
                          const crypto::RsaPublicKey& key, const crypto::RsaPrivateKey& issuer);
// EF 0003: the digests of EF 0001 and EF 0002 and the applet key's signature over them.
Bytes buildIntegrityFile(const Bytes& myNumberFile, ByteView basicInfoDigestSource,
                         const crypto::RsaPrivateKey& appletKey, bool tamper);
// EF 0005, full (DF41, DF42, DF43 in 256 bytes, as current cards) or short (DF41 alone, 10 bytes).
Bytes buildApInfoFile(ApInfoShape shape, bool extendedLength, const Bytes& keyId);

}  // namespace kakanai::virtualcard
