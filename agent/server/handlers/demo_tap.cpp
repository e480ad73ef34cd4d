#include "server/handlers/handlers.h"

namespace kakanai::server {

Result<SecretText> handleDemoTap(RequestFields& fields, HandlerContext& context) {
  auto card = fields.text("card", 64);
  KAKANAI_TRY(fields.status());
  if (!context.services.demoTap) return badField("type", "demo.tap is only in demo mode");
  KAKANAI_TRY(context.services.demoTap(card.value_or("E0001")));
  return SecretText("{}");
}

}  // namespace kakanai::server
