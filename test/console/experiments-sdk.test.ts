// The SDK's experiment API: a person is always in the same variant (until the ids rotate), the split
// follows the weights, and an exposure is an ordinary usage event under usage consent.
import { describe, expect, it } from 'vitest';
import { assignVariant } from '../../src/telemetry/experiments/assignment.js';
import { EXPOSURE_EVENT, trackExposure } from '../../src/telemetry/experiments/exposure.js';
import { Rng } from '../analyzer/support/rng.js';

const ids = (n: number) => {
  const rng = new Rng(7);
  return Array.from({ length: n }, () => rng.uuid());
};

describe('assignVariant', () => {
  it('gives one anonymous id the same variant every time, and a rotated id a fresh draw', () => {
    const [a, b] = ids(2) as [string, string];
    const first = assignVariant('onboarding_tour', ['control', 'tour'], a);
    for (let i = 0; i < 100; i++) expect(assignVariant('onboarding_tour', ['control', 'tour'], a)).toBe(first);
    expect(['control', 'tour']).toContain(assignVariant('onboarding_tour', ['control', 'tour'], b));
  });

  it('splits evenly, or by weight', () => {
    const all = ids(20_000);
    const even = all.filter((id) => assignVariant('x', ['a', 'b'], id) === 'a').length / all.length;
    expect(even).toBeGreaterThan(0.48);
    expect(even).toBeLessThan(0.52);
    const weighted = all.filter((id) => assignVariant('x', [{ name: 'a', weight: 9 }, { name: 'b', weight: 1 }], id) === 'b').length / all.length;
    expect(weighted).toBeGreaterThan(0.09);
    expect(weighted).toBeLessThan(0.11);
  });

  it('draws each experiment independently', () => {
    const all = ids(20_000);
    const both = all.filter((id) => assignVariant('first', ['a', 'b'], id) === 'a' && assignVariant('second', ['a', 'b'], id) === 'a').length / all.length;
    expect(both).toBeGreaterThan(0.23);
    expect(both).toBeLessThan(0.27);
  });

  it('refuses a misconfigured experiment at once', () => {
    expect(() => assignVariant('x', [], 'id')).toThrow(/no variants/);
    expect(() => assignVariant('x', ['a', 'a'], 'id')).toThrow(/duplicate/);
    expect(() => assignVariant('x', [{ name: 'a', weight: 0 }], 'id')).toThrow(/positive/);
  });
});

describe('trackExposure', () => {
  it('records an app event with the experiment and variant in its context, through the service', () => {
    const calls: unknown[][] = [];
    const service = { trackApp: (name: string, context?: unknown) => (calls.push([name, context]), { ok: true as const, id: 'x' }) };
    expect(trackExposure(service, 'onboarding_tour', 'tour')).toEqual({ ok: true, id: 'x' });
    expect(calls).toEqual([[EXPOSURE_EVENT, { experiment: 'onboarding_tour', variant: 'tour' }]]);
  });

  it('drops an exposure whose names are not identifiers, so no free text rides in it', () => {
    const service = { trackApp: () => ({ ok: true as const, id: 'x' }) };
    expect(trackExposure(service, 'Onboarding tour for alice@example.com', 'tour')).toEqual({ ok: false, reason: 'invalid_fields' });
    expect(trackExposure(service, 'onboarding_tour', 'x'.repeat(65))).toEqual({ ok: false, reason: 'invalid_fields' });
  });
});
