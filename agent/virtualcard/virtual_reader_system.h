// The in-process reader for demo mode: the same emulator the vpcd tests use, behind the same
// ReaderSystem interface as PC/SC, so the demo runs the real applet code path.
#pragma once

#include <memory>

#include "card/reader_system.h"
#include "virtualcard/my_number_card_emulator.h"

namespace kakanai::virtualcard {

inline constexpr const char* kDemoReaderName = "Kakanai Virtual Reader (demo) 00 00";

std::unique_ptr<card::ReaderSystem> makeVirtualReaderSystem(std::unique_ptr<MyNumberCardEmulator> card);

}  // namespace kakanai::virtualcard
