// Where the agent looks for its configuration when no --config is given: the PC's
// /etc/kakanai/agent.json, then the clerk's own over it (the Debian package relies on this).
#include "config/agent_config.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace kakanai::config {
namespace {

class ConfigFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("kakanai-config-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_ / "xdg/kakanai");
    ::setenv("XDG_CONFIG_HOME", (dir_ / "xdg").c_str(), 1);
  }
  void TearDown() override {
    ::unsetenv("XDG_CONFIG_HOME");
    std::filesystem::remove_all(dir_);
  }
  void write(const std::filesystem::path& p, const std::string& text) { std::ofstream(p) << text; }
  std::filesystem::path dir_;
};

TEST_F(ConfigFiles, ThePcsFileFirstThenTheClerksOwn) {
  const auto files = defaultConfigFiles();
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0], "/etc/kakanai/agent.json");
  EXPECT_EQ(files[1], (dir_ / "xdg/kakanai/agent.json").string());
  ::unsetenv("XDG_CONFIG_HOME");
  const std::string home = std::getenv("HOME") ? std::getenv("HOME") : "";
  if (!home.empty()) EXPECT_EQ(defaultConfigFiles().at(1), home + "/.config/kakanai/agent.json");
}

TEST_F(ConfigFiles, WithoutConfigFlagTheClerksFileIsRead) {
  write(dir_ / "xdg/kakanai/agent.json", R"({"port": 41234})");
  auto c = loadAgentConfig({});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->port, 41234);
  auto flagged = loadAgentConfig({"--port", "41240"});
  ASSERT_TRUE(flagged.ok());
  EXPECT_EQ(flagged->port, 41240);
}

TEST_F(ConfigFiles, AnInvalidDefaultFileStopsTheAgent) {
  write(dir_ / "xdg/kakanai/agent.json", R"({"prot": 1})");
  EXPECT_FALSE(loadAgentConfig({}).ok());
}

TEST_F(ConfigFiles, ConfigFlagReplacesTheDefaultFiles) {
  write(dir_ / "xdg/kakanai/agent.json", R"({"prot": 1})");  // would stop the agent if read
  write(dir_ / "given.json", R"({"port": 41235})");
  auto c = loadAgentConfig({"--config", (dir_ / "given.json").string()});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->port, 41235);
  EXPECT_FALSE(loadAgentConfig({"--config", (dir_ / "missing.json").string()}).ok());
}

TEST_F(ConfigFiles, MissingDefaultFilesAreNoError) {
  auto c = loadAgentConfig({});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->port, AgentConfig{}.port);
}

// A null among the origins or printers once threw out of Poco's conversion and ended the agent.
TEST(ConfigJson, ListsHoldingSomethingOtherThanStringsAreRefused) {
  for (const char* json : {R"({"allowOrigins": ["http://localhost:8080", null]})", R"({"allowOrigins": [1]})",
                           R"({"printers": [null]})", R"({"printers": [{"uri": "ipp://x"}]})"}) {
    auto c = parseAgentConfigJson(json);
    EXPECT_FALSE(c.ok()) << json;
  }
  auto c = parseAgentConfigJson(R"({"allowOrigins": ["http://localhost:8080"], "printers": ["ipp://127.0.0.1:8631/ipp/print"]})");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->allowOrigins, std::vector<std::string>{"http://localhost:8080"});
  EXPECT_EQ(c->printers, std::vector<std::string>{"ipp://127.0.0.1:8631/ipp/print"});
}

}  // namespace
}  // namespace kakanai::config
