// The counter's readers and sessions; reading, filling and printing are in read_card.cpp,
// fill_form.cpp and print_document.cpp.
#include "counter/counter_service.h"

#include <algorithm>

namespace kakanai::counter {

namespace {
std::size_t largestProcedure(const FormCatalog& catalog) {
  std::size_t most = 0;
  for (const auto& p : catalog.procedures) most = std::max(most, p.forms.size());
  return most;
}
}  // namespace

CounterService::CounterService(card::ReaderSystem& readers, ReaderRoles roles, card::CardPolicy policy, FormCatalog catalog,
                               std::unique_ptr<ResidentSessions> sessions, std::unique_ptr<printing::PrintService> printers)
    : readers_(readers),
      roles_(std::move(roles)),
      policy_(std::move(policy)),
      catalog_(std::move(catalog)),
      sessions_(std::move(sessions)),
      printers_(std::move(printers)),
      helpers_(std::make_unique<TaskPool>(TaskPool::helpersFor(largestProcedure(catalog_)))) {}

CounterService::~CounterService() = default;

Result<std::vector<ReaderEntry>> CounterService::readers() {
  auto list = readers_.listReaders();
  if (!list) return list.error();
  std::vector<ReaderEntry> out;
  for (const auto& r : *list) out.push_back({r.name, r.cardPresent, roles_.of(r.name)});
  return out;
}

Result<std::string> CounterService::counterReader(const std::optional<std::string>& asked) {
  auto list = readers_.listReaders();
  if (!list) return list.error();
  if (asked) {
    for (const auto& r : *list) {
      if (r.name != *asked) continue;
      if (roles_.of(r.name) != ReaderRole::Counter) {
        Error e = Error::of(ErrorCode::BadRequest, "reader is an attendance reader");
        e.field = "reader";
        return e;
      }
      return r.name;
    }
    return Error::of(ErrorCode::NoReader);
  }
  std::optional<std::string> first;
  for (const auto& r : *list) {
    if (roles_.of(r.name) != ReaderRole::Counter) continue;
    if (r.cardPresent) return r.name;
    if (!first) first = r.name;
  }
  if (!first) return Error::of(ErrorCode::NoReader);
  return *first;
}

Result<std::string> CounterService::attendanceReader(const std::optional<std::string>& asked) {
  auto list = readers_.listReaders();
  if (!list) return list.error();
  for (const auto& r : *list) {
    if (asked && r.name != *asked) continue;
    if (roles_.of(r.name) == ReaderRole::Attendance) return r.name;
    if (asked) {
      Error e = Error::of(ErrorCode::BadRequest, "reader is a counter reader");
      e.field = "reader";
      return e;
    }
  }
  return Error::of(ErrorCode::NoReader);
}

Result<card::CardStatus> CounterService::cardStatus(const std::optional<std::string>& reader) {
  auto chosen = counterReader(reader);
  if (!chosen) return chosen.error();
  return card::readCardStatus(readers_, *chosen, true);  // B's counter too: the page offers B on a locked PIN
}

void CounterService::announceEnded(const std::string& origin, const std::vector<std::string>& sessions) {
  for (const auto& id : sessions) {
    CounterEvent e;
    e.kind = CounterEvent::Kind::SessionExpired;
    e.origin = origin;
    e.session = id;
    emit(e);
  }
}

void CounterService::expireSessions() {
  for (const auto& ended : sessions_->expire()) announceEnded(ended.origin, {ended.id});
}

}  // namespace kakanai::counter
