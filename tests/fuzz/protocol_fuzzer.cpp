// Protocol requests (JSON text frames from any page the browser opens): the dispatcher must
// answer every one, with the in-process virtual card, the real forms and no printers behind it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "server/protocol_dispatcher.h"
#include "virtualcard/my_number_card_emulator.h"
#include "virtualcard/virtual_reader_system.h"

using namespace kakanai;

namespace {
server::AgentServices& services() {
  static server::AgentServices s = [] {
    server::AgentServices x;
    x.config.demo = true;
    auto card = virtualcard::MyNumberCardEmulator::create(virtualcard::sampleCardProfile());
    x.readers = virtualcard::makeVirtualReaderSystem(std::move(card).value());
    card::CardPolicy policy;
    policy.trust = card::IssuerTrustStore::builtIn(true);
    policy.allowMyNumber = x.config.allowMyNumber;
    counter::FormCatalog catalog;
    catalog.fonts = *fonts::FontSet::load(KAKANAI_SOURCE_DIR "/fonts/manifest.json", false);
    catalog.forms = *forms::loadFormDirectory(KAKANAI_SOURCE_DIR "/forms");
    catalog.pages.assign(catalog.forms.size(), 1);
    catalog.templatesDir = KAKANAI_SOURCE_DIR "/templates";
    x.counter = std::make_unique<counter::CounterService>(*x.readers, x.config.roles(), std::move(policy), std::move(catalog),
                                                        std::make_unique<counter::ResidentSessions>(std::chrono::minutes(10)),
                                                        std::make_unique<printing::PrintService>(std::vector<std::string>{}));
    return x;
  }();
  return s;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static server::ProtocolDispatcher dispatcher(services());
  const std::string frame(reinterpret_cast<const char*>(data), size);
  server::ConnectionState fresh;
  fresh.origin = "http://localhost:47800";
  (void)dispatcher.handle(frame, fresh);  // before hello
  server::ConnectionState greeted;
  greeted.origin = "http://localhost:47800";
  greeted.helloDone = true;
  auto out = dispatcher.handle(frame, greeted);
  // Every answer is one JSON object.
  if (out.response.empty() || out.response.view().front() != '{' || out.response.view().back() != '}') __builtin_trap();
  services().counter->clearAllSessions();
  return 0;
}
