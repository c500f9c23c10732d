import { describe, expect, it } from 'vitest';
import { validate, version } from 'uuid';
import fc from 'fast-check';
import { createIdGenerator } from './ids.js';
import { commonFields } from './schema.js';

describe('event ids', () => {
  it('are valid UUIDv7 and strictly increasing, also within one millisecond', () => {
    const gen = createIdGenerator();
    const ids = Array.from({ length: 2000 }, () => gen(1_764_000_000_000));
    expect(ids.every((id) => validate(id) && version(id) === 7)).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('order by time across milliseconds, and a clock that steps back does not break the order', () => {
    let t = 1_764_000_000_000;
    const gen = createIdGenerator();
    const next = () => gen(t);
    const a = next();
    t += 5;
    const b = next();
    t -= 1000;
    const c = next();
    expect(a < b && b < c).toBe(true);
  });

  it('carry the event time in their first 48 bits, so an id tells when it was made', () => {
    const t = 1_764_000_123_456;
    const id = createIdGenerator()(t);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(t);
    expect('89ab').toContain(id[19]);
  });
});

describe('event ids for any clock reading', () => {
  // The collector's own check of an id: the schema every event must pass upstream.
  const collectorAccepts = (id: string) => commonFields.shape.id.safeParse(id).success;

  it('are valid UUIDv7 the collector accepts for integer, fractional, backward, far-future and impossible readings', () => {
    const reading = fc.oneof(
      fc.integer({ min: 0, max: 2 ** 48 - 1 }),
      fc.double({ min: 0, max: 2 ** 49, noNaN: true }),
      fc.double(),
      fc.constantFrom(NaN, Infinity, -Infinity, -1, 0.5, performance.timeOrigin + performance.now(), Number.MAX_VALUE),
    );
    fc.assert(
      fc.property(fc.array(reading, { minLength: 1, maxLength: 50 }), (readings) => {
        const gen = createIdGenerator();
        const ids = readings.map((r) => gen(r));
        for (const id of ids) if (!(validate(id) && version(id) === 7 && collectorAccepts(id))) return false;
        // Increasing whatever the clock did, so ids never collide.
        return ids.every((id, i) => i === 0 || id > ids[i - 1]!);
      }),
      { numRuns: 500 },
    );
  });

  it('a performance.now()-based clock keeps the millisecond it was read in', () => {
    const t = 1_764_000_123_456.789;
    const id = createIdGenerator()(t);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(1_764_000_123_456);
  });
});
