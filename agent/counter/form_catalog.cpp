#include "counter/form_catalog.h"

#include "core/log.h"
#include "forms/form_filler.h"
#include "pdf/form_pdf_writer.h"

namespace kakanai::counter {

Result<FormCatalog> loadFormCatalog(const std::string& dataDir) {
  FormCatalog catalog;
  auto fontSet = fonts::FontSet::load(dataDir + "/fonts/manifest.json");
  if (!fontSet) return fontSet.error();
  catalog.fonts = *fontSet;
  auto forms = forms::loadFormDirectory(dataDir + "/forms");
  if (!forms) return forms.error();
  catalog.forms = std::move(*forms);
  catalog.templatesDir = dataDir + "/templates";
  auto procedures = procedures::loadProcedureDirectory(dataDir + "/forms/procedures", catalog.forms);
  if (!procedures) return procedures.error();
  catalog.procedures = std::move(*procedures);
  for (const auto& f : catalog.forms) {
    auto tmpl = pdf::FormPdfWriter::open(catalog.templatesDir + "/" + f.templateFile);
    Status checked = tmpl ? forms::checkFormTemplate(f, **tmpl) : Status(tmpl.error());
    catalog.pages.push_back(tmpl ? (*tmpl)->pageCount() : 0);
    if (checked) {
      catalog.unavailable.emplace_back();
      continue;
    }
    Error e = checked.error();
    e.form = f.id;
    logLine(LogLevel::Warning, "form " + f.id + " is unavailable: " + std::string(codeName(e.code)) + ": " + e.diagnostic);
    catalog.unavailable.emplace_back(std::move(e));
  }
  return catalog;
}

}  // namespace kakanai::counter
