// A form as forms/*.json defines it (schema: forms/form.schema.json): the template, the clerk
// inputs it needs, and each field's source, box, font and fitting rules. The loader checks
// everything and names the file and field of the first problem.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "typeset/field_layout.h"
#include "typeset/japanese_text.h"

namespace kakanai::forms {

struct FormInput {
  std::string name;
  std::string label;
  std::string type;  // text, number, date, choice
  bool required = false;
  std::vector<std::string> options;  // for choice
};

enum class FieldKind { Text, Choice, Grid };

enum class ValueFormat {
  Text,           // as given
  EraDate,        // 令和元年５月１日
  GregorianDate,  // ２０２６年１１月２３日
  EraYear,        // 元 / ２
  Month,
  Day,
  EraName,        // for choices: 明治…令和
  Year,           // Gregorian year
};

struct FormField {
  std::string name;
  FieldKind kind = FieldKind::Text;
  int page = 0;
  std::string source;  // person.name, person.address, person.birthDate, person.sex, person.myNumber, values.X, date
  ValueFormat format = ValueFormat::Text;
  bool halfWidthDigits = false;  // default: full-width digits in horizontal fields
  // "digits" given in the definition: only then are a name's digits (or a grid's) converted.
  bool digitsExplicit = false;
  bool kanjiNumerals = false;
  typeset::NumberHyphen numberHyphen = typeset::NumberHyphen::No;  // with kanji numerals
  typeset::VerticalOptions vertical;                                // vertical fields
  std::string fontRole = "mincho";
  typeset::Box box;  // points
  typeset::FieldStyle style;
  // AcroForm templates: the field, by name, whose rectangle is the box.
  std::string acroField;
  // Choice: value → the printed option's box; mark drawn around it. In an AcroForm template an
  // option may instead name a checkbox field (optionFields).
  std::map<std::string, typeset::Box> options;
  std::map<std::string, std::string> optionFields;
  std::string mark = "ellipse";  // ellipse, check, cross
  int cells = 0;                 // Grid: one character per cell
  // Grid: the cells' groups (postal code 3 + 4); a value must fill every group, written with
  // or without separators between the groups ("100-0001", "1000001").
  std::vector<int> groups;
};

struct FormDefinition {
  std::string id;
  std::string title;
  std::string templateFile;  // relative to the templates directory
  std::string paper;         // A4, A3, B4, B5
  std::vector<FormInput> inputs;
  std::vector<FormField> fields;
  std::string sourcePath;
};

// Parses one definition; errors are bad_request with "FILE: field NAME: problem".
Result<FormDefinition> parseFormDefinition(const std::string& json, const std::string& fileName);
Result<FormDefinition> loadFormDefinition(const std::string& path);
// Every *.json in `dir` except the schema, sorted by id.
Result<std::vector<FormDefinition>> loadFormDirectory(const std::string& dir);

double millimetres(double mm);

}  // namespace kakanai::forms
