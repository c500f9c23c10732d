import { describe, expect, it } from 'vitest';
import { validate, version } from 'uuid';
import { createIdGenerator } from './ids.js';

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
