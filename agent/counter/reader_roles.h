// Which reader serves whom: a `counter` reader takes residents' cards, an `attendance` reader
// staff taps. The roles' wire names are declared here once; a reader's role comes from the
// configured patterns (the first pattern its name contains decides; counter when none does).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kakanai::counter {

enum class ReaderRole { Counter, Attendance };

inline constexpr ReaderRole kAllReaderRoles[] = {ReaderRole::Counter, ReaderRole::Attendance};

std::string_view roleName(ReaderRole role);  // "counter", "attendance"
std::optional<ReaderRole> parseRoleName(std::string_view name);

struct ReaderRolePattern {
  std::string pattern;  // a substring of the reader's name
  ReaderRole role = ReaderRole::Counter;
};

class ReaderRoles {
 public:
  ReaderRoles() = default;
  explicit ReaderRoles(std::vector<ReaderRolePattern> patterns) : patterns_(std::move(patterns)) {}
  ReaderRole of(std::string_view readerName) const;
  const std::vector<ReaderRolePattern>& patterns() const { return patterns_; }

 private:
  std::vector<ReaderRolePattern> patterns_;
};

}  // namespace kakanai::counter
