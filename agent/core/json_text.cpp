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
