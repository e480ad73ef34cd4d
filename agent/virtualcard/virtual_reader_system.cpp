#include "virtualcard/virtual_reader_system.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <vector>

namespace kakanai::virtualcard {

namespace {

using Clock = std::chrono::steady_clock;

struct VirtualSlot {
  std::string name;
  std::shared_ptr<MyNumberCardEmulator> card;  // null: empty
  std::uint64_t generation = 0;                // a new card on the slot; channels to the old one fail
  Clock::time_point absentUntil{};
  bool announcedPresent = false;
  bool transactionHeld = false;

  bool present(Clock::time_point now) const { return card && now >= absentUntil; }
};

// One lock and one wake-up for every slot: the reader monitor waits on all of them at once.
struct VirtualBus {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<VirtualSlot> slots;
  std::deque<card::ReaderEvent> pending;
  bool cancelled = false;

  VirtualSlot* find(const std::string& name) {
    for (auto& s : slots) {
      if (s.name == name) return &s;
    }
    return nullptr;
  }
};

class VirtualChannel final : public card::CardChannel {
 public:
  VirtualChannel(std::shared_ptr<VirtualBus> bus, std::size_t slot, std::uint64_t generation)
      : bus_(std::move(bus)), slot_(slot), generation_(generation) {}
  ~VirtualChannel() override { disconnect(false); }

  Result<SecureBytes> transmit(ByteView command) override {
    std::unique_lock lock(bus_->mutex);
    VirtualSlot& s = bus_->slots[slot_];
    if (!connected_ || !s.present(Clock::now()) || s.generation != generation_) {
      return Error::of(ErrorCode::CardRemoved, "virtual card left");
    }
    CardReply reply = s.card->process(command);
    if (reply.removed) {
      connected_ = false;
      s.absentUntil = Clock::now() + std::chrono::milliseconds(s.card->reinsertAfterMs());
      bus_->pending.push_back({card::ReaderEventKind::CardRemoved, s.name});
      s.announcedPresent = false;
      bus_->changed.notify_all();
      return Error::of(ErrorCode::CardRemoved, "virtual card left");
    }
    return SecureBytes(reply.response.begin(), reply.response.end());
  }

  std::uint32_t extendedResponseLimit() const override {
    std::lock_guard lock(bus_->mutex);
    const VirtualSlot& s = bus_->slots[slot_];
    return s.card && s.card->readerReportsExtendedLength() ? 65536 : 0;
  }

  Status beginTransaction() override {
    std::unique_lock lock(bus_->mutex);
    // A transaction is exclusive; another caller waits its turn like with PC/SC.
    if (!bus_->changed.wait_for(lock, std::chrono::seconds(5), [&] { return !bus_->slots[slot_].transactionHeld; })) {
      return Error::of(ErrorCode::ReaderBusy, "virtual reader busy");
    }
    bus_->slots[slot_].transactionHeld = true;
    inTransaction_ = true;
    return okStatus();
  }

  void endTransaction(bool resetCard) override {
    std::lock_guard lock(bus_->mutex);
    if (!inTransaction_) return;
    inTransaction_ = false;
    VirtualSlot& s = bus_->slots[slot_];
    if (connected_ && resetCard && s.card && s.generation == generation_) s.card->reset();
    s.transactionHeld = false;
    bus_->changed.notify_all();
  }

  void disconnect(bool resetCard) override {
    endTransaction(false);
    std::lock_guard lock(bus_->mutex);
    VirtualSlot& s = bus_->slots[slot_];
    // Like pcsc-lite: a card another handle holds in a transaction is not reset under it.
    if (connected_ && resetCard && !s.transactionHeld && s.card && s.generation == generation_) s.card->reset();
    connected_ = false;
  }

 private:
  std::shared_ptr<VirtualBus> bus_;
  std::size_t slot_;
  std::uint64_t generation_;
  bool connected_ = true;
  bool inTransaction_ = false;
};

class VirtualReaders final : public VirtualReaderSystem {
 public:
  VirtualReaders(std::unique_ptr<MyNumberCardEmulator> counterCard, bool withAttendanceReader) : bus_(std::make_shared<VirtualBus>()) {
    VirtualSlot counter;
    counter.name = kDemoReaderName;
    counter.card = std::move(counterCard);
    bus_->slots.push_back(std::move(counter));
    if (withAttendanceReader) {
      VirtualSlot attendance;
      attendance.name = kDemoAttendanceReaderName;
      bus_->slots.push_back(std::move(attendance));
    }
  }

  Result<std::vector<card::ReaderState>> listReaders() override {
    std::lock_guard lock(bus_->mutex);
    std::vector<card::ReaderState> out;
    for (const auto& s : bus_->slots) {
      card::ReaderState r;
      r.name = s.name;
      r.cardPresent = s.present(Clock::now());
      if (r.cardPresent) r.atr = MyNumberCardEmulator::atr();
      out.push_back(std::move(r));
    }
    return out;
  }

  Result<std::unique_ptr<card::CardChannel>> connect(const std::string& reader) override {
    std::lock_guard lock(bus_->mutex);
    VirtualSlot* s = bus_->find(reader);
    if (s == nullptr) return Error::of(ErrorCode::NoReader, "unknown reader");
    if (!s->present(Clock::now())) return Error::of(ErrorCode::NoCard);
    const auto index = static_cast<std::size_t>(s - bus_->slots.data());
    return std::unique_ptr<card::CardChannel>(std::make_unique<VirtualChannel>(bus_, index, s->generation));
  }

  Status tapOnAttendanceReader(std::shared_ptr<MyNumberCardEmulator> card) override {
    std::lock_guard lock(bus_->mutex);
    VirtualSlot* s = bus_->find(kDemoAttendanceReaderName);
    if (s == nullptr) return Error::of(ErrorCode::NoReader, "no virtual attendance reader");
    if (s->card && s->announcedPresent) bus_->pending.push_back({card::ReaderEventKind::CardRemoved, s->name});
    s->card = std::move(card);
    s->card->reset();
    ++s->generation;
    s->absentUntil = {};
    s->announcedPresent = false;
    bus_->changed.notify_all();
    return okStatus();
  }

  Result<std::vector<card::ReaderEvent>> waitForEvents(std::chrono::milliseconds timeout) override {
    std::unique_lock lock(bus_->mutex);
    std::vector<card::ReaderEvent> events;
    if (!primed_) {
      primed_ = true;
      for (const auto& s : bus_->slots) events.push_back({card::ReaderEventKind::ReaderAdded, s.name});
    }
    const auto deadline = Clock::now() + timeout;
    auto collect = [&] {
      while (!bus_->pending.empty()) {
        events.push_back(bus_->pending.front());
        bus_->pending.pop_front();
      }
      const auto now = Clock::now();
      for (auto& s : bus_->slots) {
        if (s.present(now) && !s.announcedPresent) {
          s.announcedPresent = true;
          events.push_back({card::ReaderEventKind::CardInserted, s.name});
        }
      }
    };
    collect();
    while (events.empty() && !bus_->cancelled && Clock::now() < deadline) {
      // Wake for a re-insertion time too, since nothing notifies when it passes.
      auto until = deadline;
      for (const auto& s : bus_->slots) {
        if (s.card && !s.present(Clock::now()) && s.absentUntil < until) until = s.absentUntil;
      }
      bus_->changed.wait_until(lock, until);
      collect();
    }
    bus_->cancelled = false;
    return events;
  }

  void cancelWait() override {
    std::lock_guard lock(bus_->mutex);
    bus_->cancelled = true;
    bus_->changed.notify_all();
  }

 private:
  std::shared_ptr<VirtualBus> bus_;
  bool primed_ = false;
};

}  // namespace

std::unique_ptr<VirtualReaderSystem> makeVirtualReaderSystem(std::unique_ptr<MyNumberCardEmulator> counterCard,
                                                             bool withAttendanceReader) {
  return std::make_unique<VirtualReaders>(std::move(counterCard), withAttendanceReader);
}

}  // namespace kakanai::virtualcard
