#include "printing/print_service.h"

#include <cups/cups.h>

#include <chrono>

namespace kakanai::printing {

struct PrintService::Target {
  std::string name;
  std::string uri;
};

namespace {

// Whether printer-state-reasons say the printer cannot print now: paused by its operator, or a
// condition of "error" severity (RFC 8011 5.4.12: such a condition stops the printer). Printers
// that report a jam as "media-jam-error" while printer-state still says idle exist; the clerk
// must hear "unavailable" before sending them a resident's document.
bool reasonsStopPrinting(ipp_attribute_t* reasons) {
  for (int i = 0; i < ippGetCount(reasons); ++i) {
    const std::string r = ippGetString(reasons, i, nullptr);
    const auto ends = [&](const std::string& suffix) {
      return r.size() >= suffix.size() && r.compare(r.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    if (r.rfind("paused", 0) == 0 || ends("-error")) return true;
  }
  return false;
}

// printer-state of the printer at `uri`: 3 idle, 4 processing, 5 stopped (also when its
// state reasons stop it); 0 when unreachable.
int printerState(const std::string& uri) {
  char scheme[32], user[64], host[256], resource[256];
  int port = 0;
  if (httpSeparateURI(HTTP_URI_CODING_ALL, uri.c_str(), scheme, sizeof scheme, user, sizeof user, host, sizeof host, &port,
                      resource, sizeof resource) < HTTP_URI_STATUS_OK) {
    return 0;
  }
  http_t* http = httpConnect2(host, port, nullptr, AF_UNSPEC, HTTP_ENCRYPTION_IF_REQUESTED, 1, 3000, nullptr);
  if (http == nullptr) return 0;
  ipp_t* request = ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES);
  ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, uri.c_str());
  static const char* const kAttributes[] = {"printer-state", "printer-state-reasons"};
  ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", 2, nullptr, kAttributes);
  ipp_t* response = cupsDoRequest(http, request, resource);
  int state = 0;
  if (response != nullptr) {
    if (ipp_attribute_t* a = ippFindAttribute(response, "printer-state", IPP_TAG_ENUM)) state = ippGetInteger(a, 0);
    if (ipp_attribute_t* r = ippFindAttribute(response, "printer-state-reasons", IPP_TAG_KEYWORD); r && state != 0 && reasonsStopPrinting(r)) {
      state = 5;
    }
    ippDelete(response);
  }
  httpClose(http);
  return state;
}

PrinterState stateOf(int ippState) {
  switch (ippState) {
    case 3: return PrinterState::Idle;
    case 4: return PrinterState::Processing;
    case 5: return PrinterState::Stopped;
    default: return PrinterState::Unavailable;
  }
}

}  // namespace

PrintService::PrintService(std::vector<std::string> ippUris) : ippUris_(std::move(ippUris)) {}

PrintService::~PrintService() {
  std::lock_guard lock(mutex_);
  for (auto& f : followers_) {
    if (f.thread.joinable()) f.thread.join();
  }
}

std::vector<PrinterInfo> PrintService::list() {
  std::vector<PrinterInfo> out;
  cups_dest_t* dests = nullptr;
  const int n = cupsGetDests2(CUPS_HTTP_DEFAULT, &dests);
  for (int i = 0; i < n; ++i) {
    const char* uri = cupsGetOption("printer-uri-supported", dests[i].num_options, dests[i].options);
    const char* state = cupsGetOption("printer-state", dests[i].num_options, dests[i].options);
    out.push_back({dests[i].name, dests[i].is_default != 0, stateOf(state ? std::atoi(state) : (uri ? printerState(uri) : 0))});
  }
  cupsFreeDests(n, dests);
  for (const auto& uri : ippUris_) out.push_back({uri, false, stateOf(printerState(uri))});
  const bool anyDefault = std::any_of(out.begin(), out.end(), [](const auto& p) { return p.isDefault; });
  if (!anyDefault && !out.empty()) out.front().isDefault = true;
  return out;
}

std::optional<PrintService::Target> PrintService::resolve(const std::optional<std::string>& printer) {
  for (const auto& uri : ippUris_) {
    if (!printer || *printer == uri) {
      if (!printer) {
        // The default: a CUPS default destination wins over configured URIs.
        cups_dest_t* d = cupsGetNamedDest(CUPS_HTTP_DEFAULT, nullptr, nullptr);
        if (d != nullptr) {
          const char* u = cupsGetOption("printer-uri-supported", d->num_options, d->options);
          Target t{d->name, u ? u : ""};
          cupsFreeDests(1, d);
          if (!t.uri.empty()) return t;
        }
      }
      return Target{uri, uri};
    }
  }
  cups_dest_t* d = cupsGetNamedDest(CUPS_HTTP_DEFAULT, printer ? printer->c_str() : nullptr, nullptr);
  if (d == nullptr) return std::nullopt;
  const char* u = cupsGetOption("printer-uri-supported", d->num_options, d->options);
  Target t{d->name, u ? u : ""};
  cupsFreeDests(1, d);
  if (t.uri.empty()) return std::nullopt;
  return t;
}

Result<SubmittedJob> PrintService::print(ByteView pdf, const std::optional<std::string>& printer, int copies, JobFinished finished) {
  auto target = resolve(printer);
  if (!target) return Error::of(ErrorCode::PrinterUnavailable, "no such printer");
  // In line from the moment the clerk asks; the clerk waits at most kMaxWaitForPrinter for the
  // printer to take the document, the wait in line included.
  PrinterTurns::Place place = turns_.join(target->uri);
  const auto giveUp = std::chrono::steady_clock::now() + kMaxWaitForPrinter;
  const int state = printerState(target->uri);
  if (state == 0 || state == 5) return Error::of(ErrorCode::PrinterUnavailable, "printer unreachable or stopped");
  if (!place.waitForTurn(giveUp)) return Error::of(ErrorCode::PrinterUnavailable, "the jobs before this one kept the printer busy too long");

  cups_dest_t* dest = cupsGetDestWithURI(nullptr, target->uri.c_str());
  if (dest == nullptr) return Error::of(ErrorCode::PrinterUnavailable, "bad printer URI");
  char resource[256] = "";
  http_t* http = cupsConnectDest(dest, CUPS_DEST_FLAGS_DEVICE, 5000, nullptr, resource, sizeof resource, nullptr, nullptr);
  if (http == nullptr) {
    cupsFreeDests(1, dest);
    return Error::of(ErrorCode::PrinterUnavailable, "cannot connect to the printer");
  }
  cups_dinfo_t* info = cupsCopyDestInfo(http, dest);
  cups_option_t* options = nullptr;
  int count = 0;
  count = cupsAddOption(CUPS_COPIES, std::to_string(copies).c_str(), count, &options);
  count = cupsAddOption("print-scaling", "none", count, &options);  // 100%: a form is printed at its size
  int jobId = 0;
  // Neither the job nor the document is named after the resident: the spool keeps only the PDF.
  // A printer without a spool of its own answers "busy" while it prints the job before (RFC 8011:
  // try again later). This job is at the head of the agent's line, so short pauses keep the
  // printer fed without anyone overtaking it.
  ipp_status_t status = IPP_STATUS_ERROR_BUSY;
  for (auto pause = std::chrono::milliseconds(50);; pause = std::min(pause * 2, std::chrono::milliseconds(400))) {
    status = cupsCreateDestJob(http, dest, info, &jobId, "Kakanai", count, options);
    if (status != IPP_STATUS_ERROR_BUSY || std::chrono::steady_clock::now() + pause > giveUp) break;
    std::this_thread::sleep_for(pause);
  }
  bool ok = status <= IPP_STATUS_OK_EVENTS_COMPLETE && jobId > 0;
  if (ok) {
    ok = cupsStartDestDocument(http, dest, info, jobId, "application.pdf", CUPS_FORMAT_PDF, 0, nullptr, 1) == HTTP_STATUS_CONTINUE &&
         cupsWriteRequestData(http, reinterpret_cast<const char*>(pdf.data()), pdf.size()) == HTTP_STATUS_CONTINUE &&
         cupsFinishDestDocument(http, dest, info) <= IPP_STATUS_OK_EVENTS_COMPLETE;
  }
  cupsFreeOptions(count, options);
  cupsFreeDestInfo(info);
  cupsFreeDests(1, dest);
  if (!ok) {
    httpClose(http);
    return Error::of(ErrorCode::PrinterUnavailable,
                     status == IPP_STATUS_ERROR_BUSY ? std::string("the printer stayed busy") : std::string("job refused: ") + cupsLastErrorString());
  }
  const std::string job = std::to_string(jobId);
  const std::string name = target->name, uri = target->uri, res = resource;
  std::lock_guard lock(mutex_);
  for (auto it = followers_.begin(); it != followers_.end();) {
    if (*it->done) {
      it->thread.join();
      it = followers_.erase(it);
    } else {
      ++it;
    }
  }
  auto doneFlag = std::make_shared<std::atomic<bool>>(false);
  followers_.push_back({std::thread([http, jobId, job, name, uri, res, finished, doneFlag] {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
    bool done = false;
    while (!done && std::chrono::steady_clock::now() < deadline) {
      ipp_t* request = ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES);
      ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, uri.c_str());
      ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", jobId);
      ipp_t* response = cupsDoRequest(http, request, res.c_str());
      int jobState = 0;
      std::string message;
      if (response != nullptr) {
        if (ipp_attribute_t* a = ippFindAttribute(response, "job-state", IPP_TAG_ENUM)) jobState = ippGetInteger(a, 0);
        if (ipp_attribute_t* m = ippFindAttribute(response, "job-state-message", IPP_TAG_TEXT)) message = ippGetString(m, 0, nullptr);
        ippDelete(response);
      }
      if (jobState == IPP_JSTATE_COMPLETED) {
        finished(job, name, true, "");
        done = true;
      } else if (jobState == IPP_JSTATE_CANCELED || jobState == IPP_JSTATE_ABORTED || (response == nullptr && jobState == 0)) {
        finished(job, name, false, message.empty() ? "the printer gave up the job" : message);
        done = true;
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
      }
    }
    if (!done) finished(job, name, false, "the printer did not finish the job in time");
    httpClose(http);
    *doneFlag = true;
  }), doneFlag});
  return SubmittedJob{job, name};
}

}  // namespace kakanai::printing
