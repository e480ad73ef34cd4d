#include "core/json_text.h"

namespace kakanai {

void appendJsonString(SecretText& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.append("\"");
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"') {
      out.append("\\\"");
    } else if (c == '\\') {
      out.append("\\\\");
    } else if (c < 0x20) {
      const char esc[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
      out.append(std::string_view(esc, sizeof esc));
    } else {
      out.append(std::string_view(&ch, 1));
    }
  }
  out.append("\"");
}

void appendBase64(SecretText& out, ByteView data) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  char chunk[4];
  std::size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    const std::uint32_t v = static_cast<std::uint32_t>(data[i] << 16 | data[i + 1] << 8 | data[i + 2]);
    chunk[0] = kAlphabet[v >> 18];
    chunk[1] = kAlphabet[(v >> 12) & 63];
    chunk[2] = kAlphabet[(v >> 6) & 63];
    chunk[3] = kAlphabet[v & 63];
    out.append(std::string_view(chunk, 4));
  }
  if (i < data.size()) {
    const std::uint32_t v = static_cast<std::uint32_t>(data[i] << 16 | (i + 1 < data.size() ? data[i + 1] << 8 : 0));
    chunk[0] = kAlphabet[v >> 18];
    chunk[1] = kAlphabet[(v >> 12) & 63];
    chunk[2] = i + 1 < data.size() ? kAlphabet[(v >> 6) & 63] : '=';
    chunk[3] = '=';
    out.append(std::string_view(chunk, 4));
  }
}

void appendPersonJson(SecretText& out, const Person& p) {
  out.append("{\"name\":");
  appendJsonString(out, p.name.view());
  out.append(",\"address\":");
  appendJsonString(out, p.address.view());
  out.append(",\"birthDate\":");
  appendJsonString(out, p.birthDate.view());
  out.append(",\"sex\":");
  appendJsonString(out, sexName(p.sex));
  if (p.myNumber) {
    out.append(",\"myNumber\":");
    appendJsonString(out, p.myNumber->view());
  }
  out.append("}");
}

}  // namespace kakanai
