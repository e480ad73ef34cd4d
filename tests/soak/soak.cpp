// A bounded soak: N counter-system clients against one agent for S seconds, each looping
// card.status → form.fill (a typed resident) → every 50th round document.print to a real IPP
// printer → session.clear. Records errors, p99 latency over the first and the last fifth of
// the run, and the agent's RSS at start and end. Prints Markdown; exits 1 on any error or when
// the RSS grew beyond --max-rss-growth-mb.
//
// usage: kakanai_soak --agent BIN --printer URI [--clients N] [--seconds S] [--max-rss-growth-mb M]
//                     [--label TEXT]
#include <algorithm>
#include <cstdio>
#include <mutex>
#include <random>

#include "../server/agent_harness.h"

namespace kt = kakanai::testing;
using Clock = std::chrono::steady_clock;

namespace {

struct Sample {
  double atSeconds;
  double ms;
  bool print;
};

// p99 of the requests in [from, to) that are prints (or are not).
double p99(const std::vector<Sample>& samples, double from, double to, bool prints) {
  std::vector<double> v;
  for (const auto& s : samples) {
    if (s.atSeconds >= from && s.atSeconds < to && s.print == prints) v.push_back(s.ms);
  }
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(static_cast<double>(v.size()) * 0.99))];
}

}  // namespace

int main(int argc, char** argv) {
  std::string agentBin, printer, label = "soak";
  int clients = 200, seconds = 300;
  double maxGrowthMb = 32;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--agent") agentBin = argv[i + 1];
    else if (a == "--printer") printer = argv[i + 1];
    else if (a == "--clients") clients = std::atoi(argv[i + 1]);
    else if (a == "--seconds") seconds = std::atoi(argv[i + 1]);
    else if (a == "--max-rss-growth-mb") maxGrowthMb = std::atof(argv[i + 1]);
    else if (a == "--label") label = argv[i + 1];
  }
  if (agentBin.empty() || printer.empty()) {
    std::fprintf(stderr, "usage: kakanai_soak --agent BIN --printer URI [--clients N] [--seconds S]\n");
    return 2;
  }
  kt::TempDir dir;
  const int port = kt::nextPort();
  kt::writeFile(dir.path() / "config.json", R"({"logLevel":"info","maxConnectionsPerOrigin":256,"maxSessionsPerOrigin":1024,"printers":[")" + printer + R"("]})");
  kt::Process agent({agentBin, "serve", "--demo", "--port", std::to_string(port), "--config", (dir.path() / "config.json").string(),
                     "--attendance-store", (dir.path() / "a.sqlite").string()},
                    dir.path() / "agent.out", dir.path() / "agent.err");
  const std::string origin = "http://localhost:" + std::to_string(port);
  if (!kt::eventually([&] { return kt::httpStatus(port, "/health", {}) == 200; })) {
    std::fprintf(stderr, "agent did not start:\n%s", kt::slurp(dir.path() / "agent.err").c_str());
    return 1;
  }
  std::mutex mutex;
  std::vector<Sample> samples;
  std::atomic<long> errors{0}, requests{0}, prints{0};
  std::atomic<bool> stop{false};
  const auto t0 = Clock::now();
  long rssStart = 0;
  std::vector<std::thread> threads;
  std::atomic<int> connected{0};
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      std::vector<Sample> mine;
      try {
        kt::Client client(port, origin);
        // A print may wait its turn at a busy printer (the agent retries for up to 30 s).
        client.setReceiveTimeout(std::chrono::seconds(60));
        client.hello();
        ++connected;
        std::mt19937 rnd(static_cast<unsigned>(c));
        int round = 0;
        auto timed = [&](const std::string& json) {
          const auto s = Clock::now();
          auto r = client.request(json);
          const auto e = Clock::now();
          mine.push_back({std::chrono::duration<double>(s - t0).count(), std::chrono::duration<double, std::milli>(e - s).count(),
                          json.find("document.print") != std::string::npos});
          ++requests;
          if (!r || !r->getValue<bool>("ok")) {
            ++errors;
            if (r) std::fprintf(stderr, "error: %s\n", kt::toJsonText(r).c_str());
            return Poco::JSON::Object::Ptr();
          }
          return r->getObject("result");
        };
        while (!stop) {
          ++round;
          timed(R"({"id":"s","type":"card.status"})");
          auto filled = timed(R"({"id":"f","type":"form.fill","form":"juminhyo","person":{"name":"耐久　試験","address":"東京都千代田区霞が関二丁目１番２号","birthDate":"1980-04-01","sex":"female"},"values":{"copies":1}})");
          if (!filled) continue;
          if (round % 50 == c % 50) {
            timed(R"({"id":"p","type":"document.print","document":")" + filled->getValue<std::string>("document") + R"(","printer":")" + printer + R"("})");
            ++prints;
          }
          timed(R"({"id":"c","type":"session.clear","session":")" + filled->getValue<std::string>("session") + R"("})");
          std::this_thread::sleep_for(std::chrono::milliseconds(50 + rnd() % 100));  // a clerk's pace, compressed
        }
      } catch (const std::exception& e) {
        ++errors;
        std::fprintf(stderr, "client %d: %s\n", c, e.what());
      }
      std::lock_guard lock(mutex);
      samples.insert(samples.end(), mine.begin(), mine.end());
    });
  }
  kt::eventually([&] { return connected == clients; }, std::chrono::seconds(30));
  std::this_thread::sleep_for(std::chrono::seconds(std::max(1, seconds / 10)));
  rssStart = kt::rssKiB(agent.pid());
  std::this_thread::sleep_for(std::chrono::seconds(seconds - std::max(1, seconds / 10)));
  const long rssEnd = kt::rssKiB(agent.pid());
  stop = true;
  for (auto& t : threads) t.join();
  const double fifth = seconds / 5.0;
  const double growthMb = static_cast<double>(rssEnd - rssStart) / 1024.0;
  std::printf("| %s | %d | %d s | %ld | %ld | %ld | %.1f → %.1f ms | %.0f → %.0f ms | %.1f → %.1f MB |\n", label.c_str(), clients,
              seconds, requests.load(), prints.load(), errors.load(), p99(samples, 0, fifth, false),
              p99(samples, seconds - fifth, seconds, false), p99(samples, 0, fifth, true), p99(samples, seconds - fifth, seconds, true),
              rssStart / 1024.0, rssEnd / 1024.0);
  // A clean stop, so that LeakSanitizer (in a sanitizer build) reports what was never freed.
  agent.signal(SIGTERM);
  const int exitCode = agent.wait();
  if (exitCode != 0) {
    std::fprintf(stderr, "agent exited with %d:\n%s\n", exitCode, kt::slurp(dir.path() / "agent.err").substr(0, 4000).c_str());
    return 1;
  }
  if (errors > 0) {
    // The engineer's side of the errors (codes and diagnostics only: the log holds no personal data).
    std::istringstream log(kt::slurp(dir.path() / "agent.err"));
    int shown = 0;
    for (std::string line; std::getline(log, line) && shown < 20;) {
      if (line.find("result=") != std::string::npos && line.find("result=ok") == std::string::npos) {
        std::fprintf(stderr, "%s\n", line.c_str());
        ++shown;
      }
    }
    return 1;
  }
  if (growthMb > maxGrowthMb) {
    std::fprintf(stderr, "RSS grew by %.1f MB (limit %.1f)\n", growthMb, maxGrowthMb);
    return 1;
  }
  return 0;
}
