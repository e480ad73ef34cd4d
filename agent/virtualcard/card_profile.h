// The virtual card's profile (format in ../shared/CARD.md).
#pragma once

#include <optional>
#include <string>

#include "core/error.h"

namespace kakanai::virtualcard {

// EF 0005 as current cards carry it (about 256 bytes: DF41, DF42, DF43) or as the older,
// stricter variant some readers meet (DF41 alone, 10 bytes).
enum class ApInfoShape { Full, Short };

struct TextAssistProfile {
  std::string pin = "1234";
  bool pinSet = true;  // "pin": null: a face-recognition card, on which no PIN is set
  int retries = 3;
  std::string name;
  std::string address;
  std::string birthDate;  // YYYYMMDD (YYYY-MM-DD accepted)
  std::string sex = "1";  // ISO 5218 digit
  std::string myNumber = "000000000000";
  // Verification number B is made from the birth date and these two, printed on the card face.
  std::string securityCode = "0000";
  std::string expiryYear = "2035";
  int verificationBRetries = 10;
  bool extendedLength = true;     // advertised in EF 0005 and answered, as real cards do
  ApInfoShape apInfo = ApInfoShape::Full;
  bool pinlessSignature = true;   // 80 2A 00 00 with the key of EF 0007
};

// The reader the card sits in (the vpcd link or the in-process virtual reader).
struct ReaderProfile {
  bool extendedLength = true;  // false: an extended APDU is answered 67 00 by the reader itself
  // What the in-process reader tells the agent (its SCARD_ATTR_MAXINPUT); by default the truth.
  // true with extendedLength false: a reader that claims more than it carries.
  std::optional<bool> reportsExtendedLength;
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
  ReaderProfile reader;
  std::string testIssuerKeyPem;  // empty: Kakanai's committed test issuer
};

// Parses a profile. `baseDir` resolves PEM fields given as file paths.
Result<CardProfile> parseCardProfile(const std::string& json, const std::string& baseDir);
Result<CardProfile> loadCardProfile(const std::string& path);
// A built-in sample resident (fictional) for the demo.
CardProfile sampleCardProfile();

}  // namespace kakanai::virtualcard
