#include <Poco/JSON/Object.h>

#include "card/card_session.h"
#include "server/handlers/handlers.h"
#include "server/protocol_shapes.h"

namespace kakanai::server {

Result<SecretText> handleAttendanceVerify(RequestFields& fields, HandlerContext& context) {
  SecretText pin;
  if (const JsonValue* p = fields.raw("pin"); p != nullptr && p->kind == JsonKind::String) pin = p->text;
  fields.require("tap");
  auto tap = fields.text("tap", 128);
  const bool allowLastTry = fields.flag("allowLastTry", false);
  KAKANAI_TRY(fields.status());
  if (!card::isWellFormedPin(pin.view())) return Error::of(ErrorCode::PinFormat);
  auto& s = context.services;
  if (!s.attendance) return Error::of(ErrorCode::StoreUnavailable, "no attendance service");
  auto verified = s.attendance->verifyTap(*tap, std::move(pin), allowLastTry);
  if (!verified) return verified.error();
  Poco::JSON::Object r = *verified ? attendanceRecordObject(**verified) : Poco::JSON::Object();
  r.set("recorded", verified->has_value());
  return resultText(r);
}

}  // namespace kakanai::server
