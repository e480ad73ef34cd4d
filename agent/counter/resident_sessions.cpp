#include "counter/resident_sessions.h"

#include <openssl/rand.h>

#include <ctime>

#include "core/bytes.h"

namespace kakanai::counter {

std::string newOpaqueId(const char* prefix) {
  std::uint8_t random[16];
  RAND_bytes(random, sizeof random);
  return std::string(prefix) + toHex(random);
}

ResidentSessions::Created ResidentSessions::create(const std::string& origin, Person person, bool authentic) {
  auto s = std::make_unique<Session>();
  s->origin = origin;
  s->person = std::move(person);
  s->authentic = authentic;
  s->deadline = monotonic_() + lifetime_;
  Created c{newOpaqueId("s-"), Clock::now() + lifetime_, {}};
  std::lock_guard lock(mutex_);
  while (true) {
    std::size_t mine = 0;
    auto oldest = sessions_.end();
    for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
      if (it->second->origin != origin) continue;
      ++mine;
      if (oldest == sessions_.end() || it->second->deadline < oldest->second->deadline) oldest = it;
    }
    if (mine < maxSessionsPerOrigin_) break;
    for (const auto& [docId, _] : oldest->second->documents) documentSession_.erase(docId);
    c.evicted.push_back(oldest->first);
    sessions_.erase(oldest);
  }
  sessions_[c.id] = std::move(s);
  return c;
}

std::optional<Person> ResidentSessions::person(const std::string& id, const std::string& origin) const {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(id);
  if (it == sessions_.end() || it->second->origin != origin || !live(*it->second)) return std::nullopt;
  return it->second->person;  // every field a SecretText: the copy is wiping memory too
}

bool ResidentSessions::clear(const std::string& id, const std::string& origin) {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(id);
  if (it == sessions_.end() || it->second->origin != origin) return false;
  for (const auto& [docId, _] : it->second->documents) documentSession_.erase(docId);
  sessions_.erase(it);  // Person and documents are wiping buffers
  return true;
}

std::optional<std::string> ResidentSessions::addDocument(const std::string& sessionId, const std::string& origin, StoredDocument doc) {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(sessionId);
  if (it == sessions_.end() || it->second->origin != origin) return std::nullopt;
  auto& session = *it->second;
  if (session.documentOrder.size() >= kMaxDocumentsPerSession) {
    const std::string oldest = session.documentOrder.front();
    session.documentOrder.erase(session.documentOrder.begin());
    session.documents.erase(oldest);
    documentSession_.erase(oldest);
  }
  const std::string id = newOpaqueId("d-");
  session.documents[id] = std::move(doc);
  session.documentOrder.push_back(id);
  documentSession_[id] = sessionId;
  return id;
}

std::optional<SecureBytes> ResidentSessions::document(const std::string& documentId, const std::string& origin) {
  std::lock_guard lock(mutex_);
  auto d = documentSession_.find(documentId);
  if (d == documentSession_.end()) return std::nullopt;
  auto s = sessions_.find(d->second);
  if (s == sessions_.end() || s->second->origin != origin || !live(*s->second)) return std::nullopt;
  return s->second->documents.at(documentId).pdf;
}

std::vector<ResidentSessions::Ended> ResidentSessions::expire() {
  std::lock_guard lock(mutex_);
  std::vector<Ended> gone;
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (!live(*it->second)) {
      for (const auto& [docId, _] : it->second->documents) documentSession_.erase(docId);
      gone.push_back({it->first, it->second->origin});
      it = sessions_.erase(it);
    } else {
      ++it;
    }
  }
  return gone;
}

void ResidentSessions::clearAll() {
  std::lock_guard lock(mutex_);
  sessions_.clear();
  documentSession_.clear();
}

std::size_t ResidentSessions::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

}  // namespace kakanai::counter
