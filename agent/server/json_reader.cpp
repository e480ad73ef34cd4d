#include "server/json_reader.h"

#include <cstdint>

#include "core/bytes.h"

namespace kakanai::server {

namespace {

constexpr int kMaxDepth = 64;

class Reader {
 public:
  explicit Reader(std::string_view text) : s_(text) {}

  Result<JsonValue> document() {
    JsonValue v;
    if (!value(v, 0)) return fail();
    skipSpace();
    if (pos_ != s_.size()) return fail();
    return v;
  }

 private:
  static Error fail() { return Error::of(ErrorCode::BadRequest, "not a JSON text"); }

  void skipSpace() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }
  bool literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  bool value(JsonValue& out, int depth) {
    if (depth > kMaxDepth) return false;
    skipSpace();
    if (pos_ >= s_.size()) return false;
    switch (s_[pos_]) {
      case '{': return object(out, depth);
      case '[': return array(out, depth);
      case '"': out.kind = JsonKind::String; return string(out.text);
      case 't': out.kind = JsonKind::Boolean; out.boolean = true; return literal("true");
      case 'f': out.kind = JsonKind::Boolean; return literal("false");
      case 'n': out.kind = JsonKind::Null; return literal("null");
      default: out.kind = JsonKind::Number; return number(out.text);
    }
  }

  bool object(JsonValue& out, int depth) {
    out.kind = JsonKind::Object;
    ++pos_;
    skipSpace();
    if (pos_ < s_.size() && s_[pos_] == '}') return ++pos_, true;
    while (true) {
      skipSpace();
      SecretText key;
      if (pos_ >= s_.size() || s_[pos_] != '"' || !string(key)) return false;
      skipSpace();
      if (pos_ >= s_.size() || s_[pos_++] != ':') return false;
      // Two members of one name would let two readers of the frame see two requests.
      if (out.find(key.view()) != nullptr) return false;
      out.members.emplace_back(std::string(key.view()), JsonValue{});
      if (!value(out.members.back().second, depth + 1)) return false;
      skipSpace();
      if (pos_ >= s_.size()) return false;
      const char c = s_[pos_++];
      if (c == '}') return true;
      if (c != ',') return false;
    }
  }

  bool array(JsonValue& out, int depth) {
    out.kind = JsonKind::Array;
    ++pos_;
    skipSpace();
    if (pos_ < s_.size() && s_[pos_] == ']') return ++pos_, true;
    while (true) {
      out.items.emplace_back();
      if (!value(out.items.back(), depth + 1)) return false;
      skipSpace();
      if (pos_ >= s_.size()) return false;
      const char c = s_[pos_++];
      if (c == ']') return true;
      if (c != ',') return false;
    }
  }

  bool digits() {
    const std::size_t start = pos_;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    return pos_ > start;
  }

  // The grammar of RFC 8259 §6; the literal is kept as written.
  bool number(SecretText& out) {
    const std::size_t start = pos_;
    if (pos_ < s_.size() && s_[pos_] == '-') ++pos_;
    if (pos_ < s_.size() && s_[pos_] == '0') {
      ++pos_;
    } else if (!digits()) {
      return false;
    }
    if (pos_ < s_.size() && s_[pos_] == '.' && (++pos_, !digits())) return false;
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      if (!digits()) return false;
    }
    out.append(s_.substr(start, pos_ - start));
    return true;
  }

  bool hex4(std::uint32_t& v) {
    if (pos_ + 4 > s_.size()) return false;
    v = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = s_[pos_++];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= static_cast<std::uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') v |= static_cast<std::uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= static_cast<std::uint32_t>(c - 'A' + 10);
      else return false;
    }
    return true;
  }

  static void appendUtf8(SecretText& out, std::uint32_t cp) {
    char b[4];
    std::size_t n = 0;
    if (cp < 0x80) {
      b[n++] = static_cast<char>(cp);
    } else if (cp < 0x800) {
      b[n++] = static_cast<char>(0xC0 | (cp >> 6));
      b[n++] = static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      b[n++] = static_cast<char>(0xE0 | (cp >> 12));
      b[n++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      b[n++] = static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      b[n++] = static_cast<char>(0xF0 | (cp >> 18));
      b[n++] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      b[n++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      b[n++] = static_cast<char>(0x80 | (cp & 0x3F));
    }
    out.append(std::string_view(b, n));
    secureWipe(b, sizeof b);
  }

  bool escape(SecretText& out) {
    if (pos_ >= s_.size()) return false;
    const char c = s_[pos_++];
    switch (c) {
      case '"': out.append("\""); return true;
      case '\\': out.append("\\"); return true;
      case '/': out.append("/"); return true;
      case 'b': out.append("\b"); return true;
      case 'f': out.append("\f"); return true;
      case 'n': out.append("\n"); return true;
      case 'r': out.append("\r"); return true;
      case 't': out.append("\t"); return true;
      case 'u': break;
      default: return false;
    }
    std::uint32_t cp = 0;
    if (!hex4(cp)) return false;
    if (cp >= 0xDC00 && cp <= 0xDFFF) return false;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      std::uint32_t low = 0;
      if (!literal("\\u") || !hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    appendUtf8(out, cp);
    return true;
  }

  bool string(SecretText& out) {
    ++pos_;  // the opening quote
    std::size_t run = pos_;
    auto flush = [&] { out.append(s_.substr(run, pos_ - run)); };
    while (pos_ < s_.size()) {
      const auto c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        flush();
        ++pos_;
        return isValidUtf8(out.bytes());
      }
      if (c < 0x20) return false;
      if (c == '\\') {
        flush();
        ++pos_;
        if (!escape(out)) return false;
        run = pos_;
        continue;
      }
      ++pos_;
    }
    return false;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace

const JsonValue* JsonValue::find(std::string_view key) const {
  for (const auto& [k, v] : members) {
    if (k == key) return &v;
  }
  return nullptr;
}

std::string_view jsonKindName(JsonKind kind) {
  switch (kind) {
    case JsonKind::Null: return "null";
    case JsonKind::Boolean: return "boolean";
    case JsonKind::Number: return "number";
    case JsonKind::String: return "string";
    case JsonKind::Array: return "array";
    case JsonKind::Object: return "object";
  }
  return "value";
}

Result<JsonValue> readJson(std::string_view text) { return Reader(text).document(); }

}  // namespace kakanai::server
