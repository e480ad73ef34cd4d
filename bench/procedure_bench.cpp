// A resident's move-in through the agent as a counter system asks for it: the 転入 procedure with all
// four forms (住民異動届, 国保 資格取得届, 印鑑登録申請書, 住民票の写し等交付申請書) as one procedure.fill,
// against the same four forms as four form.fill requests, alternating in the same run, same session,
// same answers. Prints a Markdown section for docs/BENCHMARKS.md (time per set, PDF bytes).
//
// usage: procedure_bench AGENT_BINARY [ROUNDS]
#include <Poco/Base64Decoder.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <signal.h>
#include <sys/wait.h>

#include <cstdio>
#include <sstream>

#include "agent_client.h"
#include "machine.h"

using Clock = std::chrono::steady_clock;
using namespace kakanai::bench;

namespace {

const char* kForms[] = {"idou", "kokuho", "inkan", "juminhyo"};
const std::string kValues = R"({"kind":"転入","moveDate":"2026-11-30","newAddress":"東京都千代田区千代田１番１号","reason":"転入",)"
                            R"("acquiredDate":"2026-11-30","idDocument":"マイナンバーカード","copies":1,"purpose":"年金"})";

// The decoded size of the PDF in a response's `pdfBase64` (the bytes a counter system receives).
std::size_t pdfBytes(const std::string& response) {
  Poco::JSON::Parser parser;
  auto o = parser.parse(response).extract<Poco::JSON::Object::Ptr>();
  if (!o->getValue<bool>("ok")) throw std::runtime_error(response.substr(0, 300));
  auto result = o->getObject("result");
  const std::string b64 = result->has("bundle") ? result->getObject("bundle")->getValue<std::string>("pdfBase64") : result->getValue<std::string>("pdfBase64");
  std::istringstream in(b64);
  Poco::Base64Decoder decoder(in);
  std::string bytes((std::istreambuf_iterator<char>(decoder)), std::istreambuf_iterator<char>());
  return bytes.size();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 30;
  const int port = 47960;
  const pid_t pid = startDemoAgent(argv[1], port);
  std::vector<double> fourMs, bundleMs;
  std::size_t fourBytes = 0, bundleBytes = 0;
  {
    Poco::Net::HTTPClientSession s("127.0.0.1", port);
    auto ws = connect(s, port);
    roundTrip(*ws, R"({"id":"h","type":"hello","protocol":1})");
    const std::string read = roundTrip(*ws, R"({"id":"r","type":"card.read","pin":"1234"})");
    const auto at = read.find("\"session\":\"") + 11;
    const std::string session = read.substr(at, read.find('"', at) - at);
    const std::string common = R"(,"date":"2026-11-30","session":")" + session + R"(","values":)" + kValues + "}";
    for (int i = 0; i < rounds + 1; ++i) {  // the first round warms both paths and is not counted
      auto t0 = Clock::now();
      std::size_t bytes = 0;
      for (const char* form : kForms) bytes += pdfBytes(roundTrip(*ws, std::string(R"({"id":"f","type":"form.fill","form":")") + form + "\"" + common));
      const double four = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
      t0 = Clock::now();
      const std::size_t bundle =
          pdfBytes(roundTrip(*ws, R"({"id":"p","type":"procedure.fill","procedure":"tennyu","forms":["kokuho","inkan","juminhyo"])" + common));
      const double one = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
      if (i == 0) continue;
      fourMs.push_back(four);
      bundleMs.push_back(one);
      fourBytes = bytes;
      bundleBytes = bundle;
    }
    roundTrip(*ws, R"({"id":"c","type":"session.clear","session":")" + session + "\"}");
  }
  kill(pid, SIGTERM);
  waitpid(pid, nullptr, 0);

  const double four = percentile(fourMs, 0.5), bundle = percentile(bundleMs, 0.5);
  std::printf("Measured by `bench/procedure_bench` (Release agent, `serve --demo`, one WebSocket client, %d alternating rounds "
              "after one warm-up; medians) on %s.\n\n",
              rounds, cpuModel().c_str());
  std::printf("| the 転入 set (4 forms, 4 pages) | time per set (median) | p90 | PDF bytes received |\n|---|---|---|---|\n");
  std::printf("| four `form.fill` requests | %.1f ms | %.1f ms | %zu (sum of four) |\n", four, percentile(fourMs, 0.9), fourBytes);
  std::printf("| one `procedure.fill` (bundle) | %.1f ms | %.1f ms | %zu (the bundle) |\n", bundle, percentile(bundleMs, 0.9), bundleBytes);
  std::printf("| ratio | **%.2f×** the four | | %.2f× the sum |\n", bundle / four, static_cast<double>(bundleBytes) / static_cast<double>(fourBytes));
  std::printf("\nTargets: the bundle no slower than the four (%s) and no larger than their sum (%s).\n", bundle <= four ? "met" : "not met",
              bundleBytes <= fourBytes ? "met" : "not met");
  std::printf("\nWhy the bundle can be cheaper than its forms: the procedure fills its forms side by side on the agent's "
              "kept helper threads (one per core beside the request's own, no more than the largest procedure can use; a thread created per request waited 2–4 ms for "
              "the scheduler to move it to the idle core), and each fill's own thread also parses its PDF for the bundle, "
              "so what is left for the request's thread is PoDoFo's copy of the parsed objects and one write. The parse is "
              "short because our CID fonts list in /W and /W2 only the glyphs whose metrics are not the /DW and /DW2 "
              "defaults (full-width kana and kanji are), so a font dictionary is a few numbers rather than one per glyph.\n");
  return 0;
}
