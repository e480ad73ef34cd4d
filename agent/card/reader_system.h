// Readers and the cards in them, as the rest of the agent sees them. Implemented over PC/SC
// (pcsc_reader_system) and over the in-process virtual card (demo mode).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "card/card_channel.h"
#include "core/bytes.h"
#include "core/error.h"

namespace kakanai::card {

struct ReaderState {
  std::string name;
  bool cardPresent = false;
  Bytes atr;
};

enum class ReaderEventKind { ReaderAdded, ReaderRemoved, CardInserted, CardRemoved };

struct ReaderEvent {
  ReaderEventKind kind;
  std::string reader;
};

std::string_view eventName(ReaderEventKind kind);  // "reader.added", "card.inserted", ...

class ReaderSystem {
 public:
  virtual ~ReaderSystem() = default;
  virtual Result<std::vector<ReaderState>> listReaders() = 0;
  // Connects shared to the card in `reader`: no_reader if the reader is gone, no_card if it is
  // empty, reader_busy if another application holds it exclusively.
  virtual Result<std::unique_ptr<CardChannel>> connect(const std::string& reader) = 0;
  // Blocks until readers or cards change (or the timeout passes, or cancelWait() is called) and
  // returns what changed. The first call reports every reader and card already present.
  virtual Result<std::vector<ReaderEvent>> waitForEvents(std::chrono::milliseconds timeout) = 0;
  // Wakes a waitForEvents() blocked in another thread.
  virtual void cancelWait() = 0;
};

}  // namespace kakanai::card
