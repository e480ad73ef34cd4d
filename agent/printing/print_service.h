// Printing through libcups: the PC's CUPS destinations and the IPP printers named in the
// configuration. A job is the filled PDF at 100% scale with a number of copies; it is followed
// until the printer says it is done, so the counter system hears print.completed or print.failed.
#pragma once

#include <array>
#include <atomic>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/bytes.h"
#include "core/error.h"
#include "printing/printer_turns.h"

namespace kakanai::printing {

// IPP's printer-state, with "stopped" also for a printer whose state reasons stop printing, and
// "unavailable" for one that does not answer.
enum class PrinterState { Idle, Processing, Stopped, Unavailable };
inline constexpr std::array kAllPrinterStates{PrinterState::Idle, PrinterState::Processing, PrinterState::Stopped, PrinterState::Unavailable};
constexpr std::string_view printerStateName(PrinterState state) {
  switch (state) {
    case PrinterState::Idle: return "idle";
    case PrinterState::Processing: return "processing";
    case PrinterState::Stopped: return "stopped";
    case PrinterState::Unavailable: return "unavailable";
  }
  return "unavailable";
}

struct PrinterInfo {
  std::string name;
  bool isDefault = false;
  PrinterState state = PrinterState::Unavailable;
};

struct SubmittedJob {
  std::string job;
  std::string printer;
};

// (job, printer, ok, reason)
using JobFinished = std::function<void(const std::string&, const std::string&, bool, const std::string&)>;

class PrintService {
 public:
  explicit PrintService(std::vector<std::string> ippUris);
  ~PrintService();

  std::vector<PrinterInfo> list();
  // printer_unavailable when the printer is unknown, unreachable or stopped.
  Result<SubmittedJob> print(ByteView pdf, const std::optional<std::string>& printer, int copies, JobFinished finished);

 private:
  struct Target;
  std::optional<Target> resolve(const std::optional<std::string>& printer);
  std::vector<std::string> ippUris_;
  // One thread follows each job to its end; finished ones are joined at the next print, so a
  // long-running agent does not collect a thread per page.
  struct Follower {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  std::list<Follower> followers_;
  PrinterTurns turns_;
  static constexpr std::chrono::seconds kMaxWaitForPrinter{30};
  std::mutex mutex_;
};

}  // namespace kakanai::printing
