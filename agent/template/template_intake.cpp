// Import and inspection as the agent sees them: libqpdf's outcome (qpdf_engine) becomes the
// protocol's template codes, and nothing is moved into place until the writer has opened it.
#include "template/template_intake.h"

#include "pdf/form_pdf_writer.h"
#include "template/qpdf_engine.h"

namespace kakanai::template_intake {

namespace {

// The Error's diagnostic is the administrator's sentence, then libqpdf's words for support.
Error toError(const engine::Outcome& o) {
  const ErrorCode code = o.refusal == engine::Refusal::Encrypted ? ErrorCode::TemplateEncrypted
                         : o.refusal == engine::Refusal::Signed  ? ErrorCode::TemplateSigned
                                                                 : ErrorCode::TemplateInvalid;
  return Error::of(code, o.detail.empty() ? o.sentence : o.sentence + " (" + o.detail + ")");
}

// The PoDoFo writer must open what qpdf wrote, with the page count qpdf saw.
Status checkWritable(const std::filesystem::path& file, int pages) {
  auto writer = pdf::FormPdfWriter::open(file.string());
  if (!writer) {
    const ErrorCode code = writer.error().code == ErrorCode::TemplateEncrypted ? ErrorCode::TemplateEncrypted : ErrorCode::TemplateInvalid;
    return Error::of(code, "取り込んだPDFを記入用に開けませんでした。元の帳票からPDFを書き出し直してください。 (" + writer.error().diagnostic + ")");
  }
  if ((*writer)->pageCount() != pages) {
    return Error::of(ErrorCode::TemplateInvalid, "ページ数を確定できないPDFです。元の帳票からPDFを書き出し直してください。 (" +
                                                     std::to_string((*writer)->pageCount()) + " pages read back, " +
                                                     std::to_string(pages) + " written)");
  }
  return okStatus();
}

}  // namespace

Result<IntakeReport> importTemplate(const std::filesystem::path& in, const std::filesystem::path& out, const IntakeOptions& options) {
  const std::filesystem::path staging = out.string() + ".importing";
  IntakeReport report;
  const engine::Outcome outcome = engine::normalise(in, staging, options, report);
  Status usable = outcome.refusal == engine::Refusal::None ? checkWritable(staging, report.pages) : Status(toError(outcome));
  std::error_code ec;
  if (!usable) {
    std::filesystem::remove(staging, ec);
    return usable.error();
  }
  std::filesystem::rename(staging, out, ec);
  if (ec) {
    std::filesystem::remove(staging, ec);
    return Error::of(ErrorCode::TemplateInvalid, "取り込んだPDFを保存できませんでした。保存先を確認してください。 (" + out.string() + ")");
  }
  return report;
}

Result<TemplateInspection> inspectTemplate(const std::filesystem::path& file) {
  TemplateInspection out;
  const engine::Outcome outcome = engine::inspect(file, out);
  if (outcome.refusal != engine::Refusal::None) return toError(outcome);
  return out;
}

}  // namespace kakanai::template_intake
