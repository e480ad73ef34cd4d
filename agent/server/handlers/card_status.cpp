#include "server/handlers/handlers.h"
#include "server/protocol_shapes.h"

namespace kakanai::server {

Result<SecretText> handleCardStatus(RequestFields& fields, HandlerContext& context) {
  auto reader = fields.text("reader");
  KAKANAI_TRY(fields.status());
  auto status = context.services.counter->cardStatus(reader);
  if (!status) return status.error();
  return resultText(cardStatusResult(*status));
}

}  // namespace kakanai::server
