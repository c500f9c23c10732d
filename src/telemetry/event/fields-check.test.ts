// The fast path may say "valid" only where the zod schemas (the specification) say so, and it must
// say so for the fields app code passes every day (else track() pays zod's price for nothing).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { certainlyValidFields } from './fields-check.js';
import { EVENT_TYPES, FIELDS_OF, LIMITS, UNITS, type EventType } from './schema.js';

const name = fc.stringMatching(/^[a-z][a-z0-9]{0,8}(?:[._:-][a-z0-9]{1,6}){0,3}$/);
const contextValue = fc.oneof(fc.string({ maxLength: 40 }), fc.double(), fc.integer(), fc.boolean(), fc.constant(null));
const contextKey = fc.oneof(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.]{0,20}$/), fc.string({ maxLength: 70 }));
const context = fc.dictionary(contextKey, contextValue, { maxKeys: 36 });

/** Values near every boundary the schemas draw, and values of the wrong kind. */
const boundaries = fc.constantFrom(0, 599, 600, -1, -0, 0.5, 604_800, 604_801, 1_000_000, 1_000_001, Number.MAX_SAFE_INTEGER, 2 ** 53, NaN, Infinity, -Infinity);
const anyValue = fc.oneof(
  boundaries,
  name,
  fc.string({ maxLength: 80 }),
  fc.string({ minLength: LIMITS.nameMax - 2, maxLength: LIMITS.nameMax + 2 }),
  fc.constantFrom(...UNITS, 'MS', ''),
  fc.double(),
  fc.integer({ min: -5, max: 1_000_005 }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  context,
  fc.array(fc.integer(), { maxLength: 3 }),
);

const KEYS: Record<EventType, string[]> = {
  app: ['context'],
  feature: ['feature_id', 'duration_seconds', 'interaction_count', 'context'],
  performance: ['value', 'unit', 'context'],
  network: ['url', 'status_code', 'duration_ms', 'bytes_transferred'],
  error: ['error_message', 'error_code', 'stack_trace', 'feature_id'],
  crash: ['error_message', 'error_code', 'stack_trace', 'feature_id', 'process', 'reason'],
};

const everyday: Record<EventType, unknown> = {
  app: { context: { window: 'main' } },
  feature: { feature_id: 'tool_picker', duration_seconds: 12.5, interaction_count: 3, context: { source: 'menu' } },
  performance: { value: 812, unit: 'ms', context: { provider: 'anthropic', model: 'claude-sonnet-4', output_tokens: 512 } },
  network: { url: 'https://api.example.com/v1/messages', status_code: 200, duration_ms: 84, bytes_transferred: 4096 },
  error: { error_message: 'ENOENT: no such file', error_code: 'ENOENT', stack_trace: 'Error: x\n    at f (file.js:1:2)', feature_id: 'settings' },
  crash: { error_message: 'boom', process: 'renderer', reason: 'crashed' },
};

/** Objects over a type's keys (and a stray one now and then), each with any value; and valid
 *  everyday fields with one or two keys changed to any value (so every boundary is reached with
 *  the rest valid). */
function fieldsOf(type: EventType) {
  const key = fc.constantFrom(...KEYS[type], 'extra', '__proto__', 'constructor');
  return fc.oneof(
    fc.dictionary(key, anyValue, { maxKeys: 7 }),
    fc.array(fc.tuple(key, anyValue), { minLength: 1, maxLength: 2 }).map((changes) => {
      const f: Record<string, unknown> = { ...(everyday[type] as object) };
      for (const [k, v] of changes) Object.defineProperty(f, k, { value: v, enumerable: true, configurable: true, writable: true });
      return f;
    }),
  );
}

describe('the fast validity check', () => {
  it.each(EVENT_TYPES)('never accepts %s fields that zod refuses', (type) => {
    fc.assert(
      fc.property(fieldsOf(type), (f) => {
        if (certainlyValidFields(type, f)) expect(FIELDS_OF[type].safeParse(f).success).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it.each(EVENT_TYPES)('never accepts %s fields that zod refuses, with any one field set to any edge value', (type) => {
    const edges: unknown[] = [0, 599, 600, -1, -0, 0.5, 604_800, 604_801, 1_000_000, 1_000_001, Number.MAX_SAFE_INTEGER, 2 ** 53, NaN, Infinity, -Infinity,
      '', 'ms', 'MS', 'a'.repeat(LIMITS.nameMax), 'a'.repeat(LIMITS.nameMax + 1), 'x'.repeat(LIMITS.urlMax + 1), 'x'.repeat(LIMITS.errorMessageMax + 1),
      'x'.repeat(LIMITS.stackTraceMax + 1), 'Not A Name', 'EACCES:<user>', '<bad', null, undefined, true, [], {}, { k: 'v' }, { 'bad key': 1 }, { k: 'x'.repeat(LIMITS.contextInputStringMax + 1) }];
    for (const k of [...KEYS[type], 'extra']) {
      for (const v of edges) {
        const f: Record<string, unknown> = { ...(everyday[type] as object), [k]: v };
        if (certainlyValidFields(type, f)) expect({ k, v, zod: FIELDS_OF[type].safeParse(f).success }).toEqual({ k, v, zod: true });
      }
    }
  });

  it('says valid for the fields app code passes every day', () => {
    for (const type of EVENT_TYPES) expect([type, certainlyValidFields(type, everyday[type])]).toEqual([type, true]);
  });

  it('leaves odd objects to zod: class instances, arrays, null prototypes with getters', () => {
    class Fields {
      value = 1;
      unit = 'ms';
    }
    expect(certainlyValidFields('performance', new Fields())).toBe(false);
    expect(certainlyValidFields('app', [])).toBe(false);
    expect(certainlyValidFields('app', null)).toBe(false);
  });
});
