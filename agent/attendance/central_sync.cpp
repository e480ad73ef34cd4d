#include "attendance/central_sync.h"

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Exception.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/log.h"

namespace kakanai::attendance {

using namespace Poco::Data::Keywords;
using Poco::Int64;

namespace {

void registerPostgres() {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Data::PostgreSQL::Connector::registerConnector(); });
}

Error centralError(const std::string& what, const Poco::Exception& e) {
  // The message is libpq's (host, port, SQLSTATE text): no record content is ever bound into it.
  return Error::of(ErrorCode::StoreUnavailable, "central store: " + what + ": " + e.name() + " " + e.message());
}

}  // namespace

struct CentralSync::Connection {
  Poco::Data::Session session;
  explicit Connection(const std::string& c) : session("PostgreSQL", c) {}
};

CentralSync::CentralSync(StoreAccess store, CentralSyncSettings settings) : store_(std::move(store)), settings_(std::move(settings)) {
  registerPostgres();
}

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
  try {
    if (!connection_) connection_ = std::make_unique<Connection>(settings_.connection);
    auto& s = connection_->session;
    s.begin();
    for (auto& r : *pending) {
      std::string dev = device;
      Int64 seq = r.seq;
      s << "INSERT INTO attendance_records(device_id, local_seq, staff_id, display_name, kind, at, work_day, reader)"
           " VALUES($1, $2, $3, $4, $5, CAST($6 AS timestamptz), CAST($7 AS date), $8)"
           " ON CONFLICT (device_id, local_seq) DO NOTHING",
          use(dev), use(seq), use(r.staffId), use(r.displayName), use(r.kind), use(r.at), use(r.workDay), use(r.reader), now;
    }
    s.commit();
  } catch (const Poco::Exception& e) {
    // Whatever state the connection is in, a fresh one is made for the retry.
    connection_.reset();
    return centralError("push", e);
  }
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
  registerPostgres();
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(migrationsDir, ec)) {
    if (entry.path().extension() == ".sql") files.push_back(entry.path());
  }
  if (ec) return Error::of(ErrorCode::Internal, "migrations: cannot read " + migrationsDir);
  std::sort(files.begin(), files.end());
  std::vector<std::string> applied;
  try {
    Poco::Data::Session s("PostgreSQL", connection);
    s << "CREATE TABLE IF NOT EXISTS kakanai_schema_migrations(name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
        now;
    for (const auto& file : files) {
      std::string name = file.filename().string();
      s.begin();
      s << "SELECT pg_advisory_xact_lock(4747800)", now;
      int done = 0;
      s << "SELECT COUNT(*) FROM kakanai_schema_migrations WHERE name=$1", into(done), use(name), now;
      if (done > 0) {
        s.commit();
        continue;
      }
      std::ifstream in(file);
      std::stringstream text;
      text << in.rdbuf();
      // Our own files: statements end with ";" at the end of a line (no functions with bodies).
      std::string sql = text.str(), statement;
      std::istringstream lines(sql);
      for (std::string line; std::getline(lines, line);) {
        if (line.rfind("--", 0) == 0) continue;
        statement += line + "\n";
        if (!line.empty() && line.back() == ';') {
          statement.pop_back();
          statement.pop_back();
          s << statement, now;
          statement.clear();
        }
      }
      if (statement.find_first_not_of(" \n\t") != std::string::npos) s << statement, now;
      s << "INSERT INTO kakanai_schema_migrations(name) VALUES($1)", use(name), now;
      s.commit();
      applied.push_back(name);
    }
  } catch (const Poco::Exception& e) {
    return centralError("migrate", e);
  }
  return applied;
}

}  // namespace kakanai::attendance
