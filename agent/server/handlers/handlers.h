// The handlers of handler_table.cpp, one file each.
#pragma once

#include <Poco/Dynamic/Var.h>

#include "server/handlers/message_handler.h"

namespace kakanai::server {

Result<SecretText> handleHello(RequestFields& fields, HandlerContext& context);
Result<SecretText> handleReadersList(RequestFields& fields, HandlerContext& context);
Result<SecretText> handleCardStatus(RequestFields& fields, HandlerContext& context);
Result<SecretText> handleCardRead(RequestFields& fields, HandlerContext& context);
Result<SecretText> handleSessionClear(RequestFields& fields, HandlerContext& context);
Result<SecretText> handleFormsList(RequestFields& fields, HandlerContext& context);
Result<SecretText> handleFormFill(RequestFields& fields, HandlerContext& context);
Result<SecretText> handleProceduresList(RequestFields& fields, HandlerContext& context);
Result<SecretText> handleProcedureFill(RequestFields& fields, HandlerContext& context);
Result<SecretText> handleDocumentPrint(RequestFields& fields, HandlerContext& context);
Result<SecretText> handlePrintersList(RequestFields& fields, HandlerContext& context);
Result<SecretText> handleAttendanceEnroll(RequestFields& fields, HandlerContext& context);
Result<SecretText> handleAttendanceList(RequestFields& fields, HandlerContext& context);
Result<SecretText> handleAttendanceVerify(RequestFields& fields, HandlerContext& context);
Result<SecretText> handleDemoTap(RequestFields& fields, HandlerContext& context);

// "The object serialised": most results carry nothing personal and are built with Poco.
SecretText resultText(const Poco::Dynamic::Var& object);

}  // namespace kakanai::server
