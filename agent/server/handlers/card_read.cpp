#include "card/verification_b.h"
#include "server/handlers/handlers.h"
#include "server/protocol_shapes.h"

namespace kakanai::server {

namespace {

// verificationB: the card face's parts, or the 14 digits as typed — one or the other. Parts that
// cannot make a B (an impossible date, a code not of 4 digits) are pin_format for B, as a PIN that
// is not four digits is; nothing reaches the card either way.
void readVerificationB(RequestFields& fields, card::CardReadRequest& request) {
  request.credential = card::Credential::VerificationB;
  auto b = fields.object("verificationB");
  if (!b) return;
  auto digits = b->secret("digits", 64);
  auto birthDate = b->secret("birthDate", 64);
  auto expiryYear = b->secret("expiryYear", 64);
  auto securityCode = b->secret("securityCode", 64);
  if (!fields.status().ok()) return;
  const bool facePart = birthDate || expiryYear || securityCode;
  if (digits && facePart) return b->fail("digits", "cannot be given with birthDate, expiryYear or securityCode");
  if (digits) {
    request.verificationB = std::move(*digits);
    return;
  }
  if (!birthDate) return b->fail("birthDate", "is required (or digits)");
  if (!expiryYear) return b->fail("expiryYear", "is required (or digits)");
  if (!securityCode) return b->fail("securityCode", "is required (or digits)");
  auto built = card::verificationBFromCardFace(birthDate->view(), expiryYear->view(), securityCode->view());
  if (built) request.verificationB = std::move(*built);  // else left empty: pin_format for B
}

}  // namespace

Result<SecretText> handleCardRead(RequestFields& fields, HandlerContext& context) {
  counter::CardReadOrder order;
  const bool withPin = fields.has("pin");
  const bool withB = fields.has("verificationB");
  if (withPin && withB) fields.fail("verificationB", "cannot be given with pin");
  if (!withPin && !withB) fields.fail("pin", "or verificationB is required");
  // A PIN of the wrong type is pin_format, like any PIN that is not four digits: nothing is sent.
  if (const JsonValue* pin = fields.raw("pin"); pin != nullptr && pin->kind == JsonKind::String) order.card.pin = pin->text;
  if (withB && !withPin) readVerificationB(fields, order.card);
  order.card.allowLastTry = fields.flag("allowLastTry", false);
  order.card.includeMyNumber = fields.flag("includeMyNumber", false);
  order.card.cardSignature = fields.flag("cardSignature", false);
  order.reader = fields.text("reader");
  KAKANAI_TRY(fields.status());
  auto read = context.services.counter->readCard(context.connection.origin, std::move(order));
  if (!read) return read.error();
  return cardReadResult(*read);
}

}  // namespace kakanai::server
