// The agent under 100 concurrent counter-system clients (demo mode, in-process virtual card):
// card.status and forms.list latency (p50/p99) and throughput, card.read + form.fill latency, and
// the agent's idle and peak resident memory. Prints a Markdown section for docs/BENCHMARKS.md.
//
// usage: server_bench AGENT_BINARY [CLIENTS] [REQUESTS_PER_CLIENT]
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/WebSocket.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include "agent_client.h"
#include "machine.h"
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

extern char** environ;
using Clock = std::chrono::steady_clock;
using Poco::Net::WebSocket;

namespace {

using kakanai::bench::connect;
using kakanai::bench::percentile;
using kakanai::bench::roundTrip;

long rssKb(pid_t pid, const char* field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(field, 0) == 0) return std::atol(line.c_str() + std::string(field).size());
  }
  return 0;
}

// card.read + form.fill, one client, the way a counter uses it.
struct CounterFlow {
  std::vector<double> readMs, fillMs;
};

CounterFlow counterFlow(int port) {
  CounterFlow out;
  Poco::Net::HTTPClientSession s("127.0.0.1", port);
  auto ws = connect(s, port);
  roundTrip(*ws, R"({"id":"h","type":"hello","protocol":1})");
  for (int i = 0; i < 30; ++i) {
    auto t0 = Clock::now();
    const std::string read = roundTrip(*ws, R"({"id":"r","type":"card.read","pin":"1234"})");
    out.readMs.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    const auto at = read.find("\"session\":\"") + 11;
    const std::string session = read.substr(at, read.find('"', at) - at);
    t0 = Clock::now();
    roundTrip(*ws, R"({"id":"f","type":"form.fill","form":"juminhyo","values":{"copies":1},"date":"2026-11-23","session":")" + session + "\"}");
    out.fillMs.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    roundTrip(*ws, R"({"id":"c","type":"session.clear","session":")" + session + "\"}");
  }
  return out;
}

struct Load {
  std::vector<double> latencies;
  double seconds = 0;
  int failures = 0;
};

// One client's share of a load: hello, wait for the start, then its requests.
void loadClient(int port, int perClient, int paceMs, std::vector<double>& latencies, std::atomic<int>& ready,
                std::atomic<bool>& go, std::atomic<int>& failures) {
  try {
    Poco::Net::HTTPClientSession s("127.0.0.1", port);
    auto ws = connect(s, port);
    roundTrip(*ws, R"({"id":"h","type":"hello","protocol":1})");
    ++ready;
    while (!go) std::this_thread::yield();
    for (int i = 0; i < perClient; ++i) {
      const auto t0 = Clock::now();
      const std::string r = roundTrip(*ws, i % 2 ? R"({"id":"a","type":"forms.list"})" : R"({"id":"b","type":"card.status"})");
      latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      if (r.find("\"ok\":true") == std::string::npos) ++failures;
      if (paceMs > 0) std::this_thread::sleep_until(t0 + std::chrono::milliseconds(paceMs));
    }
  } catch (...) {
    ++failures;
  }
}

// `clients` connections at once; each sends its requests back to back (paceMs 0) or one every paceMs.
Load load(int port, int clients, int perClient, int paceMs) {
  std::vector<std::vector<double>> perThread(static_cast<std::size_t>(clients));
  std::atomic<int> failures{0}, ready{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back(loadClient, port, perClient, paceMs, std::ref(perThread[static_cast<std::size_t>(c)]), std::ref(ready), std::ref(go),
                         std::ref(failures));
  }
  while (ready < clients && failures == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const auto start = Clock::now();
  go = true;
  for (auto& t : threads) t.join();
  Load result;
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.failures = failures;
  for (auto& v : perThread) result.latencies.insert(result.latencies.end(), v.begin(), v.end());
  return result;
}

struct Memory {
  long idleKb = 0, peakKb = 0;
};

int report(int clients, int perClient, const CounterFlow& flow, const Load& paced, const Load& saturated, const Memory& rss) {
  const auto& all = saturated.latencies;
  const int failureCount = saturated.failures + paced.failures;
  const std::string cpu = cpuModel();
  std::printf("## The agent under load\n\n");
  std::printf("Measured by `bench/server_bench` against the Release agent (`serve --demo`, in-process virtual card, "
              "log level warning) on %s (%u cores), client and agent on the same machine over loopback. %d WebSocket "
              "clients connect and say hello, then all start together, each sending %d requests one after another "
              "(card.status and forms.list alternately), first paced at one request per 100 ms per client, then back to back. "
              "Latency is request sent → response received at the client; the clients share the 2 cores with the agent, "
              "so the saturating figures include their own scheduling.\n\n",
              cpu.c_str(), std::thread::hardware_concurrency(), clients, perClient);
  std::printf("| measure | value |\n|---|---|\n");
  std::printf("| requests answered | %zu (%d failed) |\n", all.size() + paced.latencies.size(), failureCount);
  std::printf("| paced: each client one request per 100 ms (%.0f requests/s in all) — p50 / p99 | %.2f ms / %.2f ms |\n",
              static_cast<double>(paced.latencies.size()) / paced.seconds, percentile(paced.latencies, 0.50), percentile(paced.latencies, 0.99));
  std::printf("| saturating: every client back to back — throughput | %.0f messages/s |\n", static_cast<double>(all.size()) / saturated.seconds);
  std::printf("| saturating — p50 / p99 | %.2f ms / %.2f ms |\n", percentile(all, 0.50), percentile(all, 0.99));
  std::printf("| card.read, one client (median of 30) | %.2f ms |\n", percentile(flow.readMs, 0.5));
  std::printf("| form.fill 住民票, one client (median of 30) | %.2f ms |\n", percentile(flow.fillMs, 0.5));
  std::printf("| agent RSS idle (fonts, forms, templates loaded) | %.1f MB |\n", static_cast<double>(rss.idleKb) / 1024.0);
  std::printf("| agent RSS peak (VmHWM, after the load) | %.1f MB |\n\n", static_cast<double>(rss.peakKb) / 1024.0);
  std::printf("Targets: p99 under 10 ms at 100 clients, idle RSS under 30 MB. card.read here is through the "
              "in-process virtual card; its split into card I/O and agent CPU is in the card.read section above "
              "(the agent's own share is well under a millisecond, the rest is the card).\n\n");
  return failureCount == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  const int clients = argc > 2 ? std::atoi(argv[2]) : 100;
  const int perClient = argc > 3 ? std::atoi(argv[3]) : 100;
  const int port = 47950;
  const pid_t pid = kakanai::bench::startDemoAgent(argv[1], port);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  Memory rss;
  rss.idleKb = rssKb(pid, "VmRSS:");
  const CounterFlow flow = counterFlow(port);
  const Load paced = load(port, clients, perClient, 100);
  const Load saturated = load(port, clients, perClient, 0);
  rss.peakKb = rssKb(pid, "VmHWM:");
  kill(pid, SIGTERM);
  waitpid(pid, nullptr, 0);
  return report(clients, perClient, flow, paced, saturated, rss);
}
