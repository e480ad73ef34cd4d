#include "server/protocol_description.h"

#include <Poco/JSON/Array.h>

#include "attendance/attendance_store.h"
#include "card/reader_system.h"
#include "core/warning_codes.h"
#include "printing/print_service.h"
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
  Poco::JSON::Array warnings;
  for (auto code : kAllWarningCodes) warnings.add(std::string(warningName(code)));
  Poco::JSON::Array printerStates;
  for (auto state : printing::kAllPrinterStates) printerStates.add(std::string(printing::printerStateName(state)));
  Poco::JSON::Array tapKinds;
  for (auto kind : attendance::kAllTapKinds) tapKinds.add(std::string(attendance::tapKindName(kind)));
  Poco::JSON::Object out;
  out.set("protocol", 1);
  out.set("commands", commands);
  Poco::JSON::Array features;
  for (auto f : kProtocolFeatures) features.add(std::string(f));
  out.set("features", features);
  out.set("events", events);
  out.set("errorCodes", codes);
  out.set("readerRoles", roles);
  out.set("warningCodes", warnings);
  out.set("printerStates", printerStates);
  out.set("attendanceKinds", tapKinds);
  return out;
}

}  // namespace kakanai::server
