// The virtual card's side: command APDUs as vpcd (or anything on that socket) sends them.
#include <cstddef>
#include <cstdint>
#include <memory>

#include "card/apdu.h"
#include "virtualcard/my_number_card_emulator.h"

using namespace kakanai;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static std::unique_ptr<virtualcard::MyNumberCardEmulator> card = [] {
    auto profile = virtualcard::sampleCardProfile();
    return std::move(virtualcard::MyNumberCardEmulator::create(profile)).value();
  }();
  (void)card::parseCommand(ByteView(data, size));
  // A run of commands separated by a length byte, so sequences (select, verify, read) get explored.
  std::size_t pos = 0;
  while (pos < size) {
    const std::size_t n = std::min<std::size_t>(data[pos], size - pos - 1);
    (void)card->process(ByteView(data + pos + 1, n));
    pos += n + 1;
  }
  card->reset();
  return 0;
}
