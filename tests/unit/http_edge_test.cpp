// The loopback edge's rules for what a page's folder may serve and under which Host.
#include <gtest/gtest.h>

#include "server/http_edge.h"

namespace kakanai::server {
namespace {

TEST(HttpEdge, ThePageAndPdfjsBesideItAreServableAndNothingElse) {
  for (const char* ok : {"index.html", "demo.js", "style.css", "pdfjs/pdf.min.mjs", "pdfjs/pdf.worker.min.mjs", "pdfjs/cmaps/UniJIS-UCS2-H.bcmap",
                         "pdfjs/standard_fonts/FoxitSans.pfb", "pdfjs/LICENSE"}) {
    EXPECT_TRUE(servableName(ok)) << ok;
  }
  for (const char* refused : {"", ".env", "../etc/passwd", "web/../../x", "pdfjs/", "pdfjs/../config.json", "pdfjs/cmaps/../../x",
                              "pdfjs/.hidden", "other/file.js", "pdfjs/sub/dir.js", "a..b", "name with space", "%2e%2e", "index.html/"}) {
    EXPECT_FALSE(servableName(refused)) << refused;
  }
}

TEST(HttpEdge, HostMustNameThisLoopbackPort) {
  EXPECT_TRUE(hostAllowed("localhost:47800", 47800));
  EXPECT_TRUE(hostAllowed("127.0.0.1:47800", 47800));
  EXPECT_FALSE(hostAllowed("localhost:47801", 47800));
  EXPECT_FALSE(hostAllowed("evil.example:47800", 47800));
  EXPECT_FALSE(hostAllowed("", 47800));
}

}  // namespace
}  // namespace kakanai::server
