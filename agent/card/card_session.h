// One resident's card read, as an explicit state machine:
//
//   NoCard ──cardPresent──▶ CardPresent ──pinChecked──▶ PinChecked ──dataRead──▶ DataRead
//      ▲                        │                           │                      │
//      └──────── cardLost ──────┴───────────────────────────┴──────────────────────┤
//                                                                         clear ──▶ Cleared
//
// Person data exists only in DataRead and is wiped on every way out of it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "card/issuer_trust.h"
#include "card/reader_system.h"
#include "card/text_assist_applet.h"
#include "core/error.h"
#include "core/person.h"
#include "core/secure_buffer.h"

namespace kakanai::card {

enum class CardSessionState { NoCard, CardPresent, PinChecked, DataRead, Cleared };
std::string_view stateName(CardSessionState s);

class CardSession {
 public:
  CardSessionState state() const { return state_; }
  Status cardPresent();
  Status pinChecked();
  Status dataRead(Person person, bool authentic, bool cardSignature = false);
  void cardLost();
  void clear();

  // Only in DataRead.
  const Person* person() const { return state_ == CardSessionState::DataRead ? &*person_ : nullptr; }
  bool authentic() const { return authentic_; }
  // The card signed our fresh challenge with its certified key (the PIN-less signature).
  bool cardSignature() const { return cardSignature_; }

 private:
  Status move(CardSessionState from, CardSessionState to);
  CardSessionState state_ = CardSessionState::NoCard;
  std::optional<Person> person_;
  bool authentic_ = false;
  bool cardSignature_ = false;
};

struct CardReadRequest {
  Credential credential = Credential::Pin;
  SecretText pin;            // Credential::Pin: 4 digits
  SecretText verificationB;  // Credential::VerificationB: 14 digits (see verification_b.h)
  bool allowLastTry = false;  // of the credential used
  bool includeMyNumber = false;
  // Also prove the card genuine with its PIN-less signature over a fresh challenge, where the
  // card offers it (CardSession::cardSignature()).
  bool cardSignature = false;
};

struct CardPolicy {
  bool allowMyNumber = false;  // configuration: the individual number may be read at all
  IssuerTrustStore trust = IssuerTrustStore::builtIn(false);
};

struct CardReadOutcome {
  CardSession session;  // in DataRead
  std::uint32_t apdus = 0;
};

// The PIN is exactly four ASCII digits. Checked before anything is sent to a card.
bool isWellFormedPin(std::string_view pin);
// The request's credential is well formed and may do what is asked (the individual number is
// not readable with B): pin_format / bad_request before anything reaches a card.
Status checkReadRequest(const CardReadRequest& request);

// Reads the four basic items from the card in `reader`, following the rules that keep a
// resident's card safe: nothing is sent for a malformed PIN or B; the credential's own retry
// counter is read before VERIFY; VERIFY is not sent when one try is left unless allowLastTry;
// the individual number is read only when policy and request both ask (and never with B); the
// card is reset afterwards so the verified state does not outlive the read. Files are read with
// extended length where card (EF 0005) and reader both advertise it, else in short APDUs.
Result<CardReadOutcome> readMyNumberCard(ReaderSystem& readers, const std::string& reader,
                                         const CardReadRequest& request, const CardPolicy& policy);

enum class CardKind { MyNumber, Other, None };
std::string_view kindName(CardKind k);  // "mynumber", "other", "none"

struct CardStatus {
  std::string reader;
  bool present = false;
  CardKind kind = CardKind::None;
  std::optional<int> pinRetries;
  std::optional<int> verificationBRetries;
  std::string_view pinState = "unknown";  // "ok", "locked" (no PIN try left, or no PIN set), "unknown"
};

// Identifies the card by selecting its applications (never by ATR) and reads the text input
// assist PIN's retry counter without consuming a try; `withVerificationB`, B's as well (two more
// APDUs, so the reader monitor's look at each inserted card does without).
Result<CardStatus> readCardStatus(ReaderSystem& readers, const std::string& reader, bool withVerificationB = false);

}  // namespace kakanai::card
