-- The device's durable telemetry store (docs/ARCHITECTURE.md, "Storage").

-- One row per event. Common fields are columns (queried, indexed); the type-specific fields are
-- a JSON payload. `state`: 0 = local only (never uploaded), 1 = pending upload, 2 = sent.
CREATE TABLE events (
  rowid       INTEGER PRIMARY KEY,
  id          TEXT    NOT NULL UNIQUE,
  event_type  TEXT    NOT NULL,
  category    TEXT    NOT NULL,
  name        TEXT    NOT NULL,
  ts          INTEGER NOT NULL,           -- ms since the epoch (the event's `timestamp`)
  session_id  TEXT    NOT NULL,
  user_id     TEXT    NOT NULL,
  app_version TEXT    NOT NULL,
  os          TEXT    NOT NULL,
  device_id   TEXT    NOT NULL,
  seq         INTEGER NOT NULL,
  payload     TEXT    NOT NULL,
  state       INTEGER NOT NULL,
  bytes       INTEGER NOT NULL            -- what this row costs against the byte cap
);
CREATE INDEX events_category_rowid ON events (category, rowid);   -- eviction order, consent deletes
CREATE INDEX events_ts ON events (ts);                            -- time ranges, age limit
CREATE INDEX events_pending ON events (rowid) WHERE state = 1;    -- the upload queue

-- Hour x event type x name x app version. Updated in the same transaction as the inserts; what
-- dashboards read, so they stay fast at any event count and survive eviction of raw rows.
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

-- Anonymous ids, the per-device sequence counter and other single values.
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- Self-health: events dropped and rows evicted, by reason. Loss is data, not a log line.
CREATE TABLE counters (
  key   TEXT PRIMARY KEY,
  count INTEGER NOT NULL
) WITHOUT ROWID;

-- Requests to delete everything upstream that carries a withdrawn pair of anonymous ids.
-- Never evicted; kept (as sent) after delivery so the person can see it happened.
CREATE TABLE deletion_requests (
  request_id   TEXT PRIMARY KEY,
  user_id      TEXT    NOT NULL,
  device_id    TEXT    NOT NULL,
  requested_at INTEGER NOT NULL,
  sent_at      INTEGER
) WITHOUT ROWID;

-- What happened to the store itself: a corrupt file moved aside, a fallback to memory.
CREATE TABLE incidents (
  rowid  INTEGER PRIMARY KEY,
  at     INTEGER NOT NULL,
  kind   TEXT    NOT NULL,
  detail TEXT    NOT NULL
);
