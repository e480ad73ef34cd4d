#include "server/handlers/fill_fields.h"
#include "server/handlers/handlers.h"
#include "server/protocol_shapes.h"

namespace kakanai::server {

namespace {

// forms: the optional forms to include, by id.
std::optional<std::vector<std::string>> optionalForms(RequestFields& fields) {
  const JsonValue* v = fields.raw("forms");
  if (v == nullptr) return std::nullopt;
  std::vector<std::string> out;
  if (v->kind != JsonKind::Array) {
    fields.fail("forms", "must be an array of form ids");
    return out;
  }
  for (const auto& item : v->items) {
    if (item.kind != JsonKind::String || item.text.size() > 128) {
      fields.fail("forms", "must be an array of form ids");
      return out;
    }
    out.emplace_back(item.text.view());
  }
  return out;
}

}  // namespace

Result<SecretText> handleProcedureFill(RequestFields& fields, HandlerContext& context) {
  counter::ProcedureOrder order;
  fields.require("procedure");
  order.procedure = fields.text("procedure", 128).value_or("");
  order.date = fields.text("date", 10).value_or("");
  order.values = clerkValues(fields);
  order.optionalForms = optionalForms(fields);
  if (auto days = fields.integer("dateToleranceDays", 0, 36500)) order.dateToleranceDays = static_cast<int>(*days);
  order.session = fields.text("session", 128);
  order.typedPerson = typedPerson(fields);
  if (order.session && order.typedPerson) fields.fail("session", "and person exclude each other");
  if (!fields.has("session") && !fields.has("person")) fields.fail("session", "or person is required");
  KAKANAI_TRY(fields.status());
  auto filled = context.services.counter->fillProcedure(context.connection.origin, std::move(order));
  if (!filled) return filled.error();
  return procedureFillResult(*filled);
}

}  // namespace kakanai::server
