#include "server/handlers/handlers.h"
#include "server/protocol_shapes.h"

namespace kakanai::server {

Result<SecretText> handleFormsList(RequestFields& fields, HandlerContext& context) {
  KAKANAI_TRY(fields.status());
  const auto& catalog = context.services.counter->forms();
  return resultText(formsListResult(catalog));
}

}  // namespace kakanai::server
