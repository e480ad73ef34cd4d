// Central collection against a real PostgreSQL server started by the test (initdb in a
// temporary folder, a loopback port inside the test's own network namespace, stopped by the
// test): 10,000 records with the server stopped and restarted mid-sync, a push repeated after a
// lost acknowledgement, two PCs at once, and the agent's own sync thread.
#include <gtest/gtest.h>

#include <glob.h>
#include <grp.h>
#include <pwd.h>

#include <thread>

#include "../server/agent_harness.h"
#include "attendance/attendance_store.h"
#include "attendance/central_sync.h"

namespace kakanai::testing {
namespace {

using namespace std::chrono;
using attendance::AttendanceStore;

std::string postgresBin() {
  glob_t g{};
  std::string dir;
  if (::glob("/usr/lib/postgresql/*/bin/postgres", 0, nullptr, &g) == 0 && g.gl_pathc > 0) {
    dir = std::filesystem::path(g.gl_pathv[g.gl_pathc - 1]).parent_path().string();
  }
  globfree(&g);
  return dir;
}

// A PostgreSQL server of the test's own, run as the postgres user (it refuses root).
class PostgresServer {
 public:
  explicit PostgresServer(const std::filesystem::path& dir) : dir_(dir), bin_(postgresBin()) {}
  ~PostgresServer() { stop(); }

  bool init() {
    if (bin_.empty()) return false;
    passwd* pw = ::getpwnam("postgres");
    if (pw == nullptr) return false;
    std::filesystem::create_directories(dir_ / "data");
    for (const auto& p : {dir_, dir_ / "data"}) {
      if (::chown(p.c_str(), pw->pw_uid, pw->pw_gid) != 0) return false;
    }
    auto r = run({"runuser", "-u", "postgres", "--", bin_ + "/initdb", "-D", (dir_ / "data").string(), "-A", "trust", "-U", "kakanai",
                  "--no-sync", "-E", "UTF8", "--locale", "C"},
                 "", dir_);
    if (r.exitCode != 0) std::cerr << r.out << r.err;
    return r.exitCode == 0;
  }
  bool start() {
    process_ = std::make_unique<Process>(std::vector<std::string>{"runuser", "-u", "postgres", "--", bin_ + "/postgres", "-D",
                                                                  (dir_ / "data").string(), "-c", "listen_addresses=127.0.0.1", "-p",
                                                                  std::to_string(port_), "-k", dir_.string(), "-c", "fsync=off"},
                                         dir_ / "pg.out", dir_ / "pg.err");
    return eventually([&] { return psql("SELECT 1") == "1\n"; }, seconds(20));
  }
  // A fast shutdown (SIGINT to the postmaster): connected clients are cut off, as when the
  // server is stopped for maintenance or the office's network goes.
  void stop() {
    if (!process_) return;
    std::istringstream pidFile(slurp(dir_ / "data" / "postmaster.pid"));
    pid_t pid = 0;
    pidFile >> pid;
    if (pid > 0) ::kill(pid, SIGINT);
    process_->wait();
    process_.reset();
  }
  std::string connection() const { return "host=127.0.0.1 port=" + std::to_string(port_) + " dbname=postgres user=kakanai connect_timeout=3"; }
  std::string psql(const std::string& sql) {
    return run({bin_ + "/../bin/psql", "-X", "-q", "-At", "-h", "127.0.0.1", "-p", std::to_string(port_), "-U", "kakanai", "-d", "postgres", "-c", sql},
               "", dir_)
        .out;
  }

 private:
  std::filesystem::path dir_;
  std::string bin_;
  int port_ = 25432;
  std::unique_ptr<Process> process_;
};

// SQLite files on tmpfs: filling 10,000 records with a sync per commit would test the disk.
std::filesystem::path fastDir() { return std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "/tmp"; }

attendance::StorePtr storeWithRecords(const std::filesystem::path& file, int records) {
  auto store = AttendanceStore::open(file.string());
  EXPECT_TRUE(store.ok());
  if (!store.ok()) return nullptr;
  auto& s = **store;
  const auto t0 = WallClock::now() - hours(24 * 30);
  EXPECT_TRUE(s.enroll("card-a", {"E0001", "窓口　一郎", "2031-01-01T00:00:00Z"}, t0).ok());
  EXPECT_TRUE(s.enroll("card-b", {"E0002", "受付　花子", "2031-01-01T00:00:00Z"}, t0).ok());
  attendance::AttendanceRules rules;
  rules.doubleTapWindow = milliseconds(0);
  for (int i = 0; i < records; ++i) {
    EXPECT_TRUE(s.recordTap(i % 2 ? "card-a" : "card-b", "Reader 00 00", t0 + minutes(i), rules).ok());
  }
  return std::move(*store);
}

class CentralSyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::getenv("KAKANAI_ISOLATED") == nullptr) GTEST_SKIP() << "run through tests/integration/isolated.sh";
    pg_ = std::make_unique<PostgresServer>(dir_.path());
    ASSERT_TRUE(pg_->init());
    ASSERT_TRUE(pg_->start()) << slurp(dir_.path() / "pg.err");
    auto migrated = run({KAKANAI_AGENT_BIN, "attendance", "migrate", "--postgres", pg_->connection(), "--migrations",
                         std::string(KAKANAI_SOURCE_DIR) + "/db/postgresql"},
                        "", dir_.path());
    ASSERT_EQ(migrated.exitCode, 0) << migrated.out << migrated.err;
    EXPECT_NE(migrated.out.find("applied 001_attendance_records.sql"), std::string::npos);
    // Migrating again applies nothing.
    EXPECT_EQ(run({KAKANAI_AGENT_BIN, "attendance", "migrate", "--postgres", pg_->connection(), "--migrations",
                   std::string(KAKANAI_SOURCE_DIR) + "/db/postgresql"},
                  "", dir_.path())
                  .out,
              "");
  }
  attendance::CentralSyncSettings settings(std::size_t batch = 200) {
    attendance::CentralSyncSettings s;
    s.connection = pg_->connection();
    s.batch = batch;
    s.firstRetry = milliseconds(100);
    s.maxRetry = milliseconds(800);
    s.idlePoll = milliseconds(200);
    return s;
  }
  std::string countFor(const std::string& device) {
    return pg_->psql("SELECT count(*), count(DISTINCT local_seq), min(local_seq), max(local_seq) FROM attendance_records WHERE device_id='" +
                     device + "'");
  }

  TempDir dir_;
  std::unique_ptr<PostgresServer> pg_;
};

TEST_F(CentralSyncTest, TenThousandRecordsThroughAServerRestartWithoutLossOrDuplicates) {
  const auto file = fastDir() / ("kakanai-sync-" + std::to_string(::getpid()) + ".sqlite");
  auto store = storeWithRecords(file, 10000);
  ASSERT_TRUE(store);
  attendance::StorePtr raw = store;
  attendance::CentralSync sync([raw]() -> Result<attendance::StorePtr> { return raw; }, settings(100));
  sync.start();
  ASSERT_TRUE(eventually([&] { return sync.pushedThrough() >= 1500; }, seconds(60)));
  pg_->stop();
  // Taps go on while the server is away, and the sync keeps retrying.
  attendance::AttendanceRules rules;
  rules.doubleTapWindow = milliseconds(0);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(store->recordTap("card-a", "Reader 00 00", WallClock::now() + seconds(i), rules).ok());
  ASSERT_TRUE(eventually([&] { return sync.lastRoundFailed(); }, seconds(10)));
  const auto stalledAt = sync.pushedThrough();
  EXPECT_LT(stalledAt, 10010);
  ASSERT_TRUE(pg_->start());
  ASSERT_TRUE(eventually([&] { return sync.pushedThrough() == 10010; }, seconds(120))) << sync.pushedThrough();
  sync.stop();
  EXPECT_EQ(countFor(store->deviceId()), "10010|10010|1|10010\n");

  // The acknowledgement of a push was lost (a crash after PostgreSQL committed): the PC pushes
  // everything again, and the key turns every insert into nothing.
  ASSERT_TRUE(store->markSynced(0).ok());
  attendance::CentralSync again([raw]() -> Result<attendance::StorePtr> { return raw; }, settings(1000));
  auto pushed = again.pushPending();
  ASSERT_TRUE(pushed.ok());
  EXPECT_EQ(*pushed, 10010u);
  EXPECT_EQ(countFor(store->deviceId()), "10010|10010|1|10010\n");
  EXPECT_EQ(pg_->psql("SELECT kind, staff_id, display_name FROM attendance_records WHERE local_seq=1 AND device_id='" + store->deviceId() + "'"),
            "in|E0002|受付　花子\n");
  raw.reset();
  store.reset();
  std::filesystem::remove(file);
  std::filesystem::remove(file.string() + "-wal");
  std::filesystem::remove(file.string() + "-shm");
}

TEST_F(CentralSyncTest, TwoPcsSyncAtOnce) {
  const auto a = fastDir() / ("kakanai-sync-a-" + std::to_string(::getpid()) + ".sqlite");
  const auto b = fastDir() / ("kakanai-sync-b-" + std::to_string(::getpid()) + ".sqlite");
  auto storeA = storeWithRecords(a, 3000);
  auto storeB = storeWithRecords(b, 3000);
  ASSERT_TRUE(storeA && storeB);
  ASSERT_NE(storeA->deviceId(), storeB->deviceId());
  attendance::StorePtr rawA = storeA;
  attendance::StorePtr rawB = storeB;
  attendance::CentralSync syncA([rawA]() -> Result<attendance::StorePtr> { return rawA; }, settings(50));
  attendance::CentralSync syncB([rawB]() -> Result<attendance::StorePtr> { return rawB; }, settings(50));
  syncA.start();
  syncB.start();
  ASSERT_TRUE(eventually([&] { return syncA.pushedThrough() == 3000 && syncB.pushedThrough() == 3000; }, seconds(120)));
  syncA.stop();
  syncB.stop();
  EXPECT_EQ(countFor(storeA->deviceId()), "3000|3000|1|3000\n");
  EXPECT_EQ(countFor(storeB->deviceId()), "3000|3000|1|3000\n");
  EXPECT_EQ(pg_->psql("SELECT count(*) FROM attendance_devices"), "2\n");
  for (const auto& f : {a, b}) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(f.string() + suffix);
  }
}

TEST_F(CentralSyncTest, TheAgentPushesItsTapsByItself) {
  TempDir agentDir;
  const std::string store = (agentDir.path() / "attendance.sqlite").string();
  Agent agent(agentDir, R"({"attendance":{"doubleTapSeconds":0,"postgres":")" + pg_->connection() + R"("}})", {"--attendance-store", store});
  ASSERT_TRUE(agent.ready());
  Client c(agent.port(), agent.origin());
  c.hello();
  ASSERT_TRUE(enrolDemoCard(c, "E0001", "窓口　一郎", "E0001")->getValue<bool>("ok"));
  for (int i = 0; i < 2; ++i) {
    c.request(R"({"id":"t","type":"demo.tap","card":"E0001"})");
    ASSERT_TRUE(c.waitForEvent("attendance.tap"));
    c.clearEvents();
  }
  EXPECT_TRUE(eventually([&] { return pg_->psql("SELECT string_agg(kind, ',' ORDER BY local_seq) FROM attendance_records") == "in,out\n"; },
                         seconds(20)));
}

}  // namespace
}  // namespace kakanai::testing
