// What the Grafana dashboards query: the fleet's time series in VictoriaMetrics (PromQL) and the
// collector's own metrics scraped by Prometheus. The names are this module's contract with the
// writers of steps 5 and 6; if a writer names a series differently, change it here only.
//
// VictoriaMetrics stores a line-protocol point `<measurement> <field>=...` as `<measurement>_<field>`
// (BACKENDS.md), so the hourly rollups written as measurement `telemetry_rollup` with tags
// event_type, name, app_version and fields count / p50 / p95 read back as below.
export const DATASOURCES = {
  victoria: { type: 'prometheus', uid: 'fleet-victoriametrics', name: 'Fleet (VictoriaMetrics)' },
  prometheus: { type: 'prometheus', uid: 'fleet-prometheus', name: 'Collector (Prometheus)' },
  influx: { type: 'influxdb', uid: 'fleet-influxdb', name: 'Fleet (InfluxDB)' },
} as const;

export const SERIES = {
  /** Events per rollup hour: tags event_type, name, app_version. */
  count: 'telemetry_rollup_count',
  /** Percentiles of a measure per rollup hour: tags event_type, name, app_version. */
  p50: 'telemetry_rollup_p50',
  p95: 'telemetry_rollup_p95',
  /** Feature uses per hour: tags feature_id, app_version. */
  featureUses: 'telemetry_feature_uses_count',
  /** Devices seen in the trailing window, per app_version: tag window = 1d | 7d | 30d. */
  activeDevices: 'telemetry_active_devices',
} as const;

export const COLLECTOR = {
  /** The collector's ingestion counters (prom-client, /metrics). */
  accepted: 'collector_events_accepted_total',
  rejected: 'collector_events_rejected_total',
  requestSeconds: 'collector_request_duration_seconds_bucket',
} as const;
