// Verification number B and the card's own signature on the WebSocket (issues 13 and 18): the
// agent process, a real pcscd with the vpcd reader, the virtual card behind it.
#include <gtest/gtest.h>

#include <sstream>

#include "../server/agent_harness.h"
#include "pcsc_stack.h"

namespace kakanai::testing {
namespace {

// 昭和55年2月17日, expiry 2035, security code 2285: B is 55021720352285.
const std::string kResident = withTextAssist(residentProfile("山田　太郎", "東京都千代田区霞が関二丁目１番２号", "1980-02-17", "1", "1234"),
                                             {{"securityCode", "\"2285\""}});
constexpr const char* kFace = R"({"birthDate":"1980-02-17","expiryYear":"2035","securityCode":"2285"})";

class VerificationBProtocol : public ::testing::Test {
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
    auto hello = client_->hello();
    ASSERT_TRUE(hello->getValue<bool>("ok"));
    std::ostringstream features;
    hello->getObject("result")->getArray("features")->stringify(features);
    features_ = features.str();
  }
  void TearDown() override {
    client_.reset();
    agent_.reset();
    stack_.reset();
  }
  Object::Ptr readWithB(const std::string& b, const std::string& extra = "") {
    return client_->request(R"({"id":"r","type":"card.read","verificationB":)" + b + extra + "}");
  }
  Object::Ptr status() {
    auto s = client_->request(R"({"id":"s","type":"card.status"})");
    EXPECT_TRUE(s->getValue<bool>("ok")) << toJsonText(s);
    return s->getObject("result");
  }
  static std::string credential(const Object::Ptr& r) {
    auto e = r->getObject("error");
    return e && e->has("credential") ? e->getValue<std::string>("credential") : "";
  }

  TempDir dir_;
  std::unique_ptr<PcscStack> stack_;
  std::unique_ptr<Agent> agent_;
  std::unique_ptr<Client> client_;
  std::string features_;
};

TEST_F(VerificationBProtocol, BFromTheCardFaceOrAsDigitsReadsTheResidentAndTheCardProvesItselfGenuine) {
  EXPECT_NE(features_.find("\"card.read.verificationB\""), std::string::npos) << features_;
  ASSERT_TRUE(stack_->insertCard(kResident));
  auto s = status();
  EXPECT_EQ(s->getValue<std::string>("pinState"), "ok");
  EXPECT_EQ(s->getValue<int>("verificationBRetries"), 10);
  EXPECT_EQ(s->getValue<int>("pinRetries"), 3);
  for (const std::string& b : {std::string(kFace), std::string(R"({"digits":"55021720352285"})")}) {
    auto r = readWithB(b, R"(,"cardSignature":true)");
    ASSERT_TRUE(r->getValue<bool>("ok")) << toJsonText(r);
    auto result = r->getObject("result");
    EXPECT_EQ(result->getObject("person")->getValue<std::string>("name"), "山田　太郎");
    EXPECT_EQ(result->getObject("person")->getValue<std::string>("birthDate"), "1980-02-17");
    EXPECT_TRUE(result->getValue<bool>("authentic"));
    EXPECT_TRUE(result->getValue<bool>("cardSignature"));
  }
  // Without asking, no signature is made and the result says nothing of one.
  auto plain = client_->request(R"({"id":"p","type":"card.read","pin":"1234"})");
  ASSERT_TRUE(plain->getValue<bool>("ok")) << toJsonText(plain);
  EXPECT_FALSE(plain->getObject("result")->has("cardSignature"));
  EXPECT_EQ(stack_->pinTries(), 3);  // two B, one PIN
  const std::string log = agent_->log();
  for (const char* secret : {"55021720352285", "2285", "1980-02-17", "山田"}) EXPECT_EQ(log.find(secret), std::string::npos) << secret;
}

TEST_F(VerificationBProtocol, AWrongBSpendsOneBTryNoPinTryAndBsLastTryIsGuarded) {
  ASSERT_TRUE(stack_->insertCard(withTextAssist(kResident, {{"verificationBRetries", "2"}})));
  auto wrong = readWithB(R"({"digits":"55021720359999"})");
  EXPECT_EQ(code(wrong), "pin_wrong");
  EXPECT_EQ(credential(wrong), "verificationB");
  EXPECT_EQ(wrong->getObject("error")->getValue<int>("retriesLeft"), 1);
  EXPECT_EQ(status()->getValue<int>("pinRetries"), 3);
  auto wrongPin = client_->request(R"({"id":"p","type":"card.read","pin":"9999"})");
  EXPECT_EQ(code(wrongPin), "pin_wrong");
  EXPECT_EQ(credential(wrongPin), "");
  EXPECT_EQ(status()->getValue<int>("verificationBRetries"), 1);
  const int tries = stack_->pinTries();
  auto last = readWithB(kFace);
  EXPECT_EQ(code(last), "pin_last_try");
  EXPECT_EQ(credential(last), "verificationB");
  EXPECT_EQ(stack_->pinTries(), tries);
  auto allowed = readWithB(kFace, R"(,"allowLastTry":true)");
  ASSERT_TRUE(allowed->getValue<bool>("ok")) << toJsonText(allowed);
  EXPECT_EQ(status()->getValue<int>("verificationBRetries"), 10);
}

TEST_F(VerificationBProtocol, AFaceRecognitionCardShowsItsPinLockedAndIsReadWithB) {
  ASSERT_TRUE(stack_->insertCard(withTextAssist(residentProfile("顔認　証子", "東京都", "2019-05-01", "2", "1234"),
                                                {{"pin", "null"}, {"securityCode", "\"7777\""}})));
  auto s = status();
  EXPECT_EQ(s->getValue<std::string>("pinState"), "locked");
  EXPECT_EQ(s->getValue<int>("verificationBRetries"), 10);
  EXPECT_EQ(code(client_->request(R"({"id":"p","type":"card.read","pin":"1234","allowLastTry":true})")), "pin_locked");
  EXPECT_EQ(stack_->pinTries(), 0);
  auto r = readWithB(R"({"birthDate":"2019-05-01","expiryYear":"2035","securityCode":"7777"})");  // 令和元年: 010501
  ASSERT_TRUE(r->getValue<bool>("ok")) << toJsonText(r);
  EXPECT_EQ(r->getObject("result")->getObject("person")->getValue<std::string>("name"), "顔認　証子");
}

TEST_F(VerificationBProtocol, MalformedOrAmbiguousCredentialsAndTheIndividualNumberWithBReachNoCard) {
  ASSERT_TRUE(stack_->insertCard(kResident));
  // The agent's own look at an inserted card (its kind, for card.inserted) is over by the event.
  ASSERT_NE(client_->waitForEvent("card.inserted"), nullptr);
  const std::size_t before = stack_->apduLog().size();
  auto request = [&](const std::string& fields) { return client_->request(R"({"id":"x","type":"card.read")" + fields + "}"); };
  struct Case {
    std::string fields, code, field;
  };
  const Case cases[] = {
      {"", "bad_request", "pin"},
      {R"(,"pin":"1234","verificationB":{"digits":"55021720352285"})", "bad_request", "verificationB"},
      {R"(,"verificationB":"55021720352285")", "bad_request", "verificationB"},
      {R"(,"verificationB":{"digits":"55021720352285","securityCode":"2285"})", "bad_request", "verificationB.digits"},
      {R"(,"verificationB":{"birthDate":"1980-02-17","expiryYear":"2035"})", "bad_request", "verificationB.securityCode"},
      {R"(,"verificationB":{"digits":5502172035228})", "bad_request", "verificationB.digits"},
      {R"(,"verificationB":{"digits":"5502172035228"})", "pin_format", ""},
      {R"(,"verificationB":{"digits":"55131720352285"})", "pin_format", ""},
      {R"(,"verificationB":{"birthDate":"2023-02-29","expiryYear":"2035","securityCode":"2285"})", "pin_format", ""},
      {R"(,"verificationB":{"birthDate":"1980-02-17","expiryYear":"35","securityCode":"2285"})", "pin_format", ""},
      {R"(,"verificationB":{"birthDate":"1980-02-17","expiryYear":"2035","securityCode":"228"})", "pin_format", ""},
      {R"(,"verificationB":{"digits":"55021720352285"},"includeMyNumber":true)", "bad_request", ""},
  };
  for (const auto& c : cases) {
    auto r = request(c.fields);
    EXPECT_EQ(code(r), c.code) << c.fields << " " << toJsonText(r);
    if (!c.field.empty()) EXPECT_EQ(r->getObject("error")->getValue<std::string>("field"), c.field) << c.fields;
    if (c.code == "pin_format") EXPECT_EQ(credential(r), "verificationB") << c.fields;
    EXPECT_EQ(toJsonText(r).find("123456789018"), std::string::npos);
  }
  EXPECT_EQ(stack_->apduLog().size(), before);  // not one command reached the card
}

}  // namespace
}  // namespace kakanai::testing
