// Errors are values with the protocol's stable codes. The clerk-facing message for a code is
// defined once, here, so that no call site builds its own sentence (and none can put a
// resident's data into one).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace kakanai {

enum class ErrorCode {
  HelloRequired,
  BadRequest,
  Unauthorized,
  NoReader,
  NoCard,
  NotMyNumber,
  CardRemoved,
  ReaderBusy,
  PinFormat,
  PinWrong,
  PinLastTry,
  PinLocked,
  CardError,
  UnknownSession,
  UnknownForm,
  UnknownDocument,
  MissingInput,
  GlyphMissing,
  PrinterUnavailable,
  Timeout,
  Internal,
  // Extensions of protocol v1 for attendance (docs/PROTOCOL-EXTENSIONS.md).
  CertificateExpired,
  StoreUnavailable,
  UnknownTap,
  // Extensions for the form engine (docs/PROTOCOL-EXTENSIONS.md).
  DateOutOfRange,
  GridMismatch,
  // Templates and form definitions (docs/PROTOCOL-EXTENSIONS.md).
  TemplateInvalid,    // the template PDF cannot be read or written (damaged, unsupported)
  TemplateEncrypted,  // needs a password to open, or forbids printing
  TemplateSigned,     // carries a signature that filling would invalidate
  DefinitionInvalid,  // a form definition is wrong, or does not match its template
  // Procedures: a resident's visit as a set of forms (docs/PROTOCOL-EXTENSIONS.md).
  UnknownProcedure,
};

// Every code, for listing the protocol (kakanai-agent protocol --json).
inline constexpr ErrorCode kAllErrorCodes[] = {
    ErrorCode::HelloRequired, ErrorCode::BadRequest, ErrorCode::Unauthorized, ErrorCode::NoReader, ErrorCode::NoCard,
    ErrorCode::NotMyNumber, ErrorCode::CardRemoved, ErrorCode::ReaderBusy, ErrorCode::PinFormat, ErrorCode::PinWrong,
    ErrorCode::PinLastTry, ErrorCode::PinLocked, ErrorCode::CardError, ErrorCode::UnknownSession, ErrorCode::UnknownForm,
    ErrorCode::UnknownDocument, ErrorCode::MissingInput, ErrorCode::GlyphMissing, ErrorCode::PrinterUnavailable,
    ErrorCode::Timeout, ErrorCode::Internal, ErrorCode::CertificateExpired, ErrorCode::StoreUnavailable,
    ErrorCode::UnknownTap, ErrorCode::DateOutOfRange, ErrorCode::GridMismatch, ErrorCode::TemplateInvalid,
    ErrorCode::TemplateEncrypted, ErrorCode::TemplateSigned, ErrorCode::DefinitionInvalid, ErrorCode::UnknownProcedure};

// The protocol's machine-readable code, e.g. "pin_wrong".
std::string_view codeName(ErrorCode code);
// A short Japanese sentence a clerk can read.
std::string_view clerkMessage(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::Internal;
  // Details the protocol names for some codes. None of them may carry personal data:
  // `diagnostic` is for the engineer (a PC/SC function and its return code, a status word),
  // never for card content.
  std::optional<int> retriesLeft;
  std::optional<std::uint16_t> sw;
  // missing_input: the input names; glyph_missing: the characters as "U+XXXX" sequences. These
  // go to the clerk in the response (the protocol asks for them) and never into a log.
  std::vector<std::string> items;
  // pin_*: which of the card's credentials the error is about, when it is not the PIN
  // ("verificationB"); the protocol reports it in the details.
  std::string credential;
  // bad_request and definition_invalid: the field at fault, as a key path of the request
  // (`person.name`, `copies`) or of the form definition; never a value. definition_invalid
  // also names the form.
  std::string field;
  std::string form;
  std::string diagnostic;

  static Error of(ErrorCode code, std::string diagnostic = {}) {
    Error e;
    e.code = code;
    e.diagnostic = std::move(diagnostic);
    return e;
  }
  static Error statusWord(ErrorCode code, std::uint16_t sw) {
    Error e;
    e.code = code;
    e.sw = sw;
    return e;
  }
  static Error pinWrong(int retriesLeft) {
    Error e;
    e.code = ErrorCode::PinWrong;
    e.retriesLeft = retriesLeft;
    return e;
  }
};

// A value or an Error. (std::expected is C++23; this is the part of it we need.)
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}           // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}       // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

struct Ok {};
using Status = Result<Ok>;
inline Status okStatus() { return Ok{}; }

}  // namespace kakanai

// Propagates an Error from an expression that yields Result<...>.
#define KAKANAI_TRY(expr)                          \
  do {                                             \
    auto kakanai_try_result_ = (expr);             \
    if (!kakanai_try_result_.ok()) return kakanai_try_result_.error(); \
  } while (0)
