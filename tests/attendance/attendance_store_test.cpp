// The attendance store and service in process: the rules (in/out, double tap, working day,
// clock jumps, enrolment history, expiry, strong mode) against a real SQLite file and the
// virtual card's JPKI applet.
#include <gtest/gtest.h>

#include <cstdlib>

#include "../integration/process.h"
#include "attendance/attendance_service.h"
#include "attendance/attendance_store.h"
#include "crypto/x509.h"
#include "virtualcard/demo_staff_cards.h"
#include "virtualcard/virtual_reader_system.h"

namespace kakanai::attendance {
namespace {

using namespace std::chrono;
using testing::TempDir;

// Local time in Tokyo, as on a counter PC in Japan.
struct TokyoTime : ::testing::Environment {
  void SetUp() override {
    setenv("TZ", "Asia/Tokyo", 1);
    tzset();
  }
};
const auto* const kTokyo = ::testing::AddGlobalTestEnvironment(new TokyoTime);

WallClock::time_point tokyo(int y, int mo, int d, int h, int mi, int s = 0) {
  std::tm t{};
  t.tm_year = y - 1900;
  t.tm_mon = mo - 1;
  t.tm_mday = d;
  t.tm_hour = h;
  t.tm_min = mi;
  t.tm_sec = s;
  t.tm_isdst = 0;
  return WallClock::from_time_t(timegm(&t) - 9 * 3600);
}

AttendanceRules rules() {
  AttendanceRules r;
  r.dayStartsAt = minutes(4 * 60);
  r.doubleTapWindow = seconds(10);
  return r;
}

std::unique_ptr<AttendanceStore> openStore(const TempDir& dir) {
  auto s = AttendanceStore::open((dir.path() / "attendance.sqlite").string());
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().diagnostic);
  return s.ok() ? std::move(*s) : nullptr;
}

TEST(AttendanceStore, InOutAlternateWithinAWorkingDayThatStartsAtFour) {
  TempDir dir;
  auto store = openStore(dir);
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->enroll("aa", {"E0001", "窓口　一郎", "2030-01-01T00:00:00Z"}, tokyo(2026, 11, 1, 8, 0)).ok());
  auto tap = [&](WallClock::time_point at) {
    auto r = store->recordTap("aa", "R", at, rules());
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : TapOutcome{};
  };
  EXPECT_EQ(tap(tokyo(2026, 11, 23, 8, 30)).record.kind, TapKind::In);
  EXPECT_EQ(tap(tokyo(2026, 11, 23, 12, 0)).record.kind, TapKind::Out);
  EXPECT_EQ(tap(tokyo(2026, 11, 23, 13, 0)).record.kind, TapKind::In);
  // Past midnight but before 04:00: still the 23rd's shift, so this closes it.
  auto late = tap(tokyo(2026, 11, 24, 1, 30));
  EXPECT_EQ(late.record.kind, TapKind::Out);
  EXPECT_EQ(late.record.workDay, "2026-11-23");
  EXPECT_EQ(late.record.at, "2026-11-24T01:30:00+09:00");
  auto next = tap(tokyo(2026, 11, 24, 8, 45));
  EXPECT_EQ(next.record.kind, TapKind::In);
  EXPECT_EQ(next.record.workDay, "2026-11-24");
  EXPECT_EQ(next.record.seq, 5);
  EXPECT_EQ(store->list("2026-11-23", "2026-11-23", std::nullopt)->size(), 4u);
  EXPECT_EQ(store->list("2026-11-23", "2026-11-24", std::string("E0001"))->size(), 5u);
  EXPECT_EQ(store->list("2026-11-23", "2026-11-24", std::string("E0002"))->size(), 0u);
}

TEST(AttendanceStore, DoubleTapsAreIgnoredEvenWhenTheClockIsSetBack) {
  TempDir dir;
  auto store = openStore(dir);
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->enroll("aa", {"E0001", "窓口　一郎", "2030-01-01T00:00:00Z"}, tokyo(2026, 11, 1, 8, 0)).ok());
  const auto t = tokyo(2026, 11, 23, 8, 30);
  EXPECT_EQ(store->recordTap("aa", "R", t, rules())->disposition, TapDisposition::Recorded);
  EXPECT_EQ(store->recordTap("aa", "R", t + seconds(9), rules())->disposition, TapDisposition::DoubleTap);
  // An NTP correction moved the clock 5 s back: still the same tap.
  EXPECT_EQ(store->recordTap("aa", "R", t - seconds(5), rules())->disposition, TapDisposition::DoubleTap);
  EXPECT_EQ(store->recordTap("aa", "R", t + seconds(10), rules())->disposition, TapDisposition::Recorded);
  // A clock that jumped back by an hour: the tap is recorded with the time the PC says, the
  // sequence keeps the true order, and in/out keeps alternating.
  auto back = store->recordTap("aa", "R", t - hours(1), rules());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->record.kind, TapKind::In);
  EXPECT_EQ(back->record.seq, 3);
  // A jump forward across the day boundary starts a new working day.
  auto ahead = store->recordTap("aa", "R", t + hours(24), rules());
  EXPECT_EQ(ahead->record.kind, TapKind::In);
  EXPECT_EQ(ahead->record.workDay, "2026-11-24");
}

TEST(AttendanceStore, ReenrolmentReplacesTheCardAndKeepsHistory) {
  TempDir dir;
  auto store = openStore(dir);
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->enroll("old", {"E0001", "窓口　一郎", "2026-12-01T00:00:00Z"}, tokyo(2026, 1, 1, 8, 0)).ok());
  ASSERT_TRUE(store->recordTap("old", "R", tokyo(2026, 11, 23, 8, 0), rules()).ok());
  ASSERT_TRUE(store->enroll("new", {"E0001", "窓口　一郎", "2031-12-01T00:00:00Z"}, tokyo(2026, 11, 23, 9, 0)).ok());
  EXPECT_FALSE(store->bindingOf("old")->has_value());
  EXPECT_EQ((*store->bindingOf("new"))->certNotAfter, "2031-12-01T00:00:00Z");
  EXPECT_EQ(store->recordTap("old", "R", tokyo(2026, 11, 23, 12, 0), rules())->disposition, TapDisposition::UnknownCard);
  // The same person, the new card: the day goes on where the old card left it.
  EXPECT_EQ(store->recordTap("new", "R", tokyo(2026, 11, 23, 17, 0), rules())->record.kind, TapKind::Out);
  EXPECT_EQ(store->list("2026-11-23", "2026-11-23", std::nullopt)->size(), 2u);
  // A card handed on to another staff id leaves the first one.
  ASSERT_TRUE(store->enroll("new", {"E0002", "受付　花子", "2031-12-01T00:00:00Z"}, tokyo(2026, 11, 24, 9, 0)).ok());
  EXPECT_EQ((*store->bindingOf("new"))->staffId, "E0002");
}

TEST(AttendanceStore, TheOutboxIsReadInOrderAndSurvivesReopening) {
  TempDir dir;
  std::string device;
  {
    auto store = openStore(dir);
    ASSERT_TRUE(store);
    device = store->deviceId();
    EXPECT_EQ(device.size(), 32u);
    ASSERT_TRUE(store->enroll("aa", {"E0001", "窓口　一郎", "2030-01-01T00:00:00Z"}, tokyo(2026, 11, 1, 8, 0)).ok());
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(store->recordTap("aa", "R", tokyo(2026, 11, 23, 8, i), rules()).ok());
    auto pending = store->unsynced(3);
    ASSERT_EQ(pending->size(), 3u);
    EXPECT_EQ(pending->front().seq, 1);
    ASSERT_TRUE(store->markSynced(3).ok());
  }
  auto store = openStore(dir);
  ASSERT_TRUE(store);
  EXPECT_EQ(store->deviceId(), device);
  EXPECT_EQ(*store->syncedThrough(), 3);
  auto pending = store->unsynced(100);
  ASSERT_EQ(pending->size(), 2u);
  EXPECT_EQ(pending->front().seq, 4);
}

TEST(AttendanceStore, IsInWalModeWithFullSync) {
  TempDir dir;
  auto store = openStore(dir);
  ASSERT_TRUE(store);
  // WAL mode leaves its marks: the -wal file next to the database and the header's version bytes.
  const std::string header = testing::slurp(dir.path() / "attendance.sqlite").substr(18, 2);
  EXPECT_EQ(header, std::string("\x02\x02", 2));
}

TEST(AttendanceStore, AnUnwritablePlaceGivesStoreUnavailable) {
  // Tests run as root, which ignores permissions: a path under a regular file cannot be made by
  // anyone. (A read-only mount and a full disk are in the attendance stack test.)
  TempDir dir;
  testing::writeFile(dir.path() / "file", "x");
  auto s = AttendanceStore::open((dir.path() / "file" / "attendance.sqlite").string());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::StoreUnavailable);
}

// The service over the in-process virtual attendance reader and the demo's staff cards.
class AttendanceServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto counter = virtualcard::MyNumberCardEmulator::create(virtualcard::sampleCardProfile());
    ASSERT_TRUE(counter.ok());
    readers_ = virtualcard::makeVirtualReaderSystem(std::move(*counter), true);
    (void)readers_->waitForEvents(milliseconds(0));
  }
  std::unique_ptr<AttendanceService> service(bool strong, std::function<WallClock::time_point()> clock = WallClock::now) {
    AttendanceSettings s;
    s.storePath = (dir_.path() / "attendance.sqlite").string();
    s.rules = rules();
    s.strong = strong;
    auto svc = std::make_unique<AttendanceService>(*readers_, s, std::move(clock));
    svc->setListener([this](const AttendanceEvent& e) { events_.push_back(e); });
    return svc;
  }
  void tap(AttendanceService& svc, const std::string& card) {
    auto c = wallet_.card(card);
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE(readers_->tapOnAttendanceReader(*c).ok());
    svc.onCardTapped(virtualcard::kDemoAttendanceReaderName);
  }
  void enroll(AttendanceService& svc, const std::string& card, const std::string& staffId, const std::string& name) {
    std::thread tapper([&] {
      std::this_thread::sleep_for(milliseconds(100));
      tap(svc, card);
    });
    auto e = svc.enroll(staffId, name, virtualcard::kDemoAttendanceReaderName, seconds(5));
    tapper.join();
    ASSERT_TRUE(e.ok()) << codeName(e.error().code);
    EXPECT_EQ(e->staffId, staffId);
  }

  TempDir dir_;
  std::unique_ptr<virtualcard::VirtualReaderSystem> readers_;
  virtualcard::DemoStaffWallet wallet_;
  std::vector<AttendanceEvent> events_;
};

TEST_F(AttendanceServiceTest, EnrolTapInOutDoubleTapUnknownAndExpiredCards) {
  auto clock = tokyo(2026, 11, 23, 8, 30);
  auto svc = service(false, [&] { return clock; });
  enroll(*svc, "E0001", "E0001", "窓口　一郎");
  EXPECT_TRUE(events_.empty());  // an enrolment tap is not a clock-in
  tap(*svc, "E0001");
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(events_[0].kind, AttendanceEventKind::Tap);
  EXPECT_EQ(events_[0].record.kind, TapKind::In);
  EXPECT_EQ(events_[0].record.displayName, "窓口　一郎");
  EXPECT_FALSE(events_[0].certExpiresSoon);
  clock += seconds(3);
  tap(*svc, "E0001");
  EXPECT_EQ(events_.back().kind, AttendanceEventKind::Ignored);
  clock += hours(9);
  tap(*svc, "E0001");
  EXPECT_EQ(events_.back().record.kind, TapKind::Out);
  tap(*svc, "unknown");
  EXPECT_EQ(events_.back().kind, AttendanceEventKind::UnknownCard);
  // An expired card cannot be enrolled, and a card that expired after enrolment is refused.
  std::thread tapper([&] {
    std::this_thread::sleep_for(milliseconds(100));
    tap(*svc, "expired");
  });
  auto e = svc->enroll("E0003", "期限　切子", virtualcard::kDemoAttendanceReaderName, seconds(5));
  tapper.join();
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code, ErrorCode::CertificateExpired);
  EXPECT_EQ(svc->list("2026-11-23", "2026-11-23", std::nullopt)->size(), 2u);
}

TEST_F(AttendanceServiceTest, CertificatesNearTheirEndAreFlagged) {
  const auto& e0002 = virtualcard::demoStaffCards()[1];
  auto info = crypto::parseCertificateDer(*crypto::certificatePemToDer(e0002.certificatePem));
  ASSERT_TRUE(info);
  auto clock = info->notAfter - hours(24 * 10);  // ten days before the certificate ends
  auto svc = service(false, [&] { return clock; });
  enroll(*svc, "E0002", "E0002", "受付　花子");
  tap(*svc, "E0002");
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_TRUE(events_[0].certExpiresSoon);
  clock = info->notAfter + seconds(1);
  tap(*svc, "E0002");
  EXPECT_EQ(events_.back().kind, AttendanceEventKind::Refused);
  EXPECT_EQ(events_.back().code, ErrorCode::CertificateExpired);
}

TEST_F(AttendanceServiceTest, StrongModeNeedsTheRightPinAndTheCardsOwnKey) {
  auto svc = service(true);
  enroll(*svc, "E0002", "E0002", "受付　花子");
  tap(*svc, "E0002");
  ASSERT_EQ(events_.size(), 1u);
  ASSERT_EQ(events_[0].kind, AttendanceEventKind::PinRequired);
  EXPECT_EQ(events_[0].retriesLeft, 3);
  const std::string tapId = events_[0].tapId;
  EXPECT_EQ(svc->list("2000-01-01", "2100-01-01", std::nullopt)->size(), 0u);  // nothing yet

  auto wrong = svc->verifyTap(tapId, SecretText("1111"), false);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::PinWrong);
  EXPECT_EQ(wrong.error().retriesLeft, 2);
  auto right = svc->verifyTap(tapId, SecretText("8642"), false);
  ASSERT_TRUE(right.ok()) << codeName(right.error().code);
  ASSERT_TRUE(right->has_value());
  EXPECT_EQ((*right)->kind, TapKind::In);
  EXPECT_EQ(events_.back().kind, AttendanceEventKind::Tap);
  // A tap is verified once.
  EXPECT_EQ(svc->verifyTap(tapId, SecretText("8642"), false).error().code, ErrorCode::UnknownTap);
  EXPECT_EQ(svc->list("2000-01-01", "2100-01-01", std::nullopt)->size(), 1u);
}

TEST_F(AttendanceServiceTest, StrongModeNeverSpendsTheLastTryUnasked) {
  auto svc = service(true);
  enroll(*svc, "E0001", "E0001", "窓口　一郎");
  tap(*svc, "E0001");
  const std::string tapId = events_.back().tapId;
  EXPECT_EQ(svc->verifyTap(tapId, SecretText("0000"), false).error().retriesLeft, 2);
  EXPECT_EQ(svc->verifyTap(tapId, SecretText("0000"), false).error().retriesLeft, 1);
  auto last = svc->verifyTap(tapId, SecretText("1234"), false);
  ASSERT_FALSE(last.ok());
  EXPECT_EQ(last.error().code, ErrorCode::PinLastTry);
  EXPECT_EQ(svc->verifyTap(tapId, SecretText("12a4"), false).error().code, ErrorCode::PinFormat);
  auto allowed = svc->verifyTap(tapId, SecretText("1234"), true);
  ASSERT_TRUE(allowed.ok());
  EXPECT_TRUE(allowed->has_value());
}

TEST_F(AttendanceServiceTest, AStoreThatCannotBeWrittenRefusesTheTapAndKeepsNothingHalfWritten) {
  AttendanceSettings s;
  testing::writeFile(dir_.path() / "file", "x");
  s.storePath = (dir_.path() / "file" / "attendance.sqlite").string();
  AttendanceService svc(*readers_, s);
  svc.setListener([this](const AttendanceEvent& e) { events_.push_back(e); });
  tap(svc, "E0001");
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(events_[0].kind, AttendanceEventKind::Refused);
  EXPECT_EQ(events_[0].code, ErrorCode::StoreUnavailable);
}

}  // namespace
}  // namespace kakanai::attendance
