#include "virtualcard/demo_staff_cards.h"

namespace kakanai::virtualcard {

Result<std::shared_ptr<MyNumberCardEmulator>> DemoStaffWallet::card(const std::string& name) {
  std::lock_guard lock(mutex_);
  if (auto it = cards_.find(name); it != cards_.end()) return it->second;
  CardProfile profile;
  // Staff members are residents too; their text input assist applet is never read here.
  profile.textAssist.name = "職員";
  profile.textAssist.address = "-";
  profile.textAssist.birthDate = "19800101";
  bool known = name == "unknown";
  for (const auto& c : demoStaffCards()) {
    if (c.name != name) continue;
    profile.jpki.authPin = c.authPin;
    profile.jpki.certificatePem = c.certificatePem;
    profile.jpki.privateKeyPem = c.privateKeyPem;
    known = true;
  }
  if (!known) return Error::of(ErrorCode::BadRequest, "no demo staff card named " + name);
  auto made = MyNumberCardEmulator::create(profile);
  if (!made) return made.error();
  std::shared_ptr<MyNumberCardEmulator> card = std::move(*made);
  cards_[name] = card;
  return card;
}

}  // namespace kakanai::virtualcard
