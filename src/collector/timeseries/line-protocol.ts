// The fleet's time series as InfluxDB line protocol (InfluxDB 1.x and VictoriaMetrics read the
// same): one point per stored event, tagged only with low-cardinality fields (event type, name,
// app version, os): never ids, URLs, messages or stack traces.
import { measureOf } from '../../telemetry/event/schema.js';
import type { IngestEvent } from '../store.js';

export const MEASUREMENT = 'telemetry';

const NEEDS_ESCAPE = /[,= \\\n]/;

/** Tag values: commas, spaces and equals signs escaped (line protocol); most need nothing. */
function tag(v: string): string {
  return NEEDS_ESCAPE.test(v) ? v.replace(/[,= \\]/g, (c) => `\\${c}`).replace(/\n/g, ' ') : v;
}

/**
 * One line per event: `telemetry,event_type=…,name=…,app_version=…,os=… count=1i[,value=…] <ns>`.
 * The timestamp is the event's time in ns plus a sub-millisecond offset taken from the id's
 * random bits: two events in the same millisecond stay two points, and a redelivered event writes
 * the very same point again (a no-op on InfluxDB), so counts are not doubled there.
 */
export function lineOf({ event, ts }: IngestEvent): string {
  const { event_type, name, app_version, os } = event;
  const m = measureOf(event_type, event as unknown as Record<string, unknown>);
  const value = typeof m === 'number' && Number.isFinite(m) ? `,value=${m}` : '';
  // The id's last 5 hex digits (random in a UUIDv7): 0..1048575, folded below 1e6 ns.
  const offset = parseInt(event.id.slice(-5), 16) % 1_000_000;
  const ns = `${Math.floor(ts)}${String(offset).padStart(6, '0')}`;
  return `${MEASUREMENT},event_type=${event_type},name=${tag(name)},app_version=${tag(app_version)},os=${tag(os)} count=1i${value} ${ns}`;
}
