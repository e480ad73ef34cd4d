#include "server/protocol_description.h"

#include <Poco/JSON/Array.h>

#include "card/reader_system.h"
#include "counter/reader_roles.h"
#include "server/handlers/message_handler.h"
#include "server/protocol_shapes.h"

namespace kakanai::server {

Poco::JSON::Object protocolDescription() {
  Poco::JSON::Array commands;
  for (const auto& h : messageHandlers()) {
    Poco::JSON::Object c;
    c.set("type", std::string(h.type));
    c.set("mayBlock", h.runs == Runs::OnWorker);
    commands.add(c);
  }
  Poco::JSON::Array events;
  for (auto kind : {card::ReaderEventKind::ReaderAdded, card::ReaderEventKind::ReaderRemoved, card::ReaderEventKind::CardInserted,
                    card::ReaderEventKind::CardRemoved}) {
    events.add(std::string(card::eventName(kind)));
  }
  for (auto name : kCounterEventNames) events.add(std::string(name));
  for (auto name : kAttendanceEventNames) events.add(std::string(name));
  Poco::JSON::Array codes;
  for (auto code : kAllErrorCodes) codes.add(std::string(codeName(code)));
  Poco::JSON::Array roles;
  for (auto role : counter::kAllReaderRoles) roles.add(std::string(counter::roleName(role)));
  Poco::JSON::Object out;
  out.set("protocol", 1);
  out.set("commands", commands);
  out.set("events", events);
  out.set("errorCodes", codes);
  out.set("readerRoles", roles);
  return out;
}

}  // namespace kakanai::server
