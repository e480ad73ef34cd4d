#include "attendance/attendance_store.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>

#include <openssl/rand.h>

#include <mutex>

#include "core/bytes.h"

namespace kakanai::attendance {

using namespace Poco::Data::Keywords;
using Poco::Int64;

namespace {

// Schema versions, applied in order on open (PRAGMA user_version says how far a file is).
const char* const kMigrations[][4] = {
    {"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
     "CREATE TABLE bindings(id INTEGER PRIMARY KEY AUTOINCREMENT, fingerprint TEXT NOT NULL, staff_id TEXT NOT NULL,"
     " display_name TEXT NOT NULL, cert_not_after TEXT NOT NULL, enrolled_at TEXT NOT NULL, replaced_at TEXT)",
     "CREATE TABLE taps(seq INTEGER PRIMARY KEY, staff_id TEXT NOT NULL, display_name TEXT NOT NULL,"
     " kind TEXT NOT NULL CHECK (kind IN ('in','out')), at TEXT NOT NULL, at_ms INTEGER NOT NULL, work_day TEXT NOT NULL,"
     " reader TEXT NOT NULL, fingerprint TEXT NOT NULL)",
     "CREATE INDEX taps_by_day ON taps(work_day, staff_id); CREATE INDEX taps_by_card ON taps(fingerprint, seq);"
     " CREATE INDEX bindings_by_card ON bindings(fingerprint) WHERE replaced_at IS NULL"},
};

Error storeError(const std::string& what) { return Error::of(ErrorCode::StoreUnavailable, "attendance store: " + what); }

std::string randomId() {
  std::uint8_t b[16];
  if (RAND_bytes(b, sizeof b) != 1) return {};
  return toHex(ByteView(b, sizeof b));
}

}  // namespace

struct AttendanceStore::Impl {
  std::mutex mutex;
  Poco::Data::Session session;
  std::string deviceId;

  // Poco retries a failed open until the login timeout (60 s by default): a folder that cannot
  // take the file is reported at once instead.
  explicit Impl(const std::string& path) : session("SQLite", path, 2) {}

  // Runs `body` in one transaction; any failure rolls it back and becomes store_unavailable,
  // so nothing is ever half-written.
  template <class F>
  auto transaction(const char* what, F&& body) -> decltype(body()) {
    try {
      session.begin();
      auto result = body();
      session.commit();
      return result;
    } catch (const Poco::Exception& e) {
      try {
        if (session.isTransaction()) session.rollback();
      } catch (...) {
      }
      return storeError(std::string(what) + ": " + e.name() + " " + e.message());
    }
  }
};

AttendanceStore::AttendanceStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AttendanceStore::~AttendanceStore() = default;

const std::string& AttendanceStore::deviceId() const { return impl_->deviceId; }

Result<std::unique_ptr<AttendanceStore>> AttendanceStore::open(const std::string& path) {
  static std::once_flag registered;
  std::call_once(registered, [] { Poco::Data::SQLite::Connector::registerConnector(); });
  std::unique_ptr<Impl> impl;
  try {
    impl = std::make_unique<Impl>(path);
    auto& s = impl->session;
    std::string mode;
    s << "PRAGMA journal_mode=WAL", into(mode), now;
    if (mode != "wal") return storeError("journal_mode is " + mode + ", not wal");
    // FULL: the WAL is synced at every commit, so an acknowledged tap survives a power cut.
    s << "PRAGMA synchronous=FULL", now;
    s << "PRAGMA busy_timeout=5000", now;
    s << "PRAGMA foreign_keys=ON", now;
    int version = 0;
    s << "PRAGMA user_version", into(version), now;
    const int latest = static_cast<int>(std::size(kMigrations));
    if (version > latest) return storeError("file is from a newer agent (schema " + std::to_string(version) + ")");
    for (int v = version; v < latest; ++v) {
      s.begin();
      for (const char* sql : kMigrations[v]) {
        if (sql == nullptr) continue;
        // One statement per call: Poco's SQLite binding runs only the first of several.
        std::string all(sql);
        for (std::size_t start = 0; start < all.size();) {
          std::size_t end = all.find(';', start);
          if (end == std::string::npos) end = all.size();
          const std::string one = all.substr(start, end - start);
          if (one.find_first_not_of(' ') != std::string::npos) s << one, now;
          start = end + 1;
        }
      }
      s << "PRAGMA user_version=" + std::to_string(v + 1), now;
      s.commit();
    }
    std::vector<std::string> id;
    s << "SELECT value FROM meta WHERE key='device_id'", into(id), now;
    if (id.empty()) {
      std::string fresh = randomId();
      if (fresh.empty()) return storeError("no randomness for the device id");
      s << "INSERT INTO meta(key, value) VALUES('device_id', ?)", use(fresh), now;
      impl->deviceId = fresh;
    } else {
      impl->deviceId = id.front();
    }
  } catch (const Poco::Exception& e) {
    return storeError(std::string("open: ") + e.name() + " " + e.message());
  }
  return std::unique_ptr<AttendanceStore>(new AttendanceStore(std::move(impl)));
}

Status AttendanceStore::enroll(const std::string& fingerprint, const StaffBinding& b, WallClock::time_point when) {
  std::lock_guard lock(impl_->mutex);
  auto& s = impl_->session;
  return impl_->transaction("enroll", [&]() -> Status {
    std::string fp = fingerprint, staff = b.staffId, name = b.displayName, notAfter = b.certNotAfter, at = isoUtc(when);
    s << "UPDATE bindings SET replaced_at=? WHERE replaced_at IS NULL AND (fingerprint=? OR staff_id=?)", use(at), use(fp),
        use(staff), now;
    s << "INSERT INTO bindings(fingerprint, staff_id, display_name, cert_not_after, enrolled_at) VALUES(?,?,?,?,?)", use(fp),
        use(staff), use(name), use(notAfter), use(at), now;
    return okStatus();
  });
}

Result<std::optional<StaffBinding>> AttendanceStore::bindingOf(const std::string& fingerprint) {
  std::lock_guard lock(impl_->mutex);
  try {
    std::string fp = fingerprint;
    std::vector<std::string> staff, name, notAfter;
    impl_->session << "SELECT staff_id, display_name, cert_not_after FROM bindings WHERE fingerprint=? AND replaced_at IS NULL",
        into(staff), into(name), into(notAfter), use(fp), now;
    if (staff.empty()) return std::optional<StaffBinding>();
    return std::optional<StaffBinding>(StaffBinding{staff.front(), name.front(), notAfter.front()});
  } catch (const Poco::Exception& e) {
    return storeError(std::string("binding: ") + e.name());
  }
}

Result<TapOutcome> AttendanceStore::recordTap(const std::string& fingerprint, const std::string& reader, WallClock::time_point at,
                                              const AttendanceRules& rules) {
  std::lock_guard lock(impl_->mutex);
  auto& s = impl_->session;
  return impl_->transaction("tap", [&]() -> Result<TapOutcome> {
    TapOutcome out;
    std::string fp = fingerprint;
    std::vector<std::string> staff, name;
    s << "SELECT staff_id, display_name FROM bindings WHERE fingerprint=? AND replaced_at IS NULL", into(staff), into(name),
        use(fp), now;
    if (staff.empty()) return out;  // UnknownCard
    Int64 atMs = epochMillis(at);
    // The window is measured both ways, so a clock set back by NTP does not turn one tap into two.
    std::vector<Int64> last;
    s << "SELECT at_ms FROM taps WHERE fingerprint=? ORDER BY seq DESC LIMIT 1", into(last), use(fp), now;
    if (!last.empty()) {
      const Int64 gap = atMs - last.front();
      if ((gap < 0 ? -gap : gap) < rules.doubleTapWindow.count()) {
        out.disposition = TapDisposition::DoubleTap;
        return out;
      }
    }
    AttendanceRecord& r = out.record;
    r.staffId = staff.front();
    r.displayName = name.front();
    r.at = isoLocal(at);
    r.workDay = workDay(at, rules.dayStartsAt);
    r.reader = reader;
    int earlier = 0;
    s << "SELECT COUNT(*) FROM taps WHERE work_day=? AND staff_id=?", into(earlier), use(r.workDay), use(r.staffId), now;
    r.kind = earlier % 2 == 0 ? TapKind::In : TapKind::Out;
    std::string kind(tapKindName(r.kind));
    Int64 seq = 0;
    s << "SELECT COALESCE(MAX(seq), 0) + 1 FROM taps", into(seq), now;
    r.seq = seq;
    s << "INSERT INTO taps(seq, staff_id, display_name, kind, at, at_ms, work_day, reader, fingerprint) VALUES(?,?,?,?,?,?,?,?,?)",
        use(seq), use(r.staffId), use(r.displayName), use(kind), use(r.at), use(atMs), use(r.workDay), use(r.reader), use(fp), now;
    out.disposition = TapDisposition::Recorded;
    return out;
  });
}

std::optional<TapKind> tapKindFromName(std::string_view name) {
  for (auto k : kAllTapKinds) {
    if (tapKindName(k) == name) return k;
  }
  return std::nullopt;
}

namespace {

Result<std::vector<AttendanceRecord>> selectRecords(Poco::Data::Statement& st) {
  std::vector<Int64> seq;
  std::vector<std::string> staff, name, kind, at, day, reader;
  st, into(seq), into(staff), into(name), into(kind), into(at), into(day), into(reader);
  st.execute();
  std::vector<AttendanceRecord> out(seq.size());
  for (std::size_t i = 0; i < seq.size(); ++i) {
    auto k = tapKindFromName(kind[i]);
    if (!k) return storeError("a record of kind '" + kind[i] + "'");
    out[i] = AttendanceRecord{seq[i], staff[i], name[i], *k, at[i], day[i], reader[i]};
  }
  return out;
}

constexpr const char* kRecordColumns = "SELECT seq, staff_id, display_name, kind, at, work_day, reader FROM taps ";

}  // namespace

Result<std::vector<AttendanceRecord>> AttendanceStore::list(const std::string& fromDay, const std::string& toDay,
                                                            const std::optional<std::string>& staffId) {
  std::lock_guard lock(impl_->mutex);
  try {
    std::string from = fromDay, to = toDay, staff = staffId.value_or("");
    Poco::Data::Statement st(impl_->session);
    st << std::string(kRecordColumns) + "WHERE work_day BETWEEN ? AND ?" + (staffId ? " AND staff_id=?" : "") + " ORDER BY seq",
        use(from), use(to);
    if (staffId) st, use(staff);
    return selectRecords(st);
  } catch (const Poco::Exception& e) {
    return storeError(std::string("list: ") + e.name());
  }
}

Result<std::vector<AttendanceRecord>> AttendanceStore::unsynced(std::size_t limit) {
  std::lock_guard lock(impl_->mutex);
  try {
    Int64 lim = static_cast<Int64>(limit);
    Poco::Data::Statement st(impl_->session);
    st << std::string(kRecordColumns) +
              "WHERE seq > COALESCE((SELECT CAST(value AS INTEGER) FROM meta WHERE key='synced_through'), 0) ORDER BY seq LIMIT ?",
        use(lim);
    return selectRecords(st);
  } catch (const Poco::Exception& e) {
    return storeError(std::string("outbox: ") + e.name());
  }
}

Status AttendanceStore::markSynced(std::int64_t throughSeq) {
  std::lock_guard lock(impl_->mutex);
  auto& s = impl_->session;
  return impl_->transaction("mark synced", [&]() -> Status {
    std::string v = std::to_string(throughSeq);
    s << "INSERT INTO meta(key, value) VALUES('synced_through', ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value", use(v), now;
    return okStatus();
  });
}

Result<std::int64_t> AttendanceStore::syncedThrough() {
  std::lock_guard lock(impl_->mutex);
  try {
    std::vector<std::string> v;
    impl_->session << "SELECT value FROM meta WHERE key='synced_through'", into(v), now;
    return v.empty() ? std::int64_t{0} : std::stoll(v.front());
  } catch (const Poco::Exception& e) {
    return storeError(std::string("synced: ") + e.name());
  }
}

}  // namespace kakanai::attendance
