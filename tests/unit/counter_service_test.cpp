// The counter service on its own, without JSON or sockets: the in-process reader system of demo
// mode (a counter reader with a resident's virtual card, an attendance reader beside it), the
// shipped forms, a session store on a clock the test moves.
#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "counter/counter_service.h"
#include "sample_resident.h"
#include "virtualcard/virtual_reader_system.h"

namespace kakanai::counter {
namespace {

using namespace std::chrono;
using virtualcard::MyNumberCardEmulator;

constexpr const char* kOrigin = "https://madoguchi.example";
constexpr const char* kOther = "https://other-counter.example";

class CounterServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto card = MyNumberCardEmulator::create(testing::sampleResidentCard());
    ASSERT_TRUE(card.ok());
    (*card)->setObserver([this](std::uint8_t, std::uint8_t ins, std::uint8_t p1, std::uint8_t p2, std::size_t lc, std::uint16_t) {
      apdus_.push_back({ins, p1, p2, lc});
    });
    readers_ = virtualcard::makeVirtualReaderSystem(std::move(*card), true);
    FormCatalog catalog;
    auto fonts = fonts::FontSet::load(KAKANAI_SOURCE_DIR "/fonts/manifest.json");
    ASSERT_TRUE(fonts.ok()) << fonts.error().diagnostic;
    catalog.fonts = *fonts;
    auto forms = forms::loadFormDirectory(KAKANAI_SOURCE_DIR "/forms");
    ASSERT_TRUE(forms.ok()) << forms.error().diagnostic;
    catalog.forms = std::move(*forms);
    catalog.pages.assign(catalog.forms.size(), 1);
    catalog.templatesDir = KAKANAI_SOURCE_DIR "/templates";
    card::CardPolicy policy;
    policy.trust = card::IssuerTrustStore::builtIn(true);
    auto sessions = std::make_unique<ResidentSessions>(minutes(10), [this] { return now_; });
    service_ = std::make_unique<CounterService>(*readers_, ReaderRoles({{"Attendance", ReaderRole::Attendance}}), std::move(policy),
                                                std::move(catalog), std::move(sessions), std::make_unique<printing::PrintService>(
                                                                                              std::vector<std::string>{}));
    service_->setListener([this](const CounterEvent& e) { events_.push_back(e); });
  }

  Result<ReadResident> read(std::string_view pin, std::optional<std::string> reader = std::nullopt, bool includeMyNumber = false) {
    CardReadOrder order;
    order.reader = std::move(reader);
    order.card.pin = SecretText(pin);
    order.card.includeMyNumber = includeMyNumber;
    return service_->readCard(kOrigin, std::move(order));
  }
  static FillOrder inkan(std::optional<std::string> session) {
    FillOrder order;
    order.form = "inkan";
    order.session = std::move(session);
    order.values["idDocument"] = "マイナンバーカード";
    order.date = "2026-12-01";
    return order;
  }
  std::size_t verifies() const {
    std::size_t n = 0;
    for (const auto& a : apdus_) n += (a.ins == 0x20 && a.lc > 0) ? 1 : 0;
    return n;
  }
  struct Apdu {
    std::uint8_t ins, p1, p2;
    std::size_t lc;
  };
  std::vector<Apdu> apdus_;
  std::vector<CounterEvent> events_;
  steady_clock::time_point now_{};
  std::unique_ptr<virtualcard::VirtualReaderSystem> readers_;
  std::unique_ptr<CounterService> service_;
};

TEST_F(CounterServiceTest, AResidentReadOnTheCounterReaderBecomesASessionOfTheOriginThatAsked) {
  auto r = read("2468");
  ASSERT_TRUE(r.ok()) << r.error().diagnostic;
  EXPECT_EQ(r->person.name.view(), "髙橋　﨑子");
  EXPECT_EQ(r->person.birthDate.view(), "1989-01-08");
  EXPECT_TRUE(r->authentic);
  EXPECT_FALSE(r->person.myNumber.has_value());
  EXPECT_TRUE(service_->sessions().person(r->session, kOrigin));
  EXPECT_FALSE(service_->sessions().person(r->session, kOther));
  EXPECT_EQ(verifies(), 1u);
}

TEST_F(CounterServiceTest, AResidentsCardIsNeverReadOnAnAttendanceReader) {
  auto r = read("2468", std::string(virtualcard::kDemoAttendanceReaderName));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::BadRequest);
  EXPECT_EQ(r.error().field, "reader");
  EXPECT_TRUE(apdus_.empty());
  // Unnamed, the counter reader is chosen even though the attendance reader is listed first or not.
  auto chosen = service_->counterReader(std::nullopt);
  ASSERT_TRUE(chosen.ok());
  EXPECT_EQ(*chosen, virtualcard::kDemoReaderName);
}

TEST_F(CounterServiceTest, APinThatCannotBeOneReachesNoCard) {
  for (const char* pin : {"", "123", "12345", "12a4", "１２３４"}) {
    auto r = read(pin);
    ASSERT_FALSE(r.ok()) << pin;
    EXPECT_EQ(r.error().code, ErrorCode::PinFormat) << pin;
  }
  EXPECT_TRUE(apdus_.empty());
}

TEST_F(CounterServiceTest, TheIndividualNumberIsNotReadWhenOnlyTheRequestAsks) {
  auto plain = read("2468");
  ASSERT_TRUE(plain.ok()) << plain.error().diagnostic;
  const std::size_t plainApdus = apdus_.size();
  apdus_.clear();
  auto r = read("2468", std::nullopt, true);  // the configuration does not allow it
  ASSERT_TRUE(r.ok()) << r.error().diagnostic;
  EXPECT_FALSE(r->person.myNumber.has_value());
  EXPECT_EQ(apdus_.size(), plainApdus);  // not one SELECT or READ BINARY more
}

TEST_F(CounterServiceTest, AFillUsesOnlyTheOriginsOwnSessionAndDiesWithIt) {
  auto r = read("2468");
  ASSERT_TRUE(r.ok());
  auto other = service_->fill(kOther, inkan(r->session));
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, ErrorCode::UnknownSession);
  auto filled = service_->fill(kOrigin, inkan(r->session));
  ASSERT_TRUE(filled.ok()) << filled.error().diagnostic;
  EXPECT_EQ(filled->session, r->session);
  EXPECT_GE(filled->pages, 1);
  EXPECT_TRUE(service_->sessions().document(filled->document, kOrigin));
  EXPECT_TRUE(service_->clearSession(r->session, kOrigin));
  EXPECT_FALSE(service_->sessions().document(filled->document, kOrigin));
  auto after = service_->fill(kOrigin, inkan(r->session));
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().code, ErrorCode::UnknownSession);
}

TEST_F(CounterServiceTest, ATypedPersonGetsASessionOfTheirOwnAndIsChecked) {
  FillOrder order = inkan(std::nullopt);
  Person p;
  p.name = SecretText("山田　太郎");
  p.address = SecretText("東京都千代田区");
  p.birthDate = SecretText("1980-02-30");  // never existed
  order.typedPerson = p;
  auto bad = service_->fill(kOrigin, order);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "person.birthDate");
  order = inkan(std::nullopt);
  p.birthDate = SecretText("1980-02-29");
  order.typedPerson = p;
  auto ok = service_->fill(kOrigin, order);
  ASSERT_TRUE(ok.ok()) << ok.error().diagnostic;
  EXPECT_TRUE(service_->sessions().person(ok->session, kOrigin));
  EXPECT_TRUE(apdus_.empty());
}

TEST_F(CounterServiceTest, ExpiryIsAnnouncedToTheOwningOriginOnly) {
  auto r = read("2468");
  ASSERT_TRUE(r.ok());
  now_ += minutes(9);
  service_->expireSessions();
  EXPECT_TRUE(events_.empty());
  now_ += minutes(1);
  service_->expireSessions();
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(events_[0].kind, CounterEvent::Kind::SessionExpired);
  EXPECT_EQ(events_[0].origin, kOrigin);
  EXPECT_EQ(events_[0].session, r->session);
  EXPECT_FALSE(service_->sessions().person(r->session, kOrigin));
}

TEST_F(CounterServiceTest, PrintingADocumentOfAnotherOriginOrNoneIsUnknownDocument) {
  FillOrder order = inkan(std::nullopt);
  Person p;
  p.name = SecretText("山田　太郎");
  p.address = SecretText("東京都千代田区");
  p.birthDate = SecretText("1980-04-01");
  order.typedPerson = p;
  auto filled = service_->fill(kOrigin, order);
  ASSERT_TRUE(filled.ok()) << filled.error().diagnostic;
  PrintOrder print;
  print.document = filled->document;
  auto elsewhere = service_->print(kOther, print);
  ASSERT_FALSE(elsewhere.ok());
  EXPECT_EQ(elsewhere.error().code, ErrorCode::UnknownDocument);
  print.document = "d-none";
  auto none = service_->print(kOrigin, print);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::UnknownDocument);
}

}  // namespace
}  // namespace kakanai::counter
