// A real TelemetryService on a temp-dir SQLite file with every category consented, a scheduler the
// test fires by hand, and a reader of the rows as they are on disk.
import type { Scheduler } from '../../src/telemetry/instrument/scheduler.js';
import type { TelemetryService } from '../../src/telemetry/index.js';
import { harness, type Harness } from '../support/service.js';

export interface Row {
  event_type: string;
  name: string;
  session_id: string;
  ts: number;
  payload: Record<string, unknown>;
}

export interface Instrumented {
  h: Harness;
  service: TelemetryService;
  /** Every stored event, oldest first, payload parsed. */
  rows(name?: string): Row[];
  /** The raw payload text of every row, to search for what must not be there. */
  rawText(): string;
}

export function consentedService(): Instrumented {
  const h = harness();
  const service = h.open();
  service.setConsent({ usage: 'local', performance: 'local', errors: 'local', crashes: 'local' });
  return {
    h,
    service,
    rows(name) {
      service.flush();
      const all = h.rawRows('SELECT event_type, name, session_id, ts, payload FROM events ORDER BY rowid');
      return all.map((r) => ({ ...(r as Omit<Row, 'payload'>), payload: JSON.parse(String(r.payload)) as Record<string, unknown> })).filter((r) => name === undefined || r.name === name);
    },
    rawText() {
      service.flush();
      return JSON.stringify(h.rawRows('SELECT * FROM events'));
    },
  };
}

/** Fires interval callbacks when told; time is whatever the test's clock says. */
export class ManualScheduler implements Scheduler {
  private readonly jobs = new Set<{ ms: number; fn: () => void }>();
  every(ms: number, fn: () => void): () => void {
    const job = { ms, fn };
    this.jobs.add(job);
    return () => this.jobs.delete(job);
  }
  /** Runs every job once, as if one interval had passed. */
  fire(): void {
    for (const j of [...this.jobs]) j.fn();
  }
  get active(): number {
    return this.jobs.size;
  }
  intervals(): number[] {
    return [...this.jobs].map((j) => j.ms);
  }
}
