#include "template/qpdf_reading.h"

#include <qpdf/QPDFAcroFormDocumentHelper.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFFormFieldObjectHelper.hh>
#include <qpdf/QPDFXRefEntry.hh>

#include <exception>
#include <map>
#include <set>
#include <fstream>

namespace kakanai::template_intake::engine {

Outcome refusal(Refusal why, const std::string& sentence, const std::string& detail) { return Outcome{why, sentence, detail}; }

const char* const kDamaged = "PDFが壊れていて修復できません。元の帳票からPDFを書き出し直してください。";

namespace {

bool startsLikePdf(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string head(1024, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head.find("%PDF-") != std::string::npos;  // leading junk before the header is common
}

// A pages tree with a loop (a /Kids entry pointing back up) has no page list libqpdf will give.
// Rebuilt flat: every page reached once, depth first, with what it inherited on the way down.
void collectPages(QPDFObjectHandle node, std::set<QPDFObjGen>& seen, std::map<std::string, QPDFObjectHandle> inherited,
                  std::vector<QPDFObjectHandle>& pages) {
  if (!node.isDictionary() || (node.isIndirect() && !seen.insert(node.getObjGen()).second)) return;
  for (const char* key : {"/MediaBox", "/CropBox", "/Resources", "/Rotate"}) {
    if (node.hasKey(key)) inherited[key] = node.getKey(key);
  }
  QPDFObjectHandle kids = node.getKey("/Kids");
  if (!kids.isArray()) {
    for (const auto& [key, value] : inherited) {
      if (!node.hasKey(key)) node.replaceKey(key, value);
    }
    pages.push_back(node);
    return;
  }
  for (int i = 0; i < kids.getArrayNItems(); ++i) collectPages(kids.getArrayItem(i), seen, inherited, pages);
}

bool rebuildPagesTree(QPDF& pdf) {
  std::set<QPDFObjGen> seen;
  std::vector<QPDFObjectHandle> pages;
  collectPages(pdf.getRoot().getKey("/Pages"), seen, {}, pages);
  if (pages.empty()) return false;
  QPDFObjectHandle root = pdf.makeIndirectObject(QPDFObjectHandle::newDictionary());
  root.replaceKey("/Type", QPDFObjectHandle::newName("/Pages"));
  root.replaceKey("/Kids", QPDFObjectHandle::newArray(pages));
  root.replaceKey("/Count", QPDFObjectHandle::newInteger(static_cast<long long>(pages.size())));
  for (auto& page : pages) {
    page.replaceKey("/Type", QPDFObjectHandle::newName("/Page"));
    page.replaceKey("/Parent", root);
  }
  pdf.getRoot().replaceKey("/Pages", root);
  pdf.updateAllPagesCache();
  pdf.warn(QPDFExc(qpdf_e_damaged_pdf, pdf.getFilename(), "pages tree", 0, "loop in the pages tree; rebuilt with each page once"));
  return true;
}

std::size_t pageCount(QPDF& pdf) {
  try {
    return pdf.getAllPages().size();
  } catch (const QPDFExc& e) {
    if (std::string(e.what()).find("Loop detected") == std::string::npos || !rebuildPagesTree(pdf)) throw;
    return pdf.getAllPages().size();
  }
}

}  // namespace

OpenedPdf openPdf(const std::filesystem::path& file) {
  OpenedPdf out;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    out.failure = refusal(Refusal::Invalid, "ファイルが見つかりません。", file.string());
    return out;
  }
  if (!startsLikePdf(file)) {
    out.failure = refusal(Refusal::Invalid, "PDFファイルではありません。帳票をPDFで書き出してから取り込んでください。");
    return out;
  }
  out.pdf = std::make_unique<QPDF>();
  out.pdf->setSuppressWarnings(true);
  out.pdf->setAttemptRecovery(true);
  try {
    out.pdf->processFile(file.c_str());
    if (pageCount(*out.pdf) == 0) out.failure = refusal(Refusal::Invalid, "ページがひとつもないPDFです。帳票のPDFを確認してください。");
  } catch (const QPDFExc& e) {
    if (e.getErrorCode() == qpdf_e_password) {
      out.pdf.reset();
      out.needsPassword = true;
      return out;
    }
    out.failure = refusal(Refusal::Invalid, kDamaged, e.what());
  } catch (const std::exception& e) {
    out.failure = refusal(Refusal::Invalid, kDamaged, e.what());
  }
  return out;
}

std::vector<std::string> takeWarnings(QPDF& pdf) {
  std::vector<std::string> out;
  for (const auto& w : pdf.getWarnings()) out.push_back(w.getMessageDetail());
  return out;
}

bool hasSignature(QPDF& pdf) {
  QPDFObjectHandle perms = pdf.getRoot().getKey("/Perms");
  if (perms.isDictionary() && perms.hasKey("/DocMDP")) return true;
  QPDFAcroFormDocumentHelper form(pdf);
  if (!form.hasAcroForm()) return false;
  for (auto& field : form.getFormFields()) {
    if (field.getFieldType() != "/Sig") continue;
    if (field.getInheritableFieldValue("/V").isDictionary()) return true;
  }
  return false;
}

bool printAllowed(QPDF& pdf) { return !pdf.isEncrypted() || pdf.allowPrintLowRes() || pdf.allowPrintHighRes(); }

bool hasObjectStreams(QPDF& pdf) {
  for (const auto& [_, entry] : pdf.getXRefTable()) {
    if (entry.getType() == 2) return true;  // an object stored inside an object stream
  }
  return false;
}

}  // namespace kakanai::template_intake::engine
