#include "server/handlers/handlers.h"

#include <Poco/Dynamic/Var.h>

#include "server/protocol_shapes.h"

namespace kakanai::server {

namespace {

bool strongAttendance(const AgentServices& s) { return s.config.attendance.strong; }
bool demoTapOn(const AgentServices& s) { return static_cast<bool>(s.demoTap); }

// The protocol's commands, in the order hello lists them. Runs::OnWorker for anything that may
// wait on a card (card.status is a card transaction), a printer (printers.list asks IPP
// printers, 3 s each) or a store.
constexpr MessageHandler kHandlers[] = {
    {"hello", Runs::Inline, handleHello, nullptr},
    {"card.read", Runs::OnWorker, handleCardRead, nullptr},
    {"card.status", Runs::OnWorker, handleCardStatus, nullptr},
    {"session.clear", Runs::Inline, handleSessionClear, nullptr},
    {"forms.list", Runs::Inline, handleFormsList, nullptr},
    {"form.fill", Runs::OnWorker, handleFormFill, nullptr},
    {"procedures.list", Runs::Inline, handleProceduresList, nullptr},
    {"procedure.fill", Runs::OnWorker, handleProcedureFill, nullptr},
    {"document.print", Runs::OnWorker, handleDocumentPrint, nullptr},
    {"printers.list", Runs::OnWorker, handlePrintersList, nullptr},
    {"readers.list", Runs::OnWorker, handleReadersList, nullptr},
    {"attendance.enroll", Runs::OnWorker, handleAttendanceEnroll, nullptr},
    {"attendance.list", Runs::OnWorker, handleAttendanceList, nullptr},
    {"attendance.verify", Runs::OnWorker, handleAttendanceVerify, strongAttendance},
    {"demo.tap", Runs::OnWorker, handleDemoTap, demoTapOn},
};

}  // namespace

std::span<const MessageHandler> messageHandlers() { return kHandlers; }

const MessageHandler* findMessageHandler(std::string_view type) {
  for (const auto& h : kHandlers) {
    if (h.type == type) return &h;
  }
  return nullptr;
}

SecretText resultText(const Poco::Dynamic::Var& object) { return SecretText(toJson(object)); }

}  // namespace kakanai::server
