// The agent's network face: HTTP on loopback (IPv4 and IPv6) with the WebSocket at /v1/ws,
// /health, the Private Network Access preflight and, in demo mode, the counter page at /.
// It wires the protocol dispatcher to sockets and pushes events; it knows no card or PDF.
#pragma once

#include <memory>

#include "core/error.h"
#include "server/protocol_dispatcher.h"

namespace kakanai::server {

class AgentServer {
 public:
  AgentServer(AgentServices& services, std::string webDir);
  ~AgentServer();
  Status start();
  void stop();

  struct Impl;  // public so the request handlers in the .cpp can reach it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace kakanai::server
