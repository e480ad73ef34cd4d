// Staff cards for the demo's virtual attendance reader: fixed certificates, so enrolments made in
// one demo run still hold in the next.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/error.h"
#include "virtualcard/my_number_card_emulator.h"

namespace kakanai::virtualcard {

struct DemoStaffCard {
  std::string name;  // E0001, E0002 (../shared/cases/staff.json) or "expired"
  std::string authPin;
  std::string certificatePem;
  std::string privateKeyPem;
};

const std::vector<DemoStaffCard>& demoStaffCards();

// One emulator per card name, made on first use and kept (so retry counters persist like on a
// real card). "unknown" is a card with a fresh certificate that nobody enrolled.
class DemoStaffWallet {
 public:
  Result<std::shared_ptr<MyNumberCardEmulator>> card(const std::string& name);

 private:
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<MyNumberCardEmulator>> cards_;
};

}  // namespace kakanai::virtualcard
