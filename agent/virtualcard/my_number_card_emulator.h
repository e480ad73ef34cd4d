// A My Number card in software: the text input assist applet and the JPKI applet, answering
// the same APDUs with the same status words as CARD.md and the public readers describe,
// building the real file structures (EF 0002 with its offset table, EF 0003 signed by an applet
// key certified in EF 0004 by the test issuer, EF 0005 advertising extended length, EF 0007 with
// the key of the PIN-less signature) and keeping every retry counter (PIN, verification numbers
// A and B, JPKI) for its lifetime like a real card. Where real cards differ, the profile says
// which variant this card is (README, "virtual card profile").
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "card/apdu.h"

#include "core/bytes.h"
#include "core/error.h"
#include "crypto/rsa.h"
#include "virtualcard/card_profile.h"

namespace kakanai::virtualcard {

// What the card did with one command: answered it, or left the reader (faults.removeAfterApdus).
struct CardReply {
  Bytes response;  // data + SW; empty when removed
  bool removed = false;
};

// One line per command for tests: header and Lc only, never the data (a VERIFY's data is a PIN).
using ApduObserver = std::function<void(std::uint8_t cla, std::uint8_t ins, std::uint8_t p1,
                                        std::uint8_t p2, std::size_t lc, std::uint16_t sw)>;

class MyNumberCardEmulator {
 public:
  static Result<std::unique_ptr<MyNumberCardEmulator>> create(const CardProfile& profile);

  static const Bytes& atr();

  // Power-on or reset: the card forgets selections and verified PINs, keeps its counters.
  void reset();
  CardReply process(ByteView command);
  void setObserver(ApduObserver observer) { observer_ = std::move(observer); }

  int textAssistRetries() const { return pins_.at(Pin::TextAssist).left; }
  int verificationBRetries() const { return pins_.at(Pin::VerificationB).left; }
  // Whether the reader this card sits in says it carries extended-length APDUs (profile "reader").
  bool readerReportsExtendedLength() const { return readerReportsExtended_; }
  int jpkiAuthRetries() const { return pins_.at(Pin::JpkiAuth).left; }
  int reinsertAfterMs() const { return faults_.reinsertAfterMs; }
  // The removal fault fires once; afterwards the card behaves.
  bool removalArmed() const { return faults_.removeAfterApdus > 0; }

 private:
  enum class App { None, TextAssist, Jpki, Surface, Registry };
  enum class Pin { TextAssist, VerificationA, LockedEf0012, VerificationB, JpkiAuth, JpkiSign };
  struct PinState {
    Bytes value;
    int max = 3;
    int left = 3;
    bool verified = false;
  };
  struct File {
    Bytes content;
    std::vector<Pin> openedBy;  // empty: readable by anyone; else any one of these verified
  };

  MyNumberCardEmulator() = default;
  std::uint16_t handle(ByteView command, Bytes& out);
  std::uint16_t select(std::uint8_t p1, ByteView data);
  std::uint16_t verify(ByteView data);
  std::uint16_t dispatch(const card::ParsedCommand& c, Bytes& out);
  std::uint16_t readBinary(std::uint8_t p1, std::uint8_t p2, std::optional<std::uint32_t> le, Bytes& out);
  std::uint16_t sign(std::uint8_t p2, ByteView digestInfo, std::optional<std::uint32_t> le, Bytes& out);
  std::uint16_t getChallenge(std::uint8_t p1, std::uint8_t p2, std::optional<std::uint32_t> le, Bytes& out);
  std::optional<Pin> pinForEf(std::uint16_t ef) const;
  std::map<std::uint16_t, File>* currentFiles();
  Status buildTextAssist(const CardProfile& profile);
  Status buildJpki(const JpkiProfile& j);

  std::map<std::uint16_t, File> textAssistFiles_;
  std::map<std::uint16_t, File> jpkiFiles_;
  std::map<Pin, PinState> pins_;
  std::optional<crypto::RsaPrivateKey> jpkiAuthKey_;
  std::optional<crypto::RsaPrivateKey> jpkiSignKey_;
  std::optional<crypto::RsaPrivateKey> pinlessKey_;  // the key of EF 0007; nullopt: no PIN-less signature
  FaultProfile faults_;
  bool extendedLength_ = true;
  bool readerExtended_ = true;
  bool readerReportsExtended_ = true;
  bool textAssistPresent_ = true;
  App app_ = App::None;
  std::optional<std::uint16_t> ef_;
  int answered_ = 0;
  ApduObserver observer_;
};

// Kakanai's committed test issuer private key (tests/data/test-issuer-key.pem), compiled in.
const std::string& kakanaiTestIssuerKeyPem();
// The emulator's fixed test keys (tests/data/virtual-card-keys): the text applet's signing key, its
// PIN-less signature key, the CA of generated JPKI certificates. Fixed because generating 2048-bit
// keys for every card made each demo start seconds slower; nothing tells cards apart by them.
const std::string& virtualCardAppletKeyPem();
const std::string& virtualCardPinlessKeyPem();
const std::string& virtualCardJpkiCaKeyPem();

}  // namespace kakanai::virtualcard
