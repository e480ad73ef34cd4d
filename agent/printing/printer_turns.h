// The agent's own jobs for one printer go in the order the clerks asked for them. A printer
// without a spool answers "busy" while it prints; if every waiting job just retried, a job that
// backed off could lose to newer ones again and again and give up while the others printed.
// Here a job joins its printer's line as soon as it is asked for, and only the job at the head
// talks to the printer; a job that gives up leaves the line without holding anyone up.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <list>
#include <map>
#include <mutex>
#include <string>

namespace kakanai::printing {

class PrinterTurns {
 public:
  // A job's place in its printer's line, from join() until it is destroyed.
  class Place {
   public:
    Place(Place&& other) noexcept;
    Place& operator=(Place&&) = delete;
    ~Place();
    // Waits until every job that joined before this one has left. False when `deadline` came
    // first (the place is then given up).
    bool waitForTurn(std::chrono::steady_clock::time_point deadline);

   private:
    friend class PrinterTurns;
    Place(PrinterTurns* owner, std::string printer, std::uint64_t ticket) : owner_(owner), printer_(std::move(printer)), ticket_(ticket) {}
    PrinterTurns* owner_;
    std::string printer_;
    std::uint64_t ticket_;
  };

  Place join(const std::string& printer);

  // Jobs in line for `printer`, the one printing included (for tests).
  std::size_t waiting(const std::string& printer);

 private:
  void leave(const std::string& printer, std::uint64_t ticket);
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, std::list<std::uint64_t>> lines_;
  std::uint64_t nextTicket_ = 1;
};

}  // namespace kakanai::printing
