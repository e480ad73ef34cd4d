// The protocol's result and event shapes, built in one place for the server and the command
// line (which prints the same shapes). Nothing here carries personal data: person results are
// written into wiping buffers by their callers.
#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

#include "attendance/attendance_service.h"
#include "card/card_session.h"
#include "card/reader_system.h"
#include "core/secure_buffer.h"
#include "counter/counter_service.h"
#include "core/error.h"
#include "forms/form_definition.h"
#include "forms/form_filler.h"

namespace kakanai::server {

// {"code", "message"[, "retriesLeft"][, "sw"][, "inputs" | "codepoints"][, "form"][, "field"]}
Poco::JSON::Object errorObject(const Error& e);
// {"reader", "present", "kind", "pinRetries"}
Poco::JSON::Object cardStatusResult(const card::CardStatus& status);
// {"forms": [{"id", "title", "pages", "inputs": [{"name", "label", "type", "required"[, "options"]}]}]}
Poco::JSON::Object formsListResult(const counter::FormCatalog& catalog);
// [{"field", "code", "detail"}]
Poco::JSON::Array warningsArray(const std::vector<forms::FillWarning>& warnings);
// {"event": "card.inserted", "data": {"reader"[, "kind"]}}
std::string readerEventJson(const card::ReaderEvent& event, card::CardKind kind);

// {"readers": [{"name", "cardPresent", "role"}]}
Poco::JSON::Object readersListResult(const std::vector<counter::ReaderEntry>& readers);
// {"printers": [{"name", "default", "state"}]}
Poco::JSON::Object printersListResult(const std::vector<printing::PrinterInfo>& printers);
// {"person", "session", "authentic", "expiresAt"}: personal, so written into wiping memory.
SecretText cardReadResult(const counter::ReadResident& read);
// {"pdfBase64", "document", "session", "pages", "warnings"}: the PDF holds the resident's data.
SecretText formFillResult(const counter::FilledDocument& filled);
Poco::JSON::Object proceduresListResult(const counter::FormCatalog& catalog);
SecretText procedureFillResult(const counter::FilledProcedure& filled);
// session.expired, print.completed, print.failed
std::string counterEventJson(const counter::CounterEvent& event);

// {"event": "session.expired", "data": {"session"}}
std::string sessionExpiredEventJson(const std::string& session);
// {"seq", "staffId", "displayName", "kind", "at", "reader"}
Poco::JSON::Object attendanceRecordObject(const attendance::AttendanceRecord& record);
// attendance.tap, attendance.unknown_card, and the extensions attendance.refused,
// attendance.ignored and attendance.pin_required (docs/PROTOCOL-EXTENSIONS.md).
std::string attendanceEventJson(const attendance::AttendanceEvent& event);

// The events' wire names, declared once (card events: card::eventName).
inline constexpr std::string_view kSessionExpired = "session.expired";
inline constexpr std::string_view kPrintCompleted = "print.completed";
inline constexpr std::string_view kPrintFailed = "print.failed";
inline constexpr std::string_view kCounterEventNames[] = {kSessionExpired, kPrintCompleted, kPrintFailed};
inline constexpr std::string_view kAttendanceEventNames[] = {"attendance.tap", "attendance.unknown_card", "attendance.refused",
                                                             "attendance.ignored", "attendance.pin_required"};

std::string toJson(const Poco::Dynamic::Var& value);

}  // namespace kakanai::server
