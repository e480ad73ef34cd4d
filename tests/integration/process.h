// Child processes for integration tests: started with posix_spawn, output captured to files,
// always stopped by the test (the destructor kills what is still running).
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace kakanai::testing {

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void writeFile(const std::filesystem::path& p, const std::string& content) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << content;
}

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "kakanai-test-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class Process {
 public:
  Process() = default;
  Process(const std::vector<std::string>& argv, const std::filesystem::path& out, const std::filesystem::path& err,
          const std::filesystem::path& in = {}) {
    start(argv, out, err, in);
  }
  ~Process() { stop(); }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  void start(const std::vector<std::string>& argv, const std::filesystem::path& out, const std::filesystem::path& err,
             const std::filesystem::path& in = {}, int stdinFd = -1) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (stdinFd >= 0) {
      posix_spawn_file_actions_adddup2(&fa, stdinFd, 0);
    } else {
      posix_spawn_file_actions_addopen(&fa, 0, in.empty() ? "/dev/null" : in.c_str(), O_RDONLY, 0);
    }
    posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    if (posix_spawnp(&pid_, args[0], &fa, nullptr, args.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&fa);
  }

  bool running() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      exit_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      pid_ = -1;
      return false;
    }
    return true;
  }

  int wait() {
    if (pid_ > 0) {
      int status = 0;
      ::waitpid(pid_, &status, 0);
      exit_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      pid_ = -1;
    }
    return exit_;
  }

  void signal(int sig) {
    if (pid_ > 0) ::kill(pid_, sig);
  }

  // SIGTERM, then SIGKILL after two seconds.
  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 40 && running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (running()) {
      ::kill(pid_, SIGKILL);
      wait();
    }
  }

  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int exit_ = -1;
};

struct RunResult {
  int exitCode = -1;
  std::string out;
  std::string err;
};

// Runs a command to completion with `input` on its standard input (through a pipe: a PIN is
// never written to a file, even in a test).
inline RunResult run(const std::vector<std::string>& argv, const std::string& input, const std::filesystem::path& dir) {
  static int counter = 0;
  const auto base = dir / ("run-" + std::to_string(++counter));
  int fds[2];
  if (::pipe(fds) != 0) return {};
  Process p;
  p.start(argv, base.string() + ".out", base.string() + ".err", {}, fds[0]);
  ::close(fds[0]);
  if (!input.empty()) (void)!::write(fds[1], input.data(), input.size());
  ::close(fds[1]);
  RunResult r;
  r.exitCode = p.wait();
  r.out = slurp(base.string() + ".out");
  r.err = slurp(base.string() + ".err");
  return r;
}

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return pred();
}

}  // namespace kakanai::testing
