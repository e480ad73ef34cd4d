// Protocol v1 (../shared/PROTOCOL.md) without the transport: one text frame in, one response
// out. The dispatcher reads the envelope (id first, so every answer can carry it), finds the
// message's handler in the table (handlers/handler_table.cpp) and frames its result; the
// handlers parse their own fields and call the counter or attendance services.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "attendance/attendance_service.h"
#include "attendance/central_sync.h"
#include "card/reader_system.h"
#include "config/agent_config.h"
#include "core/secure_buffer.h"
#include "counter/counter_service.h"
#include "server/json_reader.h"

namespace kakanai::server {

struct ConnectionState {
  std::string origin;
  std::atomic<bool> helloDone{false};
};

struct AgentServices {
  config::AgentConfig config;
  std::unique_ptr<card::ReaderSystem> readers;
  std::unique_ptr<counter::CounterService> counter;
  std::unique_ptr<attendance::AttendanceService> attendance;
  std::unique_ptr<attendance::CentralSync> centralSync;  // when attendance.postgres is set
  // Demo mode: puts a built-in staff card ("E0001", "E0002", "expired", "unknown") on the
  // virtual attendance reader, as if it had been tapped.
  std::function<Status(const std::string& card)> demoTap;
};

struct Outcome {
  SecretText response;  // the JSON to send (may hold personal data: wiped after sending)
  std::string type;     // for the log: a known type, or "unknown" (never the client's string)
  std::string id;       // for the log (the client's id, not personal)
  std::string code;     // "ok" or the error code, for the log
  std::string diagnostic;  // the engineer's detail of an error (never card content), for the log
};

struct MessageHandler;

// A frame read and matched to its handler, not yet run.
class PreparedRequest {
 public:
  // Whether its handler may wait on a card, a printer or a store: then the server runs it beside
  // the connection, so the connection's other requests are still read and answered.
  bool mayBlock() const;

 private:
  friend class ProtocolDispatcher;
  JsonValue envelope;
  std::optional<std::string> id;
  std::string type = "unknown";
  const MessageHandler* handler = nullptr;
  std::optional<Error> problem;  // the envelope's own problem (answered without a handler)
};

class ProtocolDispatcher {
 public:
  explicit ProtocolDispatcher(AgentServices& services) : s_(services) {}
  PreparedRequest prepare(std::string_view frame) const;
  Outcome run(PreparedRequest& request, ConnectionState& connection);
  Outcome handle(std::string_view frame, ConnectionState& connection) {
    PreparedRequest r = prepare(frame);
    return run(r, connection);
  }

 private:
  AgentServices& s_;
};

inline constexpr const char* kAgentVersion = "0.1.0";

}  // namespace kakanai::server
