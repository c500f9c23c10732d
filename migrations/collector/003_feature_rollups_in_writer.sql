-- The collector twin of migrations/004_feature_rollups_in_writer.sql: feature_rollups are folded
-- by the shared RollupWriter, per batch, instead of by a trigger per row.
DROP TRIGGER IF EXISTS feature_rollups_fold;
