#include "core/task_pool.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <iterator>
#include <memory>

#include "core/secure_buffer.h"

namespace kakanai {

namespace {

// One caller's tasks. Helpers that join late find nothing left and leave; the batch is shared so
// that a helper still holding it after the caller returned touches only its own copy.
struct Batch {
  explicit Batch(std::vector<std::function<void()>> t) : tasks(std::move(t)) {}
  std::vector<std::function<void()>> tasks;
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  std::condition_variable done;
  std::size_t finished = 0;
  std::exception_ptr error;

  void work() {
    for (std::size_t i = next++; i < tasks.size(); i = next++) {
      std::exception_ptr failed;
      try {
        tasks[i]();
      } catch (...) {
        failed = std::current_exception();
      }
      std::lock_guard lock(mutex);
      if (failed && !error) error = failed;
      if (++finished == tasks.size()) done.notify_all();
    }
  }
};

}  // namespace

TaskPool::TaskPool(std::size_t helpers) {
  try {
    for (std::size_t i = 0; i < helpers; ++i) threads_.emplace_back([this] { serve(); });
  } catch (...) {
    stop();  // the threads already started are joined, not left joinable (which terminates)
    throw;
  }
}

TaskPool::~TaskPool() { stop(); }

void TaskPool::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

std::size_t TaskPool::helpersFor(std::size_t mostTasksAtOnce) {
  const unsigned reported = std::thread::hardware_concurrency();  // 0 when unknown
  const std::size_t cores = reported == 0 ? 2 : reported;
  const std::size_t wanted = mostTasksAtOnce > 0 ? mostTasksAtOnce - 1 : 0;
  return std::min(cores - 1, wanted);
}

void TaskPool::serve() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to help with
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    job();
    // A kept thread's stack outlives the request: what the task left in it (a birth date in a
    // std::string's inline buffer, a shaped name) goes now, as on the request threads.
    wipeStackBelow();
  }
}

void TaskPool::runAll(std::vector<std::function<void()>> tasks) {
  if (tasks.empty()) return;
  auto batch = std::make_shared<Batch>(std::move(tasks));
  const std::size_t helpers = std::min(threads_.size(), batch->tasks.size() - 1);
  if (helpers > 0) {
    // Made before the lock and moved in at once: if making them fails, nothing was queued that
    // could run this caller's tasks after its frame is gone.
    std::deque<std::function<void()>> jobs(helpers, [batch] { batch->work(); });
    {
      std::lock_guard lock(mutex_);
      std::move(jobs.begin(), jobs.end(), std::back_inserter(queue_));
    }
    if (helpers == 1) wake_.notify_one();
    else wake_.notify_all();
  }
  batch->work();
  std::unique_lock lock(batch->mutex);
  batch->done.wait(lock, [&] { return batch->finished == batch->tasks.size(); });
  if (batch->error) std::rethrow_exception(batch->error);
}

}  // namespace kakanai
