#include "server/handlers/handlers.h"
#include "server/protocol_shapes.h"

namespace kakanai::server {

Result<SecretText> handlePrintersList(RequestFields& fields, HandlerContext& context) {
  KAKANAI_TRY(fields.status());
  return resultText(printersListResult(context.services.counter->printers()));
}

}  // namespace kakanai::server
