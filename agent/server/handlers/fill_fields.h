// What form.fill and procedure.fill both read: a person the clerk typed, the clerk's inputs.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "core/person.h"
#include "server/request_fields.h"

namespace kakanai::server {

std::optional<Person> typedPerson(RequestFields& fields);
std::map<std::string, std::string> clerkValues(RequestFields& fields);

}  // namespace kakanai::server
