#include "printing/printer_turns.h"

#include <utility>

namespace kakanai::printing {

PrinterTurns::Place::Place(Place&& other) noexcept
    : owner_(std::exchange(other.owner_, nullptr)), printer_(std::move(other.printer_)), ticket_(other.ticket_) {}

PrinterTurns::Place::~Place() {
  if (owner_ != nullptr) owner_->leave(printer_, ticket_);
}

bool PrinterTurns::Place::waitForTurn(std::chrono::steady_clock::time_point deadline) {
  if (owner_ == nullptr) return false;
  {
    std::unique_lock lock(owner_->mutex_);
    const auto& line = owner_->lines_.at(printer_);  // stays in the map while it holds this ticket
    if (owner_->changed_.wait_until(lock, deadline, [&] { return line.front() == ticket_; })) return true;
  }
  owner_->leave(printer_, ticket_);
  owner_ = nullptr;
  return false;
}

PrinterTurns::Place PrinterTurns::join(const std::string& printer) {
  std::lock_guard lock(mutex_);
  const std::uint64_t ticket = nextTicket_++;
  lines_[printer].push_back(ticket);
  return Place(this, printer, ticket);
}

std::size_t PrinterTurns::waiting(const std::string& printer) {
  std::lock_guard lock(mutex_);
  const auto it = lines_.find(printer);
  return it == lines_.end() ? 0 : it->second.size();
}

void PrinterTurns::leave(const std::string& printer, std::uint64_t ticket) {
  {
    std::lock_guard lock(mutex_);
    const auto it = lines_.find(printer);
    if (it == lines_.end()) return;
    it->second.remove(ticket);
    if (it->second.empty()) lines_.erase(it);
  }
  changed_.notify_all();
}

}  // namespace kakanai::printing
