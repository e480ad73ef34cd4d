// kakanai-virtual-card: the emulator behind pcscd's vpcd driver, for tests and for trying the
// agent without a card.
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include "crypto/x509.h"
#include "virtualcard/card_profile.h"
#include "virtualcard/my_number_card_emulator.h"
#include "virtualcard/vpcd_link.h"

namespace {

std::atomic<bool> gStop{false};
void onSignal(int) { gStop = true; }

int usage() {
  std::fprintf(stderr,
               "usage: kakanai-virtual-card --profile PROFILE.json [--vpcd-host HOST] [--vpcd-port PORT]\n"
               "                            [--listen HOST:PORT] [--apdu-log FILE]\n"
               "  --vpcd-host/--vpcd-port  connect to a listening vpcd (default 127.0.0.1:35963)\n"
               "  --listen HOST:PORT       listen instead, for vpcd configured with DEVICENAME HOST:PORT\n"
               "  --apdu-log FILE          one line per command: CLA INS P1 P2, Lc, SW (never data)\n"
               "       kakanai-virtual-card --make-certificate PREFIX [--common-name CN] [--valid-days N]\n"
               "                            [--not-before-days-ago N]\n"
               "  writes PREFIX-cert.pem and PREFIX-key.pem: a JPKI-like auth certificate for a profile's\n"
               "  jpki.certificatePem/privateKeyPem, so a staff card keeps its fingerprint across runs\n");
  return 2;
}

}  // namespace

int makeCertificate(const std::string& prefix, const std::string& commonName, int validDays, int notBeforeDaysAgo) {
  using namespace kakanai;
  auto key = crypto::RsaPrivateKey::generate(2048);
  auto caKey = crypto::RsaPrivateKey::generate(2048);
  if (!key || !caKey) return 1;
  const auto now = std::chrono::system_clock::now();
  const auto start = now - std::chrono::hours(24) * notBeforeDaysAgo;
  auto ca = crypto::issueTestCertificate(*caKey, "Kakanai Test JPKI Auth CA", *caKey, {}, true, start - std::chrono::hours(24), validDays + 2);
  if (!ca) return 1;
  auto leaf = crypto::issueTestCertificate(*key, commonName, *caKey, *ca, false, start, validDays);
  if (!leaf) return 1;
  std::ofstream(prefix + "-cert.pem") << crypto::certificateDerToPem(*leaf);
  std::ofstream(prefix + "-key.pem") << key->toPem();
  return 0;
}

int main(int argc, char** argv) {
  using namespace kakanai::virtualcard;
  if (argc >= 3 && std::string(argv[1]) == "--make-certificate") {
    std::string cn = "KAKANAI TEST STAFF";
    int days = 1825, ago = 1;
    for (int i = 3; i + 1 < argc; i += 2) {
      const std::string a = argv[i];
      if (a == "--common-name") {
        cn = argv[i + 1];
      } else if (a == "--valid-days") {
        days = std::atoi(argv[i + 1]);
      } else if (a == "--not-before-days-ago") {
        ago = std::atoi(argv[i + 1]);
      } else {
        return usage();
      }
    }
    return makeCertificate(argv[2], cn, days, ago);
  }
  std::string profilePath, apduLog;
  VpcdEndpoint endpoint;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : std::string(); };
    if (a == "--profile") {
      profilePath = next();
    } else if (a == "--vpcd-host") {
      endpoint.host = next();
    } else if (a == "--vpcd-port") {
      endpoint.port = std::atoi(next().c_str());
    } else if (a == "--listen") {
      const std::string hp = next();
      const auto colon = hp.rfind(':');
      if (colon == std::string::npos) return usage();
      endpoint.host = hp.substr(0, colon);
      endpoint.port = std::atoi(hp.c_str() + colon + 1);
      endpoint.listen = true;
    } else if (a == "--apdu-log") {
      apduLog = next();
    } else {
      return usage();
    }
  }
  if (profilePath.empty() || endpoint.port <= 0 || endpoint.port > 65535) return usage();
  auto profile = loadCardProfile(profilePath);
  if (!profile) {
    std::fprintf(stderr, "kakanai-virtual-card: %s\n", profile.error().diagnostic.c_str());
    return 2;
  }
  auto card = MyNumberCardEmulator::create(*profile);
  if (!card) {
    std::fprintf(stderr, "kakanai-virtual-card: %s\n", card.error().diagnostic.c_str());
    return 2;
  }
  std::ofstream log;
  if (!apduLog.empty()) {
    log.open(apduLog, std::ios::app);
    (*card)->setObserver([&log](std::uint8_t cla, std::uint8_t ins, std::uint8_t p1, std::uint8_t p2,
                                std::size_t lc, std::uint16_t sw) {
      char line[64];
      std::snprintf(line, sizeof line, "%02X %02X %02X %02X lc=%zu sw=%04X\n", cla, ins, p1, p2, lc, sw);
      log << line << std::flush;
    });
  }
  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  std::fprintf(stderr, "kakanai-virtual-card: %s %s:%d\n", endpoint.listen ? "listening on" : "connecting to",
               endpoint.host.c_str(), endpoint.port);
  return serveVpcd(**card, endpoint, gStop);
}
