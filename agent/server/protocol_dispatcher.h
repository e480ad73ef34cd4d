// Protocol v1 (../shared/PROTOCOL.md) without the transport: one text frame in, one response
// out. The server only moves frames; everything the protocol says about requests, responses and
// error codes happens here.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "attendance/attendance_service.h"
#include "attendance/central_sync.h"
#include "card/card_session.h"
#include "card/reader_system.h"
#include "core/secure_buffer.h"
#include "fonts/font_set.h"
#include "forms/form_definition.h"
#include "printing/print_service.h"
#include "server/agent_config.h"
#include "server/session_store.h"

namespace kakanai::server {

struct ConnectionState {
  std::string origin;
  std::atomic<bool> helloDone{false};
};

struct AgentServices {
  AgentConfig config;
  std::unique_ptr<card::ReaderSystem> readers;
  card::CardPolicy cardPolicy;
  std::shared_ptr<fonts::FontSet> fonts;
  std::vector<forms::FormDefinition> forms;
  std::vector<int> formPages;  // pages of each form's template
  std::string templatesDir;
  std::unique_ptr<SessionStore> sessions;
  std::unique_ptr<printing::PrintService> printers;
  std::unique_ptr<attendance::AttendanceService> attendance;
  std::unique_ptr<attendance::CentralSync> centralSync;  // when attendance.postgres is set
  // Demo mode: puts a built-in staff card ("E0001", "E0002", "expired", "unknown") on the
  // virtual attendance reader, as if it had been tapped.
  std::function<Status(const std::string& card)> demoTap;
  // Pushes an event to every connection (set by the server).
  std::function<void(const std::string&)> emit;
};

struct Outcome {
  SecretText response;  // the JSON to send (may hold personal data: wiped after sending)
  std::string type;     // for the log
  std::string id;       // for the log (the client's id, not personal)
  std::string code;     // "ok" or the error code, for the log
  std::string diagnostic;  // the engineer's detail of an error (never card content), for the log
};

class ProtocolDispatcher {
 public:
  explicit ProtocolDispatcher(AgentServices& services) : s_(services) {}
  Outcome handle(std::string_view frame, ConnectionState& connection);

 private:
  AgentServices& s_;
};

inline constexpr const char* kAgentVersion = "0.1.0";

}  // namespace kakanai::server
