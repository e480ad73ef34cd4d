#include "card/staff_card.h"

#include "card/card_session.h"
#include "card/text_assist_applet.h"

namespace kakanai::card {

namespace {

// Connects, holds a transaction for `body`, and closes: the card reset as the transaction ends
// only if a PIN was sent.
template <class T, class F>
Result<T> withJpki(ReaderSystem& readers, const std::string& reader, bool resetOnEnd, F&& body) {
  auto channel = readers.connect(reader);
  if (!channel) return channel.error();
  CardConnection conn(std::move(*channel));
  Result<T> result = Error::of(ErrorCode::Internal);
  {
    CardTransaction transaction(conn.channel());
    if (!transaction.status().ok()) return transaction.status().error();
    if (resetOnEnd) transaction.resetCardOnEnd();
    JpkiApplet jpki(conn);
    auto selected = jpki.select();
    if (!selected) {
      result = selected.error();
    } else if (!*selected) {
      result = Error::of(ErrorCode::NotMyNumber);
    } else {
      result = body(jpki);
    }
  }
  conn.close(false);
  return result;
}

Result<Bytes> plain(Result<SecureBytes> r) {
  if (!r) return r.error();
  return Bytes(r->begin(), r->end());
}

}  // namespace

Result<StaffCardTap> readStaffCardTap(ReaderSystem& readers, const std::string& reader, bool withPinRetries) {
  return withJpki<StaffCardTap>(readers, reader, false, [&](JpkiApplet& jpki) -> Result<StaffCardTap> {
    auto cert = plain(jpki.readAuthCertificate());
    if (!cert) return cert.error();
    StaffCardTap tap{std::move(*cert), std::nullopt};
    if (withPinRetries) {
      auto counter = jpki.authPinCounter();
      if (!counter) return counter.error();
      tap.authPinRetries = counter->blocked ? std::optional<int>(0) : counter->retries;
    }
    return tap;
  });
}

Result<Bytes> signWithAuthKey(ReaderSystem& readers, const std::string& reader, const AuthSignatureRequest& request) {
  if (!isWellFormedPin(request.pin.view())) return Error::of(ErrorCode::PinFormat);
  return withJpki<Bytes>(readers, reader, true, [&](JpkiApplet& jpki) -> Result<Bytes> {
    auto cert = jpki.readAuthCertificate();
    if (!cert) return cert.error();
    if (Bytes(cert->begin(), cert->end()) != request.expectedCertificate) {
      return Error::of(ErrorCode::CardRemoved, "another card is on the reader");
    }
    auto counter = jpki.authPinCounter();
    if (!counter) return counter.error();
    if (counter->blocked) return Error::statusWord(ErrorCode::PinLocked, 0x63C0);
    // A 9000 answer (already verified by someone else) leaves the counter unknown: treat it as
    // the last try, as for residents.
    const bool lastTry = !counter->retries || *counter->retries <= 1;
    if (lastTry && !request.allowLastTry) {
      Error e = Error::of(ErrorCode::PinLastTry);
      if (counter->retries) e.retriesLeft = *counter->retries;
      return e;
    }
    KAKANAI_TRY(jpki.verifyAuthPin(request.pin.bytes()));
    return plain(jpki.signWithAuthKey(request.digestInfo));
  });
}

}  // namespace kakanai::card
