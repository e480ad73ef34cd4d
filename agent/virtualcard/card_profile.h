// The virtual card's profile (format in ../shared/CARD.md).
#pragma once

#include <optional>
#include <string>

#include "core/error.h"

namespace kakanai::virtualcard {

struct TextAssistProfile {
  std::string pin = "1234";
  int retries = 3;
  std::string name;
  std::string address;
  std::string birthDate;  // YYYYMMDD (YYYY-MM-DD accepted)
  std::string sex = "1";  // ISO 5218 digit
  std::string myNumber = "000000000000";
};

struct JpkiProfile {
  std::string authPin = "1234";
  int authRetries = 3;
  std::string signPin = "ABC123";
  int signRetries = 5;
  std::string certificatePem;  // empty: made at start from a test CA
  std::string privateKeyPem;
  std::string commonName = "KAKANAI TEST CARD";
  int validDays = 1825;     // of a generated certificate
  int notBeforeDaysAgo = 1; // negative values start it in the future
};

struct FaultProfile {
  int removeAfterApdus = 0;  // 0: never; otherwise the card leaves after answering this many
  int delayMs = 0;
  bool tamperSignature = false;
  int reinsertAfterMs = 1000;
  bool notMyNumber = false;        // the card has no text input assist applet (another IC card)
  bool corruptBasicInfo = false;   // EF 0002's offset table disagrees with its data
};

struct CardProfile {
  TextAssistProfile textAssist;
  JpkiProfile jpki;
  FaultProfile faults;
  std::string testIssuerKeyPem;  // empty: Kakanai's committed test issuer
};

// Parses a profile. `baseDir` resolves PEM fields given as file paths.
Result<CardProfile> parseCardProfile(const std::string& json, const std::string& baseDir);
Result<CardProfile> loadCardProfile(const std::string& path);
// A built-in sample resident (fictional) for the demo.
CardProfile sampleCardProfile();

}  // namespace kakanai::virtualcard
