// A resident's whole visit: the procedure's forms (the required ones and the optional ones the
// clerk ticked) filled from one person and one set of answers, then bundled for one preview and
// one print. Every document and the bundle live in the resident's session and die with it.
#include "counter/counter_service.h"

#include <algorithm>
#include <future>

#include "pdf/pdf_bundle.h"

namespace kakanai::counter {

namespace {

Error badForms(const std::string& why) {
  Error e = Error::of(ErrorCode::BadRequest, "forms " + why);
  e.field = "forms";
  return e;
}

Result<std::vector<const procedures::ProcedureForm*>> includedForms(const procedures::Procedure& p,
                                                                    const std::optional<std::vector<std::string>>& optional) {
  if (optional) {
    for (const auto& id : *optional) {
      auto f = std::find_if(p.forms.begin(), p.forms.end(), [&](const procedures::ProcedureForm& pf) { return pf.form == id; });
      if (f == p.forms.end()) return badForms("names " + id + ", which is not a form of the procedure");
    }
  }
  std::vector<const procedures::ProcedureForm*> out;
  for (const auto& pf : p.forms) {
    const bool asked = optional && std::find(optional->begin(), optional->end(), pf.form) != optional->end();
    if (pf.required || asked) out.push_back(&pf);
  }
  return out;
}

// Every required input of every included form that has no answer, by the procedure's names, at once.
Status checkAnswers(const FormCatalog& catalog, const std::vector<const procedures::ProcedureForm*>& included,
                    const std::map<std::string, std::string>& values) {
  Error missing = Error::of(ErrorCode::MissingInput);
  for (const auto* pf : included) {
    const forms::FormDefinition* form = catalog.find(pf->form);
    if (form == nullptr) continue;  // the catalog checked every procedure's forms at start
    for (const auto& in : form->inputs) {
      if (!in.required || pf->values.count(in.name)) continue;
      const std::string asked = procedures::procedureInputFor(*pf, in.name);
      auto v = values.find(asked);
      if ((v == values.end() || v->second.empty()) && std::find(missing.items.begin(), missing.items.end(), asked) == missing.items.end()) {
        missing.items.push_back(asked);
      }
    }
  }
  if (!missing.items.empty()) return missing;
  return okStatus();
}

// The form's own inputs, from the procedure's answers and the values it sets itself.
std::map<std::string, std::string> formValues(const FormCatalog& catalog, const procedures::ProcedureForm& pf,
                                              const std::map<std::string, std::string>& values) {
  std::map<std::string, std::string> out = pf.values;
  const forms::FormDefinition* form = catalog.find(pf.form);
  if (form == nullptr) return out;
  for (const auto& in : form->inputs) {
    if (pf.values.count(in.name)) continue;
    auto v = values.find(procedures::procedureInputFor(pf, in.name));
    if (v != values.end()) out[in.name] = v->second;
  }
  return out;
}

FillOrder orderFor(const FormCatalog& catalog, const procedures::ProcedureForm& pf, const ProcedureOrder& order) {
  FillOrder fill;
  fill.form = pf.form;
  fill.values = formValues(catalog, pf, order.values);
  fill.date = order.date;
  fill.dateToleranceDays = order.dateToleranceDays;
  return fill;
}

Result<FilledDocument> named(Result<FilledDocument> filled, const std::string& form) {
  if (!filled && filled.error().form.empty()) {
    Error e = filled.error();
    e.form = form;
    return e;
  }
  return filled;
}

// Every included form, in order, each appended to the bundle as soon as it is filled. A typed
// person's session is made by the first fill; the others run side by side meanwhile: they are
// independent, this is one request, and the clerk waits for all of them.
Result<std::vector<FilledDocument>> fillEach(CounterService& service, const FormCatalog& catalog, const std::string& origin,
                                             const std::vector<const procedures::ProcedureForm*>& included, const ProcedureOrder& order,
                                             pdf::PdfBundle& bundle) {
  std::vector<FilledDocument> out;
  std::string session = order.session.value_or("");
  std::size_t next = 0;
  if (!order.session) {
    FillOrder first = orderFor(catalog, *included[0], order);
    first.typedPerson = order.typedPerson;
    auto filled = named(service.fill(origin, std::move(first)), included[0]->form);
    if (!filled) return filled.error();
    session = filled->session;
    out.push_back(std::move(*filled));
    next = 1;
  }
  std::vector<std::future<Result<FilledDocument>>> running;
  for (std::size_t i = next; i < included.size(); ++i) {
    FillOrder fill = orderFor(catalog, *included[i], order);
    fill.session = session;
    running.push_back(std::async(std::launch::async, [&service, &origin, fill = std::move(fill)]() mutable {
      const std::string form = fill.form;
      return named(service.fill(origin, std::move(fill)), form);
    }));
  }
  std::optional<Error> failed;
  if (!out.empty()) {
    if (auto appended = bundle.append(ByteView(out[0].pdf.data(), out[0].pdf.size())); !appended) failed = appended.error();
  }
  for (auto& r : running) {
    auto filled = r.get();  // every fill is waited for, even after a failure: they use this frame
    if (!filled && !failed) failed = filled.error();
    if (!filled || failed) continue;
    if (auto appended = bundle.append(ByteView(filled->pdf.data(), filled->pdf.size())); !appended) failed = appended.error();
    out.push_back(std::move(*filled));
  }
  if (failed) return *failed;
  return out;
}

}  // namespace

Result<FilledProcedure> CounterService::fillProcedure(const std::string& origin, ProcedureOrder order) {
  const procedures::Procedure* procedure = catalog_.findProcedure(order.procedure);
  if (procedure == nullptr) return Error::of(ErrorCode::UnknownProcedure);
  auto included = includedForms(*procedure, order.optionalForms);
  if (!included) return included.error();
  for (const auto* pf : *included) {
    if (const Error* unavailable = catalog_.unavailableReason(pf->form)) return *unavailable;
  }
  KAKANAI_TRY(checkAnswers(catalog_, *included, order.values));
  pdf::PdfBundle bundle;
  auto documents = fillEach(*this, catalog_, origin, *included, order, bundle);
  if (!documents) return documents.error();
  FilledProcedure out;
  out.documents = std::move(*documents);
  out.session = out.documents.front().session;
  auto bundled = bundle.finish();
  if (!bundled) return bundled.error();
  out.bundle.pdf = std::move(*bundled);
  out.bundle.session = out.session;
  for (const auto& d : out.documents) out.bundle.pages += d.pages;
  StoredDocument stored;
  stored.pdf = out.bundle.pdf;
  stored.pages = out.bundle.pages;
  auto id = sessions_->addDocument(out.session, origin, std::move(stored));
  if (!id) return Error::of(ErrorCode::UnknownSession);  // cleared or expired meanwhile
  out.bundle.document = *id;
  return out;
}

}  // namespace kakanai::counter
