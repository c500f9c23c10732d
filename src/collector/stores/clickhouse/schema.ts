// The ClickHouse tables of the collector's store live in src/store-schema/clickhouse.ts, where the
// analyzer's reader can import them too.
export { CLIENT_HEALTH, DELETIONS_LOG, EVENTS_DISTRIBUTED, EVENTS_LOCAL, FEATURE_ROLLUPS, ROLLUPS } from '../../../store-schema/clickhouse.js';
