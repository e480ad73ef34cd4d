#include "server/agent_server.h"

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/String.h>
#include <Poco/ThreadPool.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "core/log.h"
#include "core/secure_buffer.h"
#include "server/http_edge.h"
#include "server/protocol_shapes.h"
#include "server/websocket_frames.h"

namespace kakanai::server {

namespace {

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

// One open WebSocket: responses and events are sent through it under one lock. The frames are
// ours (server/websocket_frames.h) on the socket taken over from the HTTP server, so every
// buffer that holds a request or a response is one we wipe.
struct Connection {
  explicit Connection(Poco::Net::StreamSocket s) : socket(std::move(s)) {}
  Poco::Net::StreamSocket socket;
  std::mutex sendMutex;
  ConnectionState state;
  std::atomic<bool> open{true};

  void send(std::string_view text) { sendFrame(encodeFrame(Opcode::Text, text)); }
  void sendFrame(const SecureBytes& frame) {
    std::lock_guard lock(sendMutex);
    if (!open) return;
    try {
      for (std::size_t at = 0; at < frame.size();) {
        const int n = socket.sendBytes(frame.data() + at, static_cast<int>(frame.size() - at));
        if (n <= 0) throw Poco::IOException("send");
        at += static_cast<std::size_t>(n);
      }
    } catch (...) {
      open = false;
    }
  }
  // The closing handshake from our side: a close frame with `code`, then no more frames.
  void close(CloseCode code, std::string_view reason) {
    sendFrame(encodeClose(code, reason));
    open = false;
  }
};

constexpr std::size_t kMaxInFlightPerConnection = 8;

class EventHub {
 public:
  void add(const std::shared_ptr<Connection>& c) {
    std::lock_guard lock(mutex_);
    connections_.insert(c);
  }
  void remove(const std::shared_ptr<Connection>& c) {
    std::lock_guard lock(mutex_);
    connections_.erase(c);
  }
  // Only to connections that said hello: events are part of the protocol session.
  void broadcast(const std::string& event) {
    sendWhere(event, [](const Connection&) { return true; });
  }
  // Session and print events belong to the origin whose session they concern.
  void broadcastTo(const std::string& origin, const std::string& event) {
    sendWhere(event, [&](const Connection& c) { return c.state.origin == origin; });
  }
  std::size_t size() {
    std::lock_guard lock(mutex_);
    return connections_.size();
  }

 private:
  // Sends outside the lock: a slow client must not hold up registering another.
  template <class Chosen>
  void sendWhere(const std::string& event, Chosen chosen) {
    std::vector<std::shared_ptr<Connection>> targets;
    {
      std::lock_guard lock(mutex_);
      for (const auto& c : connections_) {
        if (chosen(*c)) targets.push_back(c);
      }
    }
    for (auto& c : targets) {
      if (c->state.helloDone) c->send(event);
    }
  }
  std::mutex mutex_;
  std::set<std::shared_ptr<Connection>> connections_;
};

// The configured origins; and the demo page's own whenever the demo page is served, whatever
// else is configured.
bool originAllowed(const config::AgentConfig& config, const std::string& origin) {
  if (origin.empty()) return false;
  if (config.demoPage && ownOrigin(origin, config.port)) return true;
  return std::find(config.allowOrigins.begin(), config.allowOrigins.end(), origin) != config.allowOrigins.end();
}

}  // namespace

struct AgentServer::Impl {
  AgentServices& services;
  std::string webDir;
  ProtocolDispatcher dispatcher;
  EventHub hub;
  Poco::ThreadPool pool{4, 512};
  std::vector<std::unique_ptr<Poco::Net::HTTPServer>> servers;
  std::atomic<bool> running{false};
  std::thread monitor, expiry;
  std::mutex stopMutex;
  std::condition_variable stopCv;
  std::mutex originMutex;
  std::map<std::string, int> connectionsPerOrigin;

  Impl(AgentServices& s, std::string web) : services(s), webDir(std::move(web)), dispatcher(s) {}

  void serveWebSocket(HTTPServerRequest& request, HTTPServerResponse& response);
  void serveConnection(const std::shared_ptr<Connection>& conn, FrameDecoder& decoder);
  void onEvent(const std::shared_ptr<Connection>& conn, WsEvent event, std::vector<std::future<void>>& inFlight);
  void serveStatic(HTTPServerRequest& request, HTTPServerResponse& response);
  void monitorReaders();
  void expireSessions();
};

namespace {

class Handler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(AgentServer::Impl& impl) : impl_(impl) {}
  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override;

 private:
  AgentServer::Impl& impl_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(AgentServer::Impl& impl) : impl_(impl) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override { return new Handler(impl_); }

 private:
  AgentServer::Impl& impl_;
};

}  // namespace

void Handler::handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) {
  const config::AgentConfig& config = impl_.services.config;
  // Every request: exactly one Host, naming this loopback agent (defeats DNS rebinding), and at
  // most one Origin (two could be read differently by us and by whatever sits in between).
  if (headerCount(request, "Host") != 1) return forbidden(response, "no Host, or more than one");
  if (!hostAllowed(request.getHost(), config.port)) return forbidden(response, "foreign Host");
  if (headerCount(request, "Origin") > 1) return forbidden(response, "more than one Origin");
  const std::string origin = request.get("Origin", "");
  const std::string path = request.getURI();

  if (request.getMethod() == "OPTIONS") {
    // CORS / Private Network Access preflight: answered for allowed origins only.
    if (!originAllowed(config, origin)) return forbidden(response, "preflight from an unknown Origin");
    response.set("Access-Control-Allow-Origin", origin);
    response.set("Access-Control-Allow-Methods", "GET");
    response.set("Access-Control-Allow-Headers", request.get("Access-Control-Request-Headers", ""));
    if (request.get("Access-Control-Request-Private-Network", "") == "true") {
      response.set("Access-Control-Allow-Private-Network", "true");
    }
    response.set("Vary", "Origin");
    response.setStatusAndReason(HTTPResponse::HTTP_NO_CONTENT);
    response.setContentLength(0);
    response.send();
    return;
  }
  if (request.getMethod() != "GET") {
    return sendText(response, HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "text/plain", "method not allowed\n");
  }
  if (path == "/health") {
    if (!origin.empty() && originAllowed(config, origin)) response.set("Access-Control-Allow-Origin", origin);
    return sendText(response, HTTPResponse::HTTP_OK, "application/json",
                    std::string("{\"status\":\"ok\",\"version\":\"") + kAgentVersion + "\"}");
  }
  if (path == "/v1/ws") {
    if (!originAllowed(config, origin)) return forbidden(response, "WebSocket from a missing or unknown Origin");
    return impl_.serveWebSocket(request, response);
  }
  if (config.demoPage) return impl_.serveStatic(request, response);
  sendText(response, HTTPResponse::HTTP_NOT_FOUND, "text/plain", "not found\n");
}

void AgentServer::Impl::serveStatic(HTTPServerRequest& request, HTTPServerResponse& response) {
  std::string name = request.getURI();
  const auto q = name.find('?');
  if (q != std::string::npos) name = name.substr(0, q);
  if (name == "/") name = "/index.html";
  name = name.substr(1);
  const bool plain = servableName(name);
  const auto file = std::filesystem::path(webDir) / name;
  std::error_code ec;
  if (!plain || !std::filesystem::is_regular_file(file, ec)) {
    return sendText(response, HTTPResponse::HTTP_NOT_FOUND, "text/plain", "not found\n");
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream body;
  body << in.rdbuf();
  const std::string type = mimeTypeOf(file.extension().string());
  response.set("Content-Security-Policy",
               "default-src 'self'; connect-src 'self' ws://localhost:* ws://127.0.0.1:*; img-src 'self' blob: data:; worker-src 'self'; "
               "frame-src blob:; object-src blob:");
  sendText(response, HTTPResponse::HTTP_OK, type, body.str());
}

namespace {

bool hasToken(const std::string& header, std::string_view token) {
  std::string lower = Poco::toLower(header);
  std::size_t at = 0;
  while (at <= lower.size()) {
    const std::size_t comma = std::min(lower.find(',', at), lower.size());
    std::string_view item(lower.data() + at, comma - at);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item == token) return true;
    at = comma + 1;
  }
  return false;
}

// Why this request cannot be a WebSocket opening handshake (RFC 6455 §4.2.1), or nothing.
const char* handshakeProblem(const HTTPServerRequest& request) {
  if (!hasToken(request.get("Upgrade", ""), "websocket")) return "Upgrade: websocket is missing";
  if (!hasToken(request.get("Connection", ""), "upgrade")) return "Connection: Upgrade is missing";
  if (request.get("Sec-WebSocket-Version", "") != "13") return "Sec-WebSocket-Version must be 13";
  if (!validClientKey(request.get("Sec-WebSocket-Key", ""))) return "Sec-WebSocket-Key is not 16 bytes in base64";
  return nullptr;
}

}  // namespace

void AgentServer::Impl::serveWebSocket(HTTPServerRequest& request, HTTPServerResponse& response) {
  // Each connection holds a thread: a page that opens connections without end is stopped at the
  // origin's share, so other counter pages keep theirs.
  const std::string origin = request.get("Origin", "");
  {
    std::lock_guard lock(originMutex);
    if (connectionsPerOrigin[origin] >= services.config.maxConnectionsPerOrigin) {
      logLine(LogLevel::Warning, "refused: too many connections from " + origin);
      return sendText(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "text/plain; charset=utf-8", "too many connections\n");
    }
    ++connectionsPerOrigin[origin];
  }
  struct Release {
    Impl& impl;
    const std::string& origin;
    ~Release() {
      std::lock_guard lock(impl.originMutex);
      if (--impl.connectionsPerOrigin[origin] == 0) impl.connectionsPerOrigin.erase(origin);
    }
  } release{*this, origin};
  if (const char* problem = handshakeProblem(request)) {
    logLine(LogLevel::Warning, std::string("refused: bad WebSocket handshake: ") + problem);
    response.set("Sec-WebSocket-Version", "13");
    return sendText(response, HTTPResponse::HTTP_BAD_REQUEST, "text/plain; charset=utf-8", std::string(problem) + "\n");
  }
  response.setStatusAndReason(HTTPResponse::HTTP_SWITCHING_PROTOCOLS);
  response.set("Upgrade", "websocket");
  response.set("Connection", "Upgrade");
  response.set("Sec-WebSocket-Accept", acceptKey(request.get("Sec-WebSocket-Key")));
  response.setContentLength(HTTPResponse::UNKNOWN_CONTENT_LENGTH);
  FrameDecoder decoder(services.config.maxFrameBytes);
  std::shared_ptr<Connection> conn;
  try {
    response.send().flush();
    auto& impl = static_cast<Poco::Net::HTTPServerRequestImpl&>(request);
    // Bytes the client sent right behind its handshake are already in the HTTP session's buffer.
    Poco::Buffer<char> early(0);
    impl.session().drainBuffer(early);
    decoder.feed(reinterpret_cast<const std::uint8_t*>(early.begin()), early.size());
    secureWipe(early.begin(), early.size());
    conn = std::make_shared<Connection>(impl.detachSocket());
  } catch (const Poco::Exception& e) {
    logLine(LogLevel::Warning, "WebSocket upgrade failed: " + e.displayText());
    return;
  }
  conn->state.origin = origin;
  conn->socket.setReceiveTimeout(Poco::Timespan(1, 0));
  // A client that stops reading cannot hold the send lock (and the events to others) for long.
  conn->socket.setSendTimeout(Poco::Timespan(10, 0));
  hub.add(conn);
  logLine(LogLevel::Info, "connection from " + origin);
  serveConnection(conn, decoder);
  conn->open = false;
  hub.remove(conn);
  try {
    conn->socket.shutdown();
    conn->socket.close();
  } catch (...) {
  }
  wipeStackBelow();
  logLine(LogLevel::Info, "connection closed");
}

// Reads frames until the client closes, breaks the protocol or goes away, or the agent stops.
void AgentServer::Impl::serveConnection(const std::shared_ptr<Connection>& conn, FrameDecoder& decoder) {
  std::vector<std::future<void>> inFlight;
  SecureBytes chunk(16 * 1024);
  while (running && conn->open) {
    while (auto event = decoder.next()) {
      onEvent(conn, std::move(*event), inFlight);
      wipeStackBelow();  // what decoding and answering left on this thread's stack
      if (!conn->open) break;
    }
    if (!conn->open) break;
    int n = 0;
    try {
      n = conn->socket.receiveBytes(chunk.data(), static_cast<int>(chunk.size()));
    } catch (const Poco::TimeoutException&) {
      continue;
    } catch (...) {
      break;
    }
    if (n <= 0) break;
    decoder.feed(chunk.data(), static_cast<std::size_t>(n));
    secureWipe(chunk.data(), static_cast<std::size_t>(n));
  }
  for (auto& f : inFlight) f.wait();
}

void AgentServer::Impl::onEvent(const std::shared_ptr<Connection>& conn, WsEvent event, std::vector<std::future<void>>& inFlight) {
  switch (event.kind) {
    case WsEvent::Kind::Ping:
      return conn->sendFrame(encodeFrame(Opcode::Pong, {reinterpret_cast<const char*>(event.payload.data()), event.payload.size()}));
    case WsEvent::Kind::Close:
      return conn->close(event.code, "");
    case WsEvent::Kind::Fail:
      logLine(LogLevel::Warning, std::string("closing a connection: ") + event.why);
      return conn->close(event.code, event.why);
    case WsEvent::Kind::Binary:
      return conn->send(R"({"id":null,"ok":false,"error":{"code":"bad_request","message":"要求の形式が正しくありません。"}})");
    case WsEvent::Kind::Text:
      break;
  }
  // The frame may hold a PIN or a typed person: it goes from the decoder's buffer straight to
  // the reader, whose strings are wiping memory, and the buffer is wiped.
  auto request = std::make_shared<PreparedRequest>(
      dispatcher.prepare(std::string_view(reinterpret_cast<const char*>(event.payload.data()), event.payload.size())));
  secureWipe(event.payload.data(), event.payload.size());
  auto work = [this, conn, request] {
    const auto t0 = std::chrono::steady_clock::now();
    Outcome out = dispatcher.run(*request, conn->state);
    wipeStackBelow();
    conn->send(out.response.view());
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count();
    logLine(LogLevel::Info, "request type=" + out.type + " id=" + out.id + " ms=" + std::to_string(static_cast<double>(us) / 1000.0).substr(0, 6) +
                                " result=" + out.code +
                                // bad_request details may echo a client's field names, so only the
                                // card, printer and store diagnostics are written
                                (out.diagnostic.empty() || out.code == "bad_request" ? "" : " (" + out.diagnostic + ")"));
  };
  // Requests that may wait on a card, a fill, a printer or a store (their handler says so) run
  // beside the connection, so the connection's other requests are not held up and responses
  // go out in any order. The rest are answered at once, on this thread.
  if (!request->mayBlock()) return work();
  inFlight.erase(std::remove_if(inFlight.begin(), inFlight.end(),
                                [](auto& f) { return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready; }),
                 inFlight.end());
  // A client that floods slow requests gets backpressure, not a thread per request: this
  // connection stops reading until one of its requests is done.
  if (inFlight.size() >= kMaxInFlightPerConnection) {
    inFlight.front().wait();
    inFlight.erase(inFlight.begin());
  }
  inFlight.push_back(std::async(std::launch::async, work));
}

void AgentServer::Impl::monitorReaders() {
  std::map<std::string, card::CardKind> kinds;
  while (running) {
    auto events = services.readers->waitForEvents(std::chrono::milliseconds(1000));
    if (!events) {
      std::unique_lock lock(stopMutex);
      stopCv.wait_for(lock, std::chrono::seconds(1), [&] { return !running; });
      continue;
    }
    for (const auto& e : *events) {
      // A card on an attendance reader is a staff tap: only its JPKI certificate is read, and
      // it is never treated as a resident's card.
      const bool tap = e.kind == card::ReaderEventKind::CardInserted && services.counter->roleOf(e.reader) == counter::ReaderRole::Attendance;
      if (e.kind == card::ReaderEventKind::CardInserted && !tap) {
        auto status = card::readCardStatus(*services.readers, e.reader);
        kinds[e.reader] = status ? status->kind : card::CardKind::Other;
      }
      if (tap) kinds[e.reader] = card::CardKind::MyNumber;
      hub.broadcast(readerEventJson(e, kinds[e.reader]));
      if (tap && services.attendance) services.attendance->onCardTapped(e.reader);
      if (e.kind == card::ReaderEventKind::CardRemoved) kinds.erase(e.reader);
      logLine(LogLevel::Info, std::string("event ") + std::string(card::eventName(e.kind)) + " reader=" + e.reader);
    }
  }
}

void AgentServer::Impl::expireSessions() {
  while (running) {
    {
      std::unique_lock lock(stopMutex);
      stopCv.wait_for(lock, std::chrono::seconds(1), [&] { return !running; });
    }
    services.counter->expireSessions();  // announced through the counter's listener
  }
}

AgentServer::AgentServer(AgentServices& services, std::string webDir) : impl_(std::make_unique<Impl>(services, std::move(webDir))) {}

AgentServer::~AgentServer() { stop(); }

Status AgentServer::start() {
  const int port = impl_->services.config.port;
  impl_->running = true;
  impl_->services.counter->setListener([this](const counter::CounterEvent& e) {
    impl_->hub.broadcastTo(e.origin, counterEventJson(e));
    if (e.kind == counter::CounterEvent::Kind::SessionExpired) logLine(LogLevel::Info, "session expired");
  });
  if (impl_->services.attendance) {
    impl_->services.attendance->setListener([this](const attendance::AttendanceEvent& e) {
      impl_->hub.broadcast(attendanceEventJson(e));
      if (e.kind == attendance::AttendanceEventKind::Tap && impl_->services.centralSync) impl_->services.centralSync->wake();
    });
  }
  if (impl_->services.centralSync) impl_->services.centralSync->start();
  for (const char* host : {"127.0.0.1", "::1"}) {
    try {
      Poco::Net::ServerSocket socket(Poco::Net::SocketAddress(host, static_cast<Poco::UInt16>(port)), 64);
      auto* params = new Poco::Net::HTTPServerParams;
      params->setMaxThreads(512);
      params->setMaxQueued(512);
      params->setKeepAlive(true);
      // A client that dribbles its request headers (slow loris) holds a thread only this long.
      params->setTimeout(Poco::Timespan(10, 0));
      impl_->servers.push_back(std::make_unique<Poco::Net::HTTPServer>(new Factory(*impl_), impl_->pool, socket, params));
      impl_->servers.back()->start();
      logLine(LogLevel::Info, std::string("listening on ") + (std::string(host) == "::1" ? "[::1]" : host) + ":" + std::to_string(port));
    } catch (const Poco::Exception& e) {
      // IPv6 loopback may be absent on a machine; IPv4 loopback is required.
      if (std::string(host) == "127.0.0.1") {
        impl_->running = false;
        return Error::of(ErrorCode::Internal, "cannot listen on 127.0.0.1:" + std::to_string(port) + ": " + e.displayText());
      }
      logLine(LogLevel::Warning, "no IPv6 loopback: " + e.displayText());
    }
  }
  impl_->monitor = std::thread([this] { impl_->monitorReaders(); });
  impl_->expiry = std::thread([this] { impl_->expireSessions(); });
  return okStatus();
}

void AgentServer::stop() {
  if (!impl_->running.exchange(false)) return;
  impl_->stopCv.notify_all();
  impl_->services.readers->cancelWait();
  for (auto& s : impl_->servers) s->stopAll(true);
  if (impl_->monitor.joinable()) impl_->monitor.join();
  if (impl_->expiry.joinable()) impl_->expiry.join();
  if (impl_->services.centralSync) impl_->services.centralSync->stop();
  if (impl_->services.attendance) impl_->services.attendance->setListener(nullptr);
  impl_->pool.joinAll();
  impl_->services.counter->setListener(nullptr);
  impl_->services.counter->clearAllSessions();
}

}  // namespace kakanai::server
