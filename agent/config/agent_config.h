// The agent's configuration: a JSON file (--config) and flags that override it. Anything invalid
// stops the agent with a message naming the key.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "counter/reader_roles.h"

namespace kakanai::config {

struct AttendanceConfig {
  std::optional<std::string> store;    // SQLite file; default: $XDG_STATE_HOME/kakanai/attendance.sqlite
  std::string dayStartsAt = "04:00";   // a working day runs from here to here (local time)
  double doubleTapSeconds = 10;
  bool strong = false;                 // auth PIN + challenge–response on every tap
  int expiryWarningDays = 30;
  std::optional<std::string> postgres; // libpq connection string of the central store
};

struct AgentConfig {
  int port = 47800;
  std::vector<std::string> allowOrigins;  // scheme://host[:port], exact
  std::optional<std::string> token;
  bool demo = false;      // built-in virtual card (implies demoPage)
  bool demoPage = false;  // serve the demo counter page at /
  std::optional<std::string> cardProfile;
  std::optional<std::string> dataDir;
  std::string logLevel = "info";  // error, warning, info, debug
  std::vector<counter::ReaderRolePattern> readerRoles;
  double sessionMinutes = 10;  // fractions allowed (0.05 = 3 seconds)
  bool allowMyNumber = false;
  bool trustTestIssuer = false;
  std::size_t maxFrameBytes = 1 << 20;
  int maxConnectionsPerOrigin = 32;  // a counter page needs one or two; more is a runaway page
  int maxSessionsPerOrigin = 16;     // residents served at once from one origin; the oldest goes
  std::vector<std::string> printers;  // extra IPP URIs
  // form.fill warns (application_date_far) for an application date further than this from today.
  int applicationDateToleranceDays = 365;
  AttendanceConfig attendance;

  counter::ReaderRoles roles() const { return counter::ReaderRoles(readerRoles); }
};

// Where the attendance store lives when the configuration does not say.
std::string defaultAttendanceStorePath();

// The configuration files read when no --config is given, in order, each over the one before:
// /etc/kakanai/agent.json, then $XDG_CONFIG_HOME (or ~/.config)/kakanai/agent.json.
std::vector<std::string> defaultConfigFiles();
// Reads `argv` (after the command): --config FILE (else defaultConfigFiles() that exist) first,
// then every flag over it.
Result<AgentConfig> loadAgentConfig(const std::vector<std::string>& args);
Result<AgentConfig> parseAgentConfigJson(const std::string& json, AgentConfig base = {});

}  // namespace kakanai::config
