// The attendance records of one counter PC, in SQLite (WAL, synchronous FULL): a tap is
// durable when recordTap() returns. Staff only — a resident's card never reaches this store.
// The taps not yet collected centrally are the outbox, read in order by CentralSync.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/iso_time.h"

namespace kakanai::attendance {

struct AttendanceRules {
  std::chrono::minutes dayStartsAt{0};          // after local midnight
  std::chrono::milliseconds doubleTapWindow{10'000};
};

// Whether a tap starts or ends a stretch of work; the store keeps the wire name (CHECK in the
// schema), so the names are declared here once.
enum class TapKind { In, Out };
inline constexpr std::array kAllTapKinds{TapKind::In, TapKind::Out};
constexpr std::string_view tapKindName(TapKind kind) { return kind == TapKind::In ? "in" : "out"; }
std::optional<TapKind> tapKindFromName(std::string_view name);

struct AttendanceRecord {
  std::int64_t seq = 0;  // this PC's sequence, gap-free in commit order
  std::string staffId;
  std::string displayName;
  TapKind kind = TapKind::In;
  std::string at;    // ISO 8601, local with offset
  std::string workDay;
  std::string reader;
};

struct StaffBinding {
  std::string staffId;
  std::string displayName;
  std::string certNotAfter;  // ISO 8601 UTC
};

enum class TapDisposition { Recorded, DoubleTap, UnknownCard };

struct TapOutcome {
  TapDisposition disposition = TapDisposition::UnknownCard;
  AttendanceRecord record;  // Recorded only
};

class AttendanceStore;
// The store is shared by the tap service and the sync thread; the service may close and reopen
// it (after the folder was read-only or full) while a push still holds the old one.
using StorePtr = std::shared_ptr<AttendanceStore>;

class AttendanceStore {
 public:
  // Creates the file and its schema when missing. store_unavailable when the file cannot be
  // opened or written (read-only folder, full disk).
  static Result<std::unique_ptr<AttendanceStore>> open(const std::string& path);
  ~AttendanceStore();
  AttendanceStore(const AttendanceStore&) = delete;
  AttendanceStore& operator=(const AttendanceStore&) = delete;

  // A random id made when the file is created; it keys this PC's records centrally.
  const std::string& deviceId() const;

  // Binds the card with this certificate fingerprint (hex SHA-256) to the staff id. A staff id
  // enrolled before (a renewed card) and a card bound before (a card handed on) lose their old
  // binding, which stays in the history.
  Status enroll(const std::string& fingerprint, const StaffBinding& binding, WallClock::time_point now);
  Result<std::optional<StaffBinding>> bindingOf(const std::string& fingerprint);

  // The first tap of a staff member's working day is `in`, the next `out`, alternating. A tap
  // of the same card within the double-tap window of its last recorded tap is not recorded.
  Result<TapOutcome> recordTap(const std::string& fingerprint, const std::string& reader, WallClock::time_point at,
                               const AttendanceRules& rules);

  // Records whose working day is in [fromDay, toDay] (YYYY-MM-DD), oldest first.
  Result<std::vector<AttendanceRecord>> list(const std::string& fromDay, const std::string& toDay,
                                             const std::optional<std::string>& staffId);

  // The outbox: records after the last one collected centrally, oldest first.
  Result<std::vector<AttendanceRecord>> unsynced(std::size_t limit);
  Status markSynced(std::int64_t throughSeq);
  Result<std::int64_t> syncedThrough();

 private:
  struct Impl;
  explicit AttendanceStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kakanai::attendance
