// The agent's protocol edge byte by byte: raw TCP, hand-built HTTP requests and WebSocket
// frames (RFC 6455) against the real agent. Fragmented messages are reassembled under the size
// limit; unmasked frames, RSV bits, oversized or fragmented control frames and continuations
// without a start close with 1002; text that is not UTF-8 with 1007; pings are answered. HTTP:
// exactly one Host and at most one Origin, 400 with a short body for a failed handshake, reason
// phrases that match the status, and the right type for every served asset.
#include <gtest/gtest.h>

#include <Poco/Net/StreamSocket.h>

#include "agent_harness.h"

namespace kakanai::testing {
namespace {

struct HttpAnswer {
  int status = -1;
  std::string statusLine, head, body;
};

struct Frame {
  int opcode = -1;  // -1: the connection ended
  bool fin = false;
  std::string payload;
};

class RawConnection {
 public:
  explicit RawConnection(int port) : socket_(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port))) {
    socket_.setReceiveTimeout(Poco::Timespan(10, 0));
  }
  void send(const std::string& bytes) { socket_.sendBytes(bytes.data(), static_cast<int>(bytes.size())); }
  // Reads a response head, and its body when it declares a length.
  HttpAnswer readHttp() {
    HttpAnswer a;
    while (buffer_.find("\r\n\r\n") == std::string::npos && fill()) {
    }
    const auto end = buffer_.find("\r\n\r\n");
    if (end == std::string::npos) return a;
    a.head = buffer_.substr(0, end);
    buffer_.erase(0, end + 4);
    a.statusLine = a.head.substr(0, a.head.find("\r\n"));
    a.status = std::stoi(a.statusLine.substr(9, 3));
    const auto cl = Poco::toLower(a.head).find("content-length: ");
    if (cl != std::string::npos) {
      const std::size_t n = std::stoul(a.head.substr(cl + 16));
      while (buffer_.size() < n && fill()) {
      }
      a.body = buffer_.substr(0, n);
      buffer_.erase(0, std::min(n, buffer_.size()));
    }
    return a;
  }
  Frame readFrame() {
    Frame f;
    if (!need(2)) return f;
    const auto b0 = static_cast<unsigned char>(buffer_[0]), b1 = static_cast<unsigned char>(buffer_[1]);
    std::size_t header = 2, length = b1 & 0x7F;
    if (length == 126) {
      if (!need(4)) return f;
      length = static_cast<unsigned char>(buffer_[2]) << 8 | static_cast<unsigned char>(buffer_[3]);
      header = 4;
    } else if (length == 127) {
      if (!need(10)) return f;
      length = 0;
      for (int k = 0; k < 8; ++k) length = length << 8 | static_cast<unsigned char>(buffer_[2 + static_cast<std::size_t>(k)]);
      header = 10;
    }
    if (!need(header + length)) return f;
    f.opcode = b0 & 0x0F;
    f.fin = (b0 & 0x80) != 0;
    f.payload = buffer_.substr(header, length);
    buffer_.erase(0, header + length);
    return f;
  }
  // The close code the agent sends (frames before it are skipped); -1 when none came.
  int closeCode() {
    for (Frame f = readFrame(); f.opcode != -1; f = readFrame()) {
      if (f.opcode == 0x8) return f.payload.size() >= 2 ? static_cast<unsigned char>(f.payload[0]) << 8 | static_cast<unsigned char>(f.payload[1]) : 1005;
    }
    return -1;
  }

 private:
  bool fill() {
    char chunk[4096];
    try {
      const int n = socket_.receiveBytes(chunk, sizeof chunk);
      if (n <= 0) return false;
      buffer_.append(chunk, static_cast<std::size_t>(n));
      return true;
    } catch (const Poco::Exception&) {
      return false;
    }
  }
  bool need(std::size_t n) {
    while (buffer_.size() < n) {
      if (!fill()) return false;
    }
    return true;
  }
  Poco::Net::StreamSocket socket_;
  std::string buffer_;
};

// A client frame: masked unless told otherwise.
std::string frame(int opcode, const std::string& payload, bool fin = true, bool masked = true, int rsv = 0) {
  std::string out;
  out += static_cast<char>((fin ? 0x80 : 0) | (rsv << 4) | opcode);
  const char maskBit = masked ? '\x80' : '\0';
  if (payload.size() < 126) {
    out += static_cast<char>(maskBit | static_cast<char>(payload.size()));
  } else if (payload.size() <= 0xFFFF) {
    out += static_cast<char>(maskBit | 126);
    out += static_cast<char>(payload.size() >> 8);
    out += static_cast<char>(payload.size() & 0xFF);
  } else {
    out += static_cast<char>(maskBit | 127);
    for (int k = 7; k >= 0; --k) out += static_cast<char>((payload.size() >> (8 * k)) & 0xFF);
  }
  const char mask[4] = {'\x12', '\x34', '\x56', '\x78'};
  if (masked) out.append(mask, 4);
  for (std::size_t i = 0; i < payload.size(); ++i) out += masked ? static_cast<char>(payload[i] ^ mask[i % 4]) : payload[i];
  return out;
}

std::string handshake(const Agent& agent, const std::string& extraHeaders = "", bool withKey = true) {
  return "GET /v1/ws HTTP/1.1\r\nHost: localhost:" + std::to_string(agent.port()) + "\r\nOrigin: " + agent.origin() +
         "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n" +
         (withKey ? "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" : "") + extraHeaders + "\r\n";
}

class WebSocketEdge : public ::testing::Test {
 protected:
  void SetUp() override {
    agent_ = std::make_unique<Agent>(dir_, R"({"maxFrameBytes":4096})");
    ASSERT_TRUE(agent_->ready());
  }
  // An open WebSocket that has said hello.
  std::unique_ptr<RawConnection> open() {
    auto c = std::make_unique<RawConnection>(agent_->port());
    c->send(handshake(*agent_));
    const auto answer = c->readHttp();
    EXPECT_EQ(answer.status, 101) << answer.head;
    EXPECT_NE(answer.head.find("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), std::string::npos) << answer.head;
    c->send(frame(0x1, R"({"id":"h","type":"hello","protocol":1})"));
    EXPECT_NE(c->readFrame().payload.find(R"("ok":true)"), std::string::npos);
    return c;
  }
  int closeCodeAfter(const std::string& bytes) {
    auto c = open();
    c->send(bytes);
    return c->closeCode();
  }
  TempDir dir_;
  std::unique_ptr<Agent> agent_;
};

TEST_F(WebSocketEdge, AFragmentedMessageIsReassembled) {
  auto c = open();
  const std::string request = R"({"id":"frag","type":"forms.list"})";
  c->send(frame(0x1, request.substr(0, 5), false));
  c->send(frame(0x9, "between"));  // a control frame may come between fragments
  c->send(frame(0x0, request.substr(5, 10), false));
  c->send(frame(0x0, request.substr(15), true));
  const Frame pong = c->readFrame();
  EXPECT_EQ(pong.opcode, 0xA);
  EXPECT_EQ(pong.payload, "between");
  const Frame answer = c->readFrame();
  EXPECT_EQ(answer.opcode, 0x1);
  EXPECT_NE(answer.payload.find(R"("id":"frag","ok":true)"), std::string::npos) << answer.payload;
}

TEST_F(WebSocketEdge, TheSizeLimitHoldsForTheWholeMessage) {
  // Three fragments of 2,000 bytes: each under the limit of 4,096, together over it.
  const std::string part(2000, ' ');
  EXPECT_EQ(closeCodeAfter(frame(0x1, "[" + part, false) + frame(0x0, part, false) + frame(0x0, part + "]")), 1009);
}

TEST_F(WebSocketEdge, APingOf125BytesIsAnsweredWithTheSamePayload) {
  auto c = open();
  const std::string payload(125, 'p');
  c->send(frame(0x9, payload));
  const Frame pong = c->readFrame();
  EXPECT_EQ(pong.opcode, 0xA);
  EXPECT_TRUE(pong.fin);
  EXPECT_EQ(pong.payload, payload);
}

TEST_F(WebSocketEdge, ProtocolErrorsCloseWith1002) {
  EXPECT_EQ(closeCodeAfter(frame(0x1, R"({"id":"u","type":"forms.list"})", true, false)), 1002) << "unmasked";
  EXPECT_EQ(closeCodeAfter(frame(0x1, R"({"id":"r","type":"forms.list"})", true, true, 4)), 1002) << "RSV1";
  EXPECT_EQ(closeCodeAfter(frame(0x1, R"({"id":"r","type":"forms.list"})", true, true, 1)), 1002) << "RSV3";
  EXPECT_EQ(closeCodeAfter(frame(0x9, std::string(126, 'p'))), 1002) << "ping over 125 bytes";
  EXPECT_EQ(closeCodeAfter(frame(0x9, "ping", false)), 1002) << "fragmented ping";
  EXPECT_EQ(closeCodeAfter(frame(0x0, R"({"id":"c","type":"forms.list"})")), 1002) << "continuation without a start";
  EXPECT_EQ(closeCodeAfter(frame(0x1, "{", false) + frame(0x1, "}")), 1002) << "new message inside a fragmented one";
  EXPECT_EQ(closeCodeAfter(frame(0x3, "x")), 1002) << "reserved opcode";
}

TEST_F(WebSocketEdge, TextThatIsNotUtf8ClosesWith1007) {
  EXPECT_EQ(closeCodeAfter(frame(0x1, "{\"id\":\"\xC3\x28\"}")), 1007);
  // Split inside a character is fine: UTF-8 is checked on the whole message.
  auto c = open();
  const std::string request = R"({"id":"山","type":"forms.list"})";
  c->send(frame(0x1, request.substr(0, 8), false) + frame(0x0, request.substr(8)));
  EXPECT_NE(c->readFrame().payload.find(R"("ok":true)"), std::string::npos);
}

TEST_F(WebSocketEdge, ACloseIsAnsweredWithAClose) {
  EXPECT_EQ(closeCodeAfter(frame(0x8, std::string("\x03\xE8", 2) + "bye")), 1000);
}

TEST_F(WebSocketEdge, FailedHandshakesGet400WithAShortBody) {
  const std::string port = std::to_string(agent_->port());
  for (const auto& [what, request] : std::vector<std::pair<std::string, std::string>>{
           {"no Upgrade", "GET /v1/ws HTTP/1.1\r\nHost: localhost:" + port + "\r\nOrigin: " + agent_->origin() +
                              "\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"},
           {"no key", handshake(*agent_, "", false)},
           {"bad key", handshake(*agent_, "Sec-WebSocket-Key: short\r\n", false)},
           {"version 8", "GET /v1/ws HTTP/1.1\r\nHost: localhost:" + port + "\r\nOrigin: " + agent_->origin() +
                             "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 8\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"}}) {
    RawConnection c(agent_->port());
    c.send(request);
    const auto a = c.readHttp();
    EXPECT_EQ(a.status, 400) << what << ": " << a.head;
    EXPECT_EQ(a.statusLine, "HTTP/1.1 400 Bad Request") << what;
    EXPECT_FALSE(a.body.empty()) << what;
    EXPECT_LT(a.body.size(), 200u) << what;
  }
}

TEST_F(WebSocketEdge, HostAndOriginMustEachBeThereOnce) {
  const std::string port = std::to_string(agent_->port());
  auto status = [&](const std::string& request) {
    RawConnection c(agent_->port());
    c.send(request);
    return c.readHttp();
  };
  const auto noHost = status("GET /health HTTP/1.0\r\n\r\n");
  EXPECT_EQ(noHost.status, 403) << noHost.head;
  EXPECT_EQ(noHost.statusLine, "HTTP/1.0 403 Forbidden");
  EXPECT_EQ(status("GET /health HTTP/1.1\r\nHost: localhost:" + port + "\r\nHost: localhost:" + port + "\r\n\r\n").status, 403);
  EXPECT_EQ(status("GET /health HTTP/1.1\r\nHost: localhost:" + port + "\r\nHost: evil.example\r\n\r\n").status, 403);
  EXPECT_EQ(status(handshake(*agent_, "Origin: https://evil.example\r\n")).status, 403) << "two Origins";
  EXPECT_EQ(status(handshake(*agent_, "origin: " + agent_->origin() + "\r\n")).status, 403) << "the same Origin twice";
  const auto ok = status("GET /health HTTP/1.1\r\nHost: localhost:" + port + "\r\n\r\n");
  EXPECT_EQ(ok.statusLine, "HTTP/1.1 200 OK");
}

TEST_F(WebSocketEdge, EachAssetTypeIsServedWithItsMimeType) {
  // A data directory like the source tree (forms, templates, fonts) whose web/ holds one file of
  // each kind the web assets may use.
  TempDir data;
  for (const auto& entry : std::filesystem::directory_iterator(KAKANAI_SOURCE_DIR)) {
    std::filesystem::create_symlink(entry.path(), data.path() / entry.path().filename());
  }
  std::filesystem::create_directory(data.path() / "web");
  const auto webDir = data.path() / "web";
  const std::map<std::string, std::string> types = {
      {"a.html", "text/html; charset=utf-8"}, {"a.js", "text/javascript; charset=utf-8"}, {"a.mjs", "text/javascript; charset=utf-8"},
      {"a.css", "text/css; charset=utf-8"},   {"a.svg", "image/svg+xml"},                 {"a.png", "image/png"},
      {"a.json", "application/json"},         {"a.map", "application/json"},              {"a.wasm", "application/wasm"},
      {"a.woff2", "font/woff2"},              {"a.pdf", "application/pdf"},               {"a.unknown", "application/octet-stream"}};
  for (const auto& [name, type] : types) writeFile(webDir / name, "x");
  TempDir dir;
  Agent agent(dir, "{}", {"--data-dir", data.path().string()});
  ASSERT_TRUE(agent.ready()) << agent.log();
  for (const auto& [name, type] : types) {
    RawConnection c(agent.port());
    c.send("GET /" + name + " HTTP/1.1\r\nHost: localhost:" + std::to_string(agent.port()) + "\r\n\r\n");
    const auto a = c.readHttp();
    EXPECT_EQ(a.status, 200) << name;
    EXPECT_NE(a.head.find("Content-Type: " + type + "\r\n"), std::string::npos) << name << ":\n" << a.head;
  }
}

TEST(DemoOrigin, TheDemoPagesOwnOriginIsAllowedWhateverElseIsConfigured) {
  TempDir dir;
  Agent agent(dir, "{}", {"--allow-origin", "https://counter.example.lg.jp"});
  ASSERT_TRUE(agent.ready()) << agent.log();
  for (const std::string& host : {"localhost", "127.0.0.1"}) {
    Client c(agent.port(), "http://" + host + ":" + std::to_string(agent.port()), host);
    EXPECT_TRUE(c.hello()->getValue<bool>("ok")) << host;
  }
  Client configured(agent.port(), "https://counter.example.lg.jp");
  EXPECT_TRUE(configured.hello()->getValue<bool>("ok"));
  EXPECT_EQ(httpStatus(agent.port(), "/v1/ws",
                       {{"Upgrade", "websocket"}, {"Sec-WebSocket-Version", "13"}, {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                        {"Origin", "http://localhost:1"}}),
            403);
}

}  // namespace
}  // namespace kakanai::testing
