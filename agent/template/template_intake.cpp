// Import: refuse what cannot be used, normalise the rest with libqpdf, write it next to its
// destination and move it into place only once the writer has opened it.
#include "template/template_intake.h"

#include <qpdf/QPDFAcroFormDocumentHelper.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include <exception>

#include "pdf/form_pdf_writer.h"
#include "template/qpdf_reading.h"

namespace kakanai::template_intake {

namespace {

const char* const kDamaged = "PDFが壊れていて修復できません。元の帳票からPDFを書き出し直してください。";

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

Status refuseWhatCannotBeUsed(QPDF& pdf, const IntakeOptions& options, IntakeReport& report) {
  if (!printAllowed(pdf)) {
    return refusal(ErrorCode::TemplateEncrypted,
                   "印刷が許可されていないPDFです。作成元から印刷を許可したPDF（またはパスワードのないPDF）を入手してください。");
  }
  if (pdf.isEncrypted()) report.done.push_back("暗号化（所有者パスワードのみ・印刷可）を解除しました。");
  if (!hasSignature(pdf)) return okStatus();
  if (!options.dropSignature) {
    return refusal(ErrorCode::TemplateSigned,
                   "電子署名付きのPDFです。記入すると署名が壊れるため、このままでは使えません。署名を外してよい帳票なら "
                   "--drop-signature を付けて取り込んでください。");
  }
  dropSignatures(pdf);
  report.warnings.push_back("電子署名を取り除きました。印刷される帳票は署名のない写しです。");
  return okStatus();
}

void normalise(QPDF& pdf, IntakeReport& report) {
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

Status write(QPDF& pdf, const std::filesystem::path& to) {
  QPDFWriter writer(pdf, to.c_str());
  writer.setPreserveEncryption(false);
  writer.setObjectStreamMode(qpdf_o_preserve);
  writer.setLinearization(false);
  writer.write();
  return okStatus();
}

// The PoDoFo writer must open what qpdf wrote, with the page count qpdf saw.
Status checkWritable(const std::filesystem::path& file, int pages) {
  auto writer = pdf::FormPdfWriter::open(file.string());
  if (!writer) {
    return refusal(writer.error().code == ErrorCode::TemplateEncrypted ? ErrorCode::TemplateEncrypted : ErrorCode::TemplateInvalid,
                   "取り込んだPDFを記入用に開けませんでした。元の帳票からPDFを書き出し直してください。", writer.error().diagnostic);
  }
  if ((*writer)->pageCount() != pages) {
    return refusal(ErrorCode::TemplateInvalid, "ページ数を確定できないPDFです。元の帳票からPDFを書き出し直してください。",
                   std::to_string((*writer)->pageCount()) + " pages read back, " + std::to_string(pages) + " written");
  }
  return okStatus();
}

Result<IntakeReport> normaliseInto(QPDF& pdf, const std::filesystem::path& staging, const IntakeOptions& options) {
  IntakeReport report;
  try {
    report.repairs = takeWarnings(pdf);
    KAKANAI_TRY(refuseWhatCannotBeUsed(pdf, options, report));
    normalise(pdf, report);
    report.pages = static_cast<int>(pdf.getAllPages().size());
    KAKANAI_TRY(write(pdf, staging));
    for (auto& w : takeWarnings(pdf)) report.repairs.push_back(std::move(w));
  } catch (const std::exception& e) {
    return refusal(ErrorCode::TemplateInvalid, kDamaged, e.what());
  }
  if (!report.repairs.empty()) {
    report.done.push_back("壊れていた箇所を修復しました（" + std::to_string(report.repairs.size()) + "件）。印刷して確認してください。");
  }
  return report;
}

}  // namespace

Result<IntakeReport> importTemplate(const std::filesystem::path& in, const std::filesystem::path& out, const IntakeOptions& options) {
  auto opened = openPdf(in);
  if (!opened) return opened.error();
  if (opened->needsPassword) {
    return refusal(ErrorCode::TemplateEncrypted, "開くのにパスワードが必要なPDFです。作成元からパスワードのないPDFを入手してください。");
  }
  const std::filesystem::path staging = out.string() + ".importing";
  auto report = normaliseInto(*opened->pdf, staging, options);
  Status usable = report ? checkWritable(staging, report->pages) : Status(report.error());
  std::error_code ec;
  if (!usable) {
    std::filesystem::remove(staging, ec);
    return usable.error();
  }
  std::filesystem::rename(staging, out, ec);
  if (ec) {
    std::filesystem::remove(staging, ec);
    return refusal(ErrorCode::TemplateInvalid, "取り込んだPDFを保存できませんでした。保存先を確認してください。", out.string());
  }
  return report;
}

}  // namespace kakanai::template_intake
