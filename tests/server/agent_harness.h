// A real agent process (serve --demo by default) and a real WebSocket client for it: the
// harness of the protocol, printing and attendance tests.
#pragma once

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/WebSocket.h>

#include <gtest/gtest.h>

#include <atomic>
#include <iostream>
#include <map>
#include <thread>

#include "../integration/process.h"

namespace kakanai::testing {

using Poco::JSON::Object;
using Poco::Net::WebSocket;

// Below Linux's ephemeral range (32768+), so a port is never taken by some client connection's
// local end; spread by process id so test binaries running side by side do not meet.
inline int nextPort() {
  static std::atomic<int> port{20000 + (::getpid() % 1000) * 12};
  return port++;
}

// Resident set size of a process in KiB (VmRSS), 0 when it is gone.
inline long rssKiB(pid_t pid) {
  std::istringstream status(slurp("/proc/" + std::to_string(pid) + "/status"));
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

class Agent {
 public:
  // How long a start may take: generous, because two cores shared by CTest -j2, ASan and a test's own
  // load can slow a start tenfold; no test here is about start-up time (bench/ is).
  static constexpr std::chrono::seconds kStartTimeout{60};

  // demo: the built-in virtual readers; otherwise PC/SC (a test's own pcscd).
  Agent(const TempDir& dir, const std::string& configJson = "{}", std::vector<std::string> extra = {}, bool demo = true) {
    writeFile(dir.path() / "config.json", configJson);
    log_ = dir.path() / "agent.err";
    // A port that happens to be taken is not what any test is about: try the next one.
    for (int attempt = 0; attempt < 4 && !ready_; ++attempt) {
      port_ = nextPort();
      std::vector<std::string> argv{KAKANAI_AGENT_BIN, "serve", "--port", std::to_string(port_), "--config", (dir.path() / "config.json").string()};
      if (demo) {
        argv.push_back("--demo");
      } else {
        argv.insert(argv.end(), {"--allow-origin", origin()});
      }
      argv.insert(argv.end(), extra.begin(), extra.end());
      process_.start(argv, dir.path() / "agent.out", log_);
      ready_ = eventually([&] {
        if (!process_.running()) return true;  // gave up (a taken port, or a test of bad configuration)
        try {
          Poco::Net::HTTPClientSession s("127.0.0.1", static_cast<Poco::UInt16>(port_));
          Poco::Net::HTTPRequest req("GET", "/health");
          req.setHost("127.0.0.1", static_cast<Poco::UInt16>(port_));
          s.sendRequest(req);
          Poco::Net::HTTPResponse res;
          s.receiveResponse(res);
          return res.getStatus() == 200;
        } catch (...) {
          return false;
        }
      }, kStartTimeout);
      // Still starting after all that time: a second agent beside it would only contend with it.
      if (!ready_ && process_.running()) break;
      if (!process_.running()) {
        ready_ = false;
        if (log().find("cannot listen") == std::string::npos) break;
      }
    }
  }
  ~Agent() {
    process_.stop();
    if (::testing::Test::HasFailure()) std::cerr << "agent log:\n" << log();
  }
  bool ready() const { return ready_; }
  // SIGKILL: no shutdown code runs, as in a crash or a power cut.
  void kill() {
    process_.signal(SIGKILL);
    process_.wait();
  }
  int port() const { return port_; }
  pid_t pid() const { return process_.pid(); }
  long rssKiB() const { return kakanai::testing::rssKiB(process_.pid()); }
  std::string origin() const { return "http://localhost:" + std::to_string(port_); }
  std::string log() const { return slurp(log_); }

 private:
  int port_ = 0;
  Process process_;
  std::filesystem::path log_;
  bool ready_ = false;
};

inline int httpStatus(int port, const std::string& path, const std::map<std::string, std::string>& headers, const std::string& host = "") {
  try {
    Poco::Net::HTTPClientSession s("127.0.0.1", static_cast<Poco::UInt16>(port));
    Poco::Net::HTTPRequest req("GET", path, Poco::Net::HTTPRequest::HTTP_1_1);
    if (host.empty()) {
      req.setHost("127.0.0.1", static_cast<Poco::UInt16>(port));
    } else {
      req.setHost(host);
    }
    for (const auto& [k, v] : headers) req.set(k, v);
    s.sendRequest(req);
    Poco::Net::HTTPResponse res;
    s.receiveResponse(res);
    return res.getStatus();
  } catch (...) {
    return -1;
  }
}

class Client {
 public:
  Client(int port, const std::string& origin, const std::string& host = "localhost") : session_("127.0.0.1", static_cast<Poco::UInt16>(port)) {
    Poco::Net::HTTPRequest req("GET", "/v1/ws", Poco::Net::HTTPRequest::HTTP_1_1);
    req.setHost(host + ":" + std::to_string(port));
    if (!origin.empty()) req.set("Origin", origin);
    ws_ = std::make_unique<WebSocket>(session_, req, response_);
    ws_->setReceiveTimeout(Poco::Timespan(15, 0));
  }
  void sendRaw(const std::string& text, int flags = WebSocket::FRAME_TEXT) {
    ws_->sendFrame(text.data(), static_cast<int>(text.size()), flags);
  }
  // The next message that is a response (events are kept aside).
  Object::Ptr receive() {
    while (true) {
      Poco::Buffer<char> buf(0);
      int flags = 0;
      const int n = ws_->receiveFrame(buf, flags);
      if ((flags & WebSocket::FRAME_OP_BITMASK) == WebSocket::FRAME_OP_CLOSE) {
        closeCode_ = n >= 2 ? (static_cast<unsigned char>(buf[0]) << 8 | static_cast<unsigned char>(buf[1])) : 0;
        return nullptr;
      }
      Poco::JSON::Parser parser;
      const std::string text(buf.begin(), static_cast<std::size_t>(n));
      Object::Ptr o;
      try {
        o = parser.parse(text).extract<Object::Ptr>();
      } catch (const Poco::Exception&) {
        ADD_FAILURE() << "not JSON (flags " << flags << ", " << n << " bytes): " << text;
        throw;
      }
      if (o->has("event")) {
        events_.push_back(o);
        continue;
      }
      return o;
    }
  }
  Object::Ptr request(const std::string& json) {
    sendRaw(json);
    return receive();
  }
  Object::Ptr hello() { return request(R"({"id":"h","type":"hello","protocol":1})"); }
  int closeCode() const { return closeCode_; }
  void setReceiveTimeout(std::chrono::seconds s) { ws_->setReceiveTimeout(Poco::Timespan(static_cast<long>(s.count()), 0)); }
  // Reads until an event of this name arrives (responses in between are dropped).
  Object::Ptr waitForEvent(const std::string& name) {
    for (const auto& e : events_) {
      if (e->getValue<std::string>("event") == name) return e;
    }
    while (true) {
      Poco::Buffer<char> buf(0);
      int flags = 0;
      const int n = ws_->receiveFrame(buf, flags);
      if (n <= 0) return nullptr;
      Poco::JSON::Parser parser;
      auto o = parser.parse(std::string(buf.begin(), static_cast<std::size_t>(n))).extract<Object::Ptr>();
      if (o->has("event")) {
        events_.push_back(o);
        if (o->getValue<std::string>("event") == name) return o;
      }
    }
  }
  const std::vector<Object::Ptr>& events() const { return events_; }
  void clearEvents() { events_.clear(); }

 private:
  Poco::Net::HTTPClientSession session_;
  Poco::Net::HTTPResponse response_;
  std::unique_ptr<WebSocket> ws_;
  std::vector<Object::Ptr> events_;
  int closeCode_ = -1;
};

inline std::string toJsonText(const Object::Ptr& o) {
  std::ostringstream s;
  o->stringify(s);
  return s.str();
}

inline std::string code(const Object::Ptr& r) {
  if (!r->has("error")) return "(no error: " + toJsonText(r) + ")";
  return r->getObject("error")->getValue<std::string>("code");
}

// Demo mode: asks for an enrolment and taps the built-in staff card `card` on the virtual
// attendance reader, as a clerk would; returns the enrolment's response (the tap's is dropped).
inline Object::Ptr enrolDemoCard(Client& c, const std::string& staffId, const std::string& displayName, const std::string& card) {
  c.sendRaw(R"({"id":"enrol","type":"attendance.enroll","staffId":")" + staffId + R"(","displayName":")" + displayName + R"("})");
  // The enrolment must be waiting before the card is put down.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  c.sendRaw(R"({"id":"enrol-tap","type":"demo.tap","card":")" + card + R"("})");
  Object::Ptr enrolment;
  for (int i = 0; i < 2; ++i) {
    auto r = c.receive();
    if (r && r->getValue<std::string>("id") == "enrol") enrolment = r;
  }
  return enrolment;
}


}  // namespace kakanai::testing
