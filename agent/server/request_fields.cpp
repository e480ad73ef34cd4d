#include "server/request_fields.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "core/bytes.h"

namespace kakanai::server {

Error badField(std::string_view field, std::string_view why) {
  Error e = Error::of(ErrorCode::BadRequest, std::string(field) + " " + std::string(why));
  e.field = std::string(field);
  return e;
}

std::optional<std::int64_t> parseWholeNumber(std::string_view literal, std::int64_t min, std::int64_t max) {
  // Only the integer form: "1.0" and "1e0" are numbers, but not the whole numbers a count is.
  std::int64_t v = 0;
  const auto* end = literal.data() + literal.size();
  const auto [ptr, ec] = std::from_chars(literal.data(), end, v);
  if (ec != std::errc() || ptr != end || v < min || v > max) return std::nullopt;
  return v;
}

void RequestFields::fail(std::string_view key, std::string_view why) {
  if (!problem_->has_value()) *problem_ = badField(path(key), why);
}

Status RequestFields::status() const {
  if (problem_->has_value()) return **problem_;
  return okStatus();
}

const JsonValue* RequestFields::raw(std::string_view key) const {
  const JsonValue* v = object_.find(key);
  return v == nullptr || v->kind == JsonKind::Null ? nullptr : v;
}

const JsonValue* RequestFields::typed(std::string_view key, JsonKind kind) {
  const JsonValue* v = raw(key);
  if (v == nullptr) return nullptr;
  if (v->kind != kind) {
    fail(key, std::string("must be a ") + std::string(jsonKindName(kind)) + ", not " + std::string(jsonKindName(v->kind)));
    return nullptr;
  }
  return v;
}

std::optional<std::string> RequestFields::text(std::string_view key, std::size_t maxBytes) {
  const JsonValue* v = typed(key, JsonKind::String);
  if (v == nullptr) return std::nullopt;
  if (v->text.size() > maxBytes) {
    fail(key, "is longer than " + std::to_string(maxBytes) + " bytes");
    return std::nullopt;
  }
  return std::string(v->text.view());
}

std::optional<SecretText> RequestFields::secret(std::string_view key, std::size_t maxBytes) {
  const JsonValue* v = typed(key, JsonKind::String);
  if (v == nullptr) return std::nullopt;
  if (v->text.size() > maxBytes) {
    fail(key, "is longer than " + std::to_string(maxBytes) + " bytes");
    return std::nullopt;
  }
  return v->text;  // SecretText to SecretText: wiping memory on both sides
}

bool RequestFields::flag(std::string_view key, bool fallback) {
  const JsonValue* v = typed(key, JsonKind::Boolean);
  return v == nullptr ? fallback : v->boolean;
}

std::optional<std::int64_t> RequestFields::integer(std::string_view key, std::int64_t min, std::int64_t max) {
  const JsonValue* v = typed(key, JsonKind::Number);
  if (v == nullptr) return std::nullopt;
  auto n = parseWholeNumber(v->text.view(), min, max);
  if (!n) fail(key, "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
  return n;
}

std::optional<double> RequestFields::number(std::string_view key, double min, double max) {
  const JsonValue* v = typed(key, JsonKind::Number);
  if (v == nullptr) return std::nullopt;
  // A literal longer than any double needs is refused before it is converted.
  const std::string literal(v->text.view().substr(0, 32));
  char* end = nullptr;
  errno = 0;
  const double d = v->text.size() <= 32 ? std::strtod(literal.c_str(), &end) : NAN;
  if (errno != 0 || end != literal.c_str() + literal.size() || !std::isfinite(d) || !(d > min && d <= max)) {
    fail(key, "must be a number above " + std::to_string(min) + " up to " + std::to_string(max));
    return std::nullopt;
  }
  return d;
}

std::optional<RequestFields> RequestFields::object(std::string_view key) {
  const JsonValue* v = typed(key, JsonKind::Object);
  if (v == nullptr) return std::nullopt;
  return RequestFields(*v, path(key) + ".", problem_);
}

}  // namespace kakanai::server
