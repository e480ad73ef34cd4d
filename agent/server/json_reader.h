// The protocol's own JSON reader. A request frame carries PINs and typed residents' data, so
// every string it holds lives in wiping memory (a general JSON library copies values into
// ordinary strings that are freed unwiped). Numbers are kept as their literal text: whether
// 1e300 or a 300-digit integer is acceptable is the field's question, not the parser's, so the
// envelope (and its id) still parses and the answer names the field.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/secure_buffer.h"

namespace kakanai::server {

enum class JsonKind { Null, Boolean, Number, String, Array, Object };

struct JsonMember;

class JsonValue {
 public:
  JsonKind kind = JsonKind::Null;
  bool boolean = false;
  SecretText text;  // a string's value, or a number's literal as written
  std::vector<JsonValue, WipingAllocator<JsonValue>> items;                       // Array
  // Object, in order. A named member type rather than std::pair: a pair of a type still being
  // defined cannot be instantiated (clang refuses it).
  std::vector<JsonMember, WipingAllocator<JsonMember>> members;

  // The member called `key`, or nullptr (keys are unique: the reader refuses duplicates).
  const JsonValue* find(std::string_view key) const;
};

struct JsonMember {
  JsonMember(std::string key, JsonValue value) : first(std::move(key)), second(std::move(value)) {}
  std::string first;
  JsonValue second;
};

// The JSON kind's name as a client reads it in an error ("string", "number", …).
std::string_view jsonKindName(JsonKind kind);

// One JSON text (RFC 8259): bad_request when it is not; nesting deeper than 64 is refused.
// Strings must be valid UTF-8 (escapes included: lone surrogates are refused).
Result<JsonValue> readJson(std::string_view text);

}  // namespace kakanai::server
