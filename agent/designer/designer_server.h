// The designer's loopback HTTP server: the page (agent/designer/web, pdf.js in web/pdfjs) and the
// API, under the same Host and Origin rules as `serve` (server/http_edge.h): exactly one Host
// naming this loopback port; an Origin, when sent, must be the page's own; every POST must carry
// the page's own Origin (no other site can make the designer write).
#pragma once

#include <memory>
#include <string>

#include "core/error.h"
#include "designer/designer_api.h"

namespace kakanai::designer {

class DesignerServer {
 public:
  DesignerServer(DesignerSettings settings, std::string webDir, int port);
  ~DesignerServer();
  Status start();
  void stop();
  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace kakanai::designer
