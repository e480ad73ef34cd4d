// The municipality's forms as the counter offers them: definitions, their templates' page
// counts and where the templates and fonts are.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "fonts/font_set.h"
#include "forms/form_definition.h"
#include "procedures/procedure_definition.h"

namespace kakanai::counter {

struct FormCatalog {
  std::vector<forms::FormDefinition> forms;
  std::vector<int> pages;  // pages of each form's template
  // Why a form cannot be filled (its template does not load, or does not match the definition),
  // found when the agent starts; empty for a form that works. One broken template takes only its
  // own form out of service.
  std::vector<std::optional<Error>> unavailable;
  std::string templatesDir;
  std::shared_ptr<fonts::FontSet> fonts;
  std::vector<procedures::Procedure> procedures;  // forms/procedures/*.json

  const procedures::Procedure* findProcedure(std::string_view id) const {
    for (const auto& p : procedures) {
      if (p.id == id) return &p;
    }
    return nullptr;
  }

  const Error* unavailableReason(std::size_t index) const {
    return index < unavailable.size() && unavailable[index] ? &*unavailable[index] : nullptr;
  }
  const Error* unavailableReason(std::string_view id) const {
    for (std::size_t i = 0; i < forms.size(); ++i) {
      if (forms[i].id == id) return unavailableReason(i);
    }
    return nullptr;
  }

  const forms::FormDefinition* find(std::string_view id) const {
    for (const auto& f : forms) {
      if (f.id == id) return &f;
    }
    return nullptr;
  }
};

// The data folder's fonts, form definitions and templates. Definitions that do not parse and
// fonts that do not load stop the agent (nothing could be filled right); each template is
// checked against its definition (forms::checkFormTemplate) and a failing one is logged and
// recorded in `unavailable`.
Result<FormCatalog> loadFormCatalog(const std::string& dataDir);

}  // namespace kakanai::counter
