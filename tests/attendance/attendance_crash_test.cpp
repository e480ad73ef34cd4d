// Crash durability: the agent is killed with SIGKILL at random points while staff cards are
// tapped as fast as the page can ask; after every restart each tap the page saw acknowledged
// (an attendance.tap event) is in the store exactly once, and nothing else is.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>

#include <random>
#include <set>

#include "../server/agent_harness.h"

namespace kakanai::testing {
namespace {

constexpr int kTaps = 1000;

TEST(AttendanceCrash, EveryAcknowledgedTapSurvivesSigkillExactlyOnce) {
  TempDir dir;
  const std::string store = (dir.path() / "attendance.sqlite").string();
  const std::string config = R"({"attendance":{"doubleTapSeconds":0}})";
  std::mt19937 random(20261123);
  std::set<std::int64_t> acknowledged;
  int sent = 0, restarts = 0;
  {
    Agent agent(dir, config, {"--attendance-store", store});
    ASSERT_TRUE(agent.ready());
    Client c(agent.port(), agent.origin());
    c.hello();
    for (const char* staff : {"E0001", "E0002"}) ASSERT_TRUE(enrolDemoCard(c, staff, "職員", staff)->getValue<bool>("ok"));
  }
  while (sent < kTaps) {
    Agent agent(dir, config, {"--attendance-store", store});
    ASSERT_TRUE(agent.ready()) << agent.log();
    ++restarts;
    std::uniform_int_distribution<int> killAfter(30, 1000);
    std::thread killer([&agent, ms = killAfter(random)] {
      std::this_thread::sleep_for(std::chrono::milliseconds(ms));
      agent.kill();
    });
    try {
      Client c(agent.port(), agent.origin());
      c.hello();
      while (sent < kTaps) {
        ++sent;
        c.sendRaw(std::string(R"({"id":"t","type":"demo.tap","card":")") + (sent % 2 ? "E0001" : "E0002") + R"("})");
        auto ack = c.waitForEvent("attendance.tap");
        if (!ack) break;
        acknowledged.insert(ack->getObject("data")->getValue<std::int64_t>("seq"));
        c.clearEvents();
      }
    } catch (const Poco::Exception&) {
      // The agent died under the client: the crash this test is about.
    }
    killer.join();
  }
  EXPECT_GT(restarts, 3);

  Agent agent(dir, config, {"--attendance-store", store});
  ASSERT_TRUE(agent.ready());
  Client c(agent.port(), agent.origin());
  c.hello();
  auto list = c.request(R"({"id":"l","type":"attendance.list","from":"2000-01-01","to":"2100-01-01"})");
  ASSERT_TRUE(list->getValue<bool>("ok"));
  auto records = list->getObject("result")->getArray("records");
  std::map<std::int64_t, int> stored;
  for (unsigned i = 0; i < records->size(); ++i) ++stored[records->getObject(i)->getValue<std::int64_t>("seq")];
  for (auto seq : acknowledged) EXPECT_EQ(stored[seq], 1) << "acknowledged tap " << seq;
  // Nothing beyond what was asked for: at most one record per tap sent, numbered without gaps.
  EXPECT_LE(records->size(), static_cast<std::size_t>(sent));
  EXPECT_GE(records->size(), acknowledged.size());
  std::int64_t expected = 1;
  for (const auto& [seq, count] : stored) {
    EXPECT_EQ(seq, expected++);
    EXPECT_EQ(count, 1);
  }
  // The store is consistent after all those kills.
  auto check = run({"sqlite3", store, "PRAGMA integrity_check"}, "", dir.path());
  EXPECT_EQ(check.out, "ok\n");
  std::cout << "taps sent " << sent << ", acknowledged " << acknowledged.size() << ", stored " << records->size() << ", restarts "
            << restarts << "\n";
}

}  // namespace
}  // namespace kakanai::testing
