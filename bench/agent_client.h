// A benchmark's side of the agent: start `serve --demo` and wait for /health, talk to it over the
// WebSocket as a counter system does, and summarise latencies.
#pragma once

#include <Poco/Buffer.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/WebSocket.h>
#include <spawn.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace kakanai::bench {

// The agent in demo mode on `port`, ready when this returns (its pid).
inline pid_t startDemoAgent(const char* binary, int port) {
  const std::string portText = std::to_string(port);
  const char* args[] = {binary, "serve", "--demo", "--port", portText.c_str(), "--log-level", "warning", nullptr};
  pid_t pid = 0;
  posix_spawn(&pid, binary, nullptr, nullptr, const_cast<char**>(args), environ);
  for (int i = 0; i < 200; ++i) {
    try {
      Poco::Net::HTTPClientSession s("127.0.0.1", static_cast<Poco::UInt16>(port));
      Poco::Net::HTTPRequest req("GET", "/health");
      req.setHost("127.0.0.1:" + portText);
      s.sendRequest(req);
      Poco::Net::HTTPResponse res;
      s.receiveResponse(res);
      if (res.getStatus() == 200) break;
    } catch (...) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return pid;
}

inline std::unique_ptr<Poco::Net::WebSocket> connect(Poco::Net::HTTPClientSession& s, int port) {
  Poco::Net::HTTPRequest req("GET", "/v1/ws", Poco::Net::HTTPRequest::HTTP_1_1);
  req.setHost("localhost:" + std::to_string(port));
  req.set("Origin", "http://localhost:" + std::to_string(port));
  Poco::Net::HTTPResponse res;
  auto ws = std::make_unique<Poco::Net::WebSocket>(s, req, res);
  ws->setReceiveTimeout(Poco::Timespan(60, 0));
  return ws;
}

// Sends one request and waits for its response (events are skipped).
inline std::string roundTrip(Poco::Net::WebSocket& ws, const std::string& json) {
  ws.sendFrame(json.data(), static_cast<int>(json.size()), Poco::Net::WebSocket::FRAME_TEXT);
  while (true) {
    Poco::Buffer<char> buf(0);
    int flags = 0;
    const int n = ws.receiveFrame(buf, flags);
    std::string text(buf.begin(), static_cast<std::size_t>(n));
    if (text.find("\"event\"") == std::string::npos) return text;
  }
}

inline double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace kakanai::bench
