// Faults through the whole stack — the agent process, a real pcscd, the vpcd reader, the virtual
// card — each answered with the protocol's code, after which the same agent (no restart) serves
// the next request normally.
#include <gtest/gtest.h>

#include <future>

#include "../server/agent_harness.h"
#include "pcsc_stack.h"

namespace kakanai::testing {
namespace {

const std::string kResident = residentProfile("山田　太郎", "東京都千代田区霞が関二丁目１番２号", "19800401", "1", "1234");

std::string withFaults(const std::string& faults) { return kResident.substr(0, kResident.size() - 1) + R"(,"faults":)" + faults + "}"; }

class AgentFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!isolated()) GTEST_SKIP() << "run through tests/integration/isolated.sh";
    stack_ = std::make_unique<PcscStack>(dir_.path());
    ASSERT_TRUE(stack_->start()) << slurp(dir_.path() / "pcscd.err");
    agent_ = std::make_unique<Agent>(dir_, "{}", std::vector<std::string>{"--trust-test-issuer", "--attendance-store",
                                                                          (dir_.path() / "a.sqlite").string()},
                                     false);
    ASSERT_TRUE(agent_->ready()) << agent_->log();
    client_ = std::make_unique<Client>(agent_->port(), agent_->origin());
    ASSERT_TRUE(client_->hello()->getValue<bool>("ok"));
  }
  void TearDown() override {
    client_.reset();
    agent_.reset();
    stack_.reset();
  }
  Object::Ptr read(const std::string& pin = "1234") {
    return client_->request(R"({"id":"r","type":"card.read","pin":")" + pin + R"("})");
  }
  // The next normal request after a fault: a full read of a fresh card.
  void servesNormallyAfterwards() {
    ASSERT_TRUE(stack_->insertCard(kResident));
    auto r = read();
    ASSERT_TRUE(r->getValue<bool>("ok")) << toJsonText(r);
    EXPECT_EQ(r->getObject("result")->getObject("person")->getValue<std::string>("name"), "山田　太郎");
    EXPECT_TRUE(r->getObject("result")->getValue<bool>("authentic"));
  }

  TempDir dir_;
  std::unique_ptr<PcscStack> stack_;
  std::unique_ptr<Agent> agent_;
  std::unique_ptr<Client> client_;
};

TEST_F(AgentFaults, CardPulledDuringVerifySpendsNoTry) {
  // SELECT, SELECT the PIN EF, the retry query: the card leaves before the VERIFY with the PIN.
  ASSERT_TRUE(stack_->insertCard(withFaults(R"({"removeAfterApdus":3,"reinsertAfterMs":600000})")));
  EXPECT_EQ(code(read()), "card_removed");
  EXPECT_EQ(stack_->pinTries(), 0);
  servesNormallyAfterwards();
}

TEST_F(AgentFaults, CardPulledDuringTheReadAndBetweenReadAndFill) {
  ASSERT_TRUE(stack_->insertCard(withFaults(R"({"removeAfterApdus":6,"reinsertAfterMs":600000})")));
  EXPECT_EQ(code(read()), "card_removed");
  // A whole read, then the card leaves before the fill: the fill works from the session (the
  // card is not needed again), and the card's leaving is announced.
  ASSERT_TRUE(stack_->insertCard(kResident));
  auto r = read();
  ASSERT_TRUE(r->getValue<bool>("ok"));
  const std::string session = r->getObject("result")->getValue<std::string>("session");
  client_->clearEvents();
  stack_->removeCard();
  ASSERT_TRUE(client_->waitForEvent("card.removed"));
  auto fill = client_->request(R"({"id":"f","type":"form.fill","form":"juminhyo","session":")" + session + R"(","values":{"copies":1}})");
  EXPECT_TRUE(fill->getValue<bool>("ok")) << toJsonText(fill);
  EXPECT_EQ(code(client_->request(R"({"id":"r2","type":"card.read","pin":"1234"})")), "no_card");
}

TEST_F(AgentFaults, ACardLeavingBeforePcscdNoticesIsCardRemoved) {
  ASSERT_TRUE(stack_->insertCard(kResident));
  ASSERT_TRUE(read()->getValue<bool>("ok"));
  // Read again the moment the card process is gone, before pcscd has polled the reader.
  stack_->removeCard();
  const std::string c = code(read());
  EXPECT_TRUE(c == "card_removed" || c == "no_card") << c;
  servesNormallyAfterwards();
}

TEST_F(AgentFaults, PcscdKilledAndRestartedUnderTheAgent) {
  ASSERT_TRUE(stack_->insertCard(kResident));
  ASSERT_TRUE(read()->getValue<bool>("ok"));
  stack_->removeCard();
  stack_->stop();  // pcscd gone: the reader with it
  ASSERT_TRUE(client_->waitForEvent("reader.removed"));
  const std::string whileDown = code(read());
  EXPECT_TRUE(whileDown == "no_reader") << whileDown;
  client_->clearEvents();
  ASSERT_TRUE(stack_->start());
  ASSERT_TRUE(client_->waitForEvent("reader.added"));
  servesNormallyAfterwards();
}

TEST_F(AgentFaults, TwoCountersAskingForTheSameReaderAtOnce) {
  ASSERT_TRUE(stack_->insertCard(withFaults(R"({"delayMs":40})")));
  Client other(agent_->port(), agent_->origin());
  ASSERT_TRUE(other.hello()->getValue<bool>("ok"));
  auto first = std::async(std::launch::async, [&] { return read(); });
  auto second = std::async(std::launch::async, [&] { return other.request(R"({"id":"o","type":"card.read","pin":"1234"})"); });
  auto a = first.get();
  auto b = second.get();
  // pcsc-lite makes the second wait for the first's transaction: both are served, in turn, and
  // the card's counter saw two right PINs.
  EXPECT_TRUE(a->getValue<bool>("ok")) << toJsonText(a);
  EXPECT_TRUE(b->getValue<bool>("ok")) << toJsonText(b);
  EXPECT_EQ(client_->request(R"({"id":"s","type":"card.status"})")->getObject("result")->getValue<int>("pinRetries"), 3);
}

}  // namespace
}  // namespace kakanai::testing
