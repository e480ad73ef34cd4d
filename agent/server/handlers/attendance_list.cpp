#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "core/iso_time.h"
#include "core/person.h"
#include "server/handlers/handlers.h"
#include "server/protocol_shapes.h"

namespace kakanai::server {

Result<SecretText> handleAttendanceList(RequestFields& fields, HandlerContext& context) {
  fields.require("from");
  fields.require("to");
  auto from = fields.text("from", 10);
  auto to = fields.text("to", 10);
  auto staffId = fields.text("staffId", 64);
  if (from && !isIsoDate(*from)) fields.fail("from", "must be YYYY-MM-DD");
  if (to && !isIsoDate(*to)) fields.fail("to", "must be YYYY-MM-DD");
  KAKANAI_TRY(fields.status());
  auto& s = context.services;
  if (!s.attendance) return Error::of(ErrorCode::StoreUnavailable, "no attendance service");
  auto records = s.attendance->list(*from, *to, staffId);
  if (!records) return records.error();
  Poco::JSON::Array list;
  for (const auto& rec : *records) list.add(attendanceRecordObject(rec));
  Poco::JSON::Object r;
  r.set("records", list);
  return resultText(r);
}

}  // namespace kakanai::server
