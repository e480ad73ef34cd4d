// Protocol abuse against the real agent: thousands of random and truncated frames, binary
// frames, huge ids, deep nesting, unknown fields and wrong types; slow-loris upgrades; a page
// opening connections without end. Every frame is answered or the connection closed cleanly,
// the agent keeps serving, and its memory stays bounded.
#include <gtest/gtest.h>

#include <Poco/Net/StreamSocket.h>

#include <random>

#include "agent_harness.h"

namespace kakanai::testing {
namespace {

// One abusive frame of kind `k` (0..7).
std::string abusiveFrame(std::mt19937& rnd, int k) {
  static const std::vector<std::string> valid = {
      R"({"id":"1","type":"card.status"})", R"({"id":"2","type":"forms.list"})",
      R"({"id":"3","type":"form.fill","form":"juminhyo","person":{"name":"乱打　試験","address":"東京都","birthDate":"1980-04-01","sex":"male"},"values":{"copies":1}})",
      R"({"id":"4","type":"attendance.list","from":"2026-01-01","to":"2026-12-31"})", R"({"id":"5","type":"readers.list"})"};
  std::uniform_int_distribution<int> byte(0, 255);
  const std::string& v = valid[rnd() % valid.size()];
  switch (k) {
    case 0: {  // random bytes, often not UTF-8
      std::string s(1 + rnd() % 200, '\0');
      for (auto& c : s) c = static_cast<char>(byte(rnd));
      return s;
    }
    case 1: return v.substr(0, rnd() % v.size());                            // truncated
    case 2: return R"({"id":")" + std::string(10000 + rnd() % 50000, 'i') + R"(","type":"forms.list"})";  // huge id
    case 3: return std::string(20000, '[') + std::string(20000, ']');        // deep nesting
    case 4: return std::string(5000, '{') + "\"a\":" + std::string(1, '1');  // deep objects, unfinished
    case 5: return v.substr(0, v.size() - 1) + R"(,"unknown":{"x":[1,2,3]},"more":null})";  // unknown fields
    case 6: {  // wrong types in every field
      std::string s = v;
      for (auto& c : s) {
        if (c == '"' && rnd() % 7 == 0) c = '1';
      }
      return R"({"id":7,"type":["card.read"],"pin":1234,"allowLastTry":"yes","session":{}})" + std::string(rnd() % 2 ? "" : s);
    }
    default: return v;  // plain valid frames in between
  }
}

TEST(ProtocolAbuse, TenThousandHostileFramesAreAnsweredOrClosedCleanly) {
  TempDir dir;
  // Under AddressSanitizer freed memory waits in a 256 MB quarantine, which would read as growth.
  const char* asan = std::getenv("ASAN_OPTIONS");
  setenv("ASAN_OPTIONS", (std::string(asan ? asan : "") + ":quarantine_size_mb=4").c_str(), 1);
  Agent agent(dir, "{}", {"--attendance-store", (dir.path() / "a.sqlite").string(), "--log-level", "warning"});
  if (asan) {
    setenv("ASAN_OPTIONS", asan, 1);
  } else {
    unsetenv("ASAN_OPTIONS");
  }
  ASSERT_TRUE(agent.ready());
  std::mt19937 rnd(6);
  int answered = 0, closed = 0, binary = 0;
  auto client = std::make_unique<Client>(agent.port(), agent.origin());
  client->hello();
  // Two rounds of 5,000: the first fills what may legitimately be held (sessions and documents
  // up to their caps, allocator pools); the second must not add to it.
  std::vector<long> rss{agent.rssKiB()};
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 5000; ++i) {
      const int k = static_cast<int>(rnd() % 9);
      try {
        if (k == 8) {
          client->sendRaw(std::string(1 + rnd() % 300, '\x01'), WebSocket::FRAME_BINARY);
          ++binary;
        } else {
          client->sendRaw(abusiveFrame(rnd, k));
        }
        auto r = client->receive();
        if (r) {
          ASSERT_TRUE(r->has("ok")) << "frame " << i;
          ++answered;
          continue;
        }
      } catch (const Poco::Exception&) {
      }
      // Closed by the agent: that is a clean answer too, as long as a new connection works.
      ++closed;
      client = std::make_unique<Client>(agent.port(), agent.origin());
      ASSERT_TRUE(client->hello()->getValue<bool>("ok"));
    }
    rss.push_back(agent.rssKiB());
  }
  // Random bytes that are not UTF-8 close the connection with 1007 (RFC 6455 §8.1); every other
  // frame is answered.
  EXPECT_GT(answered, 8500);
  EXPECT_GT(binary, 500);
  auto r = client->request(R"({"id":"after","type":"card.status"})");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->getValue<bool>("ok"));
  std::cout << "answered " << answered << ", closed " << closed << ", RSS " << rss[0] << " -> " << rss[1] << " -> " << rss[2] << " KiB\n";
  EXPECT_LT(rss[2] - rss[1], 16 * 1024);
}

TEST(ProtocolAbuse, SlowLorisUpgradesAreDroppedAndOthersAreServedMeanwhile) {
  TempDir dir;
  Agent agent(dir);
  ASSERT_TRUE(agent.ready());
  std::vector<std::unique_ptr<Poco::Net::StreamSocket>> stalled;
  for (int i = 0; i < 60; ++i) {
    auto s = std::make_unique<Poco::Net::StreamSocket>(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(agent.port())));
    const std::string partial = "GET /v1/ws HTTP/1.1\r\nHost: localhost:" + std::to_string(agent.port()) + "\r\nUpgrade: websock";
    s->sendBytes(partial.data(), static_cast<int>(partial.size()));
    stalled.push_back(std::move(s));
  }
  // The counter page is served while 60 upgrades hang half-sent.
  Client c(agent.port(), agent.origin());
  ASSERT_TRUE(c.hello()->getValue<bool>("ok"));
  EXPECT_TRUE(c.request(R"({"id":"s","type":"card.status"})")->getValue<bool>("ok"));
  // And the agent gives up on them by itself (10 s for the request head).
  std::this_thread::sleep_for(std::chrono::seconds(12));
  int dropped = 0;
  for (auto& s : stalled) {
    s->setReceiveTimeout(Poco::Timespan(2, 0));
    char buf[256];
    try {
      const int n = s->receiveBytes(buf, sizeof buf);
      if (n >= 0) ++dropped;  // 0: closed; >0: an error response before closing
    } catch (const Poco::Net::ConnectionResetException&) {
      ++dropped;
    } catch (const Poco::TimeoutException&) {
    }
  }
  EXPECT_EQ(dropped, 60);
  EXPECT_TRUE(c.request(R"({"id":"s2","type":"card.status"})")->getValue<bool>("ok"));
}

TEST(ProtocolAbuse, ARunawayPageGetsItsShareOfConnectionsAndNoMore) {
  TempDir dir;
  Agent agent(dir, R"({"maxConnectionsPerOrigin":8})");
  ASSERT_TRUE(agent.ready());
  std::vector<std::unique_ptr<Client>> clients;
  int refused = 0;
  for (int i = 0; i < 12; ++i) {
    try {
      clients.push_back(std::make_unique<Client>(agent.port(), agent.origin()));
      ASSERT_TRUE(clients.back()->hello()->getValue<bool>("ok"));
    } catch (const Poco::Net::WebSocketException&) {
      ++refused;
    }
  }
  EXPECT_EQ(clients.size(), 8u);
  EXPECT_EQ(refused, 4);
  EXPECT_EQ(httpStatus(agent.port(), "/v1/ws",
                       {{"Connection", "Upgrade"}, {"Upgrade", "websocket"}, {"Sec-WebSocket-Version", "13"},
                        {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}, {"Origin", agent.origin()}},
                       "localhost:" + std::to_string(agent.port())),
            503);
  // Another allowed origin of the same agent is not affected.
  const std::string other = "http://127.0.0.1:" + std::to_string(agent.port());
  Client neighbour(agent.port(), other, "127.0.0.1");
  EXPECT_TRUE(neighbour.hello()->getValue<bool>("ok"));
  // Closing connections gives their places back.
  clients.resize(2);
  EXPECT_TRUE(eventually([&] {
    try {
      Client again(agent.port(), agent.origin());
      return again.hello()->getValue<bool>("ok");
    } catch (const Poco::Exception&) {
      return false;
    }
  }));
}

}  // namespace
}  // namespace kakanai::testing
