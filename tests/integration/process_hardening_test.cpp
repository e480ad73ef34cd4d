// Every subcommand that holds a resident's data or a PIN turns off its core dumps and makes
// itself non-dumpable (no ptrace, no /proc/PID/mem for other processes of its user) before it
// reads anything. Each runs as an unprivileged user (nobody) and is caught while it waits: the
// kernel then shows its /proc entries as root's (a non-dumpable process's are), and its core
// limit as 0.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include "pcsc_stack.h"

namespace kakanai::testing {
namespace {

constexpr uid_t kNobody = 65534;

uid_t realUid(pid_t pid) {
  std::istringstream status(slurp("/proc/" + std::to_string(pid) + "/status"));
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("Uid:", 0) == 0) return static_cast<uid_t>(std::stoul(line.substr(4)));
  }
  return static_cast<uid_t>(-1);
}

// "soft hard" of RLIMIT_CORE as /proc/PID/limits shows them.
std::string coreLimit(pid_t pid) {
  std::istringstream limits(slurp("/proc/" + std::to_string(pid) + "/limits"));
  for (std::string line; std::getline(limits, line);) {
    if (line.rfind("Max core file size", 0) == 0) {
      std::istringstream values(line.substr(18));
      std::string soft, hard;
      values >> soft >> hard;
      return soft + " " + hard;
    }
  }
  return "?";
}

bool runsAgent(pid_t pid) {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/exe", ec);
  return !ec && exe.filename() == "kakanai-agent";
}

class ProcessHardening : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root (runs the agent as nobody)";
    std::filesystem::permissions(dir_.path(), std::filesystem::perms::all);
    // A FIFO the subcommand blocks on: its stdin, or the person file fill opens. Held open for
    // writing here so opening it does not block, reading it does.
    fifo_ = dir_.path() / "wait";
    ASSERT_EQ(::mkfifo(fifo_.c_str(), 0666), 0);
    writer_ = ::open(fifo_.c_str(), O_RDWR);
    ASSERT_GE(writer_, 0);
  }
  void TearDown() override {
    if (writer_ >= 0) ::close(writer_);
  }
  // Starts `args` as nobody and checks the process once it is the agent, waiting.
  void expectHardened(const std::vector<std::string>& args, bool stdinFromFifo) {
    std::vector<std::string> argv{"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", kAgent};
    argv.insert(argv.end(), args.begin(), args.end());
    Process p(argv, dir_.path() / "out", dir_.path() / "err", stdinFromFifo ? fifo_ : std::filesystem::path("/dev/null"));
    ASSERT_TRUE(eventually([&] { return runsAgent(p.pid()) && realUid(p.pid()) == kNobody; })) << slurp(dir_.path() / "err");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // past main()'s first lines
    ASSERT_TRUE(p.running()) << args[0] << " ended early: " << slurp(dir_.path() / "err");
    struct stat st{};
    ASSERT_EQ(::stat(("/proc/" + std::to_string(p.pid()) + "/mem").c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, 0u) << args[0] << " is dumpable (its /proc entries belong to its user)";
    EXPECT_EQ(coreLimit(p.pid()), "0 0") << args[0] << " may dump core";
  }

  TempDir dir_;
  std::filesystem::path fifo_;
  int writer_ = -1;
};

TEST_F(ProcessHardening, CardReadWaitingForThePin) { expectHardened({"card-read", "--demo"}, true); }

TEST_F(ProcessHardening, FillReadingThePerson) {
  expectHardened({"fill", "--form", "juminhyo", "--person", fifo_.string(), "-o", (dir_.path() / "out.pdf").string()}, false);
}

TEST_F(ProcessHardening, Serve) {
  expectHardened({"serve", "--demo", "--port", std::to_string(20000 + ::getpid() % 9000), "--attendance-store",
                  (dir_.path() / "a.sqlite").string()},
                 false);
}

TEST_F(ProcessHardening, WatchAndCardStatusTalkingToTheCard) {
  expectHardened({"watch", "--demo", "--seconds", "30"}, false);
}

}  // namespace
}  // namespace kakanai::testing
