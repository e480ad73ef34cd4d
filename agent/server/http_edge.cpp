#include "server/http_edge.h"

#include <Poco/String.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "core/log.h"

namespace kakanai::server {

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

bool hostAllowed(const std::string& host, int port) {
  const std::string p = ":" + std::to_string(port);
  return host == "127.0.0.1" + p || host == "localhost" + p || host == "[::1]" + p;
}

bool ownOrigin(const std::string& origin, int port) {
  const std::string p = ":" + std::to_string(port);
  return origin == "http://localhost" + p || origin == "http://127.0.0.1" + p || origin == "http://[::1]" + p;
}


// How many times a header occurs (names are case-insensitive).
std::size_t headerCount(const HTTPServerRequest& request, const std::string& name) {
  std::size_t n = 0;
  for (const auto& [key, value] : request) {
    if (Poco::icompare(key, name) == 0) ++n;
  }
  return n;
}

void sendText(HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const std::string& contentType,
              const std::string& body) {
  response.setStatusAndReason(status);
  response.setContentType(contentType);
  response.set("Cache-Control", "no-store");
  response.set("X-Content-Type-Options", "nosniff");
  response.setContentLength(static_cast<std::streamsize>(body.size()));
  response.send() << body;
}

// The type of every kind of file the web assets use (pdf.js ships its library and worker as
// .mjs: Chromium runs a module script only when it is served as JavaScript).
bool servableName(const std::string& name) {
  std::string rest = name;
  for (const char* prefix : {"pdfjs/cmaps/", "pdfjs/standard_fonts/", "pdfjs/"}) {
    if (rest.rfind(prefix, 0) == 0) {
      rest = rest.substr(std::string(prefix).size());
      break;
    }
  }
  return !rest.empty() && rest[0] != '.' && rest.find("..") == std::string::npos && std::all_of(rest.begin(), rest.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
  });
}

std::string mimeTypeOf(const std::string& extension) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},      {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},  {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},        {".json", "application/json"},
      {".map", "application/json"},               {".wasm", "application/wasm"},
      {".svg", "image/svg+xml"},                  {".png", "image/png"},
      {".jpg", "image/jpeg"},                     {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},                      {".webp", "image/webp"},
      {".ico", "image/x-icon"},                   {".woff", "font/woff"},
      {".woff2", "font/woff2"},                   {".ttf", "font/ttf"},
      {".otf", "font/otf"},                       {".pdf", "application/pdf"},
      {".bcmap", "application/octet-stream"},     {".txt", "text/plain; charset=utf-8"},
      {".ftl", "text/plain; charset=utf-8"},
  };
  const auto it = kTypes.find(Poco::toLower(extension));
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

void forbidden(HTTPServerResponse& response, const char* why) {
  logLine(LogLevel::Warning, std::string("refused: ") + why);
  sendText(response, HTTPResponse::HTTP_FORBIDDEN, "text/plain; charset=utf-8", "forbidden\n");
}

}  // namespace kakanai::server
