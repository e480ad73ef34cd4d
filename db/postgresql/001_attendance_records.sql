-- Attendance records collected from every counter PC. A PC pushes its outbox in order; the key
-- (device_id, local_seq) makes every push idempotent, so a retry after a lost acknowledgement
-- never duplicates a record.
CREATE TABLE attendance_records (
  device_id    text        NOT NULL,
  local_seq    bigint      NOT NULL CHECK (local_seq > 0),
  staff_id     text        NOT NULL,
  display_name text        NOT NULL,
  kind         text        NOT NULL CHECK (kind IN ('in', 'out')),
  at           timestamptz NOT NULL,
  work_day     date        NOT NULL,
  reader       text        NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (device_id, local_seq)
);
CREATE INDEX attendance_records_by_staff_day ON attendance_records (staff_id, work_day);
