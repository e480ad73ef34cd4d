// The protocol as this agent implements it, listed from the tables that drive it (the handler
// table, the error codes, the reader roles, the events): `kakanai-agent protocol --json`, which
// a typed client's declarations can be checked against.
#pragma once

#include <Poco/JSON/Object.h>

namespace kakanai::server {

// {"protocol": 1, "commands": [{"type", "mayBlock"}], "events": [...], "errorCodes": [...], "readerRoles": [...]}
Poco::JSON::Object protocolDescription();

}  // namespace kakanai::server
