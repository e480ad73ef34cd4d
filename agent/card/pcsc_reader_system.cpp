#include "card/pcsc_reader_system.h"

#include <PCSC/reader.h>
#include <PCSC/winscard.h>
#include <PCSC/wintypes.h>

#include <algorithm>
#include <cstdio>
#include <mutex>

namespace kakanai::card {

std::string_view eventName(ReaderEventKind kind) {
  switch (kind) {
    case ReaderEventKind::ReaderAdded: return "reader.added";
    case ReaderEventKind::ReaderRemoved: return "reader.removed";
    case ReaderEventKind::CardInserted: return "card.inserted";
    case ReaderEventKind::CardRemoved: return "card.removed";
  }
  return "";
}

Error pcscError(long rv, const char* function, bool duringExchange) {
  char diag[96];
  std::snprintf(diag, sizeof diag, "%s: %s (0x%08lX)", function,
                pcsc_stringify_error(static_cast<LONG>(rv)), static_cast<unsigned long>(rv));
  ErrorCode code = ErrorCode::Internal;
  switch (static_cast<LONG>(rv)) {
    case SCARD_W_REMOVED_CARD:
    case SCARD_E_NO_SMARTCARD:
    case SCARD_W_UNPOWERED_CARD:
    case SCARD_W_UNRESPONSIVE_CARD:
      code = duringExchange ? ErrorCode::CardRemoved : ErrorCode::NoCard;
      break;
    case SCARD_E_UNKNOWN_READER:
    case SCARD_E_READER_UNAVAILABLE:
    case SCARD_E_NO_READERS_AVAILABLE:
    case SCARD_E_NO_SERVICE:
    case SCARD_E_SERVICE_STOPPED:
      code = ErrorCode::NoReader;
      break;
    case SCARD_E_SHARING_VIOLATION:
    case SCARD_W_RESET_CARD:  // another application reset the card under us
      code = ErrorCode::ReaderBusy;
      break;
    case SCARD_E_TIMEOUT:
      code = ErrorCode::Timeout;
      break;
    // What pcsc-lite answers a transmit to a card that left before it noticed (seen with vpcd):
    // for the clerk that is the card leaving mid-read.
    case SCARD_E_NOT_TRANSACTED:
    case SCARD_E_COMM_DATA_LOST:
      if (duringExchange) code = ErrorCode::CardRemoved;
      break;
    case SCARD_W_UNSUPPORTED_CARD:
    case SCARD_E_PROTO_MISMATCH:
      code = ErrorCode::NotMyNumber;
      break;
    default:
      break;
  }
  return Error::of(code, diag);
}

namespace {

constexpr const char* kPnpReader = "\\\\?PnP?\\Notification";

bool contextLost(LONG rv) {
  return rv == SCARD_E_NO_SERVICE || rv == SCARD_E_SERVICE_STOPPED || rv == SCARD_E_INVALID_HANDLE;
}

class PcscContext {
 public:
  PcscContext() = default;
  ~PcscContext() { release(); }
  PcscContext(const PcscContext&) = delete;
  PcscContext& operator=(const PcscContext&) = delete;

  Result<SCARDCONTEXT> get() {
    if (valid_ && SCardIsValidContext(ctx_) == SCARD_S_SUCCESS) return ctx_;
    release();
    const LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &ctx_);
    if (rv != SCARD_S_SUCCESS) return pcscError(rv, "SCardEstablishContext", false);
    valid_ = true;
    return ctx_;
  }
  void release() {
    if (valid_) SCardReleaseContext(ctx_);
    valid_ = false;
  }
  void invalidateIf(LONG rv) {
    if (contextLost(rv)) release();
  }
  bool valid() const { return valid_; }
  SCARDCONTEXT raw() const { return ctx_; }

 private:
  SCARDCONTEXT ctx_ = 0;
  bool valid_ = false;
};

Result<std::vector<std::string>> readerNames(SCARDCONTEXT ctx, LONG* rvOut) {
  DWORD size = 0;
  LONG rv = SCardListReaders(ctx, nullptr, nullptr, &size);
  *rvOut = rv;
  if (rv == SCARD_E_NO_READERS_AVAILABLE) return std::vector<std::string>{};
  if (rv != SCARD_S_SUCCESS) return pcscError(rv, "SCardListReaders", false);
  std::string buffer(size, '\0');
  rv = SCardListReaders(ctx, nullptr, buffer.data(), &size);
  *rvOut = rv;
  if (rv == SCARD_E_NO_READERS_AVAILABLE) return std::vector<std::string>{};
  if (rv != SCARD_S_SUCCESS) return pcscError(rv, "SCardListReaders", false);
  std::vector<std::string> names;
  for (std::size_t pos = 0; pos < buffer.size() && buffer[pos] != '\0';) {
    const std::string name(buffer.c_str() + pos);
    pos += name.size() + 1;
    names.push_back(name);
  }
  return names;
}

// What one reader carries in an extended exchange, in answer bytes without SW: 0 for short only.
std::uint32_t extendedLimit(SCARDHANDLE card, ExtendedLengthPolicy policy) {
  constexpr std::uint32_t kShortApdu = 261;  // 4 header + Lc + 255 data + Le
  if (policy == ExtendedLengthPolicy::Never) return 0;
  if (policy == ExtendedLengthPolicy::Assumed) return 65536;
  std::uint8_t value[8] = {};
  DWORD size = sizeof value;
  if (SCardGetAttrib(card, SCARD_ATTR_MAXINPUT, value, &size) != SCARD_S_SUCCESS || size < 1 || size > 4) return 0;
  std::uint32_t maxInput = 0;
  for (DWORD i = size; i-- > 0;) maxInput = maxInput << 8 | value[i];  // a little-endian DWORD
  if (maxInput <= kShortApdu) return 0;
  return std::min<std::uint32_t>(maxInput - 2, 65536);
}

class PcscChannel final : public CardChannel {
 public:
  PcscChannel(SCARDCONTEXT ctx, SCARDHANDLE card, DWORD protocol, std::uint32_t extendedLimit)
      : ctx_(ctx), card_(card), protocol_(protocol), extendedLimit_(extendedLimit) {}
  ~PcscChannel() override { disconnect(true); }

  Result<SecureBytes> transmit(ByteView command) override {
    if (!connected_) return Error::of(ErrorCode::CardRemoved, "transmit after disconnect");
    SecureBytes rx(extendedLimit_ > 0 ? extendedLimit_ + 2 : 258);
    DWORD rxLen = static_cast<DWORD>(rx.size());
    LONG rv = send(command, rx, rxLen);
    // Another counter's read ended with a reset while we waited for our transaction: our handle
    // must reconnect before it may speak. Only before the first APDU of a transaction, where
    // nothing of ours depended on the card's state.
    if ((rv == SCARD_W_RESET_CARD || rv == SCARD_E_PROTO_MISMATCH) && freshTransaction_ && reconnect()) {
      rxLen = static_cast<DWORD>(rx.size());
      rv = send(command, rx, rxLen);
    }
    freshTransaction_ = false;
    if (rv != SCARD_S_SUCCESS) return pcscError(rv, "SCardTransmit", true);
    // A card always answers at least a status word. Nothing at all is the transport telling us the
    // card is gone (vpcd does this, and so do some contactless readers when the card leaves the
    // field mid-exchange).
    if (rxLen == 0) return Error::of(ErrorCode::CardRemoved, "SCardTransmit: empty answer");
    rx.resize(rxLen);
    return rx;
  }

  Status beginTransaction() override {
    LONG rv = SCardBeginTransaction(card_);
    if (rv == SCARD_W_RESET_CARD && reconnect()) rv = SCardBeginTransaction(card_);
    if (rv != SCARD_S_SUCCESS) return pcscError(rv, "SCardBeginTransaction", true);
    freshTransaction_ = true;
    return okStatus();
  }
  void endTransaction(bool resetCard) override { SCardEndTransaction(card_, resetCard ? SCARD_RESET_CARD : SCARD_LEAVE_CARD); }
  std::uint32_t extendedResponseLimit() const override { return extendedLimit_; }

  void disconnect(bool resetCard) override {
    if (!connected_) return;
    connected_ = false;
    SCardDisconnect(card_, resetCard ? SCARD_RESET_CARD : SCARD_LEAVE_CARD);
    SCardReleaseContext(ctx_);
  }

 private:
  LONG send(ByteView command, SecureBytes& rx, DWORD& rxLen) {
    const SCARD_IO_REQUEST* pci = protocol_ == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
    return SCardTransmit(card_, pci, command.data(), static_cast<DWORD>(command.size()), nullptr, rx.data(), &rxLen);
  }
  bool reconnect() {
    DWORD protocol = 0;
    if (SCardReconnect(card_, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, SCARD_LEAVE_CARD, &protocol) != SCARD_S_SUCCESS) {
      return false;
    }
    protocol_ = protocol;
    return true;
  }

  SCARDCONTEXT ctx_;
  SCARDHANDLE card_;
  DWORD protocol_;
  std::uint32_t extendedLimit_;
  bool connected_ = true;
  bool freshTransaction_ = false;
};

class PcscReaderSystem final : public ReaderSystem {
 public:
  explicit PcscReaderSystem(ExtendedLengthPolicy policy) : policy_(policy) {}
  ~PcscReaderSystem() override = default;

  Result<std::vector<ReaderState>> listReaders() override {
    std::lock_guard lock(mutex_);
    auto ctx = context_.get();
    if (!ctx) return ctx.error();
    LONG rv = 0;
    auto names = readerNames(*ctx, &rv);
    context_.invalidateIf(rv);
    if (!names) return names.error();
    std::vector<ReaderState> out;
    if (names->empty()) return out;
    std::vector<SCARD_READERSTATE> states(names->size());
    for (std::size_t i = 0; i < names->size(); ++i) {
      states[i] = {};
      states[i].szReader = (*names)[i].c_str();
      states[i].dwCurrentState = SCARD_STATE_UNAWARE;
    }
    rv = SCardGetStatusChange(*ctx, 0, states.data(), static_cast<DWORD>(states.size()));
    context_.invalidateIf(rv);
    if (rv != SCARD_S_SUCCESS && rv != SCARD_E_TIMEOUT) {
      return pcscError(rv, "SCardGetStatusChange", false);
    }
    for (std::size_t i = 0; i < names->size(); ++i) {
      ReaderState r;
      r.name = (*names)[i];
      r.cardPresent = (states[i].dwEventState & SCARD_STATE_PRESENT) != 0 &&
                      (states[i].dwEventState & SCARD_STATE_MUTE) == 0;
      r.atr.assign(states[i].rgbAtr, states[i].rgbAtr + std::min<DWORD>(states[i].cbAtr, MAX_ATR_SIZE));
      out.push_back(std::move(r));
    }
    return out;
  }

  Result<std::unique_ptr<CardChannel>> connect(const std::string& reader) override {
    // Each connection owns its context: pcsc-lite contexts are not for concurrent use, and a
    // connection must outlive a pcscd restart's invalidation of the shared one cleanly.
    SCARDCONTEXT ctx = 0;
    LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &ctx);
    if (rv != SCARD_S_SUCCESS) return pcscError(rv, "SCardEstablishContext", false);
    SCARDHANDLE handle = 0;
    DWORD protocol = 0;
    rv = SCardConnect(ctx, reader.c_str(), SCARD_SHARE_SHARED,
                      SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &handle, &protocol);
    if (rv != SCARD_S_SUCCESS) {
      SCardReleaseContext(ctx);
      return pcscError(rv, "SCardConnect", false);
    }
    return std::unique_ptr<CardChannel>(std::make_unique<PcscChannel>(ctx, handle, protocol, extendedLimit(handle, policy_)));
  }

  Result<std::vector<ReaderEvent>> waitForEvents(std::chrono::milliseconds timeout) override {
    std::vector<ReaderEvent> events;
    SCARDCONTEXT ctx = 0;
    {
      std::lock_guard lock(waitMutex_);
      auto c = waitContext_.get();
      if (!c) {
        // pcscd is down: report the readers gone once, then keep trying quietly.
        for (const auto& r : known_) {
          if (present(r.state)) events.push_back({ReaderEventKind::CardRemoved, r.name});
          events.push_back({ReaderEventKind::ReaderRemoved, r.name});
        }
        known_.clear();
        primed_ = false;  // list afresh once pcscd is back
        if (!events.empty()) return events;
        return c.error();
      }
      ctx = *c;
    }
    if (!primed_) {
      primed_ = true;
      auto changed = refreshReaders(ctx, events);
      if (!changed) return changed.error();
      return events;
    }
    std::vector<SCARD_READERSTATE> states(known_.size() + 1);
    for (std::size_t i = 0; i < known_.size(); ++i) {
      states[i] = {};
      states[i].szReader = known_[i].name.c_str();
      states[i].dwCurrentState = known_[i].state;
    }
    states.back() = {};
    states.back().szReader = kPnpReader;
    states.back().dwCurrentState = pnpState_;
    const LONG rv = SCardGetStatusChange(ctx, static_cast<DWORD>(timeout.count()), states.data(),
                                         static_cast<DWORD>(states.size()));
    if (rv == SCARD_E_TIMEOUT || rv == SCARD_E_CANCELLED) return events;
    if (rv != SCARD_S_SUCCESS) {
      std::lock_guard lock(waitMutex_);
      if (contextLost(rv)) {
        waitContext_.release();
        for (const auto& r : known_) {
          if (present(r.state)) events.push_back({ReaderEventKind::CardRemoved, r.name});
          events.push_back({ReaderEventKind::ReaderRemoved, r.name});
        }
        known_.clear();
        primed_ = false;
        return events;
      }
      if (rv == SCARD_E_UNKNOWN_READER) {  // a reader vanished between listing and waiting
        auto changed = refreshReaders(ctx, events);
        if (!changed) return changed.error();
        return events;
      }
      return pcscError(rv, "SCardGetStatusChange", false);
    }
    bool readersChanged = (states.back().dwEventState & SCARD_STATE_CHANGED) != 0;
    pnpState_ = states.back().dwEventState & ~SCARD_STATE_CHANGED;
    for (std::size_t i = 0; i < known_.size(); ++i) {
      const DWORD now = states[i].dwEventState;
      if ((now & SCARD_STATE_CHANGED) == 0) continue;
      if (now & (SCARD_STATE_UNKNOWN | SCARD_STATE_IGNORE | SCARD_STATE_UNAVAILABLE)) {
        readersChanged = true;
        continue;
      }
      diffCard(known_[i], now & ~SCARD_STATE_CHANGED, events);
    }
    if (readersChanged) {
      auto changed = refreshReaders(ctx, events);
      if (!changed) return changed.error();
    }
    return events;
  }

  void cancelWait() override {
    std::lock_guard lock(waitMutex_);
    if (waitContext_.valid()) SCardCancel(waitContext_.raw());
  }

 private:
  struct Known {
    std::string name;
    DWORD state = SCARD_STATE_UNAWARE;
  };

  static bool present(DWORD s) { return (s & SCARD_STATE_PRESENT) != 0; }

  // A card taken out and put back between two waits shows as a changed event counter (the
  // high 16 bits) with PRESENT set both times; report it as removed and inserted.
  static void diffCard(Known& k, DWORD now, std::vector<ReaderEvent>& events) {
    const bool was = present(k.state);
    const bool is = present(now);
    const bool bounced = was && is && k.state != SCARD_STATE_UNAWARE &&
                         (k.state >> 16) != (now >> 16) && (now >> 16) > (k.state >> 16) + 1;
    if (was && (!is || bounced)) events.push_back({ReaderEventKind::CardRemoved, k.name});
    if (is && (!was || bounced)) events.push_back({ReaderEventKind::CardInserted, k.name});
    k.state = now;
  }

  Status refreshReaders(SCARDCONTEXT ctx, std::vector<ReaderEvent>& events) {
    LONG rv = 0;
    auto names = readerNames(ctx, &rv);
    if (!names) return names.error();
    std::vector<Known> next;
    for (const auto& n : *names) {
      auto it = std::find_if(known_.begin(), known_.end(), [&](const Known& k) { return k.name == n; });
      if (it != known_.end()) {
        next.push_back(*it);
      } else {
        events.push_back({ReaderEventKind::ReaderAdded, n});
        next.push_back({n, SCARD_STATE_UNAWARE});
      }
    }
    for (const auto& k : known_) {
      if (std::none_of(next.begin(), next.end(), [&](const Known& n) { return n.name == k.name; })) {
        if (present(k.state)) events.push_back({ReaderEventKind::CardRemoved, k.name});
        events.push_back({ReaderEventKind::ReaderRemoved, k.name});
      }
    }
    known_ = std::move(next);
    // Learn the card state of new readers right away so an inserted card is reported now.
    std::vector<SCARD_READERSTATE> states;
    std::vector<std::size_t> index;
    for (std::size_t i = 0; i < known_.size(); ++i) {
      if (known_[i].state != SCARD_STATE_UNAWARE) continue;
      SCARD_READERSTATE s{};
      s.szReader = known_[i].name.c_str();
      s.dwCurrentState = SCARD_STATE_UNAWARE;
      states.push_back(s);
      index.push_back(i);
    }
    if (!states.empty()) {
      rv = SCardGetStatusChange(ctx, 0, states.data(), static_cast<DWORD>(states.size()));
      if (rv == SCARD_S_SUCCESS) {
        for (std::size_t j = 0; j < states.size(); ++j) {
          Known& k = known_[index[j]];
          const DWORD now = states[j].dwEventState & ~SCARD_STATE_CHANGED;
          if (present(now)) events.push_back({ReaderEventKind::CardInserted, k.name});
          k.state = now;
        }
      }
    }
    return okStatus();
  }

  std::mutex mutex_;
  PcscContext context_;
  std::mutex waitMutex_;
  PcscContext waitContext_;
  std::vector<Known> known_;
  DWORD pnpState_ = SCARD_STATE_UNAWARE;
  bool primed_ = false;
  ExtendedLengthPolicy policy_;
};

}  // namespace

std::unique_ptr<ReaderSystem> makePcscReaderSystem(ExtendedLengthPolicy policy) {
  return std::make_unique<PcscReaderSystem>(policy);
}

}  // namespace kakanai::card

