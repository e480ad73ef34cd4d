#include "sample_resident.h"
#include "card/card_session.h"

#include <gtest/gtest.h>

#include <thread>

#include "card/iso7816.h"
#include "card/my_number_files.h"
#include "card/verification_b.h"
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
// Every test runs twice: on a card that advertises extended length in EF 0005 (as current cards)
// and on a short-only one; the in-process reader carries extended APDUs.
class VirtualCardTest : public ::testing::TestWithParam<bool> {
 protected:
  void insert(CardProfile profile) {
    auto card = MyNumberCardEmulator::create(profile);
    ASSERT_TRUE(card.ok());
    emulator_ = card->get();
    emulator_->setObserver([this](std::uint8_t, std::uint8_t ins, std::uint8_t p1, std::uint8_t, std::size_t lc,
                                  std::uint16_t) { sent_.push_back({ins, p1, lc, {}}); });
    readers_ = virtualcard::makeVirtualReaderSystem(std::move(*card));
  }
  static bool extendedCard() { return GetParam(); }
  // A whole read on this reader (which reports extended length, so EF 0005 is read: 2 APDUs)
  // then PIN (4) and the three files: extended, one read each (6); short-only card, EF 0002 (2) +
  // EF 0003 in two reads (3) + EF 0004 in three (4).
  static std::uint32_t readApdus() { return extendedCard() ? 2u + 4u + 6u : 2u + 4u + 9u; }
  static CardProfile resident() {
    CardProfile p = testing::sampleResidentCard();
    p.textAssist.extendedLength = extendedCard();
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

TEST_P(VirtualCardTest, ReadsTheFourItemsAndProvesThemAuthentic) {
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
  EXPECT_EQ(r->apdus, readApdus());
}

TEST_P(VirtualCardTest, TestIssuerIsNotTrustedByDefault) {
  insert(resident());
  auto r = read("2468", false, false, false, /*trustTest=*/false);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->session.authentic());
  EXPECT_NE(r->session.person(), nullptr);
}

TEST_P(VirtualCardTest, MalformedPinSendsNothing) {
  insert(resident());
  for (const char* pin : {"", "123", "12345", "12a4", "１２３４", "12 4"}) {
    auto r = read(pin);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::PinFormat) << pin;
  }
  EXPECT_TRUE(sent_.empty());
  EXPECT_EQ(emulator_->textAssistRetries(), 3);
}

TEST_P(VirtualCardTest, WrongPinCountsDownAndTheLastTryNeedsTheClerk) {
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

TEST_P(VirtualCardTest, RightPinOnTheLastTryWhenAllowedResetsTheCounter) {
  auto p = resident();
  p.textAssist.retries = 1;
  insert(p);
  auto r = read("2468", /*allowLastTry=*/true);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(emulator_->textAssistRetries(), 3);
}

TEST_P(VirtualCardTest, IndividualNumberNeedsPolicyAndRequest) {
  insert(resident());
  auto r = read("2468", false, /*include=*/true, /*allow=*/false);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->session.person()->myNumber.has_value());
  EXPECT_EQ(r->apdus, readApdus());  // EF 0001 never selected or read
  r = read("2468", false, /*include=*/false, /*allow=*/true);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->session.person()->myNumber.has_value());
  EXPECT_EQ(r->apdus, readApdus());
  r = read("2468", false, true, true);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->session.person()->myNumber.has_value());
  EXPECT_EQ(r->session.person()->myNumber->view(), "123456789018");
  EXPECT_TRUE(r->session.authentic());  // DF31 checked against EF 0001 too
  EXPECT_EQ(r->apdus, readApdus() + 2);
}

TEST_P(VirtualCardTest, TamperedSignatureIsNotAuthentic) {
  auto p = resident();
  p.faults.tamperSignature = true;
  insert(p);
  auto r = read("2468");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->session.authentic());
}

TEST_P(VirtualCardTest, CardPulledMidReadReportsCardRemovedAndTheNextReadWorks) {
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

TEST_P(VirtualCardTest, AnAlreadyVerifiedPinIsReCheckedFromAFreshState) {
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

TEST_P(VirtualCardTest, StatusReadsTheCounterWithoutUsingATry) {
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

// Born 平成元年1月8日, card expiring 2035, security code 4821: B is 01 01 08 2035 4821.
constexpr std::string_view kResidentB = "01010820354821";

CardReadRequest withB(std::string_view digits, bool allowLastTry = false) {
  CardReadRequest request;
  request.credential = Credential::VerificationB;
  request.verificationB = SecretText(digits);
  request.allowLastTry = allowLastTry;
  return request;
}

TEST_P(VirtualCardTest, VerificationBReadsTheItemsAuthenticAndSpendsNoPinTry) {
  auto p = resident();
  p.textAssist.securityCode = "4821";
  insert(p);
  CardPolicy policy;
  policy.trust = IssuerTrustStore::builtIn(true);
  auto built = verificationBFromCardFace("1989-01-08", "2035", "4821");
  ASSERT_TRUE(built.has_value());
  EXPECT_EQ(built->view(), kResidentB);
  auto r = readMyNumberCard(*readers_, virtualcard::kDemoReaderName, withB(built->view()), policy);
  ASSERT_TRUE(r.ok()) << r.error().diagnostic;
  EXPECT_EQ(r->session.person()->name.view(), "髙橋　﨑子");
  EXPECT_TRUE(r->session.authentic());

  // A wrong B: one B try, no PIN try; a wrong PIN: one PIN try, no B try.
  r = readMyNumberCard(*readers_, virtualcard::kDemoReaderName, withB("01010820359999"), policy);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::PinWrong);
  EXPECT_EQ(r.error().credential, "verificationB");
  EXPECT_EQ(r.error().retriesLeft, 9);
  EXPECT_EQ(emulator_->verificationBRetries(), 9);
  EXPECT_EQ(emulator_->textAssistRetries(), 3);
  auto pinRead = read("0000");
  EXPECT_EQ(pinRead.error().code, ErrorCode::PinWrong);
  EXPECT_TRUE(pinRead.error().credential.empty());
  EXPECT_EQ(emulator_->verificationBRetries(), 9);
  EXPECT_EQ(emulator_->textAssistRetries(), 2);
}

TEST_P(VirtualCardTest, VerificationBsLastTryIsGuardedAndTheIndividualNumberIsRefusedWithIt) {
  auto p = resident();
  p.textAssist.securityCode = "4821";
  p.textAssist.verificationBRetries = 1;
  insert(p);
  CardPolicy policy;
  policy.allowMyNumber = true;
  auto r = readMyNumberCard(*readers_, virtualcard::kDemoReaderName, withB(kResidentB), policy);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::PinLastTry);
  EXPECT_EQ(r.error().credential, "verificationB");
  EXPECT_EQ(verifiesWithData(), 0u);
  EXPECT_EQ(emulator_->verificationBRetries(), 1);

  sent_.clear();
  auto request = withB(kResidentB, true);
  request.includeMyNumber = true;
  r = readMyNumberCard(*readers_, virtualcard::kDemoReaderName, request, policy);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::BadRequest);
  EXPECT_TRUE(sent_.empty());  // refused before the card was touched

  r = readMyNumberCard(*readers_, virtualcard::kDemoReaderName, withB(kResidentB, true), policy);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(emulator_->verificationBRetries(), 10);  // a right B resets B's counter
}

TEST_P(VirtualCardTest, MalformedVerificationBSendsNothing) {
  insert(resident());
  CardPolicy policy;
  for (const char* b : {"", "0101082035482", "010108203548211", "0101082035482a", "01130820354821", "01013220354821",
                        "00010820354821", "０１０１０８２０３５４８２１"}) {
    auto r = readMyNumberCard(*readers_, virtualcard::kDemoReaderName, withB(b), policy);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::PinFormat) << b;
    EXPECT_EQ(r.error().credential, "verificationB") << b;
  }
  EXPECT_TRUE(sent_.empty());
  EXPECT_EQ(emulator_->verificationBRetries(), 10);
}

TEST_P(VirtualCardTest, AFaceRecognitionCardHasNoPinPathButReadsWithB) {
  auto profile = virtualcard::parseCardProfile(R"({"textAssist": {"pin": null, "name": "顔認　証子",
      "address": "東京都", "birthDate": "2019-05-01", "sex": "2", "securityCode": "7777", "expiryYear": "2034"}})", "");
  ASSERT_TRUE(profile.ok()) << profile.error().diagnostic;
  profile->textAssist.extendedLength = extendedCard();
  insert(*profile);
  auto status = readCardStatus(*readers_, virtualcard::kDemoReaderName, true);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->pinState, "locked");
  EXPECT_EQ(status->verificationBRetries, 10);
  auto r = read("1234", true);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::PinLocked);
  EXPECT_EQ(verifiesWithData(), 0u);
  CardPolicy policy;
  policy.trust = IssuerTrustStore::builtIn(true);
  // 令和元年5月1日 → 010501.
  auto b = readMyNumberCard(*readers_, virtualcard::kDemoReaderName, withB("01050120347777"), policy);
  ASSERT_TRUE(b.ok()) << b.error().diagnostic;
  EXPECT_EQ(b->session.person()->birthDate.view(), "2019-05-01");
  EXPECT_TRUE(b->session.authentic());
}

TEST_P(VirtualCardTest, ThePinlessSignatureProvesTheCardGenuine) {
  insert(resident());
  CardReadRequest request;
  request.pin = SecretText("2468");
  request.cardSignature = true;
  CardPolicy policy;
  policy.trust = IssuerTrustStore::builtIn(true);
  auto r = readMyNumberCard(*readers_, virtualcard::kDemoReaderName, request, policy);
  ASSERT_TRUE(r.ok()) << r.error().diagnostic;
  EXPECT_TRUE(r->session.cardSignature());
  // Not from an issuer we trust: not proved.
  r = readMyNumberCard(*readers_, virtualcard::kDemoReaderName, request, CardPolicy{});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->session.cardSignature());
  // An older card without the command: the read works, nothing is claimed.
  auto p = resident();
  p.textAssist.pinlessSignature = false;
  insert(p);
  r = readMyNumberCard(*readers_, virtualcard::kDemoReaderName, request, policy);
  ASSERT_TRUE(r.ok()) << r.error().diagnostic;
  EXPECT_FALSE(r->session.cardSignature());
  EXPECT_TRUE(r->session.authentic());
}

TEST_P(VirtualCardTest, AReaderThatRefusesExtendedApdusMakesTheAgentReadShortWithoutLosingATry) {
  auto p = resident();
  p.reader.extendedLength = false;
  p.reader.reportsExtendedLength = true;  // it claims what it cannot carry
  p.textAssist.apInfo = virtualcard::ApInfoShape::Short;  // and EF 0005 of the older shape
  insert(p);
  auto r = read("2468");
  ASSERT_TRUE(r.ok()) << r.error().diagnostic;
  EXPECT_TRUE(r->session.authentic());
  EXPECT_EQ(emulator_->textAssistRetries(), 3);
  EXPECT_EQ(verifiesWithData(), 1u);
  // Extended card: one refused extended read, then short reads (EF 0005 itself is read short).
  EXPECT_EQ(r->apdus, extendedCard() ? 2u + 13u + 1u : 2u + 13u);
}

INSTANTIATE_TEST_SUITE_P(ExtendedAndShortCards, VirtualCardTest, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "ExtendedLengthCard" : "ShortOnlyCard"; });

}  // namespace
}  // namespace kakanai::card
