#include "server/websocket_frames.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cstring>
#include <string>

#include "core/bytes.h"

namespace kakanai::server {

namespace {

constexpr std::size_t kMaxControlPayload = 125;

bool isControl(Opcode op) { return (static_cast<std::uint8_t>(op) & 0x8) != 0; }

bool knownOpcode(std::uint8_t op) { return op <= 0x2 || (op >= 0x8 && op <= 0xA); }

// UTF-8 as RFC 3629 has it; NUL is a character there (isValidUtf8 refuses it for our text fields).
bool validUtf8(const SecureBytes& b) {
  std::size_t from = 0;
  for (std::size_t i = 0; i <= b.size(); ++i) {
    if (i == b.size() || b[i] == 0) {
      if (!isValidUtf8(ByteView(b.data() + from, i - from))) return false;
      from = i + 1;
    }
  }
  return true;
}

// A close frame's body: empty, or a code RFC 6455 allows on the wire and a UTF-8 reason.
std::optional<CloseCode> closeAnswer(const SecureBytes& body) {
  if (body.empty()) return CloseCode::Normal;
  if (body.size() == 1) return std::nullopt;
  const unsigned code = static_cast<unsigned>(body[0]) << 8 | body[1];
  const bool allowed = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011) || (code >= 3000 && code <= 4999);
  if (!allowed) return std::nullopt;
  SecureBytes reason(body.begin() + 2, body.end());
  if (!validUtf8(reason)) return CloseCode::InvalidData;
  return CloseCode::Normal;
}

}  // namespace

void FrameDecoder::feed(const std::uint8_t* data, std::size_t n) {
  if (!done_) input_.insert(input_.end(), data, data + n);
}

// Drops the first n input bytes; the bytes moved forward leave no copy behind at the tail.
void FrameDecoder::consume(std::size_t n) {
  const std::size_t rest = input_.size() - n;
  if (rest > 0) std::memmove(input_.data(), input_.data() + n, rest);
  secureWipe(input_.data() + rest, n);
  input_.resize(rest);
}

std::optional<WsEvent> FrameDecoder::fail(CloseCode code, const char* why) {
  done_ = true;
  secureWipe(input_.data(), input_.size());
  secureWipe(message_.data(), message_.size());
  input_.clear();
  message_.clear();
  WsEvent e{WsEvent::Kind::Fail, {}, code, why};
  return e;
}

std::optional<WsEvent> FrameDecoder::next() {
  while (!done_) {
    if (input_.size() < 2) return std::nullopt;
    const std::uint8_t b0 = input_[0], b1 = input_[1];
    const bool fin = (b0 & 0x80) != 0;
    if ((b0 & 0x70) != 0) return fail(CloseCode::ProtocolError, "RSV bits set");
    if (!knownOpcode(b0 & 0x0F)) return fail(CloseCode::ProtocolError, "unknown opcode");
    const auto op = static_cast<Opcode>(b0 & 0x0F);
    if ((b1 & 0x80) == 0) return fail(CloseCode::ProtocolError, "unmasked client frame");
    std::size_t header = 2;
    std::uint64_t length = b1 & 0x7F;
    if (length == 126 || length == 127) {
      const std::size_t extra = length == 126 ? 2 : 8;
      if (input_.size() < header + extra) return std::nullopt;
      length = 0;
      for (std::size_t k = 0; k < extra; ++k) length = length << 8 | input_[header + k];
      header += extra;
      if (length >> 63) return fail(CloseCode::ProtocolError, "payload length with its top bit set");
    }
    if (isControl(op)) {
      if (!fin) return fail(CloseCode::ProtocolError, "fragmented control frame");
      if (length > kMaxControlPayload) return fail(CloseCode::ProtocolError, "control frame over 125 bytes");
    } else if (op == Opcode::Continuation && !messageOpcode_) {
      return fail(CloseCode::ProtocolError, "continuation without a message");
    } else if (op != Opcode::Continuation && messageOpcode_) {
      return fail(CloseCode::ProtocolError, "new message inside a fragmented one");
    }
    // The limit holds for the whole message, checked before its bytes are buffered.
    if (!isControl(op) && length > maxMessage_ - std::min(maxMessage_, message_.size())) {
      return fail(CloseCode::TooBig, "message over the size limit");
    }
    if (input_.size() < header + 4 + length) return std::nullopt;
    const std::uint8_t* mask = input_.data() + header;
    const std::uint8_t* body = mask + 4;
    SecureBytes payload;
    SecureBytes& into = isControl(op) ? payload : message_;
    const std::size_t at = into.size();
    into.resize(at + length);
    for (std::size_t i = 0; i < length; ++i) into[at + i] = body[i] ^ mask[i % 4];
    consume(header + 4 + length);
    if (op == Opcode::Ping) return WsEvent{WsEvent::Kind::Ping, std::move(payload)};
    if (op == Opcode::Pong) continue;
    if (op == Opcode::Close) {
      const auto answer = closeAnswer(payload);
      if (!answer) return fail(CloseCode::ProtocolError, "malformed close frame");
      done_ = true;
      return WsEvent{WsEvent::Kind::Close, std::move(payload), *answer};
    }
    if (op != Opcode::Continuation) messageOpcode_ = op;
    if (!fin) continue;
    const Opcode kind = *messageOpcode_;
    messageOpcode_.reset();
    WsEvent e{kind == Opcode::Text ? WsEvent::Kind::Text : WsEvent::Kind::Binary, std::move(message_)};
    message_ = SecureBytes();
    if (e.kind == WsEvent::Kind::Text && !validUtf8(e.payload)) {
      secureWipe(e.payload.data(), e.payload.size());
      return fail(CloseCode::InvalidData, "text message that is not UTF-8");
    }
    return e;
  }
  return std::nullopt;
}

SecureBytes encodeFrame(Opcode opcode, std::string_view payload) {
  SecureBytes out;
  out.reserve(payload.size() + 10);
  out.push_back(static_cast<std::uint8_t>(0x80 | static_cast<std::uint8_t>(opcode)));
  const std::uint64_t n = payload.size();
  if (n < 126) {
    out.push_back(static_cast<std::uint8_t>(n));
  } else if (n <= 0xFFFF) {
    out.insert(out.end(), {126, static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)});
  } else {
    out.push_back(127);
    for (int k = 7; k >= 0; --k) out.push_back(static_cast<std::uint8_t>(n >> (8 * k)));
  }
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

SecureBytes encodeClose(CloseCode code, std::string_view reason) {
  std::string body;
  body += static_cast<char>(static_cast<unsigned>(code) >> 8);
  body += static_cast<char>(static_cast<unsigned>(code) & 0xFF);
  body += reason.substr(0, kMaxControlPayload - 2);
  return encodeFrame(Opcode::Close, body);
}

std::string acceptKey(std::string_view clientKey) {
  const std::string text = std::string(clientKey) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  unsigned char out[4 * ((SHA_DIGEST_LENGTH + 2) / 3) + 1];
  const int n = EVP_EncodeBlock(out, digest, SHA_DIGEST_LENGTH);
  return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
}

bool validClientKey(std::string_view key) {
  if (key.size() != 24 || key.substr(22) != "==") return false;
  unsigned char out[18];
  const std::string k(key);
  return EVP_DecodeBlock(out, reinterpret_cast<const unsigned char*>(k.data()), 24) == 18;
}

}  // namespace kakanai::server
