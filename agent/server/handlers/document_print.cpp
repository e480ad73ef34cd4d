#include <Poco/JSON/Object.h>

#include "server/handlers/handlers.h"

namespace kakanai::server {

Result<SecretText> handleDocumentPrint(RequestFields& fields, HandlerContext& context) {
  counter::PrintOrder order;
  fields.require("document");
  auto document = fields.text("document", 128);
  order.printer = fields.text("printer");
  order.copies = static_cast<int>(fields.integer("copies", 1, 99).value_or(1));
  KAKANAI_TRY(fields.status());
  order.document = *document;
  auto job = context.services.counter->print(context.connection.origin, order);
  if (!job) return job.error();
  Poco::JSON::Object r;
  r.set("job", job->job);
  r.set("printer", job->printer);
  return resultText(r);
}

}  // namespace kakanai::server
