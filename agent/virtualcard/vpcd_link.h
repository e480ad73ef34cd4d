// Connects the emulator to pcscd's vpcd reader driver. vpcd frames every message as a 2-byte
// big-endian length and a payload: one byte is a control code (0 power off, 1 power on,
// 2 reset, 4 get ATR), anything longer is a command APDU to answer with data + SW.
//
// Two ways round: the card connects to a vpcd that listens (vpcd's default, DEVICENAME
// /dev/null:PORT), or the card listens and vpcd connects to it (DEVICENAME HOST:PORT). Debian 12's
// vpcd 3.3 aborts pcscd when a card it connected to goes away (it select()s on fd -1), so the tests
// use the first way inside a private network namespace where vpcd's wildcard listener reaches only
// loopback (tests/integration/isolated.sh). --listen stays for newer vpcd releases.
#pragma once

#include <atomic>
#include <string>

#include "virtualcard/my_number_card_emulator.h"

namespace kakanai::virtualcard {

struct VpcdEndpoint {
  std::string host = "127.0.0.1";
  int port = 35963;
  bool listen = false;  // true: we listen on host:port and vpcd connects
};

// Serves the card until `stop` becomes true. Returns non-zero on a setup failure.
int serveVpcd(MyNumberCardEmulator& card, const VpcdEndpoint& endpoint, const std::atomic<bool>& stop);

}  // namespace kakanai::virtualcard
