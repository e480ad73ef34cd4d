#include "core/task_pool.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <memory>

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
  for (std::size_t i = 0; i < helpers; ++i) threads_.emplace_back([this] { serve(); });
}

TaskPool::~TaskPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

std::size_t TaskPool::helpersForThisMachine() {
  const unsigned cores = std::thread::hardware_concurrency();  // 0 when unknown
  return cores > 1 ? cores - 1 : 0;
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
  }
}

void TaskPool::runAll(std::vector<std::function<void()>> tasks) {
  if (tasks.empty()) return;
  auto batch = std::make_shared<Batch>(std::move(tasks));
  const std::size_t helpers = std::min(threads_.size(), batch->tasks.size() - 1);
  if (helpers > 0) {
    {
      std::lock_guard lock(mutex_);
      for (std::size_t i = 0; i < helpers; ++i) queue_.push_back([batch] { batch->work(); });
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
