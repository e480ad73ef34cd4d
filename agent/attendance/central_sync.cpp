#include "attendance/central_sync.h"

#include <libpq-fe.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/log.h"

namespace kakanai::attendance {

// The central store is spoken to with libpq itself. Poco::Data's PostgreSQL connector (1.11, as
// Debian ships it) never frees a connection that broke — it only PQfinish()es a healthy one —
// so a PC would leak one connection per outage of the office's server. The local store stays
// on Poco::Data (SQLite).
struct CentralConnection {
  PGconn* conn = nullptr;
  explicit CentralConnection(PGconn* c) : conn(c) {}
  ~CentralConnection() { PQfinish(conn); }
  CentralConnection(const CentralConnection&) = delete;
  CentralConnection& operator=(const CentralConnection&) = delete;
};

namespace {

Error centralError(const std::string& what, const char* message) {
  // libpq's message names the host, port and SQLSTATE text; parameters are never in it.
  std::string m = message ? message : "";
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return Error::of(ErrorCode::StoreUnavailable, "central store: " + what + ": " + m);
}

Result<std::unique_ptr<CentralConnection>> connectCentral(const std::string& connection) {
  auto c = std::make_unique<CentralConnection>(PQconnectdb(connection.c_str()));
  if (PQstatus(c->conn) != CONNECTION_OK) return centralError("connect", PQerrorMessage(c->conn));
  return c;
}

// Runs one statement; ok when it returned a command or tuples status.
Result<std::string> exec(PGconn* conn, const std::string& sql, const std::vector<std::string>& params = {}) {
  std::vector<const char*> values;
  for (const auto& p : params) values.push_back(p.c_str());
  PGresult* r = PQexecParams(conn, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0);
  const ExecStatusType st = PQresultStatus(r);
  std::string first;
  if (st == PGRES_TUPLES_OK && PQntuples(r) > 0 && PQnfields(r) > 0) first = PQgetvalue(r, 0, 0);
  const bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
  std::string error = ok ? "" : (PQresultErrorMessage(r) ? PQresultErrorMessage(r) : "");
  PQclear(r);
  if (!ok) return centralError("statement", error.empty() ? PQerrorMessage(conn) : error.c_str());
  return first;
}

}  // namespace

CentralSync::CentralSync(StoreAccess store, CentralSyncSettings settings) : store_(std::move(store)), settings_(std::move(settings)) {}

CentralSync::~CentralSync() { stop(); }

void CentralSync::start() {
  if (running_.exchange(true)) return;
  thread_ = std::thread([this] { run(); });
}

void CentralSync::stop() {
  if (!running_.exchange(false)) return;
  wake();
  if (thread_.joinable()) thread_.join();
}

void CentralSync::wake() {
  {
    std::lock_guard lock(waitMutex_);
    woken_ = true;
  }
  wakeCv_.notify_all();
}

Result<std::size_t> CentralSync::pushBatch() {
  auto store = store_();
  if (!store) return store.error();
  auto pending = (*store)->unsynced(settings_.batch);
  if (!pending) return pending.error();
  if (pending->empty()) return std::size_t{0};
  const std::string device = (*store)->deviceId();
  if (!connection_) {
    auto c = connectCentral(settings_.connection);
    if (!c) return c.error();
    connection_ = std::move(*c);
  }
  PGconn* conn = connection_->conn;
  auto fail = [&](const Error& e) -> Result<std::size_t> {
    // Whatever state the connection is in, a fresh one is made for the retry.
    connection_.reset();
    return e;
  };
  if (auto r = exec(conn, "BEGIN"); !r) return fail(r.error());
  for (const auto& r : *pending) {
    auto inserted = exec(conn,
                         "INSERT INTO attendance_records(device_id, local_seq, staff_id, display_name, kind, at, work_day, reader)"
                         " VALUES($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (device_id, local_seq) DO NOTHING",
                         {device, std::to_string(r.seq), r.staffId, r.displayName, std::string(tapKindName(r.kind)), r.at, r.workDay, r.reader});
    if (!inserted) return fail(inserted.error());
  }
  if (auto r = exec(conn, "COMMIT"); !r) return fail(r.error());
  // Marked only after PostgreSQL committed. A crash in between pushes the batch again, which
  // the conflict clause turns into nothing.
  const std::int64_t through = pending->back().seq;
  KAKANAI_TRY((*store)->markSynced(through));
  pushedThrough_ = through;
  return pending->size();
}

Result<std::size_t> CentralSync::pushPending() {
  std::lock_guard lock(pushMutex_);
  std::size_t total = 0;
  while (true) {
    auto n = pushBatch();
    if (!n) return n.error();
    total += *n;
    if (*n < settings_.batch) return total;
  }
}

void CentralSync::run() {
  auto retry = settings_.firstRetry;
  while (running_) {
    auto pushed = pushPending();
    std::chrono::milliseconds wait = settings_.idlePoll;
    if (!pushed) {
      if (!lastRoundFailed_) logLine(LogLevel::Warning, "attendance sync failing, retrying: " + pushed.error().diagnostic);
      lastRoundFailed_ = true;
      wait = retry;
      retry = std::min(retry * 2, settings_.maxRetry);
    } else {
      if (lastRoundFailed_) logLine(LogLevel::Info, "attendance sync recovered");
      lastRoundFailed_ = false;
      retry = settings_.firstRetry;
      if (*pushed > 0) logLine(LogLevel::Debug, "attendance sync pushed " + std::to_string(*pushed));
    }
    std::unique_lock lock(waitMutex_);
    // While failing, a new tap does not cut the backoff short: the server is given its time.
    wakeCv_.wait_for(lock, wait, [&] { return !running_ || (woken_ && !lastRoundFailed_); });
    woken_ = false;
  }
}

Result<std::vector<std::string>> migrateCentralSchema(const std::string& connection, const std::string& migrationsDir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(migrationsDir, ec)) {
    if (entry.path().extension() == ".sql") files.push_back(entry.path());
  }
  if (ec) return Error::of(ErrorCode::Internal, "migrations: cannot read " + migrationsDir);
  std::sort(files.begin(), files.end());
  std::vector<std::string> applied;
  auto c = connectCentral(connection);
  if (!c) return c.error();
  PGconn* conn = (*c)->conn;
  KAKANAI_TRY(exec(conn, "CREATE TABLE IF NOT EXISTS kakanai_schema_migrations(name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"));
  for (const auto& file : files) {
    const std::string name = file.filename().string();
    KAKANAI_TRY(exec(conn, "BEGIN"));
    auto step = [&]() -> Status {
      KAKANAI_TRY(exec(conn, "SELECT pg_advisory_xact_lock(4747800)"));
      auto done = exec(conn, "SELECT count(*) FROM kakanai_schema_migrations WHERE name=$1", {name});
      if (!done) return done.error();
      if (*done != "0") return okStatus();
      std::ifstream in(file);
      std::stringstream text;
      text << in.rdbuf();
      // A whole file in one simple-query call: libpq runs every statement in it.
      PGresult* r = PQexec(conn, text.str().c_str());
      const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
      const std::string error = ok ? "" : PQresultErrorMessage(r);
      PQclear(r);
      if (!ok) return centralError(name, error.c_str());
      KAKANAI_TRY(exec(conn, "INSERT INTO kakanai_schema_migrations(name) VALUES($1)", {name}));
      applied.push_back(name);
      return okStatus();
    };
    auto st = step();
    if (!st) {
      (void)exec(conn, "ROLLBACK");
      return st.error();
    }
    KAKANAI_TRY(exec(conn, "COMMIT"));
  }
  return applied;
}

}  // namespace kakanai::attendance
