// ReaderSystem over pcsc-lite.
#pragma once

#include <memory>

#include "card/reader_system.h"

namespace kakanai::card {

std::unique_ptr<ReaderSystem> makePcscReaderSystem();

// The protocol code for a PC/SC return value. `duringExchange` separates a card that left in
// the middle of a sequence (card_removed) from one that was never there (no_card).
Error pcscError(long rv, const char* function, bool duringExchange);

}  // namespace kakanai::card
