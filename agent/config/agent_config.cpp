#include "config/agent_config.h"

#include "core/iso_time.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace kakanai::config {

namespace {

Error badKey(const std::string& key, const std::string& why) {
  return Error::of(ErrorCode::BadRequest, "configuration: " + key + ": " + why);
}

// An Origin as browsers send it: scheme://host[:port], nothing else.
bool isOrigin(const std::string& s) {
  try {
    Poco::URI uri(s);
    return (uri.getScheme() == "http" || uri.getScheme() == "https") && !uri.getHost().empty() &&
           (uri.getPath().empty()) && uri.getQuery().empty() && uri.getFragment().empty() && s.back() != '/';
  } catch (...) {
    return false;
  }
}

}  // namespace

std::string defaultAttendanceStorePath() {
  const char* state = std::getenv("XDG_STATE_HOME");
  const char* home = std::getenv("HOME");
  const std::string base = state && *state ? std::string(state) : std::string(home && *home ? home : "/tmp") + "/.local/state";
  return base + "/kakanai/attendance.sqlite";
}

Result<AgentConfig> parseAgentConfigJson(const std::string& json, AgentConfig c) {
  Poco::JSON::Object::Ptr o;
  try {
    Poco::JSON::Parser parser;
    o = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
  } catch (...) {
    return badKey("(file)", "not a JSON object");
  }
  static const char* kKnown[] = {"port", "allowOrigins", "token", "demo", "demoPage", "cardProfile", "dataDir", "logLevel", "readerRoles",
                                 "sessionMinutes", "allowMyNumber", "trustTestIssuer", "maxFrameBytes", "printers", "attendance",
                                 "maxConnectionsPerOrigin", "maxSessionsPerOrigin", "applicationDateToleranceDays"};
  for (const auto& [key, _] : *o) {
    if (std::find(std::begin(kKnown), std::end(kKnown), key) == std::end(kKnown)) return badKey(key, "unknown key");
  }
  try {
    if (o->has("port")) c.port = o->getValue<int>("port");
    if (o->has("token")) c.token = o->getValue<std::string>("token");
    if (o->has("demo")) c.demo = o->getValue<bool>("demo");
    if (o->has("demoPage")) c.demoPage = o->getValue<bool>("demoPage");
    if (o->has("cardProfile")) c.cardProfile = o->getValue<std::string>("cardProfile");
    if (o->has("dataDir")) c.dataDir = o->getValue<std::string>("dataDir");
    if (o->has("logLevel")) c.logLevel = o->getValue<std::string>("logLevel");
    if (o->has("sessionMinutes")) c.sessionMinutes = o->getValue<double>("sessionMinutes");
    if (o->has("allowMyNumber")) c.allowMyNumber = o->getValue<bool>("allowMyNumber");
    if (o->has("trustTestIssuer")) c.trustTestIssuer = o->getValue<bool>("trustTestIssuer");
    if (o->has("maxFrameBytes")) c.maxFrameBytes = o->getValue<std::size_t>("maxFrameBytes");
    if (o->has("maxConnectionsPerOrigin")) c.maxConnectionsPerOrigin = o->getValue<int>("maxConnectionsPerOrigin");
    if (o->has("maxSessionsPerOrigin")) c.maxSessionsPerOrigin = o->getValue<int>("maxSessionsPerOrigin");
    if (o->has("applicationDateToleranceDays")) c.applicationDateToleranceDays = o->getValue<int>("applicationDateToleranceDays");
  } catch (const Poco::Exception& e) {
    return badKey("(value)", "wrong type: " + e.displayText());
  }
  if (o->has("allowOrigins")) {
    auto a = o->getArray("allowOrigins");
    if (!a) return badKey("allowOrigins", "must be a list of origins");
    c.allowOrigins.clear();
    for (unsigned i = 0; i < a->size(); ++i) {
      if (!a->get(i).isString()) return badKey("allowOrigins", "must be a list of origins");
      c.allowOrigins.push_back(a->get(i).extract<std::string>());
    }
  }
  if (o->has("readerRoles")) {
    auto a = o->getArray("readerRoles");
    if (!a) return badKey("readerRoles", "must be a list of {pattern, role}");
    c.readerRoles.clear();
    for (unsigned i = 0; i < a->size(); ++i) {
      auto r = a->getObject(i);
      if (!r) return badKey("readerRoles", "must be a list of {pattern, role}");
      auto role = counter::parseRoleName(r->optValue<std::string>("role", ""));
      if (!role) return badKey("readerRoles", "role must be counter or attendance");
      c.readerRoles.push_back({r->optValue<std::string>("pattern", ""), *role});
    }
  }
  if (o->has("attendance")) {
    auto a = o->getObject("attendance");
    if (!a) return badKey("attendance", "must be an object");
    static const char* kAttendanceKeys[] = {"store", "dayStartsAt", "doubleTapSeconds", "strong", "expiryWarningDays", "postgres"};
    for (const auto& [key, _] : *a) {
      if (std::find(std::begin(kAttendanceKeys), std::end(kAttendanceKeys), key) == std::end(kAttendanceKeys)) {
        return badKey("attendance." + key, "unknown key");
      }
    }
    auto& at = c.attendance;
    try {
      if (a->has("store")) at.store = a->getValue<std::string>("store");
      if (a->has("dayStartsAt")) at.dayStartsAt = a->getValue<std::string>("dayStartsAt");
      if (a->has("doubleTapSeconds")) at.doubleTapSeconds = a->getValue<double>("doubleTapSeconds");
      if (a->has("strong")) at.strong = a->getValue<bool>("strong");
      if (a->has("expiryWarningDays")) at.expiryWarningDays = a->getValue<int>("expiryWarningDays");
      if (a->has("postgres")) at.postgres = a->getValue<std::string>("postgres");
    } catch (const Poco::Exception& e) {
      return badKey("attendance", "wrong type: " + e.displayText());
    }
  }
  if (o->has("printers")) {
    auto a = o->getArray("printers");
    if (!a) return badKey("printers", "must be a list of IPP URIs");
    for (unsigned i = 0; i < a->size(); ++i) {
      if (!a->get(i).isString()) return badKey("printers", "must be a list of IPP URIs");
      c.printers.push_back(a->get(i).extract<std::string>());
    }
  }
  return c;
}

namespace {
Status validate(const AgentConfig& c) {
  if (c.port < 1 || c.port > 65535) return badKey("port", "must be 1..65535");
  for (const auto& origin : c.allowOrigins) {
    if (!isOrigin(origin)) return badKey("allowOrigins", "'" + origin + "' is not scheme://host[:port]");
  }
  if (c.token && c.token->size() < 16) return badKey("token", "must be at least 16 characters");
  if (c.logLevel != "error" && c.logLevel != "warning" && c.logLevel != "info" && c.logLevel != "debug") {
    return badKey("logLevel", "must be error, warning, info or debug");
  }
  for (const auto& r : c.readerRoles) {
    if (r.pattern.empty()) return badKey("readerRoles", "a pattern is empty");
  }
  if (!(c.sessionMinutes >= 0.05 && c.sessionMinutes <= 120)) return badKey("sessionMinutes", "must be 0.05..120");
  if (!parseClockTime(c.attendance.dayStartsAt)) return badKey("attendance.dayStartsAt", "must be HH:MM");
  if (!(c.attendance.doubleTapSeconds >= 0 && c.attendance.doubleTapSeconds <= 3600)) {
    return badKey("attendance.doubleTapSeconds", "must be 0..3600");
  }
  if (c.attendance.expiryWarningDays < 0 || c.attendance.expiryWarningDays > 365) {
    return badKey("attendance.expiryWarningDays", "must be 0..365");
  }
  if (c.attendance.store && c.attendance.store->empty()) return badKey("attendance.store", "must be a file path");
  if (c.maxConnectionsPerOrigin < 1 || c.maxConnectionsPerOrigin > 256) return badKey("maxConnectionsPerOrigin", "must be 1..256");
  if (c.maxSessionsPerOrigin < 1 || c.maxSessionsPerOrigin > 1024) return badKey("maxSessionsPerOrigin", "must be 1..1024");
  if (c.applicationDateToleranceDays < 0 || c.applicationDateToleranceDays > 36500) {
    return badKey("applicationDateToleranceDays", "must be 0..36500");
  }
  if (c.maxFrameBytes < 1024 || c.maxFrameBytes > (64u << 20)) return badKey("maxFrameBytes", "must be 1 KiB..64 MiB");
  return okStatus();
}
}  // namespace

std::vector<std::string> defaultConfigFiles() {
  const char* config = std::getenv("XDG_CONFIG_HOME");
  const char* home = std::getenv("HOME");
  std::vector<std::string> files{"/etc/kakanai/agent.json"};
  if (config && *config) {
    files.push_back(std::string(config) + "/kakanai/agent.json");
  } else if (home && *home) {
    files.push_back(std::string(home) + "/.config/kakanai/agent.json");
  }
  return files;
}

namespace {
// The configuration files, each over the one before: --config FILE(s), else the default ones
// that exist.
Result<AgentConfig> readConfigFiles(const std::vector<std::string>& args) {
  AgentConfig c;
  std::vector<std::pair<std::string, bool>> files;  // path, must exist
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == "--config") files.emplace_back(args[i + 1], true);
  }
  // Without --config: the PC's configuration, then the clerk's own over it (both optional).
  if (files.empty()) {
    for (auto& f : defaultConfigFiles()) files.emplace_back(f, false);
  }
  for (const auto& [path, required] : files) {
    std::ifstream in(path);
    if (!in && !required) continue;
    if (!in) return badKey("--config", "cannot read " + path);
    std::ostringstream s;
    s << in.rdbuf();
    auto parsed = parseAgentConfigJson(s.str(), c);
    if (!parsed) return parsed.error();
    c = std::move(*parsed);
  }
  return c;
}
}  // namespace

Result<AgentConfig> loadAgentConfig(const std::vector<std::string>& args) {
  auto files = readConfigFiles(args);
  if (!files) return files.error();
  AgentConfig c = std::move(*files);
  bool originsFromFlags = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= args.size()) return std::nullopt;
      return args[++i];
    };
    std::optional<std::string> v;
    if (a == "--config") {
      value();
    } else if (a == "--port") {
      if (!(v = value())) return badKey(a, "needs a value");
      try {
        c.port = std::stoi(*v);
      } catch (...) {
        return badKey("--port", "not a number");
      }
    } else if (a == "--allow-origin") {
      if (!(v = value())) return badKey(a, "needs a value");
      if (!originsFromFlags) c.allowOrigins.clear();
      originsFromFlags = true;
      c.allowOrigins.push_back(*v);
    } else if (a == "--token") {
      if (!(v = value())) return badKey(a, "needs a value");
      c.token = *v;
    } else if (a == "--demo") {
      c.demo = true;
    } else if (a == "--demo-page") {
      c.demoPage = true;
    } else if (a == "--card-profile") {
      if (!(v = value())) return badKey(a, "needs a value");
      c.cardProfile = *v;
    } else if (a == "--data-dir") {
      if (!(v = value())) return badKey(a, "needs a value");
      c.dataDir = *v;
    } else if (a == "--log-level") {
      if (!(v = value())) return badKey(a, "needs a value");
      c.logLevel = *v;
    } else if (a == "--allow-my-number") {
      c.allowMyNumber = true;
    } else if (a == "--attendance-store") {
      if (!(v = value())) return badKey(a, "needs a value");
      c.attendance.store = *v;
    } else if (a == "--trust-test-issuer") {
      c.trustTestIssuer = true;
    } else {
      return badKey(a, "unknown option");
    }
  }
  if (c.demo) {
    c.demoPage = true;
    // The demo's own attendance reader, unless the configuration already names its role.
    if (c.roles().of("Kakanai Virtual Attendance Reader (demo) 00 00") == counter::ReaderRole::Counter) {
      c.readerRoles.push_back({"Virtual Attendance Reader (demo)", counter::ReaderRole::Attendance});
    }
  }
  // The demo page talks to the agent from the agent's own origin.
  if (c.demoPage && c.allowOrigins.empty()) {
    c.allowOrigins.push_back("http://localhost:" + std::to_string(c.port));
    c.allowOrigins.push_back("http://127.0.0.1:" + std::to_string(c.port));
  }
  auto ok = validate(c);
  if (!ok) return ok.error();
  return c;
}

}  // namespace kakanai::config
