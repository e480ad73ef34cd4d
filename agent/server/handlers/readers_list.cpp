#include "server/handlers/handlers.h"
#include "server/protocol_shapes.h"

namespace kakanai::server {

Result<SecretText> handleReadersList(RequestFields& fields, HandlerContext& context) {
  KAKANAI_TRY(fields.status());
  auto readers = context.services.counter->readers();
  if (!readers) return readers.error();
  return resultText(readersListResult(*readers));
}

}  // namespace kakanai::server
