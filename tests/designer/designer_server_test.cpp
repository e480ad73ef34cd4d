// The designer's HTTP edge: the same Host rule as serve, only its own page's Origin, no POST
// without it, and the API's file names kept inside the data folder.
#include <gtest/gtest.h>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "designer/designer_server.h"

namespace kakanai::designer {
namespace {

namespace fs = std::filesystem;
const fs::path kSource = KAKANAI_SOURCE_DIR;

class DesignerServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    port = 46000 + static_cast<int>(::getpid() % 1000);
    data = fs::temp_directory_path() / ("kakanai-designer-http-" + std::to_string(::getpid()));
    fs::remove_all(data);
    fs::create_directories(data / "forms");
    fs::create_directories(data / "templates");
    fs::copy_file(kSource / "templates" / "juminhyo.pdf", data / "templates" / "juminhyo.pdf");
    fs::copy_file(kSource / "templates" / "inkan-shomei.pdf", data / "templates" / "inkan-shomei.pdf");
    DesignerSettings settings;
    settings.dataDir = data.string();
    auto fonts = fonts::FontSet::load((kSource / "fonts" / "manifest.json").string());
    ASSERT_TRUE(fonts);
    settings.fonts = *fonts;
    settings.residents = builtInSamples();
    settings.date = "2026-12-02";
    server = std::make_unique<DesignerServer>(std::move(settings), (kSource / "agent" / "designer" / "web").string(), port);
    ASSERT_TRUE(server->start());
  }
  void TearDown() override {
    server->stop();
    fs::remove_all(data);
  }
  // Status and body of one request; `host` empty: the right one.
  std::pair<int, std::string> request(const std::string& method, const std::string& uri, const std::string& origin = "",
                                      const std::string& body = "", const std::string& host = "") {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    Poco::Net::HTTPRequest req(method, uri, Poco::Net::HTTPMessage::HTTP_1_1);
    req.setHost(host.empty() ? "localhost:" + std::to_string(port) : host);
    if (!origin.empty()) req.set("Origin", origin);
    if (method == "POST") req.setContentLength(static_cast<std::streamsize>(body.size()));
    session.sendRequest(req) << body;
    Poco::Net::HTTPResponse res;
    std::ostringstream out;
    out << session.receiveResponse(res).rdbuf();
    return {res.getStatus(), out.str()};
  }
  std::string own() const { return "http://localhost:" + std::to_string(port); }
  int port = 0;
  fs::path data;
  std::unique_ptr<DesignerServer> server;
};

const std::string kForm = R"({"id": "shiken", "title": "試験", "template": "juminhyo.pdf",
  "fields": [{"name": "name", "source": "person.name", "box": [41, 63, 108, 16], "size": 14, "minSize": 6, "fit": ["shrink", "condense"]}]})";

TEST_F(DesignerServerTest, ThePageAndTheApiUnderTheHostRule) {
  EXPECT_EQ(request("GET", "/").first, 200);
  EXPECT_NE(request("GET", "/").second.find("帳票デザイナー"), std::string::npos);
  EXPECT_EQ(request("GET", "/api/state").first, 200);
  EXPECT_EQ(request("GET", "/", "", "", "evil.example:" + std::to_string(port)).first, 403);  // DNS rebinding
  EXPECT_EQ(request("GET", "/", "", "", "localhost:1").first, 403);
  EXPECT_EQ(request("GET", "/api/state", "", "", "[::1]:" + std::to_string(port)).first, 200);
}

// The state lists each template's pages (mm) and AcroForm fields for one-click binding.
TEST_F(DesignerServerTest, StateListsTemplatesAndTheirAcroFormFields) {
  const auto r = request("GET", "/api/state");
  ASSERT_EQ(r.first, 200);
  EXPECT_NE(r.second.find(R"("file":"inkan-shomei.pdf")"), std::string::npos);
  EXPECT_NE(r.second.find(R"("name":"shinseibi")"), std::string::npos) << r.second.substr(0, 600);
  EXPECT_NE(r.second.find(R"("kind":"checkbox")"), std::string::npos);
  EXPECT_NE(r.second.find(R"("width":210)"), std::string::npos);
  EXPECT_NE(r.second.find(R"("importAvailable":true)"), std::string::npos);
}

TEST_F(DesignerServerTest, OnlyThePagesOwnOriginAndNoPostWithoutIt) {
  EXPECT_EQ(request("GET", "/api/state", "https://counter.example.lg.jp").first, 403);
  EXPECT_EQ(request("POST", "/api/save", "", kForm).first, 403);
  EXPECT_EQ(request("POST", "/api/save", "http://evil.example", kForm).first, 403);
  EXPECT_FALSE(fs::exists(data / "forms" / "shiken.json"));
  EXPECT_EQ(request("POST", "/api/save", "http://127.0.0.1:" + std::to_string(port), kForm).first, 200);
  EXPECT_TRUE(fs::exists(data / "forms" / "shiken.json"));
  EXPECT_EQ(request("PUT", "/api/save", own(), kForm).first, 405);
}

TEST_F(DesignerServerTest, FileNamesStayInTheDataFolder) {
  EXPECT_EQ(request("GET", "/api/template?file=juminhyo.pdf").first, 200);
  EXPECT_EQ(request("GET", "/api/template?file=..%2F..%2Fetc%2Fpasswd").first, 400);
  EXPECT_EQ(request("GET", "/api/form?id=..%2Fx").first, 400);
  EXPECT_EQ(request("GET", "/..%2F..%2Fetc%2Fpasswd").first, 404);
  EXPECT_EQ(request("GET", "/pdfjs/..%2F..%2Fdesigner_api.cpp").first, 404);
  const auto cell = request("GET", "/api/cell?template=juminhyo.pdf&page=0&x=90&y=70");
  EXPECT_EQ(cell.first, 200);
  EXPECT_EQ(cell.second, R"({"box":[40,62,110,18]})");
  const auto bad = request("POST", "/api/save", own(), R"({"id": "x", "title": "t", "template": "juminhyo.pdf",
    "fields": [{"name": "a", "source": "person.name", "box": [180, 63, 60, 16]}]})");
  EXPECT_EQ(bad.first, 422);
  EXPECT_NE(bad.second.find("outside_page"), std::string::npos);
  EXPECT_EQ(request("POST", "/api/import?name=..%2Fx.pdf", own(), "%PDF-1.4").first, 400);
}

// Import goes through template intake: a third-party PDF is normalised and appears among the
// templates; one that cannot be used is refused with its reason and nothing is written.
TEST_F(DesignerServerTest, ImportThroughTemplateIntake) {
  const fs::path corpus = kSource / "tests" / "data" / "templates-thirdparty";
  auto slurp = [](const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  };
  const auto ok = request("POST", "/api/import?name=owner.pdf", own(), slurp(corpus / "enc-aes128-owner-print.pdf"));
  ASSERT_EQ(ok.first, 200) << ok.second;
  EXPECT_NE(ok.second.find("暗号化"), std::string::npos) << ok.second;
  EXPECT_TRUE(fs::is_regular_file(data / "templates" / "owner.pdf"));
  EXPECT_NE(request("GET", "/api/state").second.find("owner.pdf"), std::string::npos);
  EXPECT_EQ(request("POST", "/api/import?name=owner.pdf", own(), slurp(corpus / "bad-xref.pdf")).first, 409);
  const auto signedPdf = request("POST", "/api/import?name=signed.pdf", own(), slurp(corpus / "digitally-signed.pdf"));
  EXPECT_EQ(signedPdf.first, 422);
  EXPECT_NE(signedPdf.second.find("template_signed"), std::string::npos);
  EXPECT_FALSE(fs::exists(data / "templates" / "signed.pdf"));
  EXPECT_EQ(request("POST", "/api/import?name=signed.pdf&dropSignature=1", own(), slurp(corpus / "digitally-signed.pdf")).first, 200);
  const auto junk = request("POST", "/api/import?name=junk.pdf", own(), "not a pdf");
  EXPECT_EQ(junk.first, 422);
  EXPECT_NE(junk.second.find("template_invalid"), std::string::npos);
  for (const auto& e : fs::directory_iterator(data / "templates")) EXPECT_EQ(e.path().filename().string().find(".incoming"), std::string::npos);
}

TEST_F(DesignerServerTest, PreviewThroughTheEngine) {
  const auto r = request("POST", "/api/preview", own(), R"({"definition": )" + kForm + R"(, "resident": "longest-name"})");
  ASSERT_EQ(r.first, 200) << r.second;
  EXPECT_NE(r.second.find("\"pdf\":\"JVBER"), std::string::npos);  // %PDF in base64
  EXPECT_NE(r.second.find("\"field\":\"name\""), std::string::npos);
  EXPECT_EQ(request("POST", "/api/preview", own(), R"({"definition": )" + kForm + R"(, "resident": "nobody"})").first, 400);
  // A sample value that is no string is the administrator's mistake, not the designer's failure.
  const auto nullValue =
      request("POST", "/api/preview", own(), R"({"definition": )" + kForm + R"(, "resident": "longest-name", "values": {"x": null}})");
  EXPECT_EQ(nullValue.first, 400) << nullValue.second;
  EXPECT_NE(nullValue.second.find("values.x must be a string"), std::string::npos) << nullValue.second;
}

}  // namespace
}  // namespace kakanai::designer
