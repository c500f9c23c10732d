// docs/API.md promises that track*() never throws: whatever the app hands in, the answer is a
// stored event or a counted drop with a reason, and what was stored before stays stored.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { TelemetryService } from '../../src/telemetry/index.js';
import { harness, type Harness } from '../support/service.js';

const ALL_SHARED = { usage: 'shared', performance: 'shared', errors: 'shared', crashes: 'shared' } as const;
let h: Harness;
afterEach(() => h?.cleanup());

function open(): TelemetryService {
  h = harness();
  const s = h.open();
  s.setConsent(ALL_SHARED);
  return s;
}

const throwing = () => {
  throw new Error('getter says no');
};
/** Thrown values apps really produce, and the ones that broke String() or property reads. */
const hostile: [string, () => unknown][] = [
  ['a null-prototype object', () => Object.create(null)],
  ['a null-prototype object with a message', () => Object.assign(Object.create(null), { message: 'x' })],
  ['an error whose message getter throws', () => Object.defineProperty(new Error(), 'message', { get: throwing })],
  ['an error whose stack getter throws', () => Object.defineProperty(new Error('m'), 'stack', { get: throwing })],
  ['an error whose name getter throws', () => Object.defineProperty(new Error('m'), 'name', { get: throwing })],
  ['a Proxy whose every trap throws', () => new Proxy({}, { get: throwing, has: throwing, ownKeys: throwing, getPrototypeOf: throwing, getOwnPropertyDescriptor: throwing })],
  ['a revoked Proxy', () => { const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy; }],
  ['a symbol', () => Symbol('boom')],
  ['a BigInt', () => 10n ** 30n],
  ['an error with a cyclic cause', () => { const e = new Error('outer') as Error & { cause?: unknown }; e.cause = e; return e; }],
  ['a 10 MB message', () => new Error('x'.repeat(10 * 1024 * 1024))],
  ['an object whose toString throws', () => ({ toString: throwing, valueOf: throwing })],
  ['undefined', () => undefined],
  ['a function', () => () => 1],
];

describe('tracking never throws into the app', () => {
  it.each(hostile)('trackError and trackCrash with %s store an event', (_, make) => {
    const s = open();
    expect(s.trackError('tool.failed', make())).toMatchObject({ ok: true });
    expect(s.trackCrash('main.uncaught', make(), { process: 'main', reason: 'uncaught_exception' })).toMatchObject({ ok: true });
    s.flush();
    const rows = h.rawRows('SELECT event_type, payload FROM events ORDER BY rowid');
    expect(rows.map((r) => r.event_type)).toEqual(['error', 'crash']);
    for (const r of rows) expect(String(r.payload).length).toBeLessThan(40_000);
  });

  it('names and types that are Object.prototype keys are handled as plain names or refused, never thrown', () => {
    const s = open();
    for (const n of ['constructor', '__proto__', 'hasownproperty', 'tostring', 'prototype']) {
      expect(() => s.trackApp(n)).not.toThrow();
      expect(() => s.track(n as never, 'x.y', {} as never)).not.toThrow();
      expect(s.track(n as never, 'x.y', {} as never)).toEqual({ ok: false, reason: 'invalid_fields' });
    }
    s.flush();
    expect(s.health().lastStorageError).toBeNull();
  });

  it('arbitrary values in every argument of every helper: a result each time, and earlier events stay stored', () => {
    const s = open();
    s.trackApp('app.start');
    s.flush();
    const anything = fc.oneof(
      fc.anything({ withBigInt: true, withNullPrototype: true, withObjectString: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withBoxedValues: true }),
      // fast-check cannot hold a throwing Proxy itself: an index, made into the value inside.
      fc.integer({ min: 0, max: hostile.length - 1 }).map((i) => ({ hostile: i })),
    );
    const real = (v: unknown) => (typeof v === 'object' && v !== null && 'hostile' in v && Object.keys(v).length === 1 ? hostile[(v as { hostile: number }).hostile]![1]() : v);
    fc.assert(
      fc.property(anything, anything, anything, anything, (...args) => {
        const [a, b, c, d] = args.map(real);
        const results = [
          s.trackApp(a as string, b as never),
          s.trackFeature(a as string, b as never),
          s.trackPerformance(a as string, b as number, c as never, d as never),
          s.trackNetwork(a as string, b as never),
          s.trackError(a as string, b, c as never),
          s.trackCrash(a as string, b, c as never),
          s.track(a as never, b as string, c as never),
          s.trackError('tool.failed', a, { errorCode: b as string, featureId: c as string }),
          s.trackCrash('main.gone', a, { process: 'main', reason: 'crashed', errorCode: d as string }),
        ];
        return results.every((r) => r !== null && typeof r === 'object' && (r.ok === true ? typeof r.id === 'string' : typeof r.reason === 'string'));
      }),
      { numRuns: 300 },
    );
    s.flush();
    expect(h.rawRows("SELECT count(*) AS n FROM events WHERE name = 'app.start'")[0]!.n).toBe(1);
    expect(s.health().lastStorageError).toBeNull();
  });
});
