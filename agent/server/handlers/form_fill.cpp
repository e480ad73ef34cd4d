#include "server/handlers/fill_fields.h"
#include "server/handlers/handlers.h"
#include "server/protocol_shapes.h"

namespace kakanai::server {


Result<SecretText> handleFormFill(RequestFields& fields, HandlerContext& context) {
  counter::FillOrder order;
  fields.require("form");
  order.form = fields.text("form", 128).value_or("");
  order.date = fields.text("date", 10).value_or("");
  order.values = clerkValues(fields);
  if (auto days = fields.integer("dateToleranceDays", 0, 36500)) order.dateToleranceDays = static_cast<int>(*days);  // docs/PROTOCOL-EXTENSIONS.md
  order.session = fields.text("session", 128);
  order.typedPerson = typedPerson(fields);
  if (order.session && order.typedPerson) fields.fail("session", "and person exclude each other");
  if (!fields.has("session") && !fields.has("person")) fields.fail("session", "or person is required");
  KAKANAI_TRY(fields.status());
  auto filled = context.services.counter->fill(context.connection.origin, std::move(order));
  if (!filled) return filled.error();
  return formFillResult(*filled);
}

}  // namespace kakanai::server
