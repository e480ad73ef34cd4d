-- How far each PC has pushed, for the office's monitoring (a PC that stopped syncing shows here).
CREATE VIEW attendance_devices AS
  SELECT device_id, max(local_seq) AS last_seq, count(*) AS records, max(received_at) AS last_received
  FROM attendance_records GROUP BY device_id;
