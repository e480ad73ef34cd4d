// One protocol message's handler. Each lives in its own file in this directory and is listed
// once in handler_table.cpp (its wire name, where it runs, whether hello lists it).
//
// To add a message: write handlers/<name>.cpp with
//   Result<SecretText> handleXyz(RequestFields& fields, HandlerContext& context)
// that reads its fields through `fields` (typed: a wrong type or range is a bad_request naming
// the field), returns `fields.status()` if that failed before acting, calls a service, and returns
// the result object's JSON (built in protocol_shapes); declare it in handlers.h, add a row to the
// table, and the file to agent/CMakeLists.txt.
#pragma once

#include <span>
#include <string_view>

#include "core/error.h"
#include "core/secure_buffer.h"
#include "server/protocol_dispatcher.h"
#include "server/request_fields.h"

namespace kakanai::server {

struct HandlerContext {
  AgentServices& services;
  ConnectionState& connection;
};

using HandlerFunction = Result<SecretText> (*)(RequestFields& fields, HandlerContext& context);

enum class Runs {
  Inline,    // answered on the connection's thread, in order (hello, forms.list, session.clear)
  OnWorker,  // may wait on a card, a printer, IPP or a store
};

struct MessageHandler {
  std::string_view type;
  Runs runs = Runs::Inline;
  HandlerFunction handle = nullptr;
  // Listed in hello's features when this says so (nullptr: always; hello itself never).
  bool (*offered)(const AgentServices&) = nullptr;
};

std::span<const MessageHandler> messageHandlers();

// What hello's features list beside the commands: events are pushed; card.read takes
// verification number B and can prove the card genuine (docs/PROTOCOL-EXTENSIONS.md); demo mode.
inline constexpr std::string_view kDemoFeature = "demo";
inline constexpr std::string_view kProtocolFeatures[] = {"events", "card.read.verificationB", "card.read.cardSignature", kDemoFeature};
const MessageHandler* findMessageHandler(std::string_view type);

}  // namespace kakanai::server
