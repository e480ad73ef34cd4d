// A resident's whole visit: the procedure's forms (the required ones and the optional ones the
// clerk ticked) filled from one person and one set of answers, then bundled for one preview and
// one print. Every document and the bundle live in the resident's session and die with it.
#include "counter/counter_service.h"

#include <algorithm>

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
    for (const auto& in : catalog.find(pf->form)->inputs) {
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
  for (const auto& in : catalog.find(pf.form)->inputs) {
    if (pf.values.count(in.name)) continue;
    auto v = values.find(procedures::procedureInputFor(pf, in.name));
    if (v != values.end()) out[in.name] = v->second;
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
  FilledProcedure out;
  std::vector<ByteView> pdfs;
  for (const auto* pf : *included) {
    FillOrder fill;
    fill.form = pf->form;
    if (out.session.empty()) {  // the first fill makes the typed person's session; the rest use it
      fill.session = order.session;
      fill.typedPerson = order.typedPerson;
    } else {
      fill.session = out.session;
    }
    fill.values = formValues(catalog_, *pf, order.values);
    fill.date = order.date;
    fill.dateToleranceDays = order.dateToleranceDays;
    auto filled = this->fill(origin, std::move(fill));
    if (!filled) {
      Error e = filled.error();
      if (e.form.empty()) e.form = pf->form;
      return e;
    }
    out.session = filled->session;
    out.documents.push_back(std::move(*filled));
  }
  for (const auto& d : out.documents) pdfs.emplace_back(d.pdf.data(), d.pdf.size());
  auto bundled = pdf::bundleDocuments(pdfs);
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
