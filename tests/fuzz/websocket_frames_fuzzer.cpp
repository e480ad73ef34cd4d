// The bytes a client sends on a WebSocket (any page the browser opens can send any): the frame
// decoder must turn them into messages or a close code, never read out of bounds, never buffer
// more than the size limit allows, and decode the same bytes the same way however they are split.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "server/websocket_frames.h"

using namespace kakanai;
using namespace kakanai::server;

namespace {

// Everything the decoder says about `data` fed in pieces of `step` bytes, as one string.
std::string decodeAll(const std::uint8_t* data, std::size_t size, std::size_t step) {
  FrameDecoder decoder(4096);
  std::string trace;
  for (std::size_t at = 0; at < size; at += step) {
    decoder.feed(data + at, std::min(step, size - at));
    while (auto e = decoder.next()) {
      trace += std::to_string(static_cast<int>(e->kind)) + ":" + std::to_string(static_cast<int>(e->code)) + ":";
      trace.append(reinterpret_cast<const char*>(e->payload.data()), e->payload.size());
      if (e->payload.size() > 4096) std::abort();
      trace += "|";
    }
  }
  return trace;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t step = 1 + data[0] % 17;
  if (decodeAll(data + 1, size - 1, size) != decodeAll(data + 1, size - 1, step)) std::abort();
  encodeFrame(Opcode::Text, std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
