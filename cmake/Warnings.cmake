# Warnings every target of ours builds with; third-party headers come in as SYSTEM.
add_library(kakanai_warnings INTERFACE)
target_compile_options(kakanai_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
  -Wnull-dereference -Wimplicit-fallthrough)
