#include "server/handlers/handlers.h"
#include "server/protocol_shapes.h"

namespace kakanai::server {

Result<SecretText> handleCardRead(RequestFields& fields, HandlerContext& context) {
  counter::CardReadOrder order;
  // A PIN of the wrong type is pin_format, like any PIN that is not four digits: nothing is sent.
  if (const JsonValue* pin = fields.raw("pin"); pin != nullptr && pin->kind == JsonKind::String) order.card.pin = pin->text;
  order.card.allowLastTry = fields.flag("allowLastTry", false);
  order.card.includeMyNumber = fields.flag("includeMyNumber", false);
  order.reader = fields.text("reader");
  KAKANAI_TRY(fields.status());
  auto read = context.services.counter->readCard(context.connection.origin, std::move(order));
  if (!read) return read.error();
  return cardReadResult(*read);
}

}  // namespace kakanai::server
