// A form filled for a resident of a session (or a person the clerk typed, who gets a session
// of their own so the document lives and dies like any other). The fill runs on a copy of the
// person, outside the session store's lock: one counter's fill never holds up another's
// create, clear or expiry.
#include "counter/counter_service.h"

#include "core/bytes.h"
#include "core/iso_time.h"
#include "forms/form_filler.h"

namespace kakanai::counter {

namespace {
Error badField(const char* field, const char* why) {
  Error e = Error::of(ErrorCode::BadRequest, std::string(field) + " " + why);
  e.field = field;
  return e;
}
}  // namespace

Status checkTypedPerson(const Person& p) {
  if (p.name.empty()) return badField("person.name", "is required");
  if (!isIsoDate(p.birthDate.view())) return badField("person.birthDate", "must be a real date YYYY-MM-DD");
  if (!isValidUtf8(p.name.bytes())) return badField("person.name", "must be UTF-8");
  if (!isValidUtf8(p.address.bytes())) return badField("person.address", "must be UTF-8");
  return okStatus();
}

Result<std::string> CounterService::sessionFor(const std::string& origin, FillOrder& order) {
  if (order.session) return *order.session;
  if (!order.typedPerson) return badField("session", "or person is required");
  KAKANAI_TRY(checkTypedPerson(*order.typedPerson));
  auto created = sessions_->create(origin, std::move(*order.typedPerson), false);
  order.typedPerson.reset();
  announceEnded(origin, created.evicted);
  return created.id;
}

Result<FilledDocument> CounterService::fill(const std::string& origin, FillOrder order) {
  const forms::FormDefinition* form = catalog_.find(order.form);
  if (form == nullptr) return Error::of(ErrorCode::UnknownForm);
  if (const Error* unavailable = catalog_.unavailableReason(order.form)) return *unavailable;
  if (order.date.empty()) order.date = localDate(WallClock::now());
  if (!isIsoDate(order.date)) return badField("date", "must be a real date YYYY-MM-DD");
  auto sessionId = sessionFor(origin, order);
  if (!sessionId) return sessionId.error();
  const std::optional<Person> person = sessions_->person(*sessionId, origin);
  if (!person) return Error::of(ErrorCode::UnknownSession);
  forms::FillRequest request;
  request.person = &*person;
  request.values = std::move(order.values);
  request.date = order.date;
  request.applicationDateToleranceDays = order.dateToleranceDays.value_or(dateToleranceDays_);
  auto filled = forms::fillForm(*form, catalog_.templatesDir, *catalog_.fonts, request);
  if (!filled) return filled.error();
  FilledDocument out;
  out.form = form->id;
  out.pdf.assign(filled->pdf.begin(), filled->pdf.end());
  secureWipe(filled->pdf.data(), filled->pdf.size());
  out.pages = filled->pages;
  out.warnings = std::move(filled->warnings);
  out.session = *sessionId;
  StoredDocument stored;
  stored.pdf = out.pdf;
  stored.pages = out.pages;
  // The session may have been cleared or expired while the form was filled: then the document
  // goes with it, and the clerk hears so.
  auto documentId = sessions_->addDocument(*sessionId, origin, std::move(stored));
  if (!documentId) return Error::of(ErrorCode::UnknownSession);
  out.document = *documentId;
  return out;
}

}  // namespace kakanai::counter
