// A resident's card read at the counter: PIN rules are the card layer's (card_session); here the
// reader is chosen by role and what was read becomes a session of the origin that asked.
#include "counter/counter_service.h"

namespace kakanai::counter {

Result<ReadResident> CounterService::readCard(const std::string& origin, CardReadOrder order) {
  // Nothing touches a reader for a PIN or a B that cannot be one.
  KAKANAI_TRY(card::checkReadRequest(order.card));
  auto reader = counterReader(order.reader);
  if (!reader) return reader.error();
  auto outcome = card::readMyNumberCard(readers_, *reader, order.card, policy_);
  order.card.pin.clear();
  order.card.verificationB.clear();
  if (!outcome) return outcome.error();
  const Person* person = outcome->session.person();
  if (person == nullptr) return Error::of(ErrorCode::Internal, "card read: no person after a successful read");
  ReadResident read;
  read.person = *person;
  read.authentic = outcome->session.authentic();
  if (order.card.cardSignature) read.cardSignature = outcome->session.cardSignature();
  outcome->session.clear();
  auto created = sessions_->create(origin, read.person, read.authentic);
  announceEnded(origin, created.evicted);
  read.session = created.id;
  read.expiresAt = created.expiresAt;
  return read;
}

}  // namespace kakanai::counter
