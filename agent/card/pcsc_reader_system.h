// ReaderSystem over pcsc-lite.
#pragma once

#include <memory>

#include "card/reader_system.h"

namespace kakanai::card {

// How the agent learns whether a reader carries extended-length APDUs. `Reported`: only where
// the driver reports SCARD_ATTR_MAXINPUT above a short APDU's size (CCID does; many drivers
// report nothing, and then we stay short). `Never`: short APDUs whatever is reported. `Assumed`:
// the administrator vouches for the reader (for drivers that report nothing); a reader that
// then refuses costs one extra APDU, as the agent falls back to short reads.
enum class ExtendedLengthPolicy { Reported, Never, Assumed };

std::unique_ptr<ReaderSystem> makePcscReaderSystem(ExtendedLengthPolicy policy = ExtendedLengthPolicy::Reported);

// The protocol code for a PC/SC return value. `duringExchange` separates a card that left in
// the middle of a sequence (card_removed) from one that was never there (no_card).
Error pcscError(long rv, const char* function, bool duringExchange);

}  // namespace kakanai::card
