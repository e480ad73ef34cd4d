#include "virtualcard/virtual_reader_system.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>

namespace kakanai::virtualcard {

namespace {

using Clock = std::chrono::steady_clock;

// Shared by the reader system and every channel it hands out.
struct VirtualSlot {
  std::mutex mutex;
  std::condition_variable changed;
  std::unique_ptr<MyNumberCardEmulator> card;
  Clock::time_point absentUntil{};
  bool announcedPresent = false;
  bool transactionHeld = false;
  bool cancelled = false;
  std::deque<card::ReaderEvent> pending;

  bool present(Clock::time_point now) const { return now >= absentUntil; }
};

class VirtualChannel final : public card::CardChannel {
 public:
  explicit VirtualChannel(std::shared_ptr<VirtualSlot> slot) : slot_(std::move(slot)) {}
  ~VirtualChannel() override { disconnect(false); }

  Result<SecureBytes> transmit(ByteView command) override {
    std::unique_lock lock(slot_->mutex);
    if (!connected_ || !slot_->present(Clock::now())) return Error::of(ErrorCode::CardRemoved, "virtual card left");
    CardReply reply = slot_->card->process(command);
    if (reply.removed) {
      connected_ = false;
      slot_->absentUntil = Clock::now() + std::chrono::milliseconds(slot_->card->reinsertAfterMs());
      slot_->pending.push_back({card::ReaderEventKind::CardRemoved, kDemoReaderName});
      slot_->announcedPresent = false;
      slot_->changed.notify_all();
      return Error::of(ErrorCode::CardRemoved, "virtual card left");
    }
    return SecureBytes(reply.response.begin(), reply.response.end());
  }

  Status beginTransaction() override {
    std::unique_lock lock(slot_->mutex);
    // A transaction is exclusive; another caller waits its turn like with PC/SC.
    if (!slot_->changed.wait_for(lock, std::chrono::seconds(5), [&] { return !slot_->transactionHeld; })) {
      return Error::of(ErrorCode::ReaderBusy, "virtual reader busy");
    }
    slot_->transactionHeld = true;
    inTransaction_ = true;
    return okStatus();
  }

  void endTransaction() override {
    std::lock_guard lock(slot_->mutex);
    if (!inTransaction_) return;
    inTransaction_ = false;
    slot_->transactionHeld = false;
    slot_->changed.notify_all();
  }

  void disconnect(bool resetCard) override {
    endTransaction();
    std::lock_guard lock(slot_->mutex);
    // Like pcsc-lite: a card another handle holds in a transaction is not reset under it.
    if (connected_ && resetCard && !slot_->transactionHeld) slot_->card->reset();
    connected_ = false;
  }

 private:
  std::shared_ptr<VirtualSlot> slot_;
  bool connected_ = true;
  bool inTransaction_ = false;
};

class VirtualReaderSystem final : public card::ReaderSystem {
 public:
  explicit VirtualReaderSystem(std::unique_ptr<MyNumberCardEmulator> card) : slot_(std::make_shared<VirtualSlot>()) {
    slot_->card = std::move(card);
  }

  Result<std::vector<card::ReaderState>> listReaders() override {
    std::lock_guard lock(slot_->mutex);
    card::ReaderState r;
    r.name = kDemoReaderName;
    r.cardPresent = slot_->present(Clock::now());
    if (r.cardPresent) r.atr = MyNumberCardEmulator::atr();
    return std::vector<card::ReaderState>{r};
  }

  Result<std::unique_ptr<card::CardChannel>> connect(const std::string& reader) override {
    if (reader != kDemoReaderName) return Error::of(ErrorCode::NoReader, "unknown reader");
    std::lock_guard lock(slot_->mutex);
    if (!slot_->present(Clock::now())) return Error::of(ErrorCode::NoCard);
    return std::unique_ptr<card::CardChannel>(std::make_unique<VirtualChannel>(slot_));
  }

  Result<std::vector<card::ReaderEvent>> waitForEvents(std::chrono::milliseconds timeout) override {
    std::unique_lock lock(slot_->mutex);
    std::vector<card::ReaderEvent> events;
    if (!primed_) {
      primed_ = true;
      events.push_back({card::ReaderEventKind::ReaderAdded, kDemoReaderName});
    }
    const auto deadline = Clock::now() + timeout;
    auto collect = [&] {
      while (!slot_->pending.empty()) {
        events.push_back(slot_->pending.front());
        slot_->pending.pop_front();
      }
      const auto now = Clock::now();
      if (slot_->present(now) && !slot_->announcedPresent) {
        slot_->announcedPresent = true;
        events.push_back({card::ReaderEventKind::CardInserted, kDemoReaderName});
      }
    };
    collect();
    while (events.empty() && !slot_->cancelled && Clock::now() < deadline) {
      // Wake for the re-insertion time too, since nothing notifies when it passes.
      auto until = deadline;
      if (!slot_->present(Clock::now()) && slot_->absentUntil < until) until = slot_->absentUntil;
      slot_->changed.wait_until(lock, until);
      collect();
    }
    slot_->cancelled = false;
    return events;
  }

  void cancelWait() override {
    std::lock_guard lock(slot_->mutex);
    slot_->cancelled = true;
    slot_->changed.notify_all();
  }

 private:
  std::shared_ptr<VirtualSlot> slot_;
  bool primed_ = false;
};

}  // namespace

std::unique_ptr<card::ReaderSystem> makeVirtualReaderSystem(std::unique_ptr<MyNumberCardEmulator> card) {
  return std::make_unique<VirtualReaderSystem>(std::move(card));
}

}  // namespace kakanai::virtualcard
