#include "card/card_session.h"

#include <openssl/rand.h>

#include "card/iso7816.h"
#include "card/my_number_files.h"
#include "card/text_assist_applet.h"
#include "card/verification_b.h"
#include "crypto/rsa.h"

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

Status CardSession::dataRead(Person person, bool authentic, bool cardSignature) {
  KAKANAI_TRY(move(CardSessionState::PinChecked, CardSessionState::DataRead));
  person_.emplace(std::move(person));
  authentic_ = authentic;
  cardSignature_ = cardSignature;
  return okStatus();
}

void CardSession::cardLost() {
  person_.reset();  // SecretText members wipe themselves
  authentic_ = cardSignature_ = false;
  state_ = CardSessionState::NoCard;
}

void CardSession::clear() {
  person_.reset();
  authentic_ = cardSignature_ = false;
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

// Errors about B say so, so the page knows which counter they speak of.
Error forCredential(Error e, Credential credential) {
  if (credential == Credential::VerificationB) e.credential = "verificationB";
  return e;
}

}  // namespace

Status checkReadRequest(const CardReadRequest& request) {
  if (request.credential == Credential::Pin) {
    if (!isWellFormedPin(request.pin.view())) return Error::of(ErrorCode::PinFormat);
    return okStatus();
  }
  if (!isWellFormedVerificationB(request.verificationB.view())) {
    return forCredential(Error::of(ErrorCode::PinFormat), Credential::VerificationB);
  }
  // B does not open EF 0001: asking for the individual number with it is refused before the card
  // is touched, rather than reading the rest and failing half-way.
  if (request.includeMyNumber) {
    return forCredential(Error::of(ErrorCode::BadRequest, "the individual number is not readable with verification number B"),
                         Credential::VerificationB);
  }
  return okStatus();
}

namespace {

// Makes sure the PIN counter we read belongs to a fresh security state: a 9000 answer to the
// query means something already verified this PIN, and then the counter is unknown. Selecting
// another application drops that state (the card's firewall), after which we ask again.
Result<iso::PinCounter> freshCounter(CardConnection& conn, TextAssistApplet& applet, Credential credential) {
  auto counter = applet.counter(credential);
  if (!counter || counter->retries || counter->blocked) return counter;
  JpkiApplet other(conn);
  auto away = other.select();
  if (!away) return away.error();
  auto back = applet.select();
  if (!back) return back.error();
  if (!*back) return Error::of(ErrorCode::CardRemoved, "text input assist applet vanished");
  return applet.counter(credential);
}

// The credential's own counter first, the last try guarded, then the one VERIFY. A PIN path the
// card cannot use (locked, or never set on a face-recognition card: 63 C0 / 69 84) is pin_locked.
Status verifyCredential(CardConnection& conn, TextAssistApplet& applet, const CardReadRequest& request) {
  const Credential credential = request.credential;
  auto counter = freshCounter(conn, applet, credential);
  if (!counter) return forCredential(counter.error(), credential);
  if (counter->blocked) return forCredential(Error::statusWord(ErrorCode::PinLocked, 0x63C0), credential);
  const bool lastTry = !counter->retries || *counter->retries <= 1;  // unknown counts as last
  if (lastTry && !request.allowLastTry) {
    Error e = Error::of(ErrorCode::PinLastTry);
    if (counter->retries) e.retriesLeft = *counter->retries;
    return forCredential(std::move(e), credential);
  }
  const SecretText& digits = credential == Credential::Pin ? request.pin : request.verificationB;
  Status verified = applet.verify(digits.bytes());
  if (!verified.ok()) return forCredential(verified.error(), credential);
  return okStatus();
}

bool transportFailure(const Error& e) {
  return e.code == ErrorCode::CardRemoved || e.code == ErrorCode::NoReader || e.code == ErrorCode::Timeout ||
         e.code == ErrorCode::ReaderBusy;
}

// Extended length only where the reader says it carries it and the card's EF 0005 says the card
// takes it; EF 0005 is read only then (it costs two APDUs a short read would not save).
Status chooseReadLength(CardConnection& conn, TextAssistApplet& applet) {
  const std::uint32_t readerLimit = conn.channel().extendedResponseLimit();
  if (readerLimit <= 256) return okStatus();
  auto file = applet.readApInfoFile();
  if (!file) return transportFailure(file.error()) ? Status(file.error()) : okStatus();
  const auto info = parseApInfoFile(*file);
  if (info && info->extendedLength) conn.useExtendedReads(readerLimit);
  return okStatus();
}

// The PIN-less signature over a fresh challenge of ours, checked against EF 0007's certified key.
// False when the card does not offer it or anything in the chain fails; errors only for transport.
Result<bool> proveGenuine(TextAssistApplet& applet, const IssuerTrustStore& trust) {
  std::uint8_t challenge[32];
  if (RAND_bytes(challenge, sizeof challenge) != 1) return Error::of(ErrorCode::Internal, "no randomness for the challenge");
  const auto digest = crypto::sha256(ByteView(challenge, sizeof challenge));
  Bytes digestInfo(crypto::sha256DigestInfoPrefix().begin(), crypto::sha256DigestInfoPrefix().end());
  digestInfo.insert(digestInfo.end(), digest.begin(), digest.end());
  auto signature = applet.signWithoutPin(digestInfo);
  if (!signature) return signature.error();
  if (!*signature) return false;
  auto keyFile = applet.readAppletKeyFile();
  if (!keyFile) return transportFailure(keyFile.error()) ? Result<bool>(keyFile.error()) : Result<bool>(false);
  return verifyCardSignature(trust, *keyFile, digestInfo, **signature);
}

Result<CardReadOutcome> runRead(CardConnection& conn, const CardReadRequest& request, const CardPolicy& policy) {
  CardReadOutcome out;
  CardSession& session = out.session;
  TextAssistApplet applet(conn);

  auto selected = applet.select();
  if (!selected) return selected.error();
  if (!*selected) return Error::of(ErrorCode::NotMyNumber);
  KAKANAI_TRY(session.cardPresent());
  KAKANAI_TRY(chooseReadLength(conn, applet));
  KAKANAI_TRY(verifyCredential(conn, applet, request));
  KAKANAI_TRY(session.pinChecked());

  auto basicFile = applet.readBasicInfoFile();
  if (!basicFile) return basicFile.error();
  auto basic = parseBasicInfoFile(*basicFile);
  if (!basic) return basic.error();

  std::optional<SecureBytes> myNumberFile;
  if (policy.allowMyNumber && request.includeMyNumber && request.credential == Credential::Pin) {
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

  bool genuine = false;
  if (request.cardSignature) {
    auto proved = proveGenuine(applet, policy.trust);
    if (!proved) return proved.error();
    genuine = *proved;
  }
  KAKANAI_TRY(session.dataRead(std::move(basic->person), authentic, genuine));
  out.apdus = conn.apduCount();
  return out;
}

}  // namespace

Result<CardReadOutcome> readMyNumberCard(ReaderSystem& readers, const std::string& reader,
                                         const CardReadRequest& request, const CardPolicy& policy) {
  KAKANAI_TRY(checkReadRequest(request));
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

Result<CardStatus> readCardStatus(ReaderSystem& readers, const std::string& reader, bool withVerificationB) {
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
      status.pinState = counter->blocked ? "locked" : counter->retries ? "ok" : "unknown";
      // B's counter, as the PIN's: an empty VERIFY. A card without EF 0015 leaves it unknown.
      if (withVerificationB) {
        auto b = applet.counter(Credential::VerificationB);
        if (!b && transportFailure(b.error())) return b.error();
        if (b) status.verificationBRetries = b->retries;
      }
    }
  }
  // Leave the card as it was: a status check must not disturb another application's session.
  conn.close(false);
  return status;
}

}  // namespace kakanai::card
