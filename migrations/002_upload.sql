-- The upload side of the store (docs/PROTOCOL.md). events.state gains 3 = dead-lettered: the
-- collector refused the event for good; it stays on the device, visible, with the reason here.
CREATE TABLE dead_letters (
  event_id TEXT PRIMARY KEY,
  at       INTEGER NOT NULL,
  status   INTEGER NOT NULL,              -- HTTP status of the refusal (200 for a per-event rejection)
  reason   TEXT    NOT NULL
) WITHOUT ROWID;

-- Every upload attempt that reached a server or failed trying: what the person sees as
-- "What was sent", and what diagnostics show as the sync history. Trimmed to the newest rows.
CREATE TABLE uploads (
  rowid       INTEGER PRIMARY KEY,
  at          INTEGER NOT NULL,
  kind        TEXT    NOT NULL,           -- 'events' | 'deletions'
  events      INTEGER NOT NULL,
  wire_bytes  INTEGER NOT NULL,
  categories  TEXT    NOT NULL,           -- JSON array
  outcome     TEXT    NOT NULL,           -- 'sent' | 'partial' | 'retry' | 'dead_letter' | 'paused' | 'split'
  status      INTEGER,                    -- HTTP status, null for network errors and timeouts
  detail      TEXT,
  accepted    INTEGER NOT NULL DEFAULT 0,
  duplicates  INTEGER NOT NULL DEFAULT 0
);
