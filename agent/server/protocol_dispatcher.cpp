#include "server/protocol_dispatcher.h"

#include "core/json_text.h"
#include "server/handlers/message_handler.h"
#include "server/protocol_shapes.h"

namespace kakanai::server {

namespace {

void appendId(SecretText& out, const std::optional<std::string>& id) {
  if (id) {
    appendJsonString(out, *id);
  } else {
    out.append("null");
  }
}

Outcome framed(const PreparedRequest& r, const std::optional<std::string>& id, const std::string& type) {
  Outcome o;
  o.response.append("{\"id\":");
  appendId(o.response, id);
  o.type = type;
  o.id = id.value_or("");
  (void)r;
  return o;
}

}  // namespace

bool PreparedRequest::mayBlock() const { return handler != nullptr && handler->runs == Runs::OnWorker; }

PreparedRequest ProtocolDispatcher::prepare(std::string_view frame) const {
  PreparedRequest r;
  auto parsed = readJson(frame);
  if (!parsed || parsed->kind != JsonKind::Object) {
    r.type = "(malformed)";
    r.problem = Error::of(ErrorCode::BadRequest, "not a JSON object");
    return r;
  }
  r.envelope = std::move(*parsed);
  // The id first: whatever else is wrong, the answer carries it.
  const JsonValue* id = r.envelope.find("id");
  if (id != nullptr && (id->kind != JsonKind::String || id->text.size() > 64)) {
    r.type = "(malformed)";
    r.problem = Error::of(ErrorCode::BadRequest, "id must be a string of at most 64 characters");
    r.problem->field = "id";
    return r;
  }
  if (id != nullptr) r.id = std::string(id->text.view());
  const JsonValue* type = r.envelope.find("type");
  if (type == nullptr || type->kind != JsonKind::String) {
    r.type = "(malformed)";
    r.problem = Error::of(ErrorCode::BadRequest, "type is required");
    r.problem->field = "type";
    return r;
  }
  r.handler = findMessageHandler(type->text.view());
  // A type we do not know is logged as "unknown": the client's string never reaches the log.
  r.type = r.handler != nullptr ? std::string(r.handler->type) : "unknown";
  if (r.handler == nullptr) {
    r.problem = Error::of(ErrorCode::BadRequest, "unknown type");
    r.problem->field = "type";
  } else if (!r.id) {
    r.problem = Error::of(ErrorCode::BadRequest, "id is required");
    r.problem->field = "id";
  }
  return r;
}

Outcome ProtocolDispatcher::run(PreparedRequest& r, ConnectionState& connection) {
  Result<SecretText> result = Error::of(ErrorCode::Internal);
  if (r.problem) {
    result = *r.problem;
  } else if (r.handler->type != "hello" && !connection.helloDone) {
    result = Error::of(ErrorCode::HelloRequired);
  } else {
    RequestFields fields(r.envelope);
    HandlerContext context{s_, connection};
    result = r.handler->handle(fields, context);
  }
  Outcome o = framed(r, r.id, r.type);
  if (result) {
    o.response.append(",\"ok\":true,\"result\":");
    o.response.append(result->view());
    o.code = "ok";
  } else {
    o.response.append(",\"ok\":false,\"error\":");
    o.response.append(toJson(errorObject(result.error())));
    o.code = std::string(codeName(result.error().code));
    o.diagnostic = result.error().diagnostic;
  }
  o.response.append("}");
  r.envelope = JsonValue{};  // the request's strings (a PIN, a typed person) are wiped now
  return o;
}

}  // namespace kakanai::server
