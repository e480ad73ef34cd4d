// A resident's visit as the counter serves it: a life event (転入, 転居, 印鑑登録 …) names the
// forms it needs, in print order, each required or optional with a reason the clerk reads, and
// the inputs the forms share — asked once, even where two forms call them by different names.
// forms/procedures/*.json (schema: forms/procedures/procedure.schema.json).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/error.h"
#include "forms/form_definition.h"

namespace kakanai::procedures {

struct ProcedureForm {
  std::string form;    // a form id
  bool required = true;
  std::string reason;  // for the clerk: why, or for whom, this form
  // This form's input → the procedure's input that fills it (the same name when not mapped).
  std::map<std::string, std::string> inputs;
  // This form's inputs the procedure itself sets (届出の種類 = 転入): not asked.
  std::map<std::string, std::string> values;
};

// One question the clerk answers once for the whole procedure.
struct ProcedureInput {
  std::string name;
  forms::FormInput definition;  // label, type, options of the first form that asks it
  bool required = false;        // in any form that asks it
  std::vector<std::string> forms;
};

struct Procedure {
  std::string id;
  std::string title;
  std::vector<ProcedureForm> forms;
  std::vector<ProcedureInput> inputs;  // the union over every form, in the forms' order
  std::string sourcePath;
};

// Parses one procedure and checks it against the forms it names: every form exists, every
// mapped or fixed input is an input of that form, a fixed choice is one of its options, an input
// shared by two forms has the same type in both. definition_invalid naming the file otherwise.
Result<Procedure> parseProcedure(const std::string& json, const std::string& fileName, const std::vector<forms::FormDefinition>& forms);

// Every forms/procedures/*.json, sorted by id; a directory that does not exist holds none.
Result<std::vector<Procedure>> loadProcedureDirectory(const std::string& dir, const std::vector<forms::FormDefinition>& forms);

// The procedure's input a form's input is answered by.
std::string procedureInputFor(const ProcedureForm& form, const std::string& formInput);

}  // namespace kakanai::procedures
