// kakanai-agent designer: the form designer's loopback HTTP mode (agent/designer/) for the
// administrator's PC. Runs until SIGINT or SIGTERM.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "core/iso_time.h"
#include "core/paths.h"
#include "designer/designer_server.h"

namespace kakanai::cli {

namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "kakanai-agent designer: %s\n", message.c_str());
  return 2;
}

// The page's files: --web-dir, else installed beside the executable (share/kakanai/designer),
// else the source tree's (a build that is not installed).
std::string webDirectory(const std::optional<std::string>& given) {
  if (given) return *given;
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const auto installed = exe.parent_path().parent_path() / "share" / "kakanai" / "designer";
    if (std::filesystem::is_regular_file(installed / "index.html", ec)) return installed.string();
  }
  return std::string(KAKANAI_SOURCE_DIR) + "/agent/designer/web";
}

}  // namespace

int designerCommand(int argc, char** argv) {
  std::optional<std::string> dataDir, webDir;
  std::vector<std::string> residentFiles;
  std::string date;
  int port = 47801;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    const bool hasValue = i + 1 < argc;
    if (a == "--data-dir" && hasValue) dataDir = argv[++i];
    else if (a == "--web-dir" && hasValue) webDir = argv[++i];
    else if (a == "--residents" && hasValue) residentFiles.push_back(argv[++i]);
    else if (a == "--date" && hasValue) date = argv[++i];
    else if (a == "--port" && hasValue) port = std::atoi(argv[++i]);
    else return fail("usage: designer --data-dir DIR [--port N] [--residents FILE]... [--date YYYY-MM-DD] [--web-dir DIR]");
  }
  if (!dataDir) return fail("--data-dir is required: the folder whose forms/ and templates/ are edited");
  if (port < 1 || port > 65535) return fail("--port must be 1..65535");
  designer::DesignerSettings settings;
  settings.dataDir = *dataDir;
  // The data folder's own fonts, else the installation's (a fresh folder has only forms/ and templates/).
  std::string manifest = *dataDir + "/fonts/manifest.json";
  if (!std::filesystem::is_regular_file(manifest)) manifest = resolveDataDirectory(std::nullopt) + "/fonts/manifest.json";
  auto fonts = fonts::FontSet::load(manifest);
  if (!fonts) return fail("fonts: " + fonts.error().diagnostic);
  settings.fonts = *fonts;
  settings.residents = designer::builtInSamples();
  for (const auto& file : residentFiles) {
    auto more = designer::loadSampleResidents(file);
    if (!more) return fail(more.error().diagnostic);
    for (auto& r : *more) settings.residents.push_back(std::move(r));
  }
  settings.date = date.empty() ? localDate(WallClock::now()) : date;
  if (!isIsoDate(settings.date)) return fail("--date must be YYYY-MM-DD");
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(*dataDir) / "forms", ec);
  std::filesystem::create_directories(std::filesystem::path(*dataDir) / "templates", ec);

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before the server's threads start
  designer::DesignerServer server(std::move(settings), webDirectory(webDir), port);
  if (auto started = server.start(); !started) return fail(started.error().diagnostic);
  std::printf("designer: http://localhost:%d/\n", port);
  std::fflush(stdout);
  int received = 0;
  sigwait(&signals, &received);
  server.stop();
  return 0;
}

}  // namespace kakanai::cli
