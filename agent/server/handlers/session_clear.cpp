#include "server/handlers/handlers.h"

namespace kakanai::server {

Result<SecretText> handleSessionClear(RequestFields& fields, HandlerContext& context) {
  fields.require("session");
  auto session = fields.text("session", 128);
  KAKANAI_TRY(fields.status());
  if (!context.services.counter->clearSession(*session, context.connection.origin)) return Error::of(ErrorCode::UnknownSession);
  return SecretText("{}");
}

}  // namespace kakanai::server
