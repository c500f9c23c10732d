// Property: whatever the sequence of tracked events and consent changes, no row ever exists for
// a category outside its consent: off -> no rows, no rollups; local -> nothing pending upload.
import fc from 'fast-check';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { harness, type Harness } from '../../../test/support/service.js';
import { CATEGORIES, CONSENT_LEVELS, TYPES_OF, type Category, type ConsentLevel, type TelemetryService } from '../index.js';

let h: Harness;
beforeEach(() => {
  h = harness();
});
afterEach(() => h.cleanup());

type Command =
  | { kind: 'track'; type: 'app' | 'feature' | 'performance' | 'network' | 'error' | 'crash' }
  | { kind: 'consent'; category: Category; level: ConsentLevel }
  | { kind: 'flush' }
  | { kind: 'restart' };

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('track' as const), type: fc.constantFrom('app', 'feature', 'performance', 'network', 'error', 'crash') as fc.Arbitrary<'app'> }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('consent' as const), category: fc.constantFrom(...CATEGORIES), level: fc.constantFrom(...CONSENT_LEVELS) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'flush' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
);

function track(t: TelemetryService, type: Command & { kind: 'track' }): void {
  switch (type.type) {
    case 'app': t.trackApp('app.start'); break;
    case 'feature': t.trackFeature('feature.use', { feature_id: 'search', duration_seconds: 1, interaction_count: 1 }); break;
    case 'performance': t.trackPerformance('api.latency', 12, 'ms'); break;
    case 'network': t.trackNetwork('api.request', { url: 'https://x.example/a', status_code: 200, duration_ms: 3, bytes_transferred: 9 }); break;
    case 'error': t.trackError('api.failure', new Error('x')); break;
    case 'crash': t.trackCrash('process.crash', new Error('x'), { process: 'main', reason: 'crashed' }); break;
  }
}

function assertDiskMatchesConsent(t: TelemetryService): void {
  const consent = t.getConsent().categories;
  const rows = h.rawRows('SELECT category, state, count(*) AS n FROM events GROUP BY category, state') as { category: Category; state: number; n: number }[];
  for (const r of rows) {
    expect(consent[r.category], `rows of ${r.category} exist while it is off`).not.toBe('off');
    if (consent[r.category] === 'local') expect(r.state, `${r.category} is local but has rows pending upload`).not.toBe(1);
  }
  const rollupTypes = h.rawRows('SELECT DISTINCT event_type FROM rollups').map((r) => r.event_type as string);
  for (const c of CATEGORIES) {
    if (consent[c] === 'off') for (const type of TYPES_OF[c]) expect(rollupTypes, `rollups of ${type} exist while ${c} is off`).not.toContain(type);
  }
}

it('no row ever exists for a category outside its consent, whatever the sequence of events and consent changes', () => {
  fc.assert(
    fc.property(fc.array(command, { minLength: 1, maxLength: 60 }), (commands) => {
      h.cleanup();
      h = harness();
      let t = h.open();
      try {
        for (const c of commands) {
          if (c.kind === 'track') track(t, c);
          else if (c.kind === 'consent') t.setConsent({ [c.category]: c.level });
          else if (c.kind === 'flush') t.flush();
          else {
            t.close();
            t = h.open();
          }
          // Buffered events are carried across consent changes on purpose: that is the risky path.
          assertDiskMatchesConsent(t);
        }
        t.close();
        assertDiskMatchesConsent(t);
      } finally {
        t.close();
      }
    }),
    { numRuns: 60 },
  );
});
