#include "virtualcard/card_profile.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace kakanai::virtualcard {

namespace {

using Poco::JSON::Object;

Error bad(const std::string& what) { return Error::of(ErrorCode::BadRequest, "card profile: " + what); }

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// PEM fields hold the PEM itself or a path to a PEM file. Only a regular file of sensible size
// is read: a path like /dev/zero must not hang the card.
std::string pemOrFile(const std::string& value, const std::string& baseDir) {
  if (value.empty() || value.rfind("-----BEGIN", 0) == 0) return value;
  const std::filesystem::path path = (value[0] == '/' || baseDir.empty()) ? std::filesystem::path(value)
                                                                         : std::filesystem::path(baseDir) / value;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec) || std::filesystem::file_size(path, ec) > 64 * 1024 || ec) return {};
  return readFile(path);
}

template <class T>
bool take(const Object::Ptr& o, const char* key, T& out, std::string& error) {
  if (!o->has(key)) return true;
  try {
    out = o->getValue<T>(key);
    return true;
  } catch (const Poco::Exception&) {
    error = std::string("field ") + key + " has the wrong type";
    return false;
  }
}

Status parseTextAssist(const Object::Ptr& ta, TextAssistProfile& t) {
  std::string error;
  if (ta->has("pin") && ta->isNull("pin")) {
    t.pinSet = false;  // a face-recognition card
    t.pin.clear();
  } else if (!take(ta, "pin", t.pin, error)) {
    return bad(error);
  }
  std::string apInfo = "full";
  if (!take(ta, "retries", t.retries, error) ||
      !take(ta, "securityCode", t.securityCode, error) || !take(ta, "expiryYear", t.expiryYear, error) ||
      !take(ta, "verificationBRetries", t.verificationBRetries, error) ||
      !take(ta, "extendedLength", t.extendedLength, error) || !take(ta, "apInfo", apInfo, error) ||
      !take(ta, "pinlessSignature", t.pinlessSignature, error) ||
      !take(ta, "name", t.name, error) || !take(ta, "address", t.address, error) ||
      !take(ta, "birthDate", t.birthDate, error) || !take(ta, "sex", t.sex, error) ||
      !take(ta, "myNumber", t.myNumber, error)) {
    return bad(error);
  }
  std::erase(t.birthDate, '-');
  if (t.retries < 0 || t.retries > 15) return bad("retries must be 0..15");
  if (t.birthDate.size() != 8) return bad("birthDate must be YYYYMMDD");
  if (t.sex.size() != 1) return bad("sex must be one ISO 5218 digit");
  if (t.myNumber.size() != 12) return bad("myNumber must be 12 digits");
  if (!t.pinSet) t.retries = 0;  // no PIN set: the PIN path answers as a blocked one
  if (t.securityCode.size() != 4 || t.expiryYear.size() != 4) return bad("securityCode and expiryYear are 4 digits each");
  if (t.verificationBRetries < 0 || t.verificationBRetries > 15) return bad("verificationBRetries must be 0..15");
  if (apInfo != "full" && apInfo != "short") return bad("apInfo is \"full\" or \"short\"");
  t.apInfo = apInfo == "full" ? ApInfoShape::Full : ApInfoShape::Short;
  return okStatus();
}

}  // namespace

Result<CardProfile> parseCardProfile(const std::string& json, const std::string& baseDir) {
  CardProfile p;
  Object::Ptr root;
  try {
    Poco::JSON::Parser parser;
    root = parser.parse(json).extract<Object::Ptr>();
  } catch (const Poco::Exception&) {
    return bad("not a JSON object");
  } catch (const std::exception&) {
    return bad("not a JSON object");
  }
  if (!root || !root->has("textAssist")) return bad("textAssist is required");
  std::string error;
  auto ta = root->getObject("textAssist");
  if (!ta) return bad("textAssist must be an object");
  KAKANAI_TRY(parseTextAssist(ta, p.textAssist));
  if (root->has("reader")) {
    auto r = root->getObject("reader");
    if (!r) return bad("reader must be an object");
    bool reports = false;
    if (!take(r, "extendedLength", p.reader.extendedLength, error) || !take(r, "reportsExtendedLength", reports, error)) {
      return bad(error);
    }
    if (r->has("reportsExtendedLength")) p.reader.reportsExtendedLength = reports;
  }

  if (root->has("jpki")) {
    auto jp = root->getObject("jpki");
    if (!jp) return bad("jpki must be an object");
    auto& j = p.jpki;
    if (!take(jp, "authPin", j.authPin, error) || !take(jp, "authRetries", j.authRetries, error) ||
        !take(jp, "signPin", j.signPin, error) || !take(jp, "signRetries", j.signRetries, error) ||
        !take(jp, "certificatePem", j.certificatePem, error) ||
        !take(jp, "privateKeyPem", j.privateKeyPem, error) || !take(jp, "commonName", j.commonName, error) ||
        !take(jp, "validDays", j.validDays, error) || !take(jp, "notBeforeDaysAgo", j.notBeforeDaysAgo, error)) {
      return bad(error);
    }
    j.certificatePem = pemOrFile(j.certificatePem, baseDir);
    j.privateKeyPem = pemOrFile(j.privateKeyPem, baseDir);
    if (j.certificatePem.empty() != j.privateKeyPem.empty()) {
      return bad("jpki.certificatePem and jpki.privateKeyPem go together");
    }
  }
  if (root->has("faults")) {
    auto f = root->getObject("faults");
    if (!f) return bad("faults must be an object");
    if (!take(f, "removeAfterApdus", p.faults.removeAfterApdus, error) ||
        !take(f, "delayMs", p.faults.delayMs, error) ||
        !take(f, "tamperSignature", p.faults.tamperSignature, error) ||
        !take(f, "reinsertAfterMs", p.faults.reinsertAfterMs, error) || !take(f, "notMyNumber", p.faults.notMyNumber, error) ||
        !take(f, "corruptBasicInfo", p.faults.corruptBasicInfo, error)) {
      return bad(error);
    }
  }
  if (!take(root, "testIssuerKeyPem", p.testIssuerKeyPem, error)) return bad(error);
  p.testIssuerKeyPem = pemOrFile(p.testIssuerKeyPem, baseDir);
  return p;
}

Result<CardProfile> loadCardProfile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::of(ErrorCode::BadRequest, "card profile: cannot open " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return parseCardProfile(s.str(), std::filesystem::path(path).parent_path().string());
}

CardProfile sampleCardProfile() {
  // A fictional resident, written as a profile so the demo card goes through the same parser.
  static const char* kSample = R"({"textAssist": {"pin": "1234", "retries": 3, "name": "見本　花子",
      "address": "東京都千代田区霞が関二丁目１番２号", "birthDate": "19850615", "sex": "2"}})";
  return std::move(parseCardProfile(kSample, "")).value();
}

}  // namespace kakanai::virtualcard
