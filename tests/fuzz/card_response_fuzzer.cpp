// Everything the agent parses from a card: response APDUs, BER-TLV, and the text input assist
// applet's files. The parsers must reject garbage without reading outside the buffer.
#include <cstddef>
#include <cstdint>

#include "card/apdu.h"
#include "card/ber_tlv.h"
#include "card/issuer_trust.h"
#include "card/my_number_files.h"

using namespace kakanai;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView in(data, size);
  (void)card::ResponseApdu::parse(in);
  (void)card::parseTlvHeader(in);
  if (auto t = card::parseTlv(in)) {
    card::TlvReader reader(t->value);
    while (reader.next()) {
    }
  }
  (void)card::parseBasicInfoFile(in);
  (void)card::parseMyNumberFile(in);
  (void)card::parseIntegrityRecord(in);
  (void)card::parseCardVerifiableCertificate(in);
  (void)card::parseCardVerifiableCertificate(in, card::text_assist::kTagAppletKey);
  (void)card::parseApInfoFile(in);
  // The whole authenticity chain on hostile input: split the input into the three files.
  if (size >= 4) {
    const std::size_t a = data[0] * size / 256, b = a + (size - a) * data[1] / 256;
    static const auto trust = card::IssuerTrustStore::builtIn(true);
    card::AuthenticityInput check{in.subspan(2, a > 2 ? a - 2 : 0), in.subspan(a, b - a), in.subspan(b), std::nullopt};
    (void)card::verifyTextAssistAuthenticity(trust, check);
    (void)card::verifyCardSignature(trust, in.subspan(a, b - a), in.subspan(2, a > 2 ? a - 2 : 0), in.subspan(b));
  }
  return 0;
}
