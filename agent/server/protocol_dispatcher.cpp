#include "server/protocol_dispatcher.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <openssl/crypto.h>

#include <sstream>

#include "core/bytes.h"
#include "core/json_text.h"
#include "forms/form_filler.h"
#include "server/protocol_shapes.h"

namespace kakanai::server {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

std::string stringify(const Poco::Dynamic::Var& v) { return toJson(v); }

void appendId(SecretText& out, const std::optional<std::string>& id) {
  if (id) {
    appendJsonString(out, *id);
  } else {
    out.append("null");
  }
}

Outcome success(const std::optional<std::string>& id, const std::string& type, std::string_view resultJson) {
  Outcome o;
  o.response.append("{\"id\":");
  appendId(o.response, id);
  o.response.append(",\"ok\":true,\"result\":");
  o.response.append(resultJson);
  o.response.append("}");
  o.type = type;
  o.id = id.value_or("");
  o.code = "ok";
  return o;
}

Outcome failure(const std::optional<std::string>& id, const std::string& type, const Error& e) {
  const Object err = errorObject(e);
  Outcome o;
  o.response.append("{\"id\":");
  appendId(o.response, id);
  o.response.append(",\"ok\":false,\"error\":");
  o.response.append(stringify(err));
  o.response.append("}");
  o.type = type;
  o.id = id.value_or("");
  o.code = std::string(codeName(e.code));
  o.diagnostic = e.diagnostic;
  return o;
}

Error bad(const std::string& what) { return Error::of(ErrorCode::BadRequest, what); }

// Overwrites a string Poco parsed out of a request (a PIN, a typed name) where it lies.
// (Object::get() returns a copy; iteration reaches the value the object itself holds.)
void wipeVar(Object::Ptr o, const std::string& key) {
  if (!o) return;
  for (const auto& [k, v] : *o) {
    if (k != key || !v.isString()) continue;
    try {
      const auto& s = v.extract<std::string>();
      OPENSSL_cleanse(const_cast<char*>(s.data()), s.size());
    } catch (...) {
    }
  }
}

std::optional<std::string> optString(const Object::Ptr& o, const char* key, Error& err) {
  if (!o->has(key) || o->get(key).isEmpty()) return std::nullopt;
  if (!o->get(key).isString()) {
    err = bad(std::string(key) + " must be a string");
    return std::nullopt;
  }
  return o->getValue<std::string>(key);
}

bool optBool(const Object::Ptr& o, const char* key, bool fallback, Error& err) {
  if (!o->has(key)) return fallback;
  if (!o->get(key).isBoolean()) {
    err = bad(std::string(key) + " must be true or false");
    return fallback;
  }
  return o->getValue<bool>(key);
}

}  // namespace

Outcome ProtocolDispatcher::handle(std::string_view frame, ConnectionState& conn) {
  Object::Ptr req;
  try {
    Poco::JSON::Parser parser;
    req = parser.parse(std::string(frame)).extract<Object::Ptr>();
  } catch (...) {
    return failure(std::nullopt, "(malformed)", bad("not a JSON object"));
  }
  if (!req) return failure(std::nullopt, "(malformed)", bad("not a JSON object"));
  std::optional<std::string> id;
  if (req->has("id")) {
    if (!req->get("id").isString() || req->getValue<std::string>("id").size() > 64) {
      return failure(std::nullopt, "(malformed)", bad("id must be a string of at most 64 characters"));
    }
    id = req->getValue<std::string>("id");
  }
  if (!req->has("type") || !req->get("type").isString()) return failure(id, "(malformed)", bad("type is required"));
  const std::string type = req->getValue<std::string>("type");
  if (!id) return failure(id, type, bad("id is required"));

  if (type == "hello") {
    if (req->has("protocol") && req->get("protocol").convert<std::string>() != "1") {
      return failure(id, type, bad("protocol 1 only"));
    }
    if (s_.config.token) {
      Error err;
      auto token = optString(req, "token", err);
      const std::string& expected = *s_.config.token;
      if (!token || token->size() != expected.size() || CRYPTO_memcmp(token->data(), expected.data(), expected.size()) != 0) {
        return failure(id, type, Error::of(ErrorCode::Unauthorized));
      }
    }
    conn.helloDone = true;
    Object r;
    r.set("agent", std::string("kakanai-agent"));
    r.set("version", std::string(kAgentVersion));
    r.set("protocol", 1);
    Array readers;
    if (auto list = s_.readers->listReaders()) {
      for (const auto& rd : *list) readers.add(rd.name);
    }
    r.set("readers", readers);
    Array features;
    for (const char* f : {"card.read", "card.status", "session.clear", "forms.list", "form.fill", "document.print", "printers.list",
                          "events", "readers.list", "attendance.enroll", "attendance.list"}) {
      features.add(std::string(f));
    }
    if (s_.config.attendance.strong) features.add(std::string("attendance.verify"));
    if (s_.config.demo) features.add(std::string("demo"));
    if (s_.demoTap) features.add(std::string("demo.tap"));
    r.set("features", features);
    return success(id, type, stringify(r));
  }
  if (!conn.helloDone) return failure(id, type, Error::of(ErrorCode::HelloRequired));

  Error argError = Error::of(ErrorCode::Internal);
  auto announceEvicted = [&](const SessionStore::Created& created) {
    for (const auto& gone : created.evicted) {
      if (s_.emit) s_.emit(sessionExpiredEventJson(gone));
    }
  };
  auto firstCounterReader = [&](const std::optional<std::string>& asked) -> Result<std::string> {
    auto list = s_.readers->listReaders();
    if (!list) return list.error();
    if (asked) {
      for (const auto& r : *list) {
        if (r.name == *asked) {
          if (s_.config.roleOf(r.name) != "counter") return bad("reader is an attendance reader");
          return r.name;
        }
      }
      return Error::of(ErrorCode::NoReader);
    }
    std::optional<std::string> first;
    for (const auto& r : *list) {
      if (s_.config.roleOf(r.name) != "counter") continue;
      if (r.cardPresent) return r.name;
      if (!first) first = r.name;
    }
    if (!first) return Error::of(ErrorCode::NoReader);
    return *first;
  };

  auto attendanceReader = [&](const std::optional<std::string>& asked) -> Result<std::string> {
    auto list = s_.readers->listReaders();
    if (!list) return list.error();
    for (const auto& r : *list) {
      if (asked && r.name != *asked) continue;
      if (s_.config.roleOf(r.name) == "attendance") return r.name;
      if (asked) return bad("reader is a counter reader");
    }
    return Error::of(ErrorCode::NoReader);
  };

  if (type == "readers.list") {
    auto list = s_.readers->listReaders();
    if (!list) return failure(id, type, list.error());
    Array readers;
    for (const auto& r : *list) {
      Object o;
      o.set("name", r.name);
      o.set("cardPresent", r.cardPresent);
      o.set("role", s_.config.roleOf(r.name));
      readers.add(o);
    }
    Object r;
    r.set("readers", readers);
    return success(id, type, stringify(r));
  }

  if (type == "card.status") {
    auto asked = optString(req, "reader", argError);
    if (argError.code == ErrorCode::BadRequest) return failure(id, type, argError);
    auto reader = firstCounterReader(asked);
    if (!reader) return failure(id, type, reader.error());
    auto status = card::readCardStatus(*s_.readers, *reader);
    if (!status) return failure(id, type, status.error());
    return success(id, type, stringify(cardStatusResult(*status)));
  }

  if (type == "card.read") {
    card::CardReadRequest request;
    if (req->has("pin") && req->get("pin").isString()) {
      request.pin = SecretText(req->get("pin").extract<std::string>());
    }
    wipeVar(req, "pin");
    request.allowLastTry = optBool(req, "allowLastTry", false, argError);
    request.includeMyNumber = optBool(req, "includeMyNumber", false, argError);
    auto asked = optString(req, "reader", argError);
    if (argError.code == ErrorCode::BadRequest) return failure(id, type, argError);
    if (!card::isWellFormedPin(request.pin.view())) return failure(id, type, Error::of(ErrorCode::PinFormat));
    auto reader = firstCounterReader(asked);
    if (!reader) return failure(id, type, reader.error());
    auto outcome = card::readMyNumberCard(*s_.readers, *reader, request, s_.cardPolicy);
    request.pin.clear();
    if (!outcome) return failure(id, type, outcome.error());
    const Person* person = outcome->session.person();
    Person copy;
    copy.name = person->name;
    copy.address = person->address;
    copy.birthDate = person->birthDate;
    copy.sex = person->sex;
    copy.myNumber = person->myNumber;
    const bool authentic = outcome->session.authentic();
    outcome->session.clear();
    SecretText result;
    result.append("{\"person\":");
    appendPersonJson(result, copy);
    const auto created = s_.sessions->create(conn.origin, std::move(copy), authentic);
    announceEvicted(created);
    result.append(",\"session\":");
    appendJsonString(result, created.id);
    result.append(authentic ? ",\"authentic\":true" : ",\"authentic\":false");
    result.append(",\"expiresAt\":");
    appendJsonString(result, isoUtc(created.expiresAt));
    result.append("}");
    return success(id, type, result.view());
  }

  if (type == "session.clear") {
    auto session = optString(req, "session", argError);
    if (!session) return failure(id, type, argError.code == ErrorCode::BadRequest ? argError : bad("session is required"));
    if (!s_.sessions->clear(*session, conn.origin)) return failure(id, type, Error::of(ErrorCode::UnknownSession));
    return success(id, type, "{}");
  }

  if (type == "forms.list") return success(id, type, stringify(formsListResult(s_.forms, s_.formPages)));

  if (type == "form.fill") {
    auto formId = optString(req, "form", argError);
    if (!formId) return failure(id, type, argError.code == ErrorCode::BadRequest ? argError : bad("form is required"));
    const forms::FormDefinition* form = nullptr;
    for (const auto& f : s_.forms) {
      if (f.id == *formId) form = &f;
    }
    if (form == nullptr) return failure(id, type, Error::of(ErrorCode::UnknownForm));
    forms::FillRequest fill;
    fill.date = optString(req, "date", argError).value_or("");
    if (argError.code == ErrorCode::BadRequest) return failure(id, type, argError);
    if (fill.date.empty()) fill.date = localDate(WallClock::now());
    if (!isIsoDate(fill.date)) return failure(id, type, bad("date must be YYYY-MM-DD"));
    fill.applicationDateToleranceDays = s_.config.applicationDateToleranceDays;
    if (req->has("dateToleranceDays")) {  // docs/PROTOCOL-EXTENSIONS.md
      const auto days = req->get("dateToleranceDays");
      if (!days.isInteger() || days.convert<long long>() < 0 || days.convert<long long>() > 36500) {
        return failure(id, type, bad("dateToleranceDays must be 0..36500"));
      }
      fill.applicationDateToleranceDays = days.convert<int>();
    }
    if (req->has("values")) {
      auto values = req->getObject("values");
      if (!values) return failure(id, type, bad("values must be an object"));
      for (const auto& [k, v] : *values) {
        if (!v.isString() && !v.isNumeric()) return failure(id, type, bad("values." + k + " must be a string or a number"));
        fill.values[k] = v.convert<std::string>();
      }
    }
    auto session = optString(req, "session", argError);
    Person typed;
    std::string sessionId;
    if (session) {
      sessionId = *session;
    } else if (req->has("person")) {
      // A resident without a card: the clerk typed the data. It gets a session of its own so the
      // document lives and dies like any other.
      auto p = req->getObject("person");
      if (!p || !p->has("name") || !p->has("birthDate")) return failure(id, type, bad("person needs name, address, birthDate, sex"));
      try {
        typed.name = SecretText(p->getValue<std::string>("name"));
        typed.address = SecretText(p->optValue<std::string>("address", ""));
        typed.birthDate = SecretText(p->getValue<std::string>("birthDate"));
        auto sex = parseSexName(p->optValue<std::string>("sex", "unspecified"));
        if (!sex) return failure(id, type, bad("person.sex must be male, female or unspecified"));
        typed.sex = *sex;
      } catch (...) {
        return failure(id, type, bad("person fields must be strings"));
      }
      for (const char* k : {"name", "address", "birthDate"}) wipeVar(p, k);
      if (!isIsoDate(typed.birthDate.view())) return failure(id, type, bad("person.birthDate must be YYYY-MM-DD"));
      if (!isValidUtf8(typed.name.bytes()) || !isValidUtf8(typed.address.bytes())) return failure(id, type, bad("person text must be UTF-8"));
      const auto created = s_.sessions->create(conn.origin, std::move(typed), false);
      announceEvicted(created);
      sessionId = created.id;
    } else {
      return failure(id, type, bad("session or person is required"));
    }
    Result<forms::FillResult> filled = Error::of(ErrorCode::UnknownSession);
    const bool live = s_.sessions->withPerson(sessionId, conn.origin, [&](const Person& person) {
      fill.person = &person;
      filled = forms::fillForm(*form, s_.templatesDir, *s_.fonts, fill);
    });
    if (!live) return failure(id, type, Error::of(ErrorCode::UnknownSession));
    if (!filled) return failure(id, type, filled.error());
    StoredDocument doc;
    doc.pdf.assign(filled->pdf.begin(), filled->pdf.end());
    doc.pages = filled->pages;
    secureWipe(filled->pdf.data(), filled->pdf.size());
    SecretText result;
    result.append("{\"pdfBase64\":\"");
    appendBase64(result, ByteView(doc.pdf.data(), doc.pdf.size()));
    auto documentId = s_.sessions->addDocument(sessionId, conn.origin, std::move(doc));
    if (!documentId) return failure(id, type, Error::of(ErrorCode::UnknownSession));
    const Array warnings = warningsArray(filled->warnings);
    result.append("\",\"document\":");
    appendJsonString(result, *documentId);
    result.append(",\"session\":");
    appendJsonString(result, sessionId);
    result.append(",\"pages\":" + std::to_string(filled->pages));
    result.append(",\"warnings\":");
    result.append(stringify(warnings));  // fallback_font details name characters of the value
    result.append("}");
    return success(id, type, result.view());
  }

  if (type == "printers.list") {
    Array list;
    for (const auto& p : s_.printers->list()) {
      Object o;
      o.set("name", p.name);
      o.set("default", p.isDefault);
      o.set("state", p.state);
      list.add(o);
    }
    Object r;
    r.set("printers", list);
    return success(id, type, stringify(r));
  }

  if (type == "document.print") {
    auto documentId = optString(req, "document", argError);
    auto printer = optString(req, "printer", argError);
    if (argError.code == ErrorCode::BadRequest) return failure(id, type, argError);
    if (!documentId) return failure(id, type, bad("document is required"));
    int copies = 1;
    if (req->has("copies")) {
      if (!req->get("copies").isInteger()) return failure(id, type, bad("copies must be a whole number"));
      copies = req->getValue<int>("copies");
      if (copies < 1 || copies > 99) return failure(id, type, bad("copies must be 1..99"));
    }
    auto pdf = s_.sessions->document(*documentId, conn.origin);
    if (!pdf) return failure(id, type, Error::of(ErrorCode::UnknownDocument));
    auto emit = s_.emit;
    auto job = s_.printers->print(ByteView(pdf->data(), pdf->size()), printer, copies,
                                  [emit](const std::string& jobId, const std::string& name, bool ok, const std::string& reason) {
                                    Object data;
                                    data.set("job", jobId);
                                    data.set("printer", name);
                                    if (!ok) data.set("reason", reason);
                                    Object ev;
                                    ev.set("event", std::string(ok ? "print.completed" : "print.failed"));
                                    ev.set("data", data);
                                    if (emit) emit(stringify(ev));
                                  });
    if (!job) return failure(id, type, job.error());
    Object r;
    r.set("job", job->job);
    r.set("printer", job->printer);
    return success(id, type, stringify(r));
  }
  if (type.rfind("attendance.", 0) == 0 && !s_.attendance) return failure(id, type, Error::of(ErrorCode::StoreUnavailable, "no attendance service"));

  if (type == "attendance.enroll") {
    auto staffId = optString(req, "staffId", argError);
    auto displayName = optString(req, "displayName", argError);
    auto asked = optString(req, "reader", argError);
    if (argError.code == ErrorCode::BadRequest) return failure(id, type, argError);
    if (!staffId || staffId->empty() || staffId->size() > 64 || !isValidUtf8(asBytes(*staffId))) {
      return failure(id, type, bad("staffId is required (at most 64 bytes)"));
    }
    if (!displayName || displayName->empty() || displayName->size() > 200 || !isValidUtf8(asBytes(*displayName))) {
      return failure(id, type, bad("displayName is required (at most 200 bytes of UTF-8)"));
    }
    double timeoutSeconds = 30;
    if (req->has("timeoutSeconds")) {
      if (!req->get("timeoutSeconds").isNumeric()) return failure(id, type, bad("timeoutSeconds must be a number"));
      timeoutSeconds = req->getValue<double>("timeoutSeconds");
      if (!(timeoutSeconds > 0 && timeoutSeconds <= 300)) return failure(id, type, bad("timeoutSeconds must be 0..300"));
    }
    auto reader = attendanceReader(asked);
    if (!reader) return failure(id, type, reader.error());
    auto enrolled = s_.attendance->enroll(*staffId, *displayName, *reader,
                                          std::chrono::milliseconds(static_cast<long long>(timeoutSeconds * 1000)));
    if (!enrolled) return failure(id, type, enrolled.error());
    Object r;
    r.set("staffId", enrolled->staffId);
    r.set("certNotAfter", enrolled->certNotAfter);
    return success(id, type, stringify(r));
  }

  if (type == "attendance.list") {
    auto from = optString(req, "from", argError);
    auto to = optString(req, "to", argError);
    auto staffId = optString(req, "staffId", argError);
    if (argError.code == ErrorCode::BadRequest) return failure(id, type, argError);
    if (!from || !to || !isIsoDate(*from) || !isIsoDate(*to)) return failure(id, type, bad("from and to must be YYYY-MM-DD"));
    auto records = s_.attendance->list(*from, *to, staffId);
    if (!records) return failure(id, type, records.error());
    Array list;
    for (const auto& rec : *records) list.add(attendanceRecordObject(rec));
    Object r;
    r.set("records", list);
    return success(id, type, stringify(r));
  }

  if (type == "attendance.verify") {
    SecretText pin;
    if (req->has("pin") && req->get("pin").isString()) pin = SecretText(req->get("pin").extract<std::string>());
    wipeVar(req, "pin");
    auto tap = optString(req, "tap", argError);
    const bool allowLastTry = optBool(req, "allowLastTry", false, argError);
    if (argError.code == ErrorCode::BadRequest) return failure(id, type, argError);
    if (!tap) return failure(id, type, bad("tap is required"));
    if (!card::isWellFormedPin(pin.view())) return failure(id, type, Error::of(ErrorCode::PinFormat));
    auto verified = s_.attendance->verifyTap(*tap, std::move(pin), allowLastTry);
    if (!verified) return failure(id, type, verified.error());
    Object r = *verified ? attendanceRecordObject(**verified) : Object();
    r.set("recorded", verified->has_value());
    return success(id, type, stringify(r));
  }

  if (type == "demo.tap") {
    if (!s_.demoTap) return failure(id, type, bad("demo.tap is only in demo mode"));
    auto which = optString(req, "card", argError);
    if (argError.code == ErrorCode::BadRequest) return failure(id, type, argError);
    auto tapped = s_.demoTap(which.value_or("E0001"));
    if (!tapped) return failure(id, type, tapped.error());
    return success(id, type, "{}");
  }
  return failure(id, type, bad("unknown type"));
}

}  // namespace kakanai::server
