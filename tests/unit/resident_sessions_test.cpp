// Residents' sessions expire on the monotonic clock: the wall clock jumping (NTP, a clerk setting
// the PC's time) neither keeps the data longer nor ends a session early.
#include <gtest/gtest.h>

#include "counter/resident_sessions.h"

namespace kakanai::counter {
namespace {

using namespace std::chrono;

Person someone() {
  Person p;
  p.name = SecretText("見本　花子");
  p.birthDate = SecretText("1985-06-15");
  return p;
}

TEST(SessionStore, ExpiresOnTheMonotonicClockOnly) {
  steady_clock::time_point now{};
  ResidentSessions store(minutes(10), [&] { return now; });
  const auto wallBefore = ResidentSessions::Clock::now();
  auto created = store.create("http://localhost", someone(), true);
  // expiresAt is the wall-clock time the protocol reports: ten minutes from creation.
  EXPECT_GE(created.expiresAt, wallBefore + minutes(10));
  EXPECT_LE(created.expiresAt, ResidentSessions::Clock::now() + minutes(10));

  now += minutes(9);
  EXPECT_TRUE(store.expire().empty());
  EXPECT_TRUE(store.person(created.id, "http://localhost"));
  EXPECT_FALSE(store.person(created.id, "http://other"));
  now += minutes(1);
  EXPECT_FALSE(store.person(created.id, "http://localhost"));
  auto gone = store.expire();
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_EQ(gone[0].id, created.id);
  EXPECT_EQ(gone[0].origin, "http://localhost");
  EXPECT_EQ(store.size(), 0u);
}

TEST(SessionStore, DocumentsGoWithTheirSession) {
  steady_clock::time_point now{};
  ResidentSessions store(minutes(1), [&] { return now; });
  auto created = store.create("o", someone(), false);
  StoredDocument doc;
  doc.pdf = SecureBytes{'%', 'P', 'D', 'F'};
  auto id = store.addDocument(created.id, "o", std::move(doc));
  ASSERT_TRUE(id);
  EXPECT_TRUE(store.document(*id, "o"));
  EXPECT_FALSE(store.document(*id, "other"));
  now += minutes(2);
  EXPECT_FALSE(store.document(*id, "o"));
  ASSERT_EQ(store.expire().size(), 1u);
  EXPECT_FALSE(store.clear(created.id, "o"));
}

}  // namespace
}  // namespace kakanai::counter

namespace kakanai::counter {
namespace {

TEST(SessionStore, AnOriginKeepsAtMostItsShareOfSessionsAndDocuments) {
  steady_clock::time_point now{};
  ResidentSessions store(minutes(10), [&] { return now; });
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < ResidentSessions::kDefaultMaxSessionsPerOrigin; ++i) {
    auto c = store.create("page", someone(), false);
    EXPECT_TRUE(c.evicted.empty());
    ids.push_back(c.id);
    now += seconds(1);
  }
  auto other = store.create("other page", someone(), false);
  EXPECT_TRUE(other.evicted.empty());
  auto one_more = store.create("page", someone(), false);
  ASSERT_EQ(one_more.evicted.size(), 1u);
  EXPECT_EQ(one_more.evicted[0], ids[0]);  // the oldest goes
  EXPECT_FALSE(store.person(ids[0], "page"));
  EXPECT_TRUE(store.person(ids[1], "page"));
  EXPECT_TRUE(store.person(other.id, "other page"));

  std::vector<std::string> docs;
  for (std::size_t i = 0; i <= ResidentSessions::kMaxDocumentsPerSession; ++i) {
    StoredDocument d;
    d.pdf = SecureBytes{'%', 'P'};
    docs.push_back(*store.addDocument(ids[1], "page", std::move(d)));
  }
  EXPECT_FALSE(store.document(docs.front(), "page"));
  EXPECT_TRUE(store.document(docs[1], "page"));
  EXPECT_TRUE(store.document(docs.back(), "page"));
}

}  // namespace
}  // namespace kakanai::counter
