// VictoriaMetrics as a time-series target: the same line protocol on /write (each field becomes
// `telemetry_<field>`), PromQL/MetricsQL on /api/v1/query. Its retention is the instance's
// -retentionPeriod; the hourly rollups are recording rules run by vmalert (RECORDING_RULES).
import type { LineProtocolTarget } from './sink.js';

/** vmalert rules (`-rule=` file): hourly counts and p95 per type/name/version, kept as their own
 *  series, like the continuous query on InfluxDB. */
export const RECORDING_RULES = `groups:
  - name: telemetry_hourly
    interval: 1h
    rules:
      - record: telemetry:events:count1h
        expr: sum by (event_type, name, app_version) (count_over_time(telemetry_count[1h]))
      - record: telemetry:value:p95_1h
        expr: quantile_over_time(0.95, telemetry_value[1h])
`;

export class VictoriaTarget implements LineProtocolTarget {
  readonly name = 'victoria-metrics';
  private constructor(readonly url: string) {}

  static async open(url: string): Promise<VictoriaTarget> {
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
      if (!res.ok) throw new Error(`/health answered ${res.status}`);
    } catch (e) {
      throw new Error(`cannot use VictoriaMetrics at ${url}: ${(e as Error).message}`, { cause: e });
    }
    return new VictoriaTarget(url);
  }

  async write(lines: string): Promise<{ refused: number }> {
    const res = await fetch(`${this.url}/write?precision=ns`, { method: 'POST', body: lines });
    if (res.status === 204 || res.ok) return { refused: 0 };
    throw new Error(`victoria-metrics /write answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  }

  /** An instant PromQL query's result vector, for tests and tools. */
  async query(promql: string, time?: number): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    const t = time === undefined ? '' : `&time=${time / 1000}`;
    const res = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(promql)}${t}`);
    const body = (await res.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
    return body.data.result;
  }

  /** Makes what was written visible to queries now (VM buffers for ~1 s otherwise). */
  async flush(): Promise<void> {
    await fetch(`${this.url}/internal/force_flush`).then((r) => r.arrayBuffer());
  }
}
