// Typed reading of a request's fields. Every accessor checks the JSON kind and the range the
// protocol allows; the first problem is kept and becomes a bad_request that names the field
// (`person.name`, `copies`), never its value. Absent and null mean "not given".
//
// A handler reads all its fields, then returns `fields.status()` if it is an error, before it
// touches a card, a session or a printer.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/secure_buffer.h"
#include "server/json_reader.h"

namespace kakanai::server {

class RequestFields {
 public:
  explicit RequestFields(const JsonValue& object) : RequestFields(object, "", std::make_shared<std::optional<Error>>()) {}

  // A string that is not personal (an id, a reader's or a form's name), at most maxBytes of UTF-8.
  std::optional<std::string> text(std::string_view key, std::size_t maxBytes = 1024);
  // A string that may be personal or secret (a PIN, a typed name): stays in wiping memory.
  std::optional<SecretText> secret(std::string_view key, std::size_t maxBytes = 4096);
  bool flag(std::string_view key, bool fallback);
  // A whole number in [min, max]: 1.0, true, "1" and 1e300 are refused.
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max);
  // A number in (min, max] (timeouts): finite, within 64-bit doubles.
  std::optional<double> number(std::string_view key, double min, double max);
  // A nested object, read with the same rules; its fields are named `key.field`.
  std::optional<RequestFields> object(std::string_view key);
  // The members of an object field, in order (values are read through the returned object).
  const JsonValue* raw(std::string_view key) const;

  bool has(std::string_view key) const { return raw(key) != nullptr; }
  // Records a problem with `key` (the first one counts).
  void fail(std::string_view key, std::string_view why);
  void require(std::string_view key) {
    if (!has(key)) fail(key, "is required");
  }
  Status status() const;
  std::string path(std::string_view key) const { return prefix_ + std::string(key); }

 private:
  RequestFields(const JsonValue& object, std::string prefix, std::shared_ptr<std::optional<Error>> problem)
      : object_(object), prefix_(std::move(prefix)), problem_(std::move(problem)) {}
  const JsonValue* typed(std::string_view key, JsonKind kind);

  const JsonValue& object_;
  std::string prefix_;
  std::shared_ptr<std::optional<Error>> problem_;
};

// A bad_request naming `field` (the diagnostic says what is wrong, for the log).
Error badField(std::string_view field, std::string_view why);

// Parses a JSON number's literal as a whole number in [min, max]; nullopt when it is not one.
std::optional<std::int64_t> parseWholeNumber(std::string_view literal, std::int64_t min, std::int64_t max);

}  // namespace kakanai::server
