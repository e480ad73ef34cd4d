#include "designer/designer_server.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/URI.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/log.h"
#include "server/http_edge.h"

namespace kakanai::designer {

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

struct DesignerServer::Impl {
  DesignerApi api;
  std::string webDir;
  int port;
  std::vector<std::unique_ptr<Poco::Net::HTTPServer>> servers;

  void serve(HTTPServerRequest& request, HTTPServerResponse& response);
  void serveStatic(const std::string& path, HTTPServerResponse& response);
};

namespace {

constexpr std::size_t kMaxBody = 8 * 1024 * 1024;

class Handler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(DesignerServer::Impl& impl) : impl_(impl) {}
  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    try {
      impl_.serve(request, response);
    } catch (const std::exception& e) {
      logLine(LogLevel::Error, std::string("designer: ") + e.what());
      if (!response.sent()) server::sendText(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "text/plain", "error\n");
    }
  }

 private:
  DesignerServer::Impl& impl_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(DesignerServer::Impl& impl) : impl_(impl) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override { return new Handler(impl_); }

 private:
  DesignerServer::Impl& impl_;
};

}  // namespace

void DesignerServer::Impl::serveStatic(const std::string& path, HTTPServerResponse& response) {
  const std::string name = path == "/" ? "index.html" : path.substr(1);
  const auto file = std::filesystem::path(webDir) / name;
  std::error_code ec;
  if (!server::servableName(name) || !std::filesystem::is_regular_file(file, ec)) {
    return server::sendText(response, HTTPResponse::HTTP_NOT_FOUND, "text/plain", "not found\n");
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream body;
  body << in.rdbuf();
  // pdf.js runs its worker from our origin and renders into canvases; nothing else is loaded.
  response.set("Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:; worker-src 'self' blob:; object-src 'none'");
  server::sendText(response, HTTPResponse::HTTP_OK, server::mimeTypeOf(file.extension().string()), body.str());
}

void DesignerServer::Impl::serve(HTTPServerRequest& request, HTTPServerResponse& response) {
  if (server::headerCount(request, "Host") != 1) return server::forbidden(response, "no Host, or more than one");
  if (!server::hostAllowed(request.getHost(), port)) return server::forbidden(response, "foreign Host");
  if (server::headerCount(request, "Origin") > 1) return server::forbidden(response, "more than one Origin");
  const std::string origin = request.get("Origin", "");
  // The page's own origin only: the designer writes definitions, no other page may drive it.
  if (!origin.empty() && !server::ownOrigin(origin, port)) return server::forbidden(response, "foreign Origin");
  const std::string method = request.getMethod();
  if (method != "GET" && method != "POST") {
    return server::sendText(response, HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "text/plain", "method not allowed\n");
  }
  if (method == "POST" && origin.empty()) return server::forbidden(response, "POST without Origin");
  Poco::URI uri(request.getURI());
  const std::string path = uri.getPath();
  if (path.rfind("/api/", 0) != 0) {
    if (method != "GET") return server::sendText(response, HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "text/plain", "method not allowed\n");
    return serveStatic(path, response);
  }
  std::map<std::string, std::string> query;
  for (const auto& [k, v] : uri.getQueryParameters()) query[k] = v;
  std::string body;
  if (method == "POST") {
    if (request.getContentLength() > static_cast<std::streamsize>(kMaxBody)) {
      return server::sendText(response, HTTPResponse::HTTP_REQUESTENTITYTOOLARGE, "text/plain", "too large\n");
    }
    std::ostringstream s;
    char buffer[65536];
    auto& in = request.stream();
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
      s.write(buffer, in.gcount());
      if (static_cast<std::size_t>(s.tellp()) > kMaxBody) {
        return server::sendText(response, HTTPResponse::HTTP_REQUESTENTITYTOOLARGE, "text/plain", "too large\n");
      }
    }
    body = s.str();
  }
  const ApiReply reply = api.handle(method, path, query, body);
  server::sendText(response, static_cast<HTTPResponse::HTTPStatus>(reply.status), reply.contentType, reply.body);
}

DesignerServer::DesignerServer(DesignerSettings settings, std::string webDir, int port)
    : impl_(new Impl{DesignerApi(std::move(settings)), std::move(webDir), port, {}}) {}

DesignerServer::~DesignerServer() { stop(); }

Status DesignerServer::start() {
  for (const char* host : {"127.0.0.1", "::1"}) {
    try {
      Poco::Net::ServerSocket socket(Poco::Net::SocketAddress(host, static_cast<Poco::UInt16>(impl_->port)), 64);
      auto* params = new Poco::Net::HTTPServerParams;
      params->setMaxThreads(8);
      params->setTimeout(Poco::Timespan(10, 0));
      impl_->servers.push_back(std::make_unique<Poco::Net::HTTPServer>(new Factory(*impl_), socket, params));
      impl_->servers.back()->start();
    } catch (const Poco::Exception& e) {
      if (std::string(host) == "127.0.0.1") {
        return Error::of(ErrorCode::Internal, "cannot listen on 127.0.0.1:" + std::to_string(impl_->port) + ": " + e.displayText());
      }
    }
  }
  return okStatus();
}

void DesignerServer::stop() {
  for (auto& s : impl_->servers) s->stopAll(true);
  impl_->servers.clear();
}

}  // namespace kakanai::designer
