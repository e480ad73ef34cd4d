// The municipality's forms as the counter offers them: definitions, their templates' page
// counts and where the templates and fonts are.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fonts/font_set.h"
#include "forms/form_definition.h"

namespace kakanai::counter {

struct FormCatalog {
  std::vector<forms::FormDefinition> forms;
  std::vector<int> pages;  // pages of each form's template
  std::string templatesDir;
  std::shared_ptr<fonts::FontSet> fonts;

  const forms::FormDefinition* find(std::string_view id) const {
    for (const auto& f : forms) {
      if (f.id == id) return &f;
    }
    return nullptr;
  }
};

}  // namespace kakanai::counter
