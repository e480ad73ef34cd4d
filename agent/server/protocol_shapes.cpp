#include "server/protocol_shapes.h"

#include <cstdio>
#include <sstream>

#include "core/iso_time.h"
#include "core/json_text.h"

namespace kakanai::server {

using Poco::JSON::Array;
using Poco::JSON::Object;

std::string toJson(const Poco::Dynamic::Var& value) {
  std::ostringstream s;
  Poco::JSON::Stringifier::stringify(value, s);
  return s.str();
}

Object errorObject(const Error& e) {
  Object err;
  err.set("code", std::string(codeName(e.code)));
  err.set("message", std::string(clerkMessage(e.code)));
  if (e.retriesLeft) err.set("retriesLeft", *e.retriesLeft);
  if (!e.credential.empty()) err.set("credential", e.credential);
  if (e.sw) {
    char sw[5];
    std::snprintf(sw, sizeof sw, "%04X", *e.sw);
    err.set("sw", std::string(sw));
  }
  if (!e.items.empty()) {
    Array items;
    for (const auto& i : e.items) items.add(i);
    // date_out_of_range and grid_mismatch name form fields (docs/PROTOCOL-EXTENSIONS.md).
    const bool fields = e.code == ErrorCode::DateOutOfRange || e.code == ErrorCode::GridMismatch;
    err.set(e.code == ErrorCode::GlyphMissing ? "codepoints" : fields ? "fields" : "inputs", items);
  }
  if (!e.form.empty()) err.set("form", e.form);
  if (!e.field.empty()) err.set("field", e.field);
  return err;
}

Object cardStatusResult(const card::CardStatus& status) {
  Object r;
  r.set("reader", status.reader);
  r.set("present", status.present);
  r.set("kind", std::string(card::kindName(status.kind)));
  auto orNull = [](const std::optional<int>& n) { return n ? Poco::Dynamic::Var(*n) : Poco::Dynamic::Var(); };
  r.set("pinRetries", orNull(status.pinRetries));
  r.set("verificationBRetries", orNull(status.verificationBRetries));
  r.set("pinState", std::string(status.pinState));
  return r;
}

namespace {
Object inputObject(const forms::FormInput& in) {
  Object o;
  o.set("name", in.name);
  o.set("label", in.label);
  o.set("type", in.type);
  o.set("required", in.required);
  if (!in.options.empty()) {
    Array opts;
    for (const auto& opt : in.options) opts.add(opt);
    o.set("options", opts);
  }
  return o;
}
}  // namespace

Object formsListResult(const counter::FormCatalog& catalog) {
  Array list;
  for (std::size_t i = 0; i < catalog.forms.size(); ++i) {
    const auto& f = catalog.forms[i];
    Object entry;
    entry.set("id", f.id);
    entry.set("title", f.title);
    entry.set("pages", i < catalog.pages.size() ? catalog.pages[i] : 0);
    // A form whose template is broken is listed, not hidden: the clerk sees why it cannot be used.
    const Error* unavailable = catalog.unavailableReason(i);
    entry.set("available", unavailable == nullptr);
    // The clerk's message and code; which file and what is wrong with it is in the agent's log.
    if (unavailable != nullptr) entry.set("unavailableReason", errorObject(*unavailable));
    Array inputs;
    for (const auto& in : f.inputs) inputs.add(inputObject(in));
    entry.set("inputs", inputs);
    list.add(entry);
  }
  Object r;
  r.set("forms", list);
  return r;
}

Array warningsArray(const std::vector<forms::FillWarning>& warnings) {
  Array out;
  for (const auto& w : warnings) {
    Object o;
    o.set("field", w.field);
    o.set("code", std::string(warningName(w.code)));
    o.set("detail", w.detail);
    out.add(o);
  }
  return out;
}

std::string readerEventJson(const card::ReaderEvent& event, card::CardKind kind) {
  Object data;
  data.set("reader", event.reader);
  if (event.kind == card::ReaderEventKind::CardInserted || event.kind == card::ReaderEventKind::CardRemoved) {
    data.set("kind", std::string(card::kindName(kind)));
  }
  Object ev;
  ev.set("event", std::string(card::eventName(event.kind)));
  ev.set("data", data);
  return toJson(ev);
}

std::string sessionExpiredEventJson(const std::string& session) {
  Object data;
  data.set("session", session);
  Object ev;
  ev.set("event", std::string(kSessionExpired));
  ev.set("data", data);
  return toJson(ev);
}

Object readersListResult(const std::vector<counter::ReaderEntry>& readers) {
  Array list;
  for (const auto& r : readers) {
    Object o;
    o.set("name", r.name);
    o.set("cardPresent", r.cardPresent);
    o.set("role", std::string(counter::roleName(r.role)));
    list.add(o);
  }
  Object r;
  r.set("readers", list);
  return r;
}

Object printersListResult(const std::vector<printing::PrinterInfo>& printers) {
  Array list;
  for (const auto& p : printers) {
    Object o;
    o.set("name", p.name);
    o.set("default", p.isDefault);
    o.set("state", std::string(printing::printerStateName(p.state)));
    list.add(o);
  }
  Object r;
  r.set("printers", list);
  return r;
}

SecretText cardReadResult(const counter::ReadResident& read) {
  SecretText out;
  out.append("{\"person\":");
  appendPersonJson(out, read.person);
  out.append(",\"session\":");
  appendJsonString(out, read.session);
  out.append(read.authentic ? ",\"authentic\":true" : ",\"authentic\":false");
  if (read.cardSignature) out.append(*read.cardSignature ? ",\"cardSignature\":true" : ",\"cardSignature\":false");
  out.append(",\"expiresAt\":");
  appendJsonString(out, isoUtc(read.expiresAt));
  out.append("}");
  return out;
}

SecretText formFillResult(const counter::FilledDocument& filled) {
  SecretText out;
  out.append("{\"pdfBase64\":\"");
  appendBase64(out, ByteView(filled.pdf.data(), filled.pdf.size()));
  out.append("\",\"document\":");
  appendJsonString(out, filled.document);
  out.append(",\"session\":");
  appendJsonString(out, filled.session);
  out.append(",\"pages\":" + std::to_string(filled.pages));
  out.append(",\"warnings\":");
  out.append(toJson(warningsArray(filled.warnings)));  // fallback_font details name characters of the value
  out.append("}");
  return out;
}

Object proceduresListResult(const counter::FormCatalog& catalog) {
  Array list;
  for (const auto& p : catalog.procedures) {
    Array forms;
    for (const auto& pf : p.forms) {
      Object f;
      f.set("form", pf.form);
      const forms::FormDefinition* def = catalog.find(pf.form);
      f.set("title", def != nullptr ? def->title : pf.form);
      f.set("required", pf.required);
      f.set("reason", pf.reason);
      f.set("available", catalog.unavailableReason(pf.form) == nullptr);
      forms.add(f);
    }
    Array inputs;
    for (const auto& in : p.inputs) {
      Object o = inputObject(in.definition);
      o.set("required", in.required);
      Array used;
      for (const auto& f : in.forms) used.add(f);
      o.set("forms", used);
      inputs.add(o);
    }
    Object entry;
    entry.set("id", p.id);
    entry.set("title", p.title);
    entry.set("forms", forms);
    entry.set("inputs", inputs);
    list.add(entry);
  }
  Object r;
  r.set("procedures", list);
  return r;
}

namespace {
void appendDocumentJson(SecretText& out, const counter::FilledDocument& d, bool withPdf) {
  out.append("{\"document\":");
  appendJsonString(out, d.document);
  if (!d.form.empty()) {
    out.append(",\"form\":");
    appendJsonString(out, d.form);
  }
  out.append(",\"pages\":" + std::to_string(d.pages));
  if (withPdf) {
    out.append(",\"pdfBase64\":\"");
    appendBase64(out, ByteView(d.pdf.data(), d.pdf.size()));
    out.append("\"");
  } else {
    out.append(",\"warnings\":");
    out.append(toJson(warningsArray(d.warnings)));
  }
  out.append("}");
}
}  // namespace

// The documents without their bytes (each can be printed alone by id); the bundle with them,
// for the one preview.
SecretText procedureFillResult(const counter::FilledProcedure& filled) {
  SecretText out;
  out.append("{\"session\":");
  appendJsonString(out, filled.session);
  out.append(",\"documents\":[");
  for (std::size_t i = 0; i < filled.documents.size(); ++i) {
    if (i > 0) out.append(",");
    appendDocumentJson(out, filled.documents[i], false);
  }
  out.append("],\"bundle\":");
  appendDocumentJson(out, filled.bundle, true);
  out.append("}");
  return out;
}

std::string counterEventJson(const counter::CounterEvent& e) {
  using K = counter::CounterEvent::Kind;
  if (e.kind == K::SessionExpired) return sessionExpiredEventJson(e.session);
  Object data;
  data.set("job", e.job);
  data.set("printer", e.printer);
  if (e.kind == K::PrintFailed) data.set("reason", e.reason);
  Object ev;
  ev.set("event", std::string(e.kind == K::PrintCompleted ? kPrintCompleted : kPrintFailed));
  ev.set("data", data);
  return toJson(ev);
}

Object attendanceRecordObject(const attendance::AttendanceRecord& r) {
  Object o;
  o.set("seq", r.seq);  // extension: this PC's record number, for reconciling with the central store
  o.set("staffId", r.staffId);
  o.set("displayName", r.displayName);
  o.set("kind", std::string(attendance::tapKindName(r.kind)));
  o.set("at", r.at);
  o.set("reader", r.reader);
  return o;
}

std::string attendanceEventJson(const attendance::AttendanceEvent& e) {
  using K = attendance::AttendanceEventKind;
  Object data;
  std::string name;
  switch (e.kind) {
    case K::Tap:
      name = kAttendanceEventNames[0];
      data = attendanceRecordObject(e.record);
      data.set("certNotAfter", e.certNotAfter);
      data.set("certExpiresSoon", e.certExpiresSoon);
      break;
    case K::UnknownCard:
      name = kAttendanceEventNames[1];
      break;
    case K::Refused:
      name = kAttendanceEventNames[2];
      data.set("code", std::string(codeName(e.code)));
      data.set("message", std::string(clerkMessage(e.code)));
      break;
    case K::Ignored:
      name = kAttendanceEventNames[3];
      data.set("reason", std::string("double_tap"));
      break;
    case K::PinRequired:
      name = kAttendanceEventNames[4];
      data.set("tap", e.tapId);
      data.set("staffId", e.record.staffId);
      data.set("displayName", e.record.displayName);
      data.set("retriesLeft", e.retriesLeft ? Poco::Dynamic::Var(*e.retriesLeft) : Poco::Dynamic::Var());
      break;
  }
  if (e.kind != K::Tap) {
    data.set("reader", e.reader);
    data.set("at", e.at);
  }
  Object ev;
  ev.set("event", name);
  ev.set("data", data);
  return toJson(ev);
}

}  // namespace kakanai::server
