// A filled document of this origin's session sent to a printer; its end is announced to the
// same origin (print.completed / print.failed).
#include "counter/counter_service.h"

namespace kakanai::counter {

Result<printing::SubmittedJob> CounterService::print(const std::string& origin, const PrintOrder& order) {
  auto pdf = sessions_->document(order.document, origin);
  if (!pdf) return Error::of(ErrorCode::UnknownDocument);
  return printers_->print(ByteView(pdf->data(), pdf->size()), order.printer, order.copies,
                          [this, origin](const std::string& job, const std::string& printer, bool ok, const std::string& reason) {
                            CounterEvent e;
                            e.kind = ok ? CounterEvent::Kind::PrintCompleted : CounterEvent::Kind::PrintFailed;
                            e.origin = origin;
                            e.job = job;
                            e.printer = printer;
                            if (!ok) e.reason = reason;
                            emit(e);
                          });
}

}  // namespace kakanai::counter
