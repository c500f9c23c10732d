// The queue figures diagnostics shows every second are running totals, never a scan of the table:
// whatever happens (tracking, uploads, refusals, consent changes, caps, age, deletion, restarts),
// they must equal what the table itself says.
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { harness, type Harness } from '../../../test/support/service.js';
import type { TelemetryService } from '../service/telemetry-service.js';
import { UploadQueue } from '../upload/queue.js';

let h: Harness;
beforeEach(() => {
  h = harness();
});
afterEach(() => h.cleanup());

const level = fc.constantFrom('off', 'local', 'shared' as const);
const op = fc.oneof(
  fc.record({ kind: fc.constant('track' as const), n: fc.integer({ min: 1, max: 40 }), type: fc.constantFrom('app', 'performance', 'error', 'crash') }),
  fc.record({ kind: fc.constant('send' as const), n: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ kind: fc.constant('refuse' as const), n: fc.integer({ min: 1, max: 10 }) }),
  fc.record({ kind: fc.constant('consent' as const), usage: level, performance: level, errors: level, crashes: level }),
  fc.record({ kind: fc.constant('age' as const), days: fc.integer({ min: 1, max: 5 }) }),
  fc.constant({ kind: 'delete' as const }),
  fc.constant({ kind: 'restart' as const }),
);

function truth(): Record<string, number> {
  const rows = h.rawRows('SELECT state, count(*) AS n, total(bytes) AS b, min(ts) AS oldest FROM events GROUP BY state') as { state: number; n: number; b: number }[];
  const by = (s: number) => rows.find((r) => r.state === s);
  return { pending: by(1)?.n ?? 0, pendingBytes: by(1)?.b ?? 0, localOnly: by(0)?.n ?? 0, sent: by(2)?.n ?? 0, deadLettered: by(3)?.n ?? 0 };
}

describe('queue figures', () => {
  it('always equal what the table holds, whatever sequence of writes came before', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 25 }), (ops) => {
        h.cleanup();
        h = harness();
        let t: TelemetryService = h.open({ limits: { maxRows: 150, maxAgeDays: 3 } });
        t.setConsent({ usage: 'shared', performance: 'local', errors: 'shared', crashes: 'shared' });
        for (const o of ops) {
          const queue = new UploadQueue(t.eventStore);
          switch (o.kind) {
            case 'track':
              for (let i = 0; i < o.n; i++) {
                if (o.type === 'app') t.trackApp('app.tick');
                else if (o.type === 'performance') t.trackPerformance('api.latency', i, 'ms');
                else if (o.type === 'error') t.trackError('api.failure', new Error('nope'));
                else t.trackCrash('process.crash', new Error('boom'), { process: 'main', reason: 'crashed' });
              }
              h.clock.advance(12 * 3_600_000);
              t.flush();
              break;
            case 'send':
              queue.markSent(queue.pending(o.n).map((p) => p.rowid));
              break;
            case 'refuse':
              queue.deadLetter(queue.pending(o.n).map((p) => ({ rowid: p.rowid, id: p.id })), 400, 'refused', h.clock.now());
              break;
            case 'consent':
              t.setConsent({ usage: o.usage, performance: o.performance, errors: o.errors, crashes: o.crashes });
              break;
            case 'age':
              h.clock.advance(o.days * 86_400_000);
              t.eventStore.enforceMaxAge(h.clock.now());
              break;
            case 'delete':
              t.deleteMyData();
              break;
            case 'restart':
              t.close();
              t = h.open({ limits: { maxRows: 150, maxAgeDays: 3 } });
              break;
          }
          const q = t.health().queue;
          const expected = truth();
          expect({ pending: q.pending, pendingBytes: q.pendingBytes, localOnly: q.localOnly, sent: q.sent, deadLettered: q.deadLettered }).toEqual(expected);
          expect(t.health().rows).toBe(expected.pending! + expected.localOnly! + expected.sent! + expected.deadLettered!);
        }
      }),
      { numRuns: 60 },
    );
  });
});
