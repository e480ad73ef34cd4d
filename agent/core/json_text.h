// JSON for personal data, written straight into a wiping buffer: a general JSON library would
// leave copies of a name or address in ordinary strings that nobody overwrites.
#pragma once

#include <string_view>

#include "core/bytes.h"
#include "core/person.h"
#include "core/secure_buffer.h"

namespace kakanai {

// Appends `s` as a JSON string literal (UTF-8 passed through; quotes, backslashes and control
// characters escaped).
void appendJsonString(SecretText& out, std::string_view s);

// Standard base64 (RFC 4648, padded), appended without an intermediate copy.
void appendBase64(SecretText& out, ByteView data);

// {"name":…,"address":…,"birthDate":…,"sex":…[,"myNumber":…]}
void appendPersonJson(SecretText& out, const Person& person);

}  // namespace kakanai
