-- feature_rollups are folded by the RollupWriter (src/telemetry/rollup/rollup-writer.ts), once per
-- (hour, feature, version) per commit, in the same transaction as the rollups. The per-row
-- trigger of 003 did the same work with three json_extract calls per feature event.
DROP TRIGGER IF EXISTS feature_rollups_fold;
