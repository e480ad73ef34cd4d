#include "attendance/attendance_service.h"

#include <openssl/rand.h>

#include "card/staff_card.h"
#include "core/bytes.h"
#include "core/log.h"
#include "crypto/x509.h"

namespace kakanai::attendance {

struct AttendanceService::PendingEnrolment {
  std::string staffId;
  std::string displayName;
  std::optional<Result<Enrolment>> result;
};

struct AttendanceService::PendingTap {
  std::string reader;
  std::string fingerprint;
  Bytes certificate;
  crypto::RsaPublicKey publicKey;  // of the tapped certificate: the card must sign with its pair
  std::string certNotAfter;
  bool expiresSoon = false;
  WallClock::time_point tappedAt;
  std::chrono::steady_clock::time_point deadline;
};

namespace {

std::string randomHex(std::size_t bytes) {
  std::vector<std::uint8_t> b(bytes);
  if (RAND_bytes(b.data(), static_cast<int>(b.size())) != 1) return {};
  return toHex(b);
}

struct TappedCard {
  Bytes der;
  crypto::CertificateInfo info;
  std::string fingerprint;
  std::optional<int> authPinRetries;  // strong mode only
};

Result<TappedCard> readTappedCard(card::ReaderSystem& readers, const std::string& reader, bool withPinRetries) {
  auto tap = card::readStaffCardTap(readers, reader, withPinRetries);
  if (!tap) {
    // The card left before its certificate was read: for a tap that is a card removed mid-read.
    if (tap.error().code == ErrorCode::NoCard) return Error::of(ErrorCode::CardRemoved, "card left before the read");
    return tap.error();
  }
  auto info = crypto::parseCertificateDer(tap->certificate);
  if (!info || !info->publicKey) return Error::of(ErrorCode::CardError, "auth certificate unreadable");
  TappedCard t{std::move(tap->certificate), std::move(*info), {}, tap->authPinRetries};
  t.fingerprint = toHex(t.info.fingerprint);
  return t;
}

}  // namespace

AttendanceService::AttendanceService(card::ReaderSystem& readers, AttendanceSettings settings, Clock clock)
    : readers_(readers), settings_(std::move(settings)), clock_(std::move(clock)) {}

AttendanceService::~AttendanceService() = default;

void AttendanceService::setListener(std::function<void(const AttendanceEvent&)> listener) {
  std::lock_guard lock(mutex_);
  listener_ = std::move(listener);
}

void AttendanceService::emit(const AttendanceEvent& e) {
  std::function<void(const AttendanceEvent&)> listener;
  {
    std::lock_guard lock(mutex_);
    listener = listener_;
  }
  if (listener) listener(e);
}

Result<StorePtr> AttendanceService::store() {
  std::lock_guard lock(mutex_);
  if (!store_) {
    auto opened = AttendanceStore::open(settings_.storePath);
    if (!opened) return opened.error();
    store_ = std::move(*opened);
  }
  return store_;
}

void AttendanceService::closeStoreAfter(const Error& e) {
  if (e.code != ErrorCode::StoreUnavailable) return;
  std::lock_guard lock(mutex_);
  store_.reset();
}

void AttendanceService::onCardTapped(const std::string& reader) {
  const WallClock::time_point now = clock_();
  AttendanceEvent event;
  event.reader = reader;
  event.at = isoLocal(now);
  auto refuse = [&](const Error& e) {
    event.kind = AttendanceEventKind::Refused;
    event.code = e.code;
    logLine(LogLevel::Warning, std::string("attendance tap refused: ") + std::string(codeName(e.code)) + " " + e.diagnostic);
    emit(event);
  };

  // Strong mode asks for the PIN next, with the tries left: read in the same card session.
  auto card = readTappedCard(readers_, reader, settings_.strong);
  std::shared_ptr<PendingEnrolment> enrolment;
  {
    std::lock_guard lock(mutex_);
    auto it = enrolments_.find(reader);
    if (it != enrolments_.end()) enrolment = it->second;
  }
  const bool expired = card && (now >= card->info.notAfter || now < card->info.notBefore);
  if (enrolment) {
    Result<Enrolment> result = Error::of(ErrorCode::Internal);
    if (!card) {
      result = card.error();
    } else if (expired) {
      result = Error::of(ErrorCode::CertificateExpired);
    } else if (auto st = store(); !st) {
      result = st.error();
    } else {
      StaffBinding binding{enrolment->staffId, enrolment->displayName, isoUtc(card->info.notAfter)};
      auto done = (*st)->enroll(card->fingerprint, binding, now);
      if (done) {
        result = Enrolment{enrolment->staffId, binding.certNotAfter};
      } else {
        closeStoreAfter(done.error());
        result = done.error();
      }
    }
    {
      std::lock_guard lock(mutex_);
      enrolment->result = std::move(result);
      enrolments_.erase(reader);
    }
    enrolled_.notify_all();
    logLine(LogLevel::Info, "attendance enrolment tap");
    return;
  }
  if (!card) return refuse(card.error());

  auto st = store();
  if (!st) return refuse(st.error());
  auto binding = (*st)->bindingOf(card->fingerprint);
  if (!binding) return refuse(binding.error());
  if (!*binding) {
    event.kind = AttendanceEventKind::UnknownCard;
    logLine(LogLevel::Info, "attendance tap: unknown card");
    return emit(event);
  }
  if (expired) return refuse(Error::of(ErrorCode::CertificateExpired));
  const std::string notAfter = isoUtc(card->info.notAfter);
  const bool soon = card->info.notAfter - now < settings_.expiryWarning;

  if (!settings_.strong) {
    record(card->fingerprint, reader, notAfter, soon, now);
    return;
  }
  auto pending = std::make_shared<PendingTap>(PendingTap{reader, card->fingerprint, std::move(card->der), *card->info.publicKey, notAfter,
                                                         soon, now, std::chrono::steady_clock::now() + settings_.pendingTapLifetime});
  event.kind = AttendanceEventKind::PinRequired;
  event.tapId = randomHex(16);
  event.record.staffId = (*binding)->staffId;
  event.record.displayName = (*binding)->displayName;
  event.retriesLeft = card->authPinRetries;
  {
    std::lock_guard lock(mutex_);
    const auto steadyNow = std::chrono::steady_clock::now();
    for (auto it = pendingTaps_.begin(); it != pendingTaps_.end();) {
      it = it->second->deadline < steadyNow ? pendingTaps_.erase(it) : std::next(it);
    }
    pendingTaps_[event.tapId] = pending;
  }
  logLine(LogLevel::Info, "attendance tap: PIN required (strong mode)");
  emit(event);
}

void AttendanceService::record(const std::string& fingerprint, const std::string& reader, const std::string& certNotAfter,
                               bool expiresSoon, WallClock::time_point at) {
  AttendanceEvent event;
  event.reader = reader;
  event.at = isoLocal(at);
  auto st = store();
  Result<TapOutcome> outcome = st ? (*st)->recordTap(fingerprint, reader, at, settings_.rules) : Result<TapOutcome>(st.error());
  if (!outcome) {
    closeStoreAfter(outcome.error());
    event.kind = AttendanceEventKind::Refused;
    event.code = outcome.error().code;
    logLine(LogLevel::Error, "attendance tap not stored: " + outcome.error().diagnostic);
    return emit(event);
  }
  switch (outcome->disposition) {
    case TapDisposition::Recorded:
      event.kind = AttendanceEventKind::Tap;
      event.record = outcome->record;
      event.certNotAfter = certNotAfter;
      event.certExpiresSoon = expiresSoon;
      logLine(LogLevel::Info, "attendance tap recorded seq=" + std::to_string(event.record.seq) + " kind=" + std::string(tapKindName(event.record.kind)));
      break;
    case TapDisposition::DoubleTap:
      event.kind = AttendanceEventKind::Ignored;
      logLine(LogLevel::Info, "attendance tap ignored: double tap");
      break;
    case TapDisposition::UnknownCard:
      event.kind = AttendanceEventKind::UnknownCard;
      break;
  }
  emit(event);
}

Result<Enrolment> AttendanceService::enroll(const std::string& staffId, const std::string& displayName, const std::string& reader,
                                            std::chrono::milliseconds timeout) {
  auto pending = std::make_shared<PendingEnrolment>();
  pending->staffId = staffId;
  pending->displayName = displayName;
  std::unique_lock lock(mutex_);
  if (enrolments_.count(reader)) return Error::of(ErrorCode::ReaderBusy, "an enrolment is already waiting on this reader");
  enrolments_[reader] = pending;
  if (!enrolled_.wait_for(lock, timeout, [&] { return pending->result.has_value(); })) {
    if (enrolments_[reader] == pending) enrolments_.erase(reader);
    return Error::of(ErrorCode::Timeout, "no card tapped for the enrolment");
  }
  return std::move(*pending->result);
}

Result<std::optional<AttendanceRecord>> AttendanceService::verifyTap(const std::string& tapId, SecretText pin, bool allowLastTry) {
  std::shared_ptr<PendingTap> tap;
  {
    std::lock_guard lock(mutex_);
    auto it = pendingTaps_.find(tapId);
    if (it != pendingTaps_.end() && it->second->deadline >= std::chrono::steady_clock::now()) tap = it->second;
    if (it != pendingTaps_.end() && !tap) pendingTaps_.erase(it);
  }
  if (!tap) return Error::of(ErrorCode::UnknownTap);

  Bytes challenge(32);
  if (RAND_bytes(challenge.data(), static_cast<int>(challenge.size())) != 1) return Error::of(ErrorCode::Internal, "no randomness");
  const auto digest = crypto::sha256(challenge);
  const ByteView prefix = crypto::sha256DigestInfoPrefix();
  card::AuthSignatureRequest request;
  request.pin = std::move(pin);
  request.allowLastTry = allowLastTry;
  request.digestInfo.assign(prefix.begin(), prefix.end());
  request.digestInfo.insert(request.digestInfo.end(), digest.begin(), digest.end());
  request.expectedCertificate = tap->certificate;
  auto signature = card::signWithAuthKey(readers_, tap->reader, request);
  request.pin.clear();
  if (!signature) {
    // A wrong PIN may be tried again on the same tap; anything else ends it.
    const ErrorCode c = signature.error().code;
    if (c != ErrorCode::PinWrong && c != ErrorCode::PinLastTry && c != ErrorCode::PinFormat) {
      std::lock_guard lock(mutex_);
      pendingTaps_.erase(tapId);
    }
    return signature.error();
  }
  {
    std::lock_guard lock(mutex_);
    pendingTaps_.erase(tapId);
  }
  if (!tap->publicKey.verifyDigestInfo(request.digestInfo, *signature)) {
    logLine(LogLevel::Warning, "attendance strong tap: the card's signature does not match its certificate");
    return Error::of(ErrorCode::CardError, "signature does not match the certificate");
  }
  // Recorded at the moment of the tap, not of the PIN: the staff member stood there then.
  auto st = store();
  if (!st) return st.error();
  auto outcome = (*st)->recordTap(tap->fingerprint, tap->reader, tap->tappedAt, settings_.rules);
  if (!outcome) {
    closeStoreAfter(outcome.error());
    return outcome.error();
  }
  AttendanceEvent event;
  event.reader = tap->reader;
  event.at = isoLocal(tap->tappedAt);
  if (outcome->disposition == TapDisposition::DoubleTap) {
    event.kind = AttendanceEventKind::Ignored;
    emit(event);
    return std::optional<AttendanceRecord>();
  }
  if (outcome->disposition == TapDisposition::UnknownCard) return Error::of(ErrorCode::UnknownTap, "binding removed meanwhile");
  event.kind = AttendanceEventKind::Tap;
  event.record = outcome->record;
  event.certNotAfter = tap->certNotAfter;
  event.certExpiresSoon = tap->expiresSoon;
  emit(event);
  return std::optional<AttendanceRecord>(outcome->record);
}

Result<std::vector<AttendanceRecord>> AttendanceService::list(const std::string& fromDay, const std::string& toDay,
                                                              const std::optional<std::string>& staffId) {
  auto st = store();
  if (!st) return st.error();
  return (*st)->list(fromDay, toDay, staffId);
}

}  // namespace kakanai::attendance
