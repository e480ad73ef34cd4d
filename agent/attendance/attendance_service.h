// Staff clock in and out by tapping their own card on an attendance reader. The service turns a
// tap into a durable record (or an enrolment, or a refusal) and reports what happened as typed
// events; it knows readers and the store, not the protocol's JSON or sockets.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "attendance/attendance_store.h"
#include "card/reader_system.h"
#include "core/iso_time.h"
#include "core/secure_buffer.h"

namespace kakanai::attendance {

struct AttendanceSettings {
  std::string storePath;
  AttendanceRules rules;
  // Strong mode: a tap is recorded only after the staff member's auth PIN and a
  // challenge–response with the card's key, so a copied certificate cannot clock anyone in.
  bool strong = false;
  std::chrono::hours expiryWarning{24 * 30};
  std::chrono::seconds pendingTapLifetime{60};
};

enum class AttendanceEventKind {
  Tap,          // recorded: record, certNotAfter, certExpiresSoon
  UnknownCard,  // no binding for this card
  Refused,      // code says why (certificate_expired, store_unavailable, not_mynumber, ...)
  Ignored,      // a double tap
  PinRequired,  // strong mode: tapId, staff, retriesLeft
};

struct AttendanceEvent {
  AttendanceEventKind kind = AttendanceEventKind::Refused;
  std::string reader;
  std::string at;  // ISO 8601 local
  AttendanceRecord record;
  std::string certNotAfter;
  bool certExpiresSoon = false;
  ErrorCode code = ErrorCode::Internal;
  std::string tapId;
  std::optional<int> retriesLeft;
};

struct Enrolment {
  std::string staffId;
  std::string certNotAfter;
};

class AttendanceService {
 public:
  using Clock = std::function<WallClock::time_point()>;
  AttendanceService(card::ReaderSystem& readers, AttendanceSettings settings, Clock clock = WallClock::now);
  ~AttendanceService();

  void setListener(std::function<void(const AttendanceEvent&)> listener);

  // A card arrived on an attendance reader (called by the reader monitor). Returns when the tap
  // is durable, refused or waiting for a PIN; the listener has heard about it by then.
  void onCardTapped(const std::string& reader);

  // Binds the next card tapped on `reader` within `timeout` to the staff id.
  Result<Enrolment> enroll(const std::string& staffId, const std::string& displayName, const std::string& reader,
                           std::chrono::milliseconds timeout);

  // Strong mode: the PIN for a tap that asked for one. Records the tap when the card proves its
  // key; nullopt when it was a double tap and so not recorded.
  Result<std::optional<AttendanceRecord>> verifyTap(const std::string& tapId, SecretText pin, bool allowLastTry);

  Result<std::vector<AttendanceRecord>> list(const std::string& fromDay, const std::string& toDay,
                                             const std::optional<std::string>& staffId);

  // The store, opened on first use and again after a write failed (a folder made writable
  // again, space freed).
  Result<StorePtr> store();
  const AttendanceSettings& settings() const { return settings_; }

 private:
  struct PendingEnrolment;
  struct PendingTap;
  void emit(const AttendanceEvent& e);
  // A store that failed to write is closed, so the next tap opens it afresh: SQLite keeps a file
  // it found read-only in read-only mode for as long as it is open.
  void closeStoreAfter(const Error& e);
  void record(const std::string& fingerprint, const std::string& reader, const std::string& certNotAfter, bool expiresSoon,
              WallClock::time_point at);

  card::ReaderSystem& readers_;
  AttendanceSettings settings_;
  Clock clock_;
  std::mutex mutex_;
  std::condition_variable enrolled_;
  StorePtr store_;
  std::function<void(const AttendanceEvent&)> listener_;
  std::map<std::string, std::shared_ptr<PendingEnrolment>> enrolments_;  // by reader
  std::map<std::string, std::shared_ptr<PendingTap>> pendingTaps_;       // by tap id
};

}  // namespace kakanai::attendance
