#include "card/card_session.h"

#include "card/my_number_files.h"
#include "card/text_assist_applet.h"

namespace kakanai::card {

std::string_view stateName(CardSessionState s) {
  switch (s) {
    case CardSessionState::NoCard: return "no_card";
    case CardSessionState::CardPresent: return "card_present";
    case CardSessionState::PinChecked: return "pin_checked";
    case CardSessionState::DataRead: return "data_read";
    case CardSessionState::Cleared: return "cleared";
  }
  return "";
}

std::string_view kindName(CardKind k) {
  switch (k) {
    case CardKind::MyNumber: return "mynumber";
    case CardKind::Other: return "other";
    case CardKind::None: return "none";
  }
  return "none";
}

Status CardSession::move(CardSessionState from, CardSessionState to) {
  if (state_ != from) {
    return Error::of(ErrorCode::Internal, std::string("card session: ") + std::string(stateName(state_)) +
                                              " -> " + std::string(stateName(to)) + " is not allowed");
  }
  state_ = to;
  return okStatus();
}

Status CardSession::cardPresent() {
  if (state_ == CardSessionState::Cleared) state_ = CardSessionState::NoCard;
  return move(CardSessionState::NoCard, CardSessionState::CardPresent);
}

Status CardSession::pinChecked() { return move(CardSessionState::CardPresent, CardSessionState::PinChecked); }

Status CardSession::dataRead(Person person, bool authentic) {
  KAKANAI_TRY(move(CardSessionState::PinChecked, CardSessionState::DataRead));
  person_.emplace(std::move(person));
  authentic_ = authentic;
  return okStatus();
}

void CardSession::cardLost() {
  person_.reset();  // SecretText members wipe themselves
  authentic_ = false;
  state_ = CardSessionState::NoCard;
}

void CardSession::clear() {
  person_.reset();
  authentic_ = false;
  state_ = CardSessionState::Cleared;
}

bool isWellFormedPin(std::string_view pin) {
  if (pin.size() != 4) return false;
  for (char c : pin) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

namespace {

// Makes sure the PIN counter we read belongs to a fresh security state: a 9000 answer to the
// query means something already verified this PIN, and then the counter is unknown. Selecting
// another application drops that state (the card's firewall), after which we ask again.
Result<iso::PinCounter> freshPinCounter(CardConnection& conn, TextAssistApplet& applet) {
  auto counter = applet.pinCounter();
  if (!counter || counter->retries || counter->blocked) return counter;
  JpkiApplet other(conn);
  auto away = other.select();
  if (!away) return away.error();
  auto back = applet.select();
  if (!back) return back.error();
  if (!*back) return Error::of(ErrorCode::CardRemoved, "text input assist applet vanished");
  return applet.pinCounter();
}

Result<CardReadOutcome> runRead(CardConnection& conn, const CardReadRequest& request, const CardPolicy& policy) {
  CardReadOutcome out;
  CardSession& session = out.session;
  TextAssistApplet applet(conn);

  auto selected = applet.select();
  if (!selected) return selected.error();
  if (!*selected) return Error::of(ErrorCode::NotMyNumber);
  KAKANAI_TRY(session.cardPresent());

  auto counter = freshPinCounter(conn, applet);
  if (!counter) return counter.error();
  if (counter->blocked) return Error::statusWord(ErrorCode::PinLocked, 0x63C0);
  const bool lastTry = !counter->retries || *counter->retries <= 1;  // unknown counts as last
  if (lastTry && !request.allowLastTry) {
    Error e = Error::of(ErrorCode::PinLastTry);
    if (counter->retries) e.retriesLeft = *counter->retries;
    return e;
  }
  KAKANAI_TRY(applet.verifyPin(request.pin.bytes()));
  KAKANAI_TRY(session.pinChecked());

  auto basicFile = applet.readBasicInfoFile();
  if (!basicFile) return basicFile.error();
  auto basic = parseBasicInfoFile(*basicFile);
  if (!basic) return basic.error();

  std::optional<SecureBytes> myNumberFile;
  if (policy.allowMyNumber && request.includeMyNumber) {
    auto f = applet.readMyNumberFile();
    if (!f) return f.error();
    auto digits = parseMyNumberFile(*f);
    if (!digits) return digits.error();
    basic->person.myNumber = std::move(*digits);
    myNumberFile = std::move(*f);
  }

  auto integrity = applet.readIntegrityFile();
  if (!integrity) return integrity.error();
  auto certificate = applet.readCertificateFile();
  if (!certificate) return certificate.error();
  AuthenticityInput check{*integrity, *certificate, basic->digestSource, std::nullopt};
  if (myNumberFile) check.myNumberFile = ByteView(*myNumberFile);
  const bool authentic = verifyTextAssistAuthenticity(policy.trust, check);

  KAKANAI_TRY(session.dataRead(std::move(basic->person), authentic));
  out.apdus = conn.apduCount();
  return out;
}

}  // namespace

Result<CardReadOutcome> readMyNumberCard(ReaderSystem& readers, const std::string& reader,
                                         const CardReadRequest& request, const CardPolicy& policy) {
  if (!isWellFormedPin(request.pin.view())) return Error::of(ErrorCode::PinFormat);
  auto channel = readers.connect(reader);
  if (!channel) return channel.error();
  CardConnection conn(std::move(*channel));
  Result<CardReadOutcome> result = Error::of(ErrorCode::Internal);
  {
    CardTransaction transaction(conn.channel());
    if (!transaction.status().ok()) return transaction.status().error();
    // Reset, so the verified PIN state cannot be used by anything else on this PC.
    transaction.resetCardOnEnd();
    result = runRead(conn, request, policy);
  }
  conn.close(false);
  return result;
}

Result<CardStatus> readCardStatus(ReaderSystem& readers, const std::string& reader) {
  CardStatus status;
  status.reader = reader;
  auto channel = readers.connect(reader);
  if (!channel) {
    if (channel.error().code == ErrorCode::NoCard) return status;
    return channel.error();
  }
  status.present = true;
  CardConnection conn(std::move(*channel));
  {
    CardTransaction transaction(conn.channel());
    if (!transaction.status().ok()) return transaction.status().error();
    TextAssistApplet applet(conn);
    auto selected = applet.select();
    if (!selected) return selected.error();
    status.kind = *selected ? CardKind::MyNumber : CardKind::Other;
    if (*selected) {
      auto counter = applet.pinCounter();
      if (!counter) return counter.error();
      status.pinRetries = counter->retries;
    }
  }
  // Leave the card as it was: a status check must not disturb another application's session.
  conn.close(false);
  return status;
}

}  // namespace kakanai::card
