// The resident's counter: read a card, fill a form, print it. Owns the residents' sessions and
// the reader-role policy (a resident's card is only ever read on a counter reader). Knows no JSON
// and no WebSocket: the server parses requests into the calls below and serialises what they
// return (server/protocol_shapes).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "card/card_session.h"
#include "card/reader_system.h"
#include "core/error.h"
#include "core/person.h"
#include "core/secure_buffer.h"
#include "core/task_pool.h"
#include "counter/form_catalog.h"
#include "counter/reader_roles.h"
#include "counter/resident_sessions.h"
#include "forms/form_filler.h"
#include "printing/print_service.h"

namespace kakanai::counter {

struct ReaderEntry {
  std::string name;
  bool cardPresent = false;
  ReaderRole role = ReaderRole::Counter;
};

struct CardReadOrder {
  std::optional<std::string> reader;  // none: the first counter reader with a card
  card::CardReadRequest card;         // PIN or B (wiped as soon as sent), allowLastTry, includeMyNumber, cardSignature
};

struct ReadResident {
  Person person;  // a copy for the response (wiping memory); the session keeps its own
  bool authentic = false;
  std::optional<bool> cardSignature;  // asked for: whether the card signed our fresh challenge
  std::string session;
  std::chrono::system_clock::time_point expiresAt;
};

struct FillOrder {
  std::string form;
  // Exactly one: a session of this origin, or a person the clerk typed (who gets a session).
  std::optional<std::string> session;
  std::optional<Person> typedPerson;
  std::map<std::string, std::string> values;  // clerk inputs
  std::string date;                           // YYYY-MM-DD; empty: today
  std::optional<int> dateToleranceDays;       // none: the configuration's
};

struct FilledDocument {
  std::string form;
  SecureBytes pdf;
  std::string document;
  std::string session;
  int pages = 0;
  std::vector<forms::FillWarning> warnings;
};

// A procedure filled for one resident: each answer given once, as the procedure names it.
struct ProcedureOrder {
  std::string procedure;
  std::optional<std::string> session;  // exactly one of session and typedPerson, as for a fill
  std::optional<Person> typedPerson;
  std::map<std::string, std::string> values;             // by the procedure's input names
  std::optional<std::vector<std::string>> optionalForms;  // which optional forms; none: none of them
  std::string date;
  std::optional<int> dateToleranceDays;
};

struct FilledProcedure {
  std::string session;
  std::vector<FilledDocument> documents;  // in the procedure's order
  FilledDocument bundle;                  // every page of them, one document (one print job)
};

struct PrintOrder {
  std::string document;
  std::optional<std::string> printer;  // none: the default
  int copies = 1;
};

// What the counter tells connections of one origin (or of every origin, when origin is empty).
struct CounterEvent {
  enum class Kind { SessionExpired, PrintCompleted, PrintFailed };
  Kind kind = Kind::SessionExpired;
  std::string origin;
  std::string session;                   // SessionExpired
  std::string job, printer, reason;      // Print*
};
using CounterListener = std::function<void(const CounterEvent&)>;

class CounterService {
 public:
  CounterService(card::ReaderSystem& readers, ReaderRoles roles, card::CardPolicy policy, FormCatalog catalog,
                 std::unique_ptr<ResidentSessions> sessions, std::unique_ptr<printing::PrintService> printers);
  ~CounterService();

  // How far an application date may lie from today before the fill warns (configuration).
  void setDateToleranceDays(int days) { dateToleranceDays_ = days; }

  void setListener(CounterListener listener) { listener_ = std::move(listener); }

  Result<std::vector<ReaderEntry>> readers();
  ReaderRole roleOf(const std::string& reader) const { return roles_.of(reader); }
  // The counter reader named, or the first with a card (the first at all when none has one).
  Result<std::string> counterReader(const std::optional<std::string>& asked);
  // The attendance reader named, or the first one.
  Result<std::string> attendanceReader(const std::optional<std::string>& asked);

  Result<card::CardStatus> cardStatus(const std::optional<std::string>& reader);
  Result<ReadResident> readCard(const std::string& origin, CardReadOrder order);
  bool clearSession(const std::string& session, const std::string& origin) { return sessions_->clear(session, origin); }
  const FormCatalog& forms() const { return catalog_; }
  Result<FilledDocument> fill(const std::string& origin, FillOrder order);
  Result<FilledProcedure> fillProcedure(const std::string& origin, ProcedureOrder order);
  std::vector<printing::PrinterInfo> printers() { return printers_->list(); }
  Result<printing::SubmittedJob> print(const std::string& origin, const PrintOrder& order);

  // Wipes expired sessions and announces them to their origin.
  void expireSessions();
  void clearAllSessions() { sessions_->clearAll(); }
  ResidentSessions& sessions() { return *sessions_; }

 private:
  void announceEnded(const std::string& origin, const std::vector<std::string>& sessions);
  Result<std::string> sessionFor(const std::string& origin, FillOrder& order);
  void emit(const CounterEvent& e) {
    if (listener_) listener_(e);
  }

  card::ReaderSystem& readers_;
  ReaderRoles roles_;
  card::CardPolicy policy_;
  FormCatalog catalog_;
  std::unique_ptr<ResidentSessions> sessions_;
  std::unique_ptr<printing::PrintService> printers_;
  CounterListener listener_;
  int dateToleranceDays_ = 365;
  std::unique_ptr<TaskPool> helpers_;  // a procedure's forms are filled side by side
};

// A typed person's checks: birthDate a real YYYY-MM-DD date, text valid UTF-8. bad_request
// naming the field (`person.birthDate`).
Status checkTypedPerson(const Person& person);

}  // namespace kakanai::counter
