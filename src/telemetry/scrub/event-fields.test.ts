import { describe, expect, it } from 'vitest';
import { LIMITS, telemetryEventSchema } from '../event/schema.js';
import { scrubEventFields } from './event-fields.js';
import { createScrubber } from './scrub.js';

const s = createScrubber({ userNames: ['jdoe'] });

describe('scrubEventFields()', () => {
  it('scrubs the message, the stack and the error code of an error', () => {
    const f: Record<string, unknown> = { error_message: 'EACCES for jdoe', stack_trace: 'Error\n    at f (/home/jdoe/a.js:1:2)', error_code: 'EACCES:jdoe' };
    expect(scrubEventFields(s, 'error', f)).toBe(0);
    expect(f).toEqual({ error_message: 'EACCES for <user>', stack_trace: 'Error\n    at f (/home/<user>/a.js:1:2)', error_code: 'EACCES:<user>' });
  });

  it('scrubs context names and values, drops secret-named keys, cuts long values after scrubbing and counts them', () => {
    const long = 'jdoe@example.com ' + 'y'.repeat(300);
    const f: Record<string, unknown> = { context: { note: long, jdoe_files: 2, api_key: 'k', ok: true } };
    expect(scrubEventFields(s, 'app', f)).toBe(1);
    const ctx = f.context as Record<string, unknown>;
    expect(ctx).toEqual({ note: ('<email> ' + 'y'.repeat(300)).slice(0, LIMITS.contextStringMax), '<user>_files': 2, ok: true });
  });

  it('an error code lengthened past its limit is cut without leaving half a token, and what it gives validates', () => {
    const f: Record<string, unknown> = { error_message: 'x', error_code: 'E_' + 'jdoe_'.repeat(12) };
    expect(scrubEventFields(s, 'error', f)).toBe(1);
    const code = f.error_code as string;
    expect(code.length).toBeLessThanOrEqual(LIMITS.nameMax);
    expect(code).toMatch(/^(?:[A-Za-z0-9_.:-]|<[a-z]+>)+$/);
    const event = { id: '0190a5c4-5e2b-7c3d-9f1a-2b3c4d5e6f70', name: 'a.b', timestamp: '2026-01-01T00:00:00.000Z', session_id: '0190a5c4-5e2b-7c3d-9f1a-2b3c4d5e6f70', user_id: '0190a5c4-5e2b-7c3d-9f1a-2b3c4d5e6f70', device_id: '0190a5c4-5e2b-7c3d-9f1a-2b3c4d5e6f70', app_version: '1', os: 'linux', seq: 1, event_type: 'error', ...f };
    expect(telemetryEventSchema.safeParse(event).success).toBe(true);
  });

  it('scrubs a network URL and leaves events without free text alone', () => {
    const n: Record<string, unknown> = { url: 'https://api.example.com/x?q=secret' };
    scrubEventFields(s, 'network', n);
    expect(n.url).toBe('https://api.example.com/x?q=<redacted>');
    const feature = { feature_id: 'tool_picker', duration_seconds: 1, interaction_count: 1 };
    expect(scrubEventFields(s, 'feature', feature)).toBe(0);
    expect(feature).toEqual({ feature_id: 'tool_picker', duration_seconds: 1, interaction_count: 1 });
  });
});
