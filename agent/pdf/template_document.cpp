#include "pdf/template_document.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

namespace kakanai::pdf {

using namespace PoDoFo;

namespace {

// Deeper than any real pages tree; a deeper one is a template error, not a stack overflow.
constexpr std::size_t kMaxTreeDepth = 64;

Error invalid(const std::string& why) { return Error::of(ErrorCode::TemplateInvalid, why); }

// PoDoFo logs parsing details (each trailer it reads) to stderr, which is the agent's log.
void silencePodofo() {
  static std::once_flag once;
  std::call_once(once, [] {
    PdfError::EnableDebug(false);
    PdfError::EnableLogging(false);
  });
}

struct Rect {
  double llx = 0, lly = 0, urx = 0, ury = 0;
};

// A trailer (or xref stream) that names an encryption dictionary.
bool looksEncrypted(const std::string& bytes) {
  const std::size_t from = bytes.size() > 65536 ? bytes.size() - 65536 : 0;
  return bytes.find("/Encrypt", from) != std::string::npos;
}

std::optional<Rect> rectOf(const TemplateDocument& d, const PdfObject* o) {
  o = d.resolve(o);
  if (o == nullptr || !o->IsArray() || o->GetArray().size() != 4) return std::nullopt;
  double v[4];
  for (std::size_t i = 0; i < 4; ++i) {
    const PdfObject* n = d.resolve(&o->GetArray()[i]);
    if (n == nullptr || !(n->IsReal() || n->IsNumber())) return std::nullopt;
    v[i] = n->GetReal();
    if (!std::isfinite(v[i])) return std::nullopt;
  }
  return Rect{std::min(v[0], v[2]), std::min(v[1], v[3]), std::max(v[0], v[2]), std::max(v[1], v[3])};
}

PageGeometry geometryOf(const Rect& media, const Rect& crop, int rotate) {
  PageGeometry g;
  g.rotate = rotate;
  const double w = crop.urx - crop.llx, h = crop.ury - crop.lly;
  const bool sideways = rotate == 90 || rotate == 270;
  g.width = sideways ? h : w;
  g.height = sideways ? w : h;
  g.mediaWidth = sideways ? media.ury - media.lly : media.urx - media.llx;
  g.mediaHeight = sideways ? media.urx - media.llx : media.ury - media.lly;
  // (u, v): displayed coordinates with the origin at the displayed bottom-left of the CropBox.
  const double m0[6] = {1, 0, 0, 1, crop.llx, crop.lly};
  const double m90[6] = {0, 1, -1, 0, crop.urx, crop.lly};
  const double m180[6] = {-1, 0, 0, -1, crop.urx, crop.ury};
  const double m270[6] = {0, -1, 1, 0, crop.llx, crop.ury};
  const double* m = rotate == 90 ? m90 : rotate == 180 ? m180 : rotate == 270 ? m270 : m0;
  std::copy(m, m + 6, g.toUser);
  return g;
}

// The offset `startxref` names, and whether a classic table ("xref") or a stream is there.
struct PreviousXref {
  long long offset = -1;
  bool stream = false;
};

std::optional<PreviousXref> previousXref(const std::string& bytes) {
  const std::size_t tail = bytes.size() > 2048 ? bytes.size() - 2048 : 0;
  const std::size_t at = bytes.rfind("startxref");
  if (at == std::string::npos || at < tail) return std::nullopt;
  std::size_t i = at + 9;
  while (i < bytes.size() && std::isspace(static_cast<unsigned char>(bytes[i]))) ++i;
  long long offset = 0;
  std::size_t digits = 0;
  for (; i < bytes.size() && std::isdigit(static_cast<unsigned char>(bytes[i])) && digits < 15; ++i, ++digits) {
    offset = offset * 10 + (bytes[i] - '0');
  }
  if (digits == 0 || offset <= 0 || static_cast<std::size_t>(offset) >= bytes.size()) return std::nullopt;
  const std::string_view there(bytes.data() + offset, std::min<std::size_t>(64, bytes.size() - offset));
  if (there.rfind("xref", 0) == 0) return PreviousXref{offset, false};
  // "N G obj" opening the xref stream.
  std::size_t k = 0;
  int numbers = 0;
  while (k < there.size() && numbers < 2) {
    if (!std::isdigit(static_cast<unsigned char>(there[k]))) return std::nullopt;
    while (k < there.size() && std::isdigit(static_cast<unsigned char>(there[k]))) ++k;
    while (k < there.size() && std::isspace(static_cast<unsigned char>(there[k]))) ++k;
    ++numbers;
  }
  if (numbers == 2 && there.substr(k, 3) == "obj") return PreviousXref{offset, true};
  return std::nullopt;
}

// Whether the template's last trailer (the dictionary after "trailer", or the xref stream's)
// names an /Info: PoDoFo adds one of its own to a template that has none.
bool lastTrailerHasInfo(const std::string& bytes, const PreviousXref& prev) {
  const std::size_t from = static_cast<std::size_t>(prev.offset);
  const std::size_t end = bytes.find(prev.stream ? "stream" : "startxref", from);
  const std::size_t dict = prev.stream ? from : bytes.find("trailer", from);
  if (end == std::string::npos || dict == std::string::npos || dict > end) return true;
  return bytes.find("/Info", dict) < end;
}

void put(std::string& out, const PdfObject& o, PdfEncrypt* encrypt) {
  PdfRefCountedBuffer buffer;
  PdfOutputDevice device(&buffer);
  o.WriteObject(&device, ePdfWriteMode_Compact, encrypt);
  out.append(buffer.GetBuffer(), device.GetLength());
}

std::string serialised(const PdfObject& value) {
  std::string s;
  value.ToString(s, ePdfWriteMode_Compact);
  return s;
}

// Consecutive runs of object numbers: [first, count] pairs.
std::vector<std::pair<unsigned, unsigned>> runsOf(const std::map<PdfReference, long long>& offsets) {
  std::vector<std::pair<unsigned, unsigned>> runs;
  for (const auto& [ref, _] : offsets) {
    if (!runs.empty() && runs.back().first + runs.back().second == ref.ObjectNumber()) {
      ++runs.back().second;
    } else {
      runs.push_back({ref.ObjectNumber(), 1});
    }
  }
  return runs;
}

// The trailer keys an update repeats: the document, its information, its identity, its key.
// PoDoFo gives a template without /Info one of its own at load (numbered from the template's
// /Size, never written): a reference to an object the template does not have is left out.
std::string trailerKeys(const PdfObject* trailer, unsigned templateSize, bool templateHasInfo, unsigned size, long long prev) {
  std::string s = "/Size " + std::to_string(size);
  for (const char* key : {"Root", "Info", "ID", "Encrypt"}) {
    const PdfObject* v = trailer->GetDictionary().GetKey(PdfName(key));
    if (v == nullptr || (v->IsReference() && v->GetReference().ObjectNumber() >= templateSize)) continue;
    if (std::strcmp(key, "Info") == 0 && !templateHasInfo) continue;
    s += std::string("/") + key + " " + serialised(*v);
  }
  return s + "/Prev " + std::to_string(prev);
}

void appendClassicXref(std::string& out, const std::map<PdfReference, long long>& offsets, const std::string& keys) {
  const std::size_t start = out.size();
  out += "xref\n";
  auto it = offsets.begin();
  char line[32];
  for (const auto& [first, count] : runsOf(offsets)) {
    out += std::to_string(first) + " " + std::to_string(count) + "\n";
    for (unsigned k = 0; k < count; ++k, ++it) {
      std::snprintf(line, sizeof line, "%010lld %05u n\r\n", it->second, static_cast<unsigned>(it->first.GenerationNumber()));
      out += line;
    }
  }
  out += "trailer\n<<" + keys + ">>\nstartxref\n" + std::to_string(start) + "\n%%EOF\n";
}

void appendXrefStream(std::string& out, std::map<PdfReference, long long> offsets, unsigned number, const std::string& keys) {
  const long long start = static_cast<long long>(out.size());
  offsets[PdfReference(number, 0)] = start;
  std::string data;
  for (const auto& [ref, offset] : offsets) {
    data += '\x01';
    for (int shift = 24; shift >= 0; shift -= 8) data += static_cast<char>((offset >> shift) & 0xFF);
    data += static_cast<char>((ref.GenerationNumber() >> 8) & 0xFF);
    data += static_cast<char>(ref.GenerationNumber() & 0xFF);
  }
  std::string index;
  for (const auto& [first, count] : runsOf(offsets)) index += std::to_string(first) + " " + std::to_string(count) + " ";
  index.pop_back();
  out += std::to_string(number) + " 0 obj\n<</Type/XRef/W[1 4 2]/Index[" + index + "]" + keys +
         "/Length " + std::to_string(data.size()) + ">>\nstream\n" + data + "\nendstream\nendobj\n";
  out += "startxref\n" + std::to_string(start) + "\n%%EOF\n";
}

}  // namespace

std::string describe(const PdfError& e) {
  const char* what = PdfError::ErrorMessage(e.GetError());
  std::string s = what != nullptr ? what : "PDF error";
  const auto& calls = e.GetCallstack();
  if (!calls.empty() && !calls.front().GetInformation().empty()) s += " (" + calls.front().GetInformation() + ")";
  return s;
}

void PageGeometry::displayed(double x, double y, double& u, double& vDown) const {
  const double* m = toUser;
  // toUser is a rotation plus a translation, so its inverse is its transpose.
  u = m[0] * (x - m[4]) + m[1] * (y - m[5]);
  const double v = m[2] * (x - m[4]) + m[3] * (y - m[5]);
  vDown = height - v;
}

Result<std::unique_ptr<TemplateDocument>> TemplateDocument::load(const std::string& path) {
  silencePodofo();
  std::unique_ptr<TemplateDocument> d(new TemplateDocument());
  std::ifstream in(path, std::ios::binary);
  if (!in) return invalid("template cannot be read: " + path);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  d->bytes_ = bytes.str();
  try {
    d->doc_.LoadFromBuffer(d->bytes_.data(), static_cast<long>(d->bytes_.size()));
    d->doc_.GetObjects().SetCanReuseObjectNumbers(false);  // new objects get new numbers
    // PoDoFo opens an owner-password-only file, but cannot always write into it (OpenSSL 3 has
    // no RC4 by default; its AES writing fails): decrypting belongs to template intake.
    const PdfEncrypt* encrypt = d->doc_.GetEncrypt();
    if (encrypt != nullptr && !encrypt->IsPrintAllowed()) {
      return Error::of(ErrorCode::TemplateEncrypted, path + ": the template's permissions forbid printing");
    }
    if (encrypt != nullptr) {
      return Error::of(ErrorCode::TemplateEncrypted, path + ": the template is encrypted: import it first (template import decrypts it)");
    }
    if (d->doc_.GetCatalog() == nullptr || !d->doc_.GetCatalog()->IsDictionary()) return invalid(path + ": no document catalog");
    KAKANAI_TRY(d->walkPages());
    KAKANAI_TRY(d->measurePages());
  } catch (const PdfError& e) {
    if (e.GetError() == ePdfError_InvalidPassword) {
      return Error::of(ErrorCode::TemplateEncrypted, path + ": the template needs a password to open");
    }
    if (e.GetError() == ePdfError_UnsupportedFilter || e.GetError() == ePdfError_InvalidEncryptionDict) {
      return Error::of(ErrorCode::TemplateEncrypted, path + ": unsupported encryption: " + describe(e));
    }
    if (looksEncrypted(d->bytes_)) {
      return Error::of(ErrorCode::TemplateEncrypted, path + ": the template is encrypted and cannot be opened: " + describe(e));
    }
    return invalid(path + ": " + describe(e));
  } catch (const std::exception& e) {
    return invalid(path + ": " + e.what());
  }
  return d;
}

Status TemplateDocument::walkPages() {
  PdfObject* root = get(doc_.GetCatalog(), "Pages");
  if (root == nullptr || !root->IsDictionary()) return invalid("the document has no pages tree");
  std::set<const PdfObject*> seen;
  // Depth-first, in order; each entry is a node and its parents (nearest first).
  std::vector<std::pair<PdfObject*, std::vector<PdfObject*>>> stack{{root, {}}};
  while (!stack.empty()) {
    auto [node, parents] = std::move(stack.back());
    stack.pop_back();
    if (!seen.insert(node).second) return invalid("the pages tree has a cycle or a shared node");
    if (parents.size() > kMaxTreeDepth) return invalid("the pages tree is too deep");
    PdfObject* kids = get(node, "Kids");
    const PdfObject* type = get(node, "Type");
    const bool isPage = (type != nullptr && type->IsName() && type->GetName().GetName() == "Page") ||
                        (kids == nullptr && node != root);
    if (isPage) {
      pages_.push_back({node, parents, {}});
      continue;
    }
    if (kids == nullptr || !kids->IsArray()) continue;  // an empty intermediate node
    std::vector<PdfObject*> childParents{node};
    childParents.insert(childParents.end(), parents.begin(), parents.end());
    const PdfArray& list = kids->GetArray();
    for (auto it = list.rbegin(); it != list.rend(); ++it) {
      PdfObject* kid = resolve(const_cast<PdfObject*>(&*it));
      if (kid == nullptr || !kid->IsDictionary()) return invalid("the pages tree has a kid that is not a page");
      stack.push_back({kid, childParents});
    }
  }
  if (pages_.empty()) return invalid("the document has no pages");
  return okStatus();
}

Status TemplateDocument::measurePages() {
  for (int i = 0; i < pageCount(); ++i) {
    auto media = rectOf(*this, inherited(i, "MediaBox"));
    if (!media || media->urx - media->llx < 1 || media->ury - media->lly < 1) {
      return invalid("page " + std::to_string(i + 1) + " has no usable MediaBox");
    }
    Rect crop = *media;
    if (auto c = rectOf(*this, inherited(i, "CropBox"))) {
      // Viewers and printers show the CropBox clipped to the MediaBox.
      crop = {std::max(c->llx, media->llx), std::max(c->lly, media->lly), std::min(c->urx, media->urx), std::min(c->ury, media->ury)};
      if (crop.urx - crop.llx < 1 || crop.ury - crop.lly < 1) crop = *media;
    }
    long long rotate = 0;
    if (const PdfObject* r = resolve(inherited(i, "Rotate")); r != nullptr && r->IsNumber()) rotate = r->GetNumber();
    rotate = ((rotate % 360) + 360) % 360;
    if (rotate % 90 != 0) rotate = 0;  // as viewers do
    pages_[static_cast<std::size_t>(i)].geometry = geometryOf(*media, crop, static_cast<int>(rotate));
  }
  return okStatus();
}

PdfObject* TemplateDocument::inherited(int index, const char* key) const {
  const Page& p = pages_.at(static_cast<std::size_t>(index));
  if (PdfObject* v = p.object->GetDictionary().GetKey(PdfName(key))) return v;
  for (PdfObject* parent : p.parents) {
    if (PdfObject* v = parent->GetDictionary().GetKey(PdfName(key))) return v;
  }
  return nullptr;
}

int TemplateDocument::pageIndexOf(const PdfReference& ref) const {
  for (std::size_t i = 0; i < pages_.size(); ++i) {
    if (pages_[i].object->Reference() == ref) return static_cast<int>(i);
  }
  return -1;
}

PdfObject* TemplateDocument::resolve(PdfObject* o) const {
  if (o != nullptr && o->IsReference()) return const_cast<PdfMemDocument&>(doc_).GetObjects().GetObject(o->GetReference());
  return o;
}

const PdfObject* TemplateDocument::resolve(const PdfObject* o) const { return resolve(const_cast<PdfObject*>(o)); }

PdfObject* TemplateDocument::get(PdfObject* o, const char* key) const {
  o = resolve(o);
  if (o == nullptr || !o->IsDictionary()) return nullptr;
  return resolve(o->GetDictionary().GetKey(PdfName(key)));
}

const PdfObject* TemplateDocument::get(const PdfObject* o, const char* key) const { return get(const_cast<PdfObject*>(o), key); }

PdfObject* TemplateDocument::create(const PdfDictionary& dict) {
  PdfObject* o = doc_.GetObjects().CreateObject(dict);
  changed_.insert(o->Reference());
  return o;
}

PdfObject* TemplateDocument::create(const char* type) {
  PdfObject* o = doc_.GetObjects().CreateObject(type);
  changed_.insert(o->Reference());
  return o;
}

void TemplateDocument::changed(const PdfObject* o) {
  if (o != nullptr && o->Reference().IsIndirect()) changed_.insert(o->Reference());
}

Result<Bytes> TemplateDocument::incrementalUpdate() const {
  const auto prev = previousXref(bytes_);
  if (!prev) return invalid("the template's cross-reference offset is wrong: import the template to repair it");
  try {
    std::string out = bytes_;
    if (out.empty() || out.back() != '\n') out += '\n';
    auto* encrypt = const_cast<PdfEncrypt*>(doc_.GetEncrypt());
    std::map<PdfReference, long long> offsets;
    unsigned size = 0;
    if (const PdfObject* s = doc_.GetTrailer()->GetDictionary().GetKey("Size"); s != nullptr && s->IsNumber()) {
      size = static_cast<unsigned>(std::clamp<pdf_int64>(s->GetNumber(), 0, 8388607));
    }
    const unsigned templateSize = size;
    const bool info = lastTrailerHasInfo(bytes_, *prev);
    for (const PdfReference& ref : changed_) {
      const PdfObject* o = const_cast<PdfMemDocument&>(doc_).GetObjects().GetObject(ref);
      if (o == nullptr) continue;
      offsets[ref] = static_cast<long long>(out.size());
      put(out, *o, encrypt);
      size = std::max(size, ref.ObjectNumber() + 1);
    }
    if (prev->stream) {
      appendXrefStream(out, offsets, size, trailerKeys(doc_.GetTrailer(), templateSize, info, size + 1, prev->offset));
    } else {
      appendClassicXref(out, offsets, trailerKeys(doc_.GetTrailer(), templateSize, info, size, prev->offset));
    }
    return Bytes(out.begin(), out.end());
  } catch (const PdfError& e) {
    return invalid("the update cannot be written: " + describe(e));
  }
}

Result<Bytes> TemplateDocument::fullRewrite() {
  try {
    // No timestamps, no producer: same inputs give the same bytes (PoDoFo derives /ID from them).
    PdfObject* info = doc_.GetTrailer()->GetIndirectKey("Info");
    if (info != nullptr && info->IsDictionary()) {
      info->GetDictionary().RemoveKey("CreationDate");
      info->GetDictionary().RemoveKey("ModDate");
      info->GetDictionary().RemoveKey("Producer");
    }
    PdfRefCountedBuffer buffer;
    PdfOutputDevice device(&buffer);
    doc_.Write(&device);
    const auto* data = reinterpret_cast<const std::uint8_t*>(buffer.GetBuffer());
    return Bytes(data, data + device.GetLength());
  } catch (const PdfError& e) {
    return invalid("the document cannot be written: " + describe(e));
  }
}

}  // namespace kakanai::pdf
