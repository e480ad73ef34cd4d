// Import's libqpdf half: refuse what cannot be used, normalise the rest, write it to staging.
#include <qpdf/QPDFAcroFormDocumentHelper.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include <exception>

#include "template/qpdf_reading.h"

namespace kakanai::template_intake::engine {

namespace {

bool anyPageInherits(QPDF& pdf) {
  for (QPDFObjectHandle page : pdf.getAllPages()) {
    for (const char* key : {"/MediaBox", "/Resources"}) {
      if (!page.hasKey(key)) return true;
    }
  }
  return false;
}

// The signature's value goes, and with it its drawing (a signature image no longer backed by a
// signature must not print) and what certifies the document.
void dropSignatures(QPDF& pdf) {
  pdf.getRoot().removeKey("/Perms");
  QPDFAcroFormDocumentHelper form(pdf);
  if (!form.hasAcroForm()) return;
  for (auto& field : form.getFormFields()) {
    if (field.getFieldType() != "/Sig") continue;
    field.getObjectHandle().removeKey("/V");
    for (auto& widget : form.getAnnotationsForField(field)) widget.getObjectHandle().removeKey("/AP");
  }
  QPDFObjectHandle acro = pdf.getRoot().getKey("/AcroForm");
  if (acro.isDictionary()) acro.removeKey("/SigFlags");
}

Outcome refuseWhatCannotBeUsed(QPDF& pdf, const IntakeOptions& options, IntakeReport& report) {
  if (!printAllowed(pdf)) {
    return refusal(Refusal::Encrypted,
                   "印刷が許可されていないPDFです。作成元から印刷を許可したPDF（またはパスワードのないPDF）を入手してください。");
  }
  if (pdf.isEncrypted()) report.done.push_back("暗号化（所有者パスワードのみ・印刷可）を解除しました。");
  if (!hasSignature(pdf)) return {};
  if (!options.dropSignature) {
    return refusal(Refusal::Signed,
                   "電子署名付きのPDFです。記入すると署名が壊れるため、このままでは使えません。署名を外してよい帳票なら "
                   "--drop-signature を付けて取り込んでください。");
  }
  dropSignatures(pdf);
  report.warnings.push_back("電子署名を取り除きました。印刷される帳票は署名のない写しです。");
  return {};
}

void normaliseDocument(QPDF& pdf, IntakeReport& report) {
  if (anyPageInherits(pdf)) {
    QPDFPageDocumentHelper(pdf).pushInheritedAttributesToPage();
    report.done.push_back("親から受け継いでいたページの属性（用紙・リソース・回転）を各ページに書き込みました。");
  }
  QPDFAcroFormDocumentHelper form(pdf);
  if (form.hasAcroForm() && form.getNeedAppearances()) {
    form.generateAppearancesIfNeeded();
    report.done.push_back("表示の無かった記入済みの欄に表示を作成しました（NeedAppearances）。");
  }
  QPDFObjectHandle perms = pdf.getRoot().getKey("/Perms");
  if (perms.isDictionary() && perms.hasKey("/UR3")) {
    perms.removeKey("/UR3");
    report.done.push_back("Adobe Readerの利用権限（UR3）を外しました（変更したファイルでは無効になるため）。");
  }
}

void write(QPDF& pdf, const std::filesystem::path& to) {
  QPDFWriter writer(pdf, to.c_str());
  writer.setPreserveEncryption(false);
  writer.setObjectStreamMode(qpdf_o_preserve);
  writer.setLinearization(false);
  writer.write();
}

}  // namespace

Outcome normalise(const std::filesystem::path& in, const std::filesystem::path& staging, const IntakeOptions& options,
                  IntakeReport& report) {
  OpenedPdf opened = openPdf(in);
  if (opened.failure.refusal != Refusal::None) return opened.failure;
  if (opened.needsPassword) {
    return refusal(Refusal::Encrypted, "開くのにパスワードが必要なPDFです。作成元からパスワードのないPDFを入手してください。");
  }
  QPDF& pdf = *opened.pdf;
  try {
    report.repairs = takeWarnings(pdf);
    Outcome refused = refuseWhatCannotBeUsed(pdf, options, report);
    if (refused.refusal != Refusal::None) return refused;
    normaliseDocument(pdf, report);
    report.pages = static_cast<int>(pdf.getAllPages().size());
    write(pdf, staging);
    for (auto& w : takeWarnings(pdf)) report.repairs.push_back(std::move(w));
  } catch (const std::exception& e) {
    return refusal(Refusal::Invalid, kDamaged, e.what());
  }
  if (!report.repairs.empty()) {
    report.done.push_back("壊れていた箇所を修復しました（" + std::to_string(report.repairs.size()) + "件）。印刷して確認してください。");
  }
  return {};
}

}  // namespace kakanai::template_intake::engine
