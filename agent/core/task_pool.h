// Threads started once and kept, so that one request's independent pieces of work (a procedure's
// forms) start at once. A thread created for the request starts on its creator's busy core and
// waits for the scheduler to move it to an idle one, up to a scheduler tick (2–4 ms seen here,
// as long as a whole fill); a kept thread that is woken is placed on an idle core straight away.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace kakanai {

class TaskPool {
 public:
  // `helpers` threads beside each caller; zero runs everything on the caller's thread.
  explicit TaskPool(std::size_t helpers);
  ~TaskPool();
  TaskPool(const TaskPool&) = delete;
  TaskPool& operator=(const TaskPool&) = delete;

  // One helper per core beside the caller's own thread, but no more than `mostTasksAtOnce` - 1:
  // each kept thread is a stack that held residents' data (wiped after each task, still a place).
  static std::size_t helpersFor(std::size_t mostTasksAtOnce);

  // Runs every task, on the calling thread and on free helpers, and returns when all are done;
  // the first exception a task throws is thrown here, after the others have finished. Several
  // callers may run at once: each works through its own tasks, so none waits on another's.
  // The tasks themselves may be destroyed later, on a helper: they should hold references, not
  // residents' data (fill_procedure's hold references to its frame).
  void runAll(std::vector<std::function<void()>> tasks);

 private:
  void serve();
  void stop();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace kakanai
