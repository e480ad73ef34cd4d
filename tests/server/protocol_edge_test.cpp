// The protocol's edge after the handler table: typed fields (a wrong type or range is a
// bad_request naming the field, with the request's id), where requests run, and which
// connections hear of a session.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "../integration/process.h"
#include "agent_harness.h"

namespace kakanai::testing {
namespace {

std::string field(const Object::Ptr& r) {
  if (!r->has("error")) return "(no error: " + toJsonText(r) + ")";
  return r->getObject("error")->optValue<std::string>("field", "(no field)");
}

TEST(ProtocolEdge, IllTypedFieldsAreBadRequestsNamingTheField) {
  TempDir dir;
  Agent agent(dir);
  ASSERT_TRUE(agent.ready()) << agent.log();
  Client c(agent.port(), agent.origin());
  ASSERT_TRUE(c.hello()->getValue<bool>("ok"));
  const std::string typed = R"("person":{"name":"見本　花子","address":"東京都","birthDate":"1985-06-15","sex":"female"})";
  auto fill = c.request(R"({"id":"f","type":"form.fill","form":"juminhyo","values":{"copies":1},)" + typed + "}");
  ASSERT_TRUE(fill->getValue<bool>("ok")) << toJsonText(fill);
  const std::string document = fill->getObject("result")->getValue<std::string>("document");
  const std::string huge(500000, '7');
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"id":"1","type":"form.fill","form":"juminhyo","values":{"copies":1},"person":{"name":12345,"birthDate":"1985-06-15"}})", "person.name"},
      {R"({"id":"2","type":"form.fill","form":"juminhyo","values":{"copies":1},"person":{"name":["山田","太郎"],"birthDate":"1985-06-15"}})", "person.name"},
      {R"({"id":"3","type":"form.fill","form":"juminhyo","values":{"copies":1},"session":1,)" + typed + "}", "session"},
      {R"({"id":"4","type":"document.print","document":")" + document + R"(","copies":true})", "copies"},
      {R"({"id":"5","type":"hello","protocol":"1"})", "protocol"},
      {R"({"id":"6","type":"document.print","document":")" + document + R"(","copies":)" + huge + "}", "copies"},
      {R"({"id":"7","type":"document.print","document":")" + document + R"(","copies":1e300})", "copies"},
      {R"({"id":"8","type":"form.fill","form":"juminhyo","values":{"copies":)" + std::string(300, '9') + "}," + typed + "}", "values.copies"},
      {R"({"id":"9","type":"form.fill","form":"juminhyo","values":{"copies":1},"person":{"name":"見本","birthDate":"1985-02-30"}})", "person.birthDate"},
      {R"({"id":"10","type":"card.status","reader":7})", "reader"},
      {R"({"id":"11","type":"attendance.enroll","staffId":"E1","displayName":"見本","timeoutSeconds":1e999})", "timeoutSeconds"},
  };
  for (const auto& [request, name] : cases) {
    auto r = c.request(request);
    ASSERT_NE(r, nullptr) << request.substr(0, 200);
    EXPECT_EQ(code(r), "bad_request") << request.substr(0, 200);
    EXPECT_EQ(field(r), name) << request.substr(0, 200);
    // The answer carries the request's id, however large its numbers.
    EXPECT_FALSE(r->get("id").isEmpty()) << request.substr(0, 200);
    EXPECT_EQ(r->getValue<std::string>("id"), request.substr(7, request.find('"', 7) - 7));
  }
  EXPECT_TRUE(c.request(R"({"id":"ok","type":"forms.list"})")->getValue<bool>("ok"));  // still usable
  // Nothing of the typed values went to the log.
  EXPECT_EQ(agent.log().find("12345"), std::string::npos);
}

TEST(ProtocolEdge, AnUnknownTypeIsLoggedAsUnknown) {
  TempDir dir;
  Agent agent(dir);
  ASSERT_TRUE(agent.ready());
  Client c(agent.port(), agent.origin());
  ASSERT_TRUE(c.hello()->getValue<bool>("ok"));
  auto r = c.request(R"({"id":"u","type":"no.such\nkakanai-agent[info] FAKE LINE"})");
  EXPECT_EQ(code(r), "bad_request");
  EXPECT_EQ(field(r), "type");
  EXPECT_EQ(r->getValue<std::string>("id"), "u");
  ASSERT_TRUE(eventually([&] { return agent.log().find("request type=unknown id=u") != std::string::npos; })) << agent.log();
  EXPECT_EQ(agent.log().find("FAKE LINE"), std::string::npos);
  EXPECT_EQ(agent.log().find("no.such"), std::string::npos);
}

TEST(ProtocolEdge, ASlowCardStatusDoesNotHoldUpTheConnectionsOtherRequests) {
  TempDir dir;
  // Every APDU takes 400 ms: a status check is a few of them.
  writeFile(dir.path() / "slow.json",
            R"({"textAssist":{"pin":"1234","name":"山田　太郎","address":"東京都","birthDate":"19800401","sex":"1"},"faults":{"delayMs":400}})");
  Agent agent(dir, "{}", {"--card-profile", (dir.path() / "slow.json").string()});
  ASSERT_TRUE(agent.ready());
  Client c(agent.port(), agent.origin());
  ASSERT_TRUE(c.hello()->getValue<bool>("ok"));
  c.sendRaw(R"({"id":"status","type":"card.status"})");
  c.sendRaw(R"({"id":"forms","type":"forms.list"})");
  c.sendRaw(R"({"id":"again","type":"hello","protocol":1})");
  auto first = c.receive();
  auto second = c.receive();
  auto third = c.receive();
  ASSERT_TRUE(first && second && third);
  EXPECT_EQ(first->getValue<std::string>("id"), "forms");
  EXPECT_EQ(second->getValue<std::string>("id"), "again");
  EXPECT_EQ(third->getValue<std::string>("id"), "status");
  EXPECT_TRUE(third->getValue<bool>("ok")) << toJsonText(third);
}

TEST(ProtocolEdge, SessionExpiredGoesOnlyToTheOriginThatOwnsTheSession) {
  TempDir dir;
  Agent agent(dir, R"({"sessionMinutes": 0.05, "allowOrigins": ["https://other-counter.example", "https://madoguchi.example"]})");
  ASSERT_TRUE(agent.ready()) << agent.log();
  Client a(agent.port(), "https://madoguchi.example");
  Client b(agent.port(), "https://other-counter.example");
  ASSERT_TRUE(a.hello()->getValue<bool>("ok"));
  ASSERT_TRUE(b.hello()->getValue<bool>("ok"));
  auto read = a.request(R"({"id":"r","type":"card.read","pin":"1234"})");
  ASSERT_TRUE(read->getValue<bool>("ok"));
  ASSERT_NE(a.waitForEvent("session.expired"), nullptr);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ASSERT_TRUE(b.request(R"({"id":"after","type":"forms.list"})")->getValue<bool>("ok"));
  for (const auto& e : b.events()) EXPECT_NE(e->getValue<std::string>("event"), "session.expired") << toJsonText(e);
}

// The fill runs on a copy of the person, outside the session store's lock: while one counter's
// fills are running, another counter's session.clear answers at once instead of after them.
TEST(ProtocolEdge, AnotherCountersFillsDoNotHoldUpSessionClear) {
  using Ms = std::chrono::duration<double, std::milli>;
  TempDir dir;
  Agent agent(dir, R"({"allowOrigins": ["https://other-counter.example", "https://madoguchi.example"]})");
  ASSERT_TRUE(agent.ready()) << agent.log();
  Client a(agent.port(), "https://madoguchi.example");
  Client b(agent.port(), "https://other-counter.example");
  ASSERT_TRUE(a.hello()->getValue<bool>("ok"));
  ASSERT_TRUE(b.hello()->getValue<bool>("ok"));
  const std::string typed = R"("person":{"name":"山田　太郎","address":"東京都千代田区","birthDate":"1980-04-01","sex":"male"})";
  const auto t0 = std::chrono::steady_clock::now();
  auto first = b.request(R"({"id":"b","type":"form.fill","form":"kokuho","values":{"reason":"転入","acquiredDate":"2026-11-30"},)" + typed + "}");
  const double oneFill = Ms(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(first->getValue<bool>("ok")) << toJsonText(first);
  const std::string sessionB = first->getObject("result")->getValue<std::string>("session");
  auto startA = a.request(R"({"id":"a0","type":"form.fill","form":"kokuho","values":{"reason":"転入","acquiredDate":"2026-11-30"},)" + typed + "}");
  ASSERT_TRUE(startA->getValue<bool>("ok")) << toJsonText(startA);
  const std::string sessionA = startA->getObject("result")->getValue<std::string>("session");
  constexpr int kFills = 4;
  for (int i = 0; i < kFills; ++i) {
    a.sendRaw(R"({"id":"a)" + std::to_string(i + 1) + R"(","type":"form.fill","form":"kokuho","values":{"reason":"転入","acquiredDate":"2026-11-30"},"session":")" +
              sessionA + R"("})");
  }
  // A's first fill starts at once; a clear sent a third of a fill later would wait two thirds of
  // one if fills held the session store's lock.
  std::this_thread::sleep_for(Ms(oneFill / 3));
  const auto c0 = std::chrono::steady_clock::now();
  auto cleared = b.request(R"({"id":"c","type":"session.clear","session":")" + sessionB + R"("})");
  const auto clearedAt = std::chrono::steady_clock::now();
  ASSERT_TRUE(cleared->getValue<bool>("ok")) << toJsonText(cleared);
  for (int i = 0; i < kFills; ++i) ASSERT_TRUE(a.receive()->getValue<bool>("ok"));
  const auto lastFillAt = std::chrono::steady_clock::now();
  EXPECT_LT(Ms(clearedAt - c0).count(), oneFill / 2) << "one fill takes " << oneFill << " ms";
  EXPECT_LT(clearedAt, lastFillAt);
}

}  // namespace
}  // namespace kakanai::testing
