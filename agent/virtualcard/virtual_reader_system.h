// The in-process readers for demo mode: the same emulator the vpcd tests use, behind the same
// ReaderSystem interface as PC/SC, so the demo runs the real applet code path. A counter reader
// holds the resident's card; an optional attendance reader takes staff cards tapped on it.
#pragma once

#include <memory>
#include <string>

#include "card/reader_system.h"
#include "virtualcard/my_number_card_emulator.h"

namespace kakanai::virtualcard {

inline constexpr const char* kDemoReaderName = "Kakanai Virtual Reader (demo) 00 00";
inline constexpr const char* kDemoAttendanceReaderName = "Kakanai Virtual Attendance Reader (demo) 00 00";

class VirtualReaderSystem : public card::ReaderSystem {
 public:
  // Puts `card` on the attendance reader, as a tap: the card that was there leaves first (a
  // card.removed, then a card.inserted). The emulator keeps its retry counters across taps.
  virtual Status tapOnAttendanceReader(std::shared_ptr<MyNumberCardEmulator> card) = 0;
};

std::unique_ptr<VirtualReaderSystem> makeVirtualReaderSystem(std::unique_ptr<MyNumberCardEmulator> counterCard,
                                                             bool withAttendanceReader = false);

}  // namespace kakanai::virtualcard
