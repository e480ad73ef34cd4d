#include "server/handlers/fill_fields.h"

namespace kakanai::server {

// A person the clerk typed: every field a string (12345 is not a name), kept in wiping memory.
std::optional<Person> typedPerson(RequestFields& fields) {
  auto p = fields.object("person");
  if (!p) return std::nullopt;
  p->require("name");
  p->require("birthDate");
  Person person;
  person.name = p->secret("name").value_or(SecretText());
  person.address = p->secret("address").value_or(SecretText());
  person.birthDate = p->secret("birthDate", 10).value_or(SecretText());
  if (auto sex = p->text("sex", 16)) {
    if (auto parsed = parseSexName(*sex)) {
      person.sex = *parsed;
    } else {
      p->fail("sex", "must be male, female or unspecified");
    }
  }
  return person;
}

// Clerk inputs: strings, or numbers as written (a count typed as 2).
std::map<std::string, std::string> clerkValues(RequestFields& fields) {
  std::map<std::string, std::string> values;
  const JsonValue* v = fields.raw("values");
  if (v == nullptr) return values;
  if (v->kind != JsonKind::Object) {
    fields.fail("values", "must be an object");
    return values;
  }
  for (const auto& [key, value] : v->members) {
    if (value.kind != JsonKind::String && value.kind != JsonKind::Number) {
      fields.fail("values." + key, "must be a string or a number");
      continue;
    }
    if (value.kind == JsonKind::Number && !parseWholeNumber(value.text.view(), -999999999, 999999999)) {
      fields.fail("values." + key, "must be a whole number of at most 9 digits");
      continue;
    }
    values[key] = std::string(value.text.view());
  }
  return values;
}


}  // namespace kakanai::server
