// The loopback HTTP edge shared by `serve` and the form designer: which Host and Origin a request
// may carry, and how plain responses are sent.
#pragma once

#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <cstddef>
#include <string>

namespace kakanai::server {

// The Host header names this loopback agent's port (defeats DNS rebinding).
bool hostAllowed(const std::string& host, int port);
// The origins of a page the agent serves itself (whichever loopback name the browser used).
bool ownOrigin(const std::string& origin, int port);
// How many times a header occurs (names are case-insensitive).
std::size_t headerCount(const Poco::Net::HTTPServerRequest& request, const std::string& name);
void sendText(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status, const std::string& contentType,
              const std::string& body);
// A path under a page's folder that may be served: a plain file name, or pdfjs/NAME,
// pdfjs/cmaps/NAME, pdfjs/standard_fonts/NAME (pdf.js beside the page); no dot files, no "..".
bool servableName(const std::string& name);
// The type of every kind of file the web assets use.
std::string mimeTypeOf(const std::string& extension);
// 403, and the reason in the log (never in the response).
void forbidden(Poco::Net::HTTPServerResponse& response, const char* why);

}  // namespace kakanai::server
