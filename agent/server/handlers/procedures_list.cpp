#include "server/handlers/handlers.h"
#include "server/protocol_shapes.h"

namespace kakanai::server {

Result<SecretText> handleProceduresList(RequestFields& fields, HandlerContext& context) {
  KAKANAI_TRY(fields.status());
  return resultText(proceduresListResult(context.services.counter->forms()));
}

}  // namespace kakanai::server
