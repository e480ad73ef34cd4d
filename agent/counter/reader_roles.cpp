#include "counter/reader_roles.h"

namespace kakanai::counter {

std::string_view roleName(ReaderRole role) {
  switch (role) {
    case ReaderRole::Counter: return "counter";
    case ReaderRole::Attendance: return "attendance";
  }
  return "counter";
}

std::optional<ReaderRole> parseRoleName(std::string_view name) {
  for (ReaderRole r : kAllReaderRoles) {
    if (roleName(r) == name) return r;
  }
  return std::nullopt;
}

ReaderRole ReaderRoles::of(std::string_view readerName) const {
  for (const auto& p : patterns_) {
    if (readerName.find(p.pattern) != std::string_view::npos) return p.role;
  }
  return ReaderRole::Counter;
}

}  // namespace kakanai::counter
