#include "core/error.h"

namespace kakanai {

namespace {
struct CodeText {
  std::string_view name;
  std::string_view message;
};

CodeText describe(ErrorCode code) {
  switch (code) {
    case ErrorCode::HelloRequired: return {"hello_required", "最初に hello を送ってください。"};
    case ErrorCode::BadRequest: return {"bad_request", "要求の形式が正しくありません。"};
    case ErrorCode::Unauthorized: return {"unauthorized", "接続が許可されていません。"};
    case ErrorCode::NoReader: return {"no_reader", "カードリーダーが見つかりません。接続を確認してください。"};
    case ErrorCode::NoCard: return {"no_card", "カードが置かれていません。"};
    case ErrorCode::NotMyNumber: return {"not_mynumber", "マイナンバーカードではありません。"};
    case ErrorCode::CardRemoved: return {"card_removed", "読み取り中にカードが離れました。もう一度置いてください。"};
    case ErrorCode::ReaderBusy: return {"reader_busy", "カードリーダーは別の処理で使用中です。"};
    case ErrorCode::PinFormat: return {"pin_format", "暗証番号は数字4桁で入力してください。"};
    case ErrorCode::PinWrong: return {"pin_wrong", "暗証番号が違います。"};
    case ErrorCode::PinLastTry: return {"pin_last_try", "残り1回です。間違えるとロックされるため、職員の確認が必要です。"};
    case ErrorCode::PinLocked: return {"pin_locked", "暗証番号がロックされています。窓口で初期化の手続きが必要です。"};
    case ErrorCode::CardError: return {"card_error", "カードから想定外の応答がありました。"};
    case ErrorCode::UnknownSession: return {"unknown_session", "セッションが見つからないか、期限が切れています。"};
    case ErrorCode::UnknownForm: return {"unknown_form", "指定された様式がありません。"};
    case ErrorCode::UnknownDocument: return {"unknown_document", "指定された書類が見つかりません。"};
    case ErrorCode::MissingInput: return {"missing_input", "必要な入力項目がありません。"};
    case ErrorCode::GlyphMissing: return {"glyph_missing", "印字できない文字があります。手書きで補ってください。"};
    case ErrorCode::PrinterUnavailable: return {"printer_unavailable", "プリンターを使用できません。"};
    case ErrorCode::Timeout: return {"timeout", "時間内に処理が終わりませんでした。"};
    case ErrorCode::Internal: return {"internal", "内部エラーが発生しました。"};
    case ErrorCode::CertificateExpired: return {"certificate_expired", "カードの電子証明書の有効期限が切れています。"};
    case ErrorCode::StoreUnavailable: return {"store_unavailable", "打刻を保存できません。管理者に連絡してください。"};
    case ErrorCode::DateOutOfRange: return {"date_out_of_range", "この日付は様式の暦で書けません（明治6年より前の日付か、存在しない日付です）。"};
    case ErrorCode::GridMismatch: return {"grid_mismatch", "マス目の桁数に合わない値があります。入力を確認してください。"};
    case ErrorCode::UnknownTap: return {"unknown_tap", "打刻が見つからないか、時間切れです。もう一度カードをかざしてください。"};
    case ErrorCode::TemplateInvalid: return {"template_invalid", "様式のPDFを読み込めないため使用できません。管理者に連絡してください。"};
    case ErrorCode::TemplateEncrypted: return {"template_encrypted", "様式のPDFが暗号化されているため使用できません。管理者に連絡してください。"};
    case ErrorCode::TemplateSigned: return {"template_signed", "様式のPDFに電子署名があり、記入すると署名が無効になるため使用できません。管理者に連絡してください。"};
    case ErrorCode::DefinitionInvalid: return {"definition_invalid", "様式の定義に誤りがあるため使用できません。管理者に連絡してください。"};
    case ErrorCode::UnknownProcedure: return {"unknown_procedure", "指定された手続きがありません。"};
  }
  return {"internal", "内部エラーが発生しました。"};
}
}  // namespace

std::string_view codeName(ErrorCode code) { return describe(code).name; }
std::string_view clerkMessage(ErrorCode code) { return describe(code).message; }

}  // namespace kakanai
