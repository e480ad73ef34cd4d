// A private pcscd with the vsmartcard vpcd reader, and virtual cards behind it. Must run inside
// tests/integration/isolated.sh (own network and mount namespaces).
#pragma once

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "card/pcsc_reader_system.h"
#include "process.h"

namespace kakanai::testing {

inline const std::string kAgent = KAKANAI_AGENT_BIN;
inline const std::string kVirtualCard = KAKANAI_VIRTUAL_CARD_BIN;

inline bool isolated() { return std::getenv("KAKANAI_ISOLATED") != nullptr; }

inline Poco::JSON::Object::Ptr parseJson(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

class PcscStack {
 public:
  static constexpr int kPort = 35963;

  explicit PcscStack(const std::filesystem::path& dir, std::string readerName = "Kakanai Test vpcd")
      : dir_(dir), readerName_(std::move(readerName)) {}
  ~PcscStack() { stop(); }

  bool start() {
    const auto conf = dir_ / "reader.conf.d";
    std::filesystem::create_directories(conf);
    writeFile(conf / "vpcd", "FRIENDLYNAME \"" + readerName_ + "\"\nDEVICENAME /dev/null:" + std::to_string(kPort) +
                                 "\nLIBPATH /usr/lib/pcsc/drivers/serial/libifdvpcd.so\nCHANNELID " +
                                 std::to_string(kPort) + "\n");
    pcscd_ = std::make_unique<Process>(std::vector<std::string>{"pcscd", "--foreground", "-c", conf.string()},
                                       dir_ / "pcscd.out", dir_ / "pcscd.err");
    return eventually([&] {
      auto readers = card::makePcscReaderSystem()->listReaders();
      return readers.ok() && !readers->empty();
    });
  }
  void stop() {
    if (pcscd_) pcscd_->stop();
    pcscd_.reset();
  }
  std::string reader() const { return readerName_ + " 00 00"; }

  // Starts a virtual card with `profileJson`; waits until pcscd sees it.
  bool insertCard(const std::string& profileJson) {
    if (card_) {
      removeCard();
      if (!waitForCard(false)) return false;  // pcscd must have seen the previous card leave
    }
    writeFile(dir_ / "profile.json", profileJson);
    std::filesystem::remove(dir_ / "apdu.log");
    card_ = std::make_unique<Process>(
        std::vector<std::string>{kVirtualCard, "--profile", (dir_ / "profile.json").string(), "--vpcd-host",
                                 "127.0.0.1", "--vpcd-port", std::to_string(kPort), "--apdu-log",
                                 (dir_ / "apdu.log").string()},
        dir_ / "card.out", dir_ / "card.err");
    return waitForCard(true);
  }
  void removeCard() {
    if (card_) card_->stop();
    card_.reset();
  }
  bool waitForCard(bool present, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    return eventually(
        [&] {
          auto readers = card::makePcscReaderSystem()->listReaders();
          if (!readers.ok()) return false;
          for (const auto& r : *readers) {
            if (r.name == reader()) return r.cardPresent == present;
          }
          return false;
        },
        timeout);
  }
  std::string apduLog() const { return slurp(dir_ / "apdu.log"); }
  // Lines of the card's log for VERIFY commands that carried data (a PIN try).
  int pinTries() const {
    const std::string log = apduLog();
    int n = 0;
    for (std::size_t at = log.find("00 20 00 80 lc="); at != std::string::npos; at = log.find("00 20 00 80 lc=", at + 1)) {
      if (log.compare(at + 15, 2, "0 ") != 0) ++n;
    }
    return n;
  }

  RunResult agent(const std::vector<std::string>& args, const std::string& stdinText = {}) {
    std::vector<std::string> argv{kAgent};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, stdinText, dir_);
  }

 private:
  std::filesystem::path dir_;
  std::string readerName_;
  std::unique_ptr<Process> pcscd_;
  std::unique_ptr<Process> card_;
};

// A virtual card profile for one resident.
inline std::string residentProfile(const std::string& name, const std::string& address, const std::string& birthDate,
                                   const std::string& sexDigit, const std::string& pin,
                                   const std::string& extra = {}) {
  Poco::JSON::Object ta;
  ta.set("pin", pin);
  ta.set("retries", 3);
  ta.set("name", name);
  ta.set("address", address);
  ta.set("birthDate", birthDate);
  ta.set("sex", sexDigit);
  ta.set("myNumber", "123456789018");
  Poco::JSON::Object root;
  root.set("textAssist", ta);
  std::ostringstream s;
  root.stringify(s);
  std::string json = s.str();
  if (!extra.empty()) json = json.substr(0, json.size() - 1) + "," + extra + "}";
  return json;
}

// The profile with some textAssist members replaced, each given as a JSON literal.
inline std::string withTextAssist(const std::string& json, const std::vector<std::pair<std::string, std::string>>& fields) {
  auto root = parseJson(json);
  auto ta = root->getObject("textAssist");
  for (const auto& [key, literal] : fields) {
    Poco::JSON::Parser parser;
    ta->set(key, parser.parse("[" + literal + "]").extract<Poco::JSON::Array::Ptr>()->get(0));
  }
  std::ostringstream out;
  root->stringify(out);
  return out.str();
}

}  // namespace kakanai::testing
