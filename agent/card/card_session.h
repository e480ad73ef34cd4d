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
  Status dataRead(Person person, bool authentic);
  void cardLost();
  void clear();

  // Only in DataRead.
  const Person* person() const { return state_ == CardSessionState::DataRead ? &*person_ : nullptr; }
  bool authentic() const { return authentic_; }

 private:
  Status move(CardSessionState from, CardSessionState to);
  CardSessionState state_ = CardSessionState::NoCard;
  std::optional<Person> person_;
  bool authentic_ = false;
};

struct CardReadRequest {
  SecretText pin;
  bool allowLastTry = false;
  bool includeMyNumber = false;
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

// Reads the four basic items from the card in `reader`, following the rules that keep a
// resident's card safe: nothing is sent for a malformed PIN; the retry counter is read before
// VERIFY; VERIFY is not sent when one try is left unless allowLastTry; the individual number is
// read only when policy and request both ask; the card is reset afterwards so the verified state
// does not outlive the read.
Result<CardReadOutcome> readMyNumberCard(ReaderSystem& readers, const std::string& reader,
                                         const CardReadRequest& request, const CardPolicy& policy);

enum class CardKind { MyNumber, Other, None };
std::string_view kindName(CardKind k);  // "mynumber", "other", "none"

struct CardStatus {
  std::string reader;
  bool present = false;
  CardKind kind = CardKind::None;
  std::optional<int> pinRetries;
};

// Identifies the card by selecting its applications (never by ATR) and reads the text input
// assist PIN's retry counter without consuming a try.
Result<CardStatus> readCardStatus(ReaderSystem& readers, const std::string& reader);

}  // namespace kakanai::card
