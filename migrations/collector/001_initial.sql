-- The collector's store (docs/PROTOCOL.md): events from the whole fleet, the same rollups as the
-- device (so the same RollupWriter folds them and the same analyzer reads them), a log of
-- deletions (request ids and counts only, never the ids deleted) and each device's self-health.

-- One row per event, de-duplicated by `id`. Common fields are columns, type-specific fields a JSON
-- payload (as on the device). `ts` is the event's time corrected for the sending device's clock
-- skew; `client_ts` keeps the device's own timestamp when a correction was applied (else NULL).
CREATE TABLE events (
  rowid       INTEGER PRIMARY KEY,
  id          TEXT    NOT NULL UNIQUE,
  event_type  TEXT    NOT NULL,
  category    TEXT    NOT NULL,
  name        TEXT    NOT NULL,
  ts          INTEGER NOT NULL,           -- ms since the epoch, corrected for clock skew
  client_ts   INTEGER,                    -- ms since the epoch as the device sent it, when corrected
  session_id  TEXT    NOT NULL,
  user_id     TEXT    NOT NULL,
  app_version TEXT    NOT NULL,
  os          TEXT    NOT NULL,
  device_id   TEXT    NOT NULL,
  seq         INTEGER NOT NULL,
  payload     TEXT    NOT NULL,
  received_at INTEGER NOT NULL            -- ms since the epoch, the collector's clock
);
CREATE INDEX events_user ON events (user_id);                  -- deletions by user id
CREATE INDEX events_device_seq ON events (device_id, seq);     -- deletions by device id; gaps in seq
CREATE INDEX events_ts ON events (ts);                         -- time ranges, retention

-- Hour x event type x name x app version. EXACTLY the DDL of the device's rollups table
-- (migrations/001_initial.sql): one writer and one analyzer serve both databases.
CREATE TABLE rollups (
  hour        INTEGER NOT NULL,           -- floor(ts / 3600000)
  event_type  TEXT    NOT NULL,
  name        TEXT    NOT NULL,
  app_version TEXT    NOT NULL,
  count       INTEGER NOT NULL,
  measured    INTEGER NOT NULL,           -- how many events carried a measure (value, duration)
  sum         REAL    NOT NULL,
  min         REAL,
  max         REAL,
  hist        TEXT,                       -- JSON of a mergeable log-bucket histogram
  PRIMARY KEY (hour, event_type, name, app_version)
) WITHOUT ROWID;
CREATE INDEX rollups_type_hour ON rollups (event_type, hour);

-- That a deletion request was carried out, and how much it deleted. Never the ids it named.
CREATE TABLE deletions_log (
  request_id     TEXT    PRIMARY KEY,
  first_done_at  INTEGER NOT NULL,
  last_done_at   INTEGER NOT NULL,
  times          INTEGER NOT NULL,         -- how often the request arrived (retries are normal)
  deleted_events INTEGER NOT NULL          -- summed over every arrival
) WITHOUT ROWID;

-- The latest self-health each device reported (queue depth, dropped and evicted counts).
CREATE TABLE client_health (
  device_id   TEXT    PRIMARY KEY,
  reported_at INTEGER NOT NULL,
  health      TEXT    NOT NULL             -- JSON
) WITHOUT ROWID;
