// Collection of every PC's attendance records in the office's PostgreSQL. Each PC pushes its
// outbox in order with idempotent inserts keyed by (device id, local sequence); while
// PostgreSQL is unreachable it retries with backoff, and taps go on being recorded locally.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "attendance/attendance_store.h"

namespace kakanai::attendance {

struct CentralSyncSettings {
  std::string connection;  // libpq connection string: "host=… port=… dbname=… user=…"
  std::size_t batch = 500;
  std::chrono::milliseconds firstRetry{500};
  std::chrono::milliseconds maxRetry{60'000};
  std::chrono::milliseconds idlePoll{5'000};
};

struct CentralConnection;

class CentralSync {
 public:
  using StoreAccess = std::function<Result<StorePtr>()>;
  CentralSync(StoreAccess store, CentralSyncSettings settings);
  ~CentralSync();

  void start();
  void stop();
  // A record was added: push soon instead of at the next poll.
  void wake();

  // Pushes everything pending now, on the caller's thread (the CLI and tests). The number of
  // records pushed, or the first failure.
  Result<std::size_t> pushPending();

  std::int64_t pushedThrough() const { return pushedThrough_; }
  bool lastRoundFailed() const { return lastRoundFailed_; }

 private:
  Result<std::size_t> pushBatch();
  void run();

  StoreAccess store_;
  CentralSyncSettings settings_;
  std::unique_ptr<struct CentralConnection> connection_;
  std::mutex pushMutex_;  // one push at a time
  std::mutex waitMutex_;
  std::condition_variable wakeCv_;
  bool woken_ = false;
  std::atomic<bool> running_{false};
  std::atomic<std::int64_t> pushedThrough_{0};
  std::atomic<bool> lastRoundFailed_{false};
  std::thread thread_;
};

// Applies db/postgresql/NNN_*.sql files not yet applied, in order, each in its own transaction,
// under an advisory lock so two PCs migrating at once do not collide. The applied file names.
Result<std::vector<std::string>> migrateCentralSchema(const std::string& connection, const std::string& migrationsDir);

}  // namespace kakanai::attendance
