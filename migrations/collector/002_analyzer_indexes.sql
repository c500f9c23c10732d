-- The collector twin of migrations/003_analyzer_indexes.sql (keep them identical below this line).
-- What the analyzer (src/analyzer, docs/ANALYZER.md) reads besides the rollups: the few marker rows
-- (session starts and ends, crashes, errors) by time, and feature use by feature id. Partial indexes
-- stay small because they hold only those rows, so the dashboard stays fast over millions of events.
CREATE INDEX events_crash_ts ON events (ts, app_version, session_id, device_id, user_id) WHERE event_type = 'crash';
CREATE INDEX events_error_ts ON events (ts, app_version, session_id, device_id, user_id) WHERE event_type = 'error';
CREATE INDEX events_session_start_ts ON events (ts, app_version, session_id, device_id, user_id) WHERE name = 'session.start';
CREATE INDEX events_session_end_ts ON events (ts, app_version, session_id, device_id) WHERE name = 'session.end';

-- Feature use by feature id, per hour and app version. The instrumentation names every feature
-- event `feature.use` and tells features apart by `feature_id` (a payload field the rollups do not
-- key on), so the dashboard's "top features" would otherwise need a scan of every feature event.
-- Kept by triggers, so no writer has to know about it; like the rollups it survives the eviction
-- of raw rows, and it is deleted with the feature rollups (consent withdrawn, "Delete my data").
CREATE TABLE feature_rollups (
  hour         INTEGER NOT NULL,          -- floor(ts / 3600000)
  feature_id   TEXT    NOT NULL,
  app_version  TEXT    NOT NULL,
  uses         INTEGER NOT NULL,
  seconds      REAL    NOT NULL,          -- sum of duration_seconds
  interactions INTEGER NOT NULL,          -- sum of interaction_count
  PRIMARY KEY (hour, feature_id, app_version)
) WITHOUT ROWID;

CREATE TRIGGER feature_rollups_fold AFTER INSERT ON events WHEN NEW.event_type = 'feature'
BEGIN
  INSERT INTO feature_rollups (hour, feature_id, app_version, uses, seconds, interactions)
  SELECT NEW.ts / 3600000, coalesce(json_extract(p, '$.feature_id'), NEW.name), NEW.app_version, 1,
         coalesce(json_extract(p, '$.duration_seconds'), 0), coalesce(json_extract(p, '$.interaction_count'), 0)
  -- A payload that is not JSON (never written by this code) counts as a use without details rather
  -- than failing the writer's whole transaction.
  FROM (SELECT CASE WHEN json_valid(NEW.payload) THEN NEW.payload ELSE '{}' END AS p) WHERE true
  ON CONFLICT (hour, feature_id, app_version) DO UPDATE SET
    uses = uses + 1, seconds = seconds + excluded.seconds, interactions = interactions + excluded.interactions;
END;

CREATE TRIGGER feature_rollups_forget AFTER DELETE ON rollups WHEN OLD.event_type = 'feature'
BEGIN
  DELETE FROM feature_rollups WHERE hour = OLD.hour AND app_version = OLD.app_version;
END;

-- Feature events stored before this migration.
INSERT INTO feature_rollups (hour, feature_id, app_version, uses, seconds, interactions)
SELECT ts / 3600000, coalesce(json_extract(payload, '$.feature_id'), name), app_version, count(*),
       total(json_extract(payload, '$.duration_seconds')), total(json_extract(payload, '$.interaction_count'))
FROM events WHERE event_type = 'feature' AND json_valid(payload)
GROUP BY 1, 2, 3;
