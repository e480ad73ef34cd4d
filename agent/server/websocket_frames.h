// RFC 6455 framing for the agent's side of a WebSocket: a decoder that turns the bytes a client
// sends into whole messages (fragments reassembled, pings answered, every protocol error named
// with its close code), and the encoder of the server's unmasked frames. No sockets here, so the
// decoder is fuzzed on its own (tests/fuzz/websocket_frames_fuzzer.cpp). Every byte it holds —
// a message is a counter's request, a PIN among them — sits in wiping memory and is wiped as it
// is consumed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/secure_buffer.h"

namespace kakanai::server {

// Close codes the agent sends (RFC 6455 §7.4.1).
enum class CloseCode : std::uint16_t {
  Normal = 1000,
  ProtocolError = 1002,
  InvalidData = 1007,  // a text message that is not UTF-8
  TooBig = 1009,
};

enum class Opcode : std::uint8_t { Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xA };

struct WsEvent {
  enum class Kind { Text, Binary, Ping, Close, Fail } kind;
  SecureBytes payload;            // the message; the ping's payload; the close frame's body
  CloseCode code = CloseCode::Normal;  // Fail: the code to close with; Close: the code to answer
  const char* why = "";           // Fail: for the log
};

class FrameDecoder {
 public:
  explicit FrameDecoder(std::size_t maxMessageBytes) : maxMessage_(maxMessageBytes) {}
  void feed(const std::uint8_t* data, std::size_t n);
  // The next whole message or control frame, or a failure; nullopt when more bytes are needed.
  // After a Fail or a Close nothing more is decoded.
  std::optional<WsEvent> next();

 private:
  std::optional<WsEvent> fail(CloseCode code, const char* why);
  void consume(std::size_t n);

  std::size_t maxMessage_;
  SecureBytes input_;
  SecureBytes message_;  // fragments of the message in progress
  std::optional<Opcode> messageOpcode_;
  bool done_ = false;
};

// One unmasked server frame (FIN set) carrying `payload`.
SecureBytes encodeFrame(Opcode opcode, std::string_view payload);
// A close frame with `code` and a short reason.
SecureBytes encodeClose(CloseCode code, std::string_view reason);

// RFC 6455 §4.2.2: base64(SHA-1(key + the protocol's GUID)).
std::string acceptKey(std::string_view clientKey);
// A Sec-WebSocket-Key is the base64 of 16 bytes: 24 characters ending in "==".
bool validClientKey(std::string_view key);

}  // namespace kakanai::server
