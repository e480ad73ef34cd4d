#include "core/paths.h"

#include <unistd.h>

#include <filesystem>

#ifndef KAKANAI_DATA_RELATIVE
#define KAKANAI_DATA_RELATIVE "../share/kakanai"
#endif
#ifndef KAKANAI_SOURCE_DIR
#define KAKANAI_SOURCE_DIR ""
#endif

namespace kakanai {

std::string executableDirectory() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return ".";
  return exe.parent_path().string();
}

std::string resolveDataDirectory(const std::optional<std::string>& explicitDir) {
  if (explicitDir) return *explicitDir;
  std::error_code ec;
  const auto installed = std::filesystem::weakly_canonical(
      std::filesystem::path(executableDirectory()) / KAKANAI_DATA_RELATIVE, ec);
  if (!ec && std::filesystem::is_directory(installed)) return installed.string();
  return KAKANAI_SOURCE_DIR;
}

}  // namespace kakanai
