// Residents' sessions: the person read from a card (or typed by the clerk) and the documents
// filled from it, in memory only. Ids are unguessable and bound to the origin that created them;
// everything is wiped on session.clear, on expiry and on shutdown.
//
// The store's one mutex guards only the map: it is held for a lookup, an insert or an erase,
// never while a form is filled. A fill takes a copy of the person (in wiping memory) and hands
// its document back with addDocument, which refuses it if the session ended meanwhile.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/iso_time.h"
#include "core/person.h"
#include "core/secure_buffer.h"

namespace kakanai::counter {

struct StoredDocument {
  SecureBytes pdf;
  int pages = 0;
};

class ResidentSessions {
 public:
  // Lifetimes run on the monotonic clock: an NTP correction or a clerk changing the PC's time
  // must neither keep a resident's data longer nor cut a session short. The wall clock only
  // says, for the protocol, when that will be.
  using Clock = std::chrono::system_clock;
  using Monotonic = std::function<std::chrono::steady_clock::time_point()>;
  explicit ResidentSessions(std::chrono::milliseconds lifetime, Monotonic monotonic = std::chrono::steady_clock::now,
                        std::size_t maxSessionsPerOrigin = kDefaultMaxSessionsPerOrigin)
      : lifetime_(lifetime), monotonic_(std::move(monotonic)), maxSessionsPerOrigin_(maxSessionsPerOrigin) {}
  ~ResidentSessions() { clearAll(); }

  // A page that creates sessions without end (or a script gone wrong) must not grow the
  // agent without end: past these, the origin's oldest session and a session's oldest document
  // are wiped to make room.
  static constexpr std::size_t kDefaultMaxSessionsPerOrigin = 16;
  static constexpr std::size_t kMaxDocumentsPerSession = 32;

  struct Created {
    std::string id;
    Clock::time_point expiresAt;
    std::vector<std::string> evicted;  // sessions wiped to make room (announce them as expired)
  };
  Created create(const std::string& origin, Person person, bool authentic);

  // A copy of the person of a live session of this origin (wiped when the copy goes); nullopt
  // when unknown, expired or foreign.
  std::optional<Person> person(const std::string& id, const std::string& origin) const;
  bool clear(const std::string& id, const std::string& origin);

  std::optional<std::string> addDocument(const std::string& sessionId, const std::string& origin, StoredDocument doc);
  // A copy of a document's bytes (for printing), if its session is live and of this origin.
  std::optional<SecureBytes> document(const std::string& documentId, const std::string& origin);

  struct Ended {
    std::string id;
    std::string origin;  // session events go to this origin's connections only
  };
  // Wipes expired sessions and returns them (for session.expired events).
  std::vector<Ended> expire();
  void clearAll();
  std::size_t size() const;

 private:
  struct Session {
    std::string origin;
    Person person;
    bool authentic = false;
    std::chrono::steady_clock::time_point deadline;
    std::map<std::string, StoredDocument> documents;
    std::vector<std::string> documentOrder;
  };
  bool live(const Session& s) const { return monotonic_() < s.deadline; }
  std::chrono::milliseconds lifetime_;
  Monotonic monotonic_;
  std::size_t maxSessionsPerOrigin_;
  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Session>> sessions_;
  std::map<std::string, std::string> documentSession_;
};

std::string newOpaqueId(const char* prefix);

}  // namespace kakanai::counter
