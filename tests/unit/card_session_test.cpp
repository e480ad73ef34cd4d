#include "card/card_session.h"

#include <gtest/gtest.h>

#include <thread>

#include "card/iso7816.h"
#include "card/my_number_files.h"
#include "virtualcard/my_number_card_emulator.h"
#include "virtualcard/virtual_reader_system.h"

namespace kakanai::card {
namespace {

using virtualcard::CardProfile;
using virtualcard::MyNumberCardEmulator;

struct Sent {
  std::uint8_t ins, p1;
  std::size_t lc;
  Bytes head;
};

// One resident's virtual card behind the in-process reader, with every command it receives
// recorded (header and length only, as the real card's log would show).
class VirtualCardTest : public ::testing::Test {
 protected:
  void insert(CardProfile profile) {
    auto card = MyNumberCardEmulator::create(profile);
    ASSERT_TRUE(card.ok());
    emulator_ = card->get();
    emulator_->setObserver([this](std::uint8_t, std::uint8_t ins, std::uint8_t p1, std::uint8_t, std::size_t lc,
                                  std::uint16_t) { sent_.push_back({ins, p1, lc, {}}); });
    readers_ = virtualcard::makeVirtualReaderSystem(std::move(*card));
  }
  static CardProfile resident() {
    CardProfile p;
    p.textAssist.pin = "2468";
    p.textAssist.name = "髙橋　﨑子";
    p.textAssist.address = "大阪府大阪市北区梅田一丁目３番１号";
    p.textAssist.birthDate = "19890108";
    p.textAssist.sex = "2";
    p.textAssist.myNumber = "123456789018";
    return p;
  }
  Result<CardReadOutcome> read(std::string_view pin, bool allowLastTry = false, bool includeMyNumber = false,
                               bool allowMyNumber = false, bool trustTest = true) {
    CardReadRequest request;
    request.pin = SecretText(pin);
    request.allowLastTry = allowLastTry;
    request.includeMyNumber = includeMyNumber;
    CardPolicy policy;
    policy.allowMyNumber = allowMyNumber;
    policy.trust = IssuerTrustStore::builtIn(trustTest);
    return readMyNumberCard(*readers_, virtualcard::kDemoReaderName, request, policy);
  }
  std::size_t verifiesWithData() const {
    std::size_t n = 0;
    for (const auto& s : sent_) n += (s.ins == 0x20 && s.lc > 0) ? 1 : 0;
    return n;
  }

  MyNumberCardEmulator* emulator_ = nullptr;
  std::unique_ptr<ReaderSystem> readers_;
  std::vector<Sent> sent_;
};

TEST_F(VirtualCardTest, ReadsTheFourItemsAndProvesThemAuthentic) {
  insert(resident());
  auto r = read("2468");
  ASSERT_TRUE(r.ok()) << r.error().diagnostic;
  const Person* p = r->session.person();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->name.view(), "髙橋　﨑子");
  EXPECT_EQ(p->address.view(), "大阪府大阪市北区梅田一丁目３番１号");
  EXPECT_EQ(p->birthDate.view(), "1989-01-08");
  EXPECT_EQ(p->sex, Sex::Female);
  EXPECT_FALSE(p->myNumber.has_value());
  EXPECT_TRUE(r->session.authentic());
  EXPECT_EQ(r->session.state(), CardSessionState::DataRead);
  // 6 for the items (select AP, select PIN EF, query, VERIFY, select EF, read) + 7 for EF 0003/0004.
  EXPECT_EQ(r->apdus, 13u);
}

TEST_F(VirtualCardTest, TestIssuerIsNotTrustedByDefault) {
  insert(resident());
  auto r = read("2468", false, false, false, /*trustTest=*/false);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->session.authentic());
  EXPECT_NE(r->session.person(), nullptr);
}

TEST_F(VirtualCardTest, MalformedPinSendsNothing) {
  insert(resident());
  for (const char* pin : {"", "123", "12345", "12a4", "１２３４", "12 4"}) {
    auto r = read(pin);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::PinFormat) << pin;
  }
  EXPECT_TRUE(sent_.empty());
  EXPECT_EQ(emulator_->textAssistRetries(), 3);
}

TEST_F(VirtualCardTest, WrongPinCountsDownAndTheLastTryNeedsTheClerk) {
  insert(resident());
  auto r = read("0000");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::PinWrong);
  EXPECT_EQ(r.error().retriesLeft, 2);
  r = read("0000");
  EXPECT_EQ(r.error().code, ErrorCode::PinWrong);
  EXPECT_EQ(r.error().retriesLeft, 1);
  EXPECT_EQ(verifiesWithData(), 2u);

  // One try left: refused without a VERIFY, even with the right PIN.
  r = read("2468");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::PinLastTry);
  EXPECT_EQ(r.error().retriesLeft, 1);
  EXPECT_EQ(verifiesWithData(), 2u);
  EXPECT_EQ(emulator_->textAssistRetries(), 1);

  // The clerk allows it, the resident gets it wrong: locked.
  r = read("0000", /*allowLastTry=*/true);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::PinLocked);
  EXPECT_EQ(emulator_->textAssistRetries(), 0);

  // Locked is seen from the counter: nothing more is tried.
  r = read("2468", true);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::PinLocked);
  EXPECT_EQ(verifiesWithData(), 3u);
}

TEST_F(VirtualCardTest, RightPinOnTheLastTryWhenAllowedResetsTheCounter) {
  auto p = resident();
  p.textAssist.retries = 1;
  insert(p);
  auto r = read("2468", /*allowLastTry=*/true);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(emulator_->textAssistRetries(), 3);
}

TEST_F(VirtualCardTest, IndividualNumberNeedsPolicyAndRequest) {
  insert(resident());
  auto r = read("2468", false, /*include=*/true, /*allow=*/false);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->session.person()->myNumber.has_value());
  EXPECT_EQ(r->apdus, 13u);  // EF 0001 never selected or read
  r = read("2468", false, /*include=*/false, /*allow=*/true);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->session.person()->myNumber.has_value());
  EXPECT_EQ(r->apdus, 13u);
  r = read("2468", false, true, true);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->session.person()->myNumber.has_value());
  EXPECT_EQ(r->session.person()->myNumber->view(), "123456789018");
  EXPECT_TRUE(r->session.authentic());  // DF31 checked against EF 0001 too
  EXPECT_EQ(r->apdus, 15u);
}

TEST_F(VirtualCardTest, TamperedSignatureIsNotAuthentic) {
  auto p = resident();
  p.faults.tamperSignature = true;
  insert(p);
  auto r = read("2468");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->session.authentic());
}

TEST_F(VirtualCardTest, CardPulledMidReadReportsCardRemovedAndTheNextReadWorks) {
  auto p = resident();
  p.faults.removeAfterApdus = 6;  // leaves while the basic items are being read
  p.faults.reinsertAfterMs = 50;
  insert(p);
  auto r = read("2468");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::CardRemoved);
  r = read("2468");
  EXPECT_EQ(r.ok() ? ErrorCode::Internal : r.error().code, ErrorCode::NoCard);
  std::this_thread::sleep_for(std::chrono::milliseconds(80));
  r = read("2468");
  ASSERT_TRUE(r.ok()) << r.error().diagnostic;
  EXPECT_TRUE(r->session.authentic());
}

TEST_F(VirtualCardTest, AnAlreadyVerifiedPinIsReCheckedFromAFreshState) {
  insert(resident());
  {
    // Another application verified the PIN and left the card as it was.
    auto channel = readers_->connect(virtualcard::kDemoReaderName);
    ASSERT_TRUE(channel.ok());
    CardConnection other(std::move(*channel));
    ASSERT_TRUE(*iso::selectAid(other, text_assist::kAid));
    ASSERT_TRUE(iso::selectEf(other, text_assist::kEfPin).ok());
    ASSERT_TRUE(iso::verifyPin(other, asBytes("2468")).ok());
    other.close(/*resetCard=*/false);
  }
  sent_.clear();
  auto r = read("0000");
  ASSERT_FALSE(r.ok());
  // The 9000 query was not taken as "tries unknown, go ahead": the state was dropped by selecting
  // another application, the real counter read, and the wrong PIN counted against it.
  EXPECT_EQ(r.error().code, ErrorCode::PinWrong);
  EXPECT_EQ(r.error().retriesLeft, 2);
}

TEST_F(VirtualCardTest, StatusReadsTheCounterWithoutUsingATry) {
  insert(resident());
  ASSERT_FALSE(read("1111").ok());
  auto s = readCardStatus(*readers_, virtualcard::kDemoReaderName);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->present);
  EXPECT_EQ(s->kind, CardKind::MyNumber);
  EXPECT_EQ(s->pinRetries, 2);
  EXPECT_EQ(emulator_->textAssistRetries(), 2);
}

TEST(CardSession, OnlyTheDocumentedTransitionsAreAllowed) {
  CardSession s;
  EXPECT_FALSE(s.pinChecked().ok());
  EXPECT_FALSE(s.dataRead(Person{}, true).ok());
  ASSERT_TRUE(s.cardPresent().ok());
  EXPECT_FALSE(s.cardPresent().ok());
  EXPECT_FALSE(s.dataRead(Person{}, true).ok());
  ASSERT_TRUE(s.pinChecked().ok());
  Person p;
  p.name = SecretText("山田　太郎");
  ASSERT_TRUE(s.dataRead(std::move(p), true).ok());
  ASSERT_NE(s.person(), nullptr);
  EXPECT_EQ(s.person()->name.view(), "山田　太郎");
  s.clear();
  EXPECT_EQ(s.state(), CardSessionState::Cleared);
  EXPECT_EQ(s.person(), nullptr);
  EXPECT_FALSE(s.authentic());
  ASSERT_TRUE(s.cardPresent().ok());  // a cleared session can serve the next card
  s.cardLost();
  EXPECT_EQ(s.state(), CardSessionState::NoCard);
}

}  // namespace
}  // namespace kakanai::card
