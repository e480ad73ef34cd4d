#include <Poco/JSON/Object.h>

#include "core/bytes.h"
#include "server/handlers/handlers.h"

namespace kakanai::server {

Result<SecretText> handleAttendanceEnroll(RequestFields& fields, HandlerContext& context) {
  fields.require("staffId");
  fields.require("displayName");
  auto staffId = fields.text("staffId", 64);
  auto displayName = fields.text("displayName", 200);
  auto reader = fields.text("reader");
  const double timeoutSeconds = fields.number("timeoutSeconds", 0, 300).value_or(30);
  if (staffId && staffId->empty()) fields.fail("staffId", "must not be empty");
  if (displayName && displayName->empty()) fields.fail("displayName", "must not be empty");
  KAKANAI_TRY(fields.status());
  auto& s = context.services;
  if (!s.attendance) return Error::of(ErrorCode::StoreUnavailable, "no attendance service");
  auto chosen = s.counter->attendanceReader(reader);
  if (!chosen) return chosen.error();
  auto enrolled = s.attendance->enroll(*staffId, *displayName, *chosen,
                                       std::chrono::milliseconds(static_cast<long long>(timeoutSeconds * 1000)));
  if (!enrolled) return enrolled.error();
  Poco::JSON::Object r;
  r.set("staffId", enrolled->staffId);
  r.set("certNotAfter", enrolled->certNotAfter);
  return resultText(r);
}

}  // namespace kakanai::server
