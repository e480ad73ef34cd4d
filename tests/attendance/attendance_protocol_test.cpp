// Attendance through the agent binary and a real WebSocket client: in demo mode (virtual
// attendance reader) and through the real stack (pcscd + vpcd + virtual staff cards made for the
// staff in ../shared/cases/staff.json).
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>

#include <ctime>
#include <set>

#include "../integration/pcsc_stack.h"
#include "../server/agent_harness.h"

namespace kakanai::testing {
namespace {

std::string today() {
  const std::time_t t = std::time(nullptr) - 4 * 3600;  // the working day starts at 04:00
  std::tm local{};
  localtime_r(&t, &local);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &local);
  return buf;
}

// `digits` standing alone (not inside a longer number such as a duration).
bool containsNumber(const std::string& text, const std::string& digits) {
  for (auto at = text.find(digits); at != std::string::npos; at = text.find(digits, at + 1)) {
    const bool before = at > 0 && std::isdigit(static_cast<unsigned char>(text[at - 1]));
    const bool after = at + digits.size() < text.size() && std::isdigit(static_cast<unsigned char>(text[at + digits.size()]));
    if (!before && !after) return true;
  }
  return false;
}

std::string data(const Object::Ptr& event, const std::string& key) {
  return event->getObject("data")->getValue<std::string>(key);
}

// Waits for the next attendance.* event after `from` (events before it were already looked at).
Object::Ptr nextAttendanceEvent(Client& c, std::size_t& from) {
  for (int i = 0; i < 50; ++i) {
    const auto& ev = c.events();
    for (; from < ev.size(); ++from) {
      const std::string name = ev[from]->getValue<std::string>("event");
      if (name.rfind("attendance.", 0) == 0) return ev[from++];
    }
    // A cheap request makes the client read whatever arrived meanwhile.
    c.request(R"({"id":"poll","type":"forms.list"})");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return nullptr;
}

TEST(AttendanceProtocol, DemoReaderEnrolTapsListAndExport) {
  TempDir dir;
  const auto store = dir.path() / "attendance.sqlite";
  Agent agent(dir, R"({"attendance":{"doubleTapSeconds":2}})", {"--attendance-store", store.string()});
  ASSERT_TRUE(agent.ready());
  Client c(agent.port(), agent.origin());
  auto hello = c.hello();
  ASSERT_TRUE(hello->getValue<bool>("ok"));
  EXPECT_NE(toJsonText(hello).find("attendance.enroll"), std::string::npos);

  auto readers = c.request(R"({"id":"r","type":"readers.list"})")->getObject("result")->getArray("readers");
  std::string attendanceReader;
  for (unsigned i = 0; i < readers->size(); ++i) {
    if (readers->getObject(i)->getValue<std::string>("role") == "attendance") attendanceReader = readers->getObject(i)->getValue<std::string>("name");
  }
  ASSERT_FALSE(attendanceReader.empty());

  // Enrolment waits for the next tap: the request is answered after demo.tap puts the card down.
  auto enrolled = enrolDemoCard(c, "E0001", "窓口　一郎", "E0001");
  ASSERT_TRUE(enrolled);
  ASSERT_TRUE(enrolled->getValue<bool>("ok")) << toJsonText(enrolled);
  EXPECT_EQ(enrolled->getObject("result")->getValue<std::string>("staffId"), "E0001");
  EXPECT_EQ(enrolled->getObject("result")->getValue<std::string>("certNotAfter").substr(0, 4), "2036");
  std::size_t seen = c.events().size();

  ASSERT_TRUE(c.request(R"({"id":"t1","type":"demo.tap","card":"E0001"})")->getValue<bool>("ok"));
  auto in = nextAttendanceEvent(c, seen);
  ASSERT_TRUE(in);
  EXPECT_EQ(in->getValue<std::string>("event"), "attendance.tap");
  EXPECT_EQ(data(in, "kind"), "in");
  EXPECT_EQ(data(in, "staffId"), "E0001");
  EXPECT_EQ(data(in, "displayName"), "窓口　一郎");
  EXPECT_EQ(data(in, "reader"), attendanceReader);

  c.request(R"({"id":"t2","type":"demo.tap","card":"E0001"})");
  auto dbl = nextAttendanceEvent(c, seen);
  ASSERT_TRUE(dbl);
  EXPECT_EQ(dbl->getValue<std::string>("event"), "attendance.ignored");

  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  c.request(R"({"id":"t3","type":"demo.tap","card":"E0001"})");
  auto out = nextAttendanceEvent(c, seen);
  ASSERT_TRUE(out);
  EXPECT_EQ(data(out, "kind"), "out");

  c.request(R"({"id":"t4","type":"demo.tap","card":"unknown"})");
  auto unknown = nextAttendanceEvent(c, seen);
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->getValue<std::string>("event"), "attendance.unknown_card");

  auto expired = enrolDemoCard(c, "E0009", "期限　切子", "expired");
  ASSERT_TRUE(expired);
  EXPECT_EQ(code(expired), "certificate_expired");

  EXPECT_EQ(code(c.request(R"({"id":"e3","type":"attendance.enroll","staffId":"E0002","displayName":"受付　花子","timeoutSeconds":0.5})")),
            "timeout");
  EXPECT_EQ(code(c.request(R"({"id":"b1","type":"attendance.enroll","displayName":"x"})")), "bad_request");
  EXPECT_EQ(code(c.request(R"({"id":"b2","type":"attendance.list","from":"2026-13-01","to":"2026-12-01"})")), "bad_request");
  EXPECT_EQ(code(c.request(R"({"id":"b3","type":"attendance.enroll","staffId":"E1","displayName":"x","reader":"Kakanai Virtual Reader (demo) 00 00"})")),
            "bad_request");
  EXPECT_EQ(code(c.request(R"({"id":"b4","type":"attendance.verify","tap":"nope","pin":"1234"})")), "unknown_tap");

  auto list = c.request(R"({"id":"l","type":"attendance.list","from":")" + today() + R"(","to":")" + today() + R"("})");
  ASSERT_TRUE(list->getValue<bool>("ok"));
  auto records = list->getObject("result")->getArray("records");
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ(records->getObject(0)->getValue<std::string>("kind"), "in");
  EXPECT_EQ(records->getObject(1)->getValue<std::string>("kind"), "out");
  EXPECT_EQ(records->getObject(1)->getValue<std::string>("reader"), attendanceReader);

  // The CLI export reads the same store while the agent runs (WAL lets both in).
  auto csv = run({KAKANAI_AGENT_BIN, "attendance", "export", "--from", today(), "--to", today(), "--attendance-store", store.string()}, "", dir.path());
  ASSERT_EQ(csv.exitCode, 0) << csv.err;
  EXPECT_EQ(csv.out.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(csv.out.find("\"E0001\",\"窓口　一郎\",in,"), std::string::npos) << csv.out;
  EXPECT_NE(csv.out.find("\"E0001\",\"窓口　一郎\",out,"), std::string::npos);
  auto none = run({KAKANAI_AGENT_BIN, "attendance", "export", "--from", "2000-01-01", "--to", "2000-01-02", "--attendance-store", store.string()},
                  "", dir.path());
  EXPECT_EQ(std::count(none.out.begin(), none.out.end(), '\n'), 1);
}

TEST(AttendanceProtocol, StrongModeAsksThePageForThePin) {
  TempDir dir;
  Agent agent(dir, R"({"attendance":{"strong":true}})", {"--attendance-store", (dir.path() / "a.sqlite").string()});
  ASSERT_TRUE(agent.ready());
  Client c(agent.port(), agent.origin());
  ASSERT_NE(toJsonText(c.hello()).find("attendance.verify"), std::string::npos);
  ASSERT_TRUE(enrolDemoCard(c, "E0002", "受付　花子", "E0002")->getValue<bool>("ok"));
  std::size_t seen = c.events().size();
  c.request(R"({"id":"t1","type":"demo.tap","card":"E0002"})");
  auto ask = nextAttendanceEvent(c, seen);
  ASSERT_TRUE(ask);
  ASSERT_EQ(ask->getValue<std::string>("event"), "attendance.pin_required");
  EXPECT_EQ(data(ask, "staffId"), "E0002");
  EXPECT_EQ(ask->getObject("data")->getValue<int>("retriesLeft"), 3);
  const std::string tap = data(ask, "tap");
  auto wrong = c.request(R"({"id":"v1","type":"attendance.verify","tap":")" + tap + R"(","pin":"1234"})");
  EXPECT_EQ(code(wrong), "pin_wrong");
  EXPECT_EQ(wrong->getObject("error")->getValue<int>("retriesLeft"), 2);
  auto right = c.request(R"({"id":"v2","type":"attendance.verify","tap":")" + tap + R"(","pin":"8642"})");
  ASSERT_TRUE(right->getValue<bool>("ok")) << toJsonText(right);
  EXPECT_TRUE(right->getObject("result")->getValue<bool>("recorded"));
  EXPECT_EQ(right->getObject("result")->getValue<std::string>("kind"), "in");
  auto recorded = nextAttendanceEvent(c, seen);
  ASSERT_TRUE(recorded);
  EXPECT_EQ(recorded->getValue<std::string>("event"), "attendance.tap");
  // The PIN went to the card only: not to the agent's log.
  EXPECT_FALSE(containsNumber(agent.log(), "8642"));
}

// ---- Through the real stack: pcscd, the vpcd reader, a virtual card per staff member ----

struct StaffMember {
  std::string staffId, displayName, authPin;
};

std::vector<StaffMember> sharedStaff() {
  auto root = parseJson(slurp(std::string(KAKANAI_SHARED_DIR) + "/cases/staff.json"));
  std::vector<StaffMember> out;
  auto list = root->getArray("staff");
  for (unsigned i = 0; i < list->size(); ++i) {
    auto s = list->getObject(i);
    out.push_back({s->getValue<std::string>("staffId"), s->getValue<std::string>("displayName"), s->getValue<std::string>("authPin")});
  }
  return out;
}

// A staff card with a certificate made once for the test, so every tap shows the same card.
std::string staffCardProfile(const TempDir& dir, const std::string& name, const std::string& authPin, int validDays = 1825,
                             int notBeforeDaysAgo = 1) {
  const auto prefix = (dir.path() / name).string();
  if (!std::filesystem::exists(prefix + "-cert.pem")) {
    auto made = run({kVirtualCard, "--make-certificate", prefix, "--valid-days", std::to_string(validDays), "--not-before-days-ago",
                     std::to_string(notBeforeDaysAgo)},
                    "", dir.path());
    EXPECT_EQ(made.exitCode, 0) << made.err;
  }
  return R"({"textAssist":{"pin":"9999","name":"職員","address":"-","birthDate":"19800101","sex":"1"},"jpki":{"authPin":")" + authPin +
         R"(","certificatePem":")" + prefix + R"(-cert.pem","privateKeyPem":")" + prefix + R"(-key.pem"}})";
}

class AttendanceStack : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!isolated()) GTEST_SKIP() << "run through tests/integration/isolated.sh";
    stack_ = std::make_unique<PcscStack>(dir_.path(), "Kakanai Attendance vpcd");
    ASSERT_TRUE(stack_->start());
  }
  std::unique_ptr<Agent> agent(const std::string& config) {
    auto a = std::make_unique<Agent>(dir_, config, std::vector<std::string>{"--attendance-store", (dir_.path() / "a.sqlite").string()}, false);
    EXPECT_TRUE(a->ready()) << a->log();
    return a;
  }
  // Puts the card on the reader and takes it away again, as a tap does.
  void tap(const std::string& profile) {
    ASSERT_TRUE(stack_->insertCard(profile));
  }
  void lift() {
    stack_->removeCard();
    ASSERT_TRUE(stack_->waitForCard(false));
  }

  TempDir dir_;
  std::unique_ptr<PcscStack> stack_;
  const std::string attendanceRole_ = R"("readerRoles":[{"pattern":"Attendance vpcd","role":"attendance"}])";
};

TEST_F(AttendanceStack, SharedStaffEnrolAndTapInAndOutWithoutAnyPin) {
  // The window is wide enough that a loaded CI machine still shows the second tap inside it.
  auto a = agent("{" + attendanceRole_ + R"(,"attendance":{"doubleTapSeconds":6}})");
  Client c(a->port(), a->origin());
  ASSERT_TRUE(c.hello()->getValue<bool>("ok"));
  const auto staff = sharedStaff();
  ASSERT_GE(staff.size(), 2u);
  for (const auto& s : staff) {
    c.sendRaw(R"({"id":"e","type":"attendance.enroll","staffId":")" + s.staffId + R"(","displayName":")" + s.displayName + R"("})");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    tap(staffCardProfile(dir_, s.staffId, s.authPin));
    auto r = c.receive();
    ASSERT_TRUE(r->getValue<bool>("ok")) << toJsonText(r);
    EXPECT_EQ(r->getObject("result")->getValue<std::string>("staffId"), s.staffId);
    lift();
  }
  std::size_t seen = c.events().size();
  for (std::size_t i = 0; i < staff.size(); ++i) {
    const auto& s = staff[i];
    tap(staffCardProfile(dir_, s.staffId, s.authPin));
    auto e = nextAttendanceEvent(c, seen);
    ASSERT_TRUE(e);
    ASSERT_EQ(e->getValue<std::string>("event"), "attendance.tap") << toJsonText(e);
    EXPECT_EQ(data(e, "staffId"), s.staffId);
    EXPECT_EQ(data(e, "displayName"), s.displayName);
    EXPECT_EQ(data(e, "kind"), "in");
    EXPECT_EQ(data(e, "reader"), stack_->reader());
    lift();
    if (i == 0) {
      // The first staff member's card again at once: a double tap, not a clock-out.
      tap(staffCardProfile(dir_, s.staffId, s.authPin));
      auto dbl = nextAttendanceEvent(c, seen);
      ASSERT_TRUE(dbl);
      EXPECT_EQ(dbl->getValue<std::string>("event"), "attendance.ignored") << toJsonText(dbl);
      lift();
    }
  }
  std::this_thread::sleep_for(std::chrono::seconds(6));
  tap(staffCardProfile(dir_, staff[0].staffId, staff[0].authPin));
  auto out = nextAttendanceEvent(c, seen);
  ASSERT_TRUE(out);
  EXPECT_EQ(data(out, "kind"), "out");
  lift();
  // Someone else's card.
  tap(staffCardProfile(dir_, "stranger", "1234"));
  auto unknown = nextAttendanceEvent(c, seen);
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->getValue<std::string>("event"), "attendance.unknown_card");
  lift();
  // No tap sent a PIN or even asked for a PIN counter.
  EXPECT_EQ(stack_->pinTries(), 0);
  EXPECT_EQ(stack_->apduLog().find("00 20 00 80 lc="), std::string::npos);
  auto list = c.request(R"({"id":"l","type":"attendance.list","from":")" + today() + R"(","to":")" + today() + R"("})");
  EXPECT_EQ(list->getObject("result")->getArray("records")->size(), 3u);
}

TEST_F(AttendanceStack, ExpiredCertificatesAreRefusedAndCounterReadersRecordNothing) {
  {
    auto a = agent("{" + attendanceRole_ + "}");
    Client c(a->port(), a->origin());
    ASSERT_TRUE(c.hello()->getValue<bool>("ok"));
    c.sendRaw(R"({"id":"e","type":"attendance.enroll","staffId":"E0001","displayName":"窓口　一郎"})");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    tap(staffCardProfile(dir_, "expired", "1234", 365, 400));
    EXPECT_EQ(code(c.receive()), "certificate_expired");
    lift();
    // Enrolled while valid, expired since: the tap is refused with the reason.
    c.sendRaw(R"({"id":"e","type":"attendance.enroll","staffId":"E0001","displayName":"窓口　一郎"})");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    tap(staffCardProfile(dir_, "E0001", "1234"));
    ASSERT_TRUE(c.receive()->getValue<bool>("ok"));
    lift();
  }
  // The same store, the same reader, now with the counter role: a staff card there is a card,
  // never a clock-in.
  auto a = agent("{}");
  Client c(a->port(), a->origin());
  ASSERT_TRUE(c.hello()->getValue<bool>("ok"));
  tap(staffCardProfile(dir_, "E0001", "1234"));
  ASSERT_TRUE(c.waitForEvent("card.inserted"));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  c.request(R"({"id":"p","type":"forms.list"})");
  for (const auto& e : c.events()) EXPECT_EQ(e->getValue<std::string>("event").rfind("attendance.", 0), std::string::npos);
  auto list = c.request(R"({"id":"l","type":"attendance.list","from":"2000-01-01","to":"2100-01-01"})");
  EXPECT_EQ(list->getObject("result")->getArray("records")->size(), 0u);
}

TEST_F(AttendanceStack, StrongModeWithRightAndWrongPin) {
  const auto staff = sharedStaff();
  auto a = agent("{" + attendanceRole_ + R"(,"attendance":{"strong":true}})");
  Client c(a->port(), a->origin());
  ASSERT_TRUE(c.hello()->getValue<bool>("ok"));
  c.sendRaw(R"({"id":"e","type":"attendance.enroll","staffId":")" + staff[1].staffId + R"(","displayName":")" + staff[1].displayName + R"("})");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  tap(staffCardProfile(dir_, staff[1].staffId, staff[1].authPin));
  ASSERT_TRUE(c.receive()->getValue<bool>("ok"));
  lift();
  std::size_t seen = c.events().size();
  tap(staffCardProfile(dir_, staff[1].staffId, staff[1].authPin));
  auto ask = nextAttendanceEvent(c, seen);
  ASSERT_TRUE(ask);
  ASSERT_EQ(ask->getValue<std::string>("event"), "attendance.pin_required");
  const std::string tapId = data(ask, "tap");
  const std::string wrongPin = staff[1].authPin == "0000" ? "1111" : "0000";
  auto wrong = c.request(R"({"id":"v1","type":"attendance.verify","tap":")" + tapId + R"(","pin":")" + wrongPin + R"("})");
  EXPECT_EQ(code(wrong), "pin_wrong");
  EXPECT_EQ(wrong->getObject("error")->getValue<int>("retriesLeft"), 2);
  auto right = c.request(R"({"id":"v2","type":"attendance.verify","tap":")" + tapId + R"(","pin":")" + staff[1].authPin + R"("})");
  ASSERT_TRUE(right->getValue<bool>("ok")) << toJsonText(right);
  EXPECT_TRUE(right->getObject("result")->getValue<bool>("recorded"));
  EXPECT_EQ(stack_->pinTries(), 2);
  // The card signed with its key (COMPUTE DIGITAL SIGNATURE after the PIN), and was reset after.
  EXPECT_NE(stack_->apduLog().find("80 2A 00 80"), std::string::npos);
  lift();
  EXPECT_FALSE(containsNumber(a->log(), staff[1].authPin));
}

}  // namespace
}  // namespace kakanai::testing

namespace kakanai::testing {
namespace {

// The attendance store on a folder that turns read-only or fills up under the running agent:
// the tap is refused with store_unavailable, nothing is half-written, and taps work again once
// the folder does. Needs the private mount namespace of isolated.sh.
class AttendanceStoreFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!isolated()) GTEST_SKIP() << "run through tests/integration/isolated.sh";
    store_ = dir_.path() / "store";
    std::filesystem::create_directories(store_);
  }
  void TearDown() override {
    stopAgent();
    if (mounted_) run({"umount", "-l", store_.string()}, "", dir_.path());
  }
  bool sh(const std::string& command) {
    auto r = run({"sh", "-c", command}, "", dir_.path());
    if (r.exitCode != 0) std::cerr << command << ": " << r.out << r.err;
    return r.exitCode == 0;
  }
  Object::Ptr tapAndWait(Client& c, std::size_t& seen, const char* card) {
    c.request(std::string(R"({"id":"t","type":"demo.tap","card":")") + card + R"("})");
    return nextAttendanceEvent(c, seen);
  }
  std::string integrity() { return run({"sqlite3", (store_ / "attendance.sqlite").string(), "PRAGMA integrity_check"}, "", dir_.path()).out; }
  // An agent on the store with E0001 enrolled, after one recorded tap (its `in`).
  void startWithOneTap() {
    agent_ = std::make_unique<Agent>(dir_, R"({"attendance":{"doubleTapSeconds":0}})",
                                     std::vector<std::string>{"--attendance-store", (store_ / "attendance.sqlite").string()});
    ASSERT_TRUE(agent_->ready()) << agent_->log();
    client_ = std::make_unique<Client>(agent_->port(), agent_->origin());
    client_->hello();
    ASSERT_TRUE(enrolDemoCard(*client_, "E0001", "窓口　一郎", "E0001")->getValue<bool>("ok"));
    seen_ = client_->events().size();
    ASSERT_EQ(tapAndWait(*client_, seen_, "E0001")->getValue<std::string>("event"), "attendance.tap");
  }
  void stopAgent() {
    client_.reset();
    agent_.reset();
  }

  TempDir dir_;
  std::filesystem::path store_;
  bool mounted_ = false;
  std::unique_ptr<Agent> agent_;
  std::unique_ptr<Client> client_;
  std::size_t seen_ = 0;
};

TEST_F(AttendanceStoreFaults, AReadOnlyFolderRefusesTapsUntilItIsWritableAgain) {
  startWithOneTap();
  stopAgent();
  // The folder turns read-only while no agent runs (a remount while a writer has the file open
  // is refused by the kernel): the agent starts, serves the counter, and refuses taps clearly.
  ASSERT_TRUE(sh("mount --bind " + store_.string() + " " + store_.string() + " && mount -o remount,bind,ro " + store_.string()));
  mounted_ = true;
  Agent agent(dir_, R"({"attendance":{"doubleTapSeconds":0}})", {"--attendance-store", (store_ / "attendance.sqlite").string()});
  ASSERT_TRUE(agent.ready()) << agent.log();
  Client c(agent.port(), agent.origin());
  c.hello();
  EXPECT_TRUE(c.request(R"({"id":"s","type":"card.status"})")->getValue<bool>("ok"));
  std::size_t seen = c.events().size();
  auto refused = tapAndWait(c, seen, "E0001");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->getValue<std::string>("event"), "attendance.refused");
  EXPECT_EQ(refused->getObject("data")->getValue<std::string>("code"), "store_unavailable");
  EXPECT_FALSE(refused->getObject("data")->getValue<std::string>("message").empty());
  ASSERT_TRUE(sh("mount -o remount,bind,rw " + store_.string()));
  auto again = tapAndWait(c, seen, "E0001");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->getValue<std::string>("event"), "attendance.tap");
  EXPECT_EQ(again->getObject("data")->getValue<std::string>("kind"), "out");  // the refused tap left no trace
  EXPECT_EQ(again->getObject("data")->getValue<int>("seq"), 2);
  EXPECT_EQ(integrity(), "ok\n");
}

TEST_F(AttendanceStoreFaults, AFullDiskRefusesTapsAndLosesNothing) {
  ASSERT_TRUE(sh("mount -t tmpfs -o size=2m kakanai-full " + store_.string()));
  mounted_ = true;
  startWithOneTap();
  Client& c = *client_;
  std::size_t& seen = seen_;
  // Fill what is left of the folder.
  sh("dd if=/dev/zero of=" + (store_ / "filler").string() + " bs=4k 2>/dev/null");
  int refusals = 0, taps = 1;
  for (int i = 0; i < 40 && refusals == 0; ++i) {
    auto e = tapAndWait(c, seen, "E0001");
    ASSERT_TRUE(e);
    if (e->getValue<std::string>("event") == "attendance.refused") {
      EXPECT_EQ(e->getObject("data")->getValue<std::string>("code"), "store_unavailable");
      ++refusals;
    } else {
      ++taps;  // the WAL still had room
    }
  }
  EXPECT_EQ(refusals, 1);
  std::filesystem::remove(store_ / "filler");
  auto after = tapAndWait(c, seen, "E0001");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->getValue<std::string>("event"), "attendance.tap");
  EXPECT_EQ(after->getObject("data")->getValue<int>("seq"), taps + 1);
  auto list = c.request(R"({"id":"l","type":"attendance.list","from":"2000-01-01","to":"2100-01-01"})");
  EXPECT_EQ(list->getObject("result")->getArray("records")->size(), static_cast<std::size_t>(taps + 1));
  EXPECT_EQ(integrity(), "ok\n");
}

}  // namespace
}  // namespace kakanai::testing
