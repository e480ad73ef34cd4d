#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <openssl/crypto.h>

#include "server/handlers/handlers.h"

namespace kakanai::server {

Result<SecretText> handleHello(RequestFields& fields, HandlerContext& context) {
  auto protocol = fields.integer("protocol", 1, 1);
  auto token = fields.secret("token", 256);
  KAKANAI_TRY(fields.status());
  (void)protocol;
  const auto& s = context.services;
  if (s.config.token) {
    const std::string& expected = *s.config.token;
    if (!token || token->size() != expected.size() || CRYPTO_memcmp(token->view().data(), expected.data(), expected.size()) != 0) {
      return Error::of(ErrorCode::Unauthorized);
    }
  }
  context.connection.helloDone = true;
  Poco::JSON::Object r;
  r.set("agent", std::string("kakanai-agent"));
  r.set("version", std::string(kAgentVersion));
  r.set("protocol", 1);
  Poco::JSON::Array readers;
  if (auto list = s.readers->listReaders()) {
    for (const auto& rd : *list) readers.add(rd.name);
  }
  r.set("readers", readers);
  Poco::JSON::Array features;
  for (const auto& h : messageHandlers()) {
    if (h.type == "hello" || (h.offered != nullptr && !h.offered(s))) continue;
    features.add(std::string(h.type));
  }
  for (auto feature : kProtocolFeatures) {
    if (feature != kDemoFeature || s.config.demo) features.add(std::string(feature));
  }
  r.set("features", features);
  return resultText(r);
}

}  // namespace kakanai::server
