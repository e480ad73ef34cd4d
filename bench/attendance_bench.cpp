// Attendance throughput, printed as a Markdown section of docs/BENCHMARKS.md:
//  - taps per second on the local store (one durable transaction per tap), against bare SQLite
//    inserts with the same durability in the same run (the floor an fsync per commit sets);
//  - whole taps through the service (JPKI certificate read from the virtual card, X.509 parse,
//    binding lookup, durable record);
//  - records per second pushed to PostgreSQL by CentralSync, against the same rows inserted by
//    plain libpq in one transaction (when a connection string is given).
#include <libpq-fe.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "attendance/attendance_service.h"
#include "attendance/attendance_store.h"
#include "attendance/central_sync.h"
#include "core/log.h"
#include "virtualcard/demo_staff_cards.h"
#include "virtualcard/virtual_reader_system.h"

using namespace kakanai;
using Clock = std::chrono::steady_clock;

namespace {

double seconds(Clock::time_point from) { return std::chrono::duration<double>(Clock::now() - from).count(); }

double bareSqliteInsertsPerSecond(const std::string& path, int n) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t(seq INTEGER PRIMARY KEY, a TEXT, b TEXT, c INTEGER)",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO t(a, b, c) VALUES('E0001', '2026-11-23T08:30:00+09:00', ?)", -1, &st, nullptr);
  const auto t0 = Clock::now();
  for (int i = 0; i < n; ++i) {
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    sqlite3_bind_int(st, 1, i);
    sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  }
  const double rate = n / seconds(t0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return rate;
}

attendance::StorePtr filledStore(const std::string& path, int n, double* tapsPerSecond) {
  attendance::StorePtr store = std::move(attendance::AttendanceStore::open(path)).value();
  const auto t = WallClock::now() - std::chrono::hours(24 * 400);
  (void)store->enroll("card", {"E0001", "窓口　一郎", "2031-01-01T00:00:00Z"}, t);
  attendance::AttendanceRules rules;
  rules.doubleTapWindow = std::chrono::milliseconds(0);
  const auto t0 = Clock::now();
  for (int i = 0; i < n; ++i) (void)store->recordTap("card", "Reader 00 00", t + std::chrono::minutes(i), rules);
  if (tapsPerSecond) *tapsPerSecond = n / seconds(t0);
  return store;
}

double libpqInsertsPerSecond(const std::string& conninfo, const std::vector<attendance::AttendanceRecord>& records) {
  PGconn* c = PQconnectdb(conninfo.c_str());
  if (PQstatus(c) != CONNECTION_OK) return 0;
  PQclear(PQexec(c, "CREATE TEMP TABLE peer (LIKE attendance_records INCLUDING ALL)"));
  const auto t0 = Clock::now();
  PQclear(PQexec(c, "BEGIN"));
  for (const auto& r : records) {
    const std::string seq = std::to_string(r.seq);
    const char* values[] = {"peer-device", seq.c_str(), r.staffId.c_str(), r.displayName.c_str(), attendance::tapKindName(r.kind).data()  /* a literal: terminated */, r.at.c_str(), r.workDay.c_str(), r.reader.c_str()};
    PQclear(PQexecParams(c,
                         "INSERT INTO peer(device_id, local_seq, staff_id, display_name, kind, at, work_day, reader)"
                         " VALUES($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (device_id, local_seq) DO NOTHING",
                         8, nullptr, values, nullptr, nullptr, 0));
  }
  PQclear(PQexec(c, "COMMIT"));
  const double rate = static_cast<double>(records.size()) / seconds(t0);
  PQfinish(c);
  return rate;
}

}  // namespace

int main(int argc, char** argv) {
  setLogLevel("warning");
  const std::string dir = argc > 1 ? argv[1] : "/tmp";
  const std::string conninfo = argc > 2 ? argv[2] : "";
  const int taps = 2000;
  const auto base = std::filesystem::path(dir) / ("kakanai-attendance-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(base);

  double ours = 0;
  filledStore((base / "store.sqlite").string(), taps, &ours);
  const double bare = bareSqliteInsertsPerSecond((base / "bare.sqlite").string(), taps);

  // Whole taps through the service and the virtual attendance reader.
  auto counter = std::move(virtualcard::MyNumberCardEmulator::create(virtualcard::sampleCardProfile())).value();
  auto readers = virtualcard::makeVirtualReaderSystem(std::move(counter), true);
  virtualcard::DemoStaffWallet wallet;
  auto card = std::move(wallet.card("E0001")).value();
  attendance::AttendanceSettings settings;
  settings.storePath = (base / "service.sqlite").string();
  settings.rules.doubleTapWindow = std::chrono::milliseconds(0);
  attendance::AttendanceService service(*readers, settings);
  (void)readers->tapOnAttendanceReader(card);
  std::thread enrolTap([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    service.onCardTapped(virtualcard::kDemoAttendanceReaderName);
  });
  (void)service.enroll("E0001", "窓口　一郎", virtualcard::kDemoAttendanceReaderName, std::chrono::seconds(5));
  enrolTap.join();
  const int serviceTaps = 300;
  const auto s0 = Clock::now();
  for (int i = 0; i < serviceTaps; ++i) service.onCardTapped(virtualcard::kDemoAttendanceReaderName);
  const double serviceRate = serviceTaps / seconds(s0);

  std::printf("## Attendance\n\n");
  std::printf("`bench/attendance_bench` (Release), 2 shared cores, store on the build folder's disk. Taps are durable\n");
  std::printf("transactions (SQLite WAL,\n");
  std::printf("`synchronous=FULL`: one fsync per tap); the peer is bare SQLite doing one insert per transaction with the\n");
  std::printf("same settings in the same run, the floor that durability sets.\n\n");
  std::printf("| what | per second | vs bare SQLite |\n|---|---:|---:|\n");
  std::printf("| bare SQLite insert + commit (peer) | %.0f | 1.00 |\n", bare);
  std::printf("| `AttendanceStore::recordTap` (binding, double-tap and in/out checks, insert) | %.0f | %.2f |\n", ours, ours / bare);
  std::printf("| whole tap: JPKI certificate from the virtual card, X.509 parse, record | %.0f | %.2f |\n\n", serviceRate, serviceRate / bare);

  if (!conninfo.empty()) {
    const int records = 20000;
    auto store = filledStore((base / "sync.sqlite").string(), records, nullptr);
    auto rows = std::move(store->unsynced(records)).value();
    attendance::CentralSyncSettings cs;
    cs.connection = conninfo;
    attendance::CentralSync sync([store]() -> Result<attendance::StorePtr> { return store; }, cs);
    const auto p0 = Clock::now();
    auto pushed = sync.pushPending();
    const double pushRate = pushed.ok() ? static_cast<double>(*pushed) / seconds(p0) : 0;
    const double peer = libpqInsertsPerSecond(conninfo, rows);
    std::printf("PostgreSQL %s on loopback (started by `scripts/bench.sh`, fsync on). %d records; the peer inserts the same rows\n",
                "15", records);
    std::printf("with plain libpq (`PQexecParams`, one transaction, same conflict clause) into a table like ours.\n\n");
    std::printf("| what | records per second | vs libpq |\n|---|---:|---:|\n");
    std::printf("| plain libpq inserts (peer) | %.0f | 1.00 |\n", peer);
    std::printf("| `CentralSync::pushPending` (batches of 500, outbox marked after each commit) | %.0f | %.2f |\n\n", pushRate,
                peer > 0 ? pushRate / peer : 0);
  }
  std::filesystem::remove_all(base);
  return 0;
}
