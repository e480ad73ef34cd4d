// A resident's whole visit: the procedure's forms (the required ones and the optional ones the
// clerk ticked) filled from one person and one set of answers, then bundled for one preview and
// one print. Every document and the bundle live in the resident's session and die with it.
#include "counter/counter_service.h"

#include <algorithm>
#include <functional>
#include <optional>

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

// A form filled and its document read for the bundle, both in the fill's own thread.
struct FilledPart {
  Result<FilledDocument> filled;
  std::optional<Result<pdf::BundlePart>> part;
};

FilledPart fillAndRead(CounterService& service, const std::string& origin, FillOrder fill) {
  const std::string form = fill.form;
  FilledPart out{named(service.fill(origin, std::move(fill)), form), std::nullopt};
  if (out.filled) out.part = pdf::BundlePart::read(ByteView(out.filled->pdf.data(), out.filled->pdf.size()));
  return out;
}

// The fills of `orders`, each with its document read for the bundle, in their order, side by
// side on this thread and the service's helpers.
std::vector<FilledPart> fillAll(CounterService& service, TaskPool& helpers, const std::string& origin, std::vector<FillOrder> orders) {
  std::vector<std::optional<FilledPart>> done(orders.size());
  std::vector<std::function<void()>> tasks;
  for (std::size_t i = 0; i < orders.size(); ++i) {
    tasks.push_back([&, i] { done[i] = fillAndRead(service, origin, std::move(orders[i])); });
  }
  helpers.runAll(std::move(tasks));
  std::vector<FilledPart> out;
  for (auto& d : done) out.push_back(std::move(*d));
  return out;
}

// Every included form, in order, appended to the bundle. A typed person's session is made by the
// first fill; the others then run side by side: they are independent, this is one request, and
// the clerk waits for all of them.
Result<std::vector<FilledDocument>> fillEach(CounterService& service, TaskPool& helpers, const FormCatalog& catalog, const std::string& origin,
                                             const std::vector<const procedures::ProcedureForm*>& included, const ProcedureOrder& order,
                                             pdf::PdfBundle& bundle) {
  std::string session = order.session.value_or("");
  std::vector<FilledPart> filled;
  if (!order.session) {
    FillOrder fill = orderFor(catalog, *included[0], order);
    fill.typedPerson = order.typedPerson;
    filled.push_back(fillAndRead(service, origin, std::move(fill)));
    if (!filled[0].filled) return filled[0].filled.error();
    session = filled[0].filled->session;
  }
  std::vector<FillOrder> rest;
  for (std::size_t i = filled.size(); i < included.size(); ++i) {
    rest.push_back(orderFor(catalog, *included[i], order));
    rest.back().session = session;
  }
  for (auto& f : fillAll(service, helpers, origin, std::move(rest))) filled.push_back(std::move(f));
  std::vector<FilledDocument> out;
  for (auto& f : filled) {
    if (!f.filled) return f.filled.error();
    if (!*f.part) return f.part->error();
    KAKANAI_TRY(bundle.append(std::move(**f.part)));
    out.push_back(std::move(*f.filled));
  }
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
  auto documents = fillEach(*this, *helpers_, catalog_, origin, *included, order, bundle);
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
