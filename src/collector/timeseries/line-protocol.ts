// The fleet's time series as InfluxDB line protocol (InfluxDB 1.x and VictoriaMetrics read the
// same): one point per stored event, tagged only with low-cardinality fields (event type, name,
// app version, os): never ids, URLs, messages or stack traces.
import { measureOf } from '../../telemetry/event/schema.js';
import type { IngestEvent } from '../store.js';

export const MEASUREMENT = 'telemetry';

/** Tag values: commas, spaces and equals signs escaped (line protocol). */
function tag(v: string): string {
  return v.replace(/[,= \\]/g, (c) => `\\${c}`).replace(/\n/g, ' ');
}

/**
 * One line per event: `telemetry,event_type=…,name=…,app_version=…,os=… count=1i[,value=…] <ns>`.
 * The timestamp is the event's time in ns plus a sub-millisecond offset taken from the id's
 * random bits: two events in the same millisecond stay two points, and a redelivered event writes
 * the very same point again (a no-op), so counts are never doubled.
 */
export function lineOf({ event, ts }: IngestEvent): string {
  const { event_type, name, app_version, os } = event;
  const fields = event as unknown as Record<string, unknown>;
  const m = measureOf(event_type, fields);
  const value = typeof m === 'number' && Number.isFinite(m) ? `,value=${m}` : '';
  const offset = parseInt(event.id.replace(/-/g, '').slice(-5), 16) % 1_000_000;
  const ns = BigInt(Math.floor(ts)) * 1_000_000n + BigInt(offset);
  return `${MEASUREMENT},event_type=${tag(event_type)},name=${tag(name)},app_version=${tag(app_version)},os=${tag(os)} count=1i${value} ${ns}`;
}
