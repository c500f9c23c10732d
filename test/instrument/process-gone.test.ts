// render-process-gone and child-process-gone as crash events: the reason kept, out-of-memory
// counted as resource exhaustion, a clean exit not a crash.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { METRIC } from '../../src/telemetry/event/metric-names.js';
import { trackProcessGone } from '../../src/telemetry/instrument/process-gone.js';
import { consentedService, type Instrumented } from './support.js';

let t: Instrumented;
beforeEach(() => (t = consentedService()));
afterEach(() => t.h.cleanup());

const crash = (): Record<string, unknown> => {
  const rows = t.rows();
  expect(rows).toHaveLength(1);
  return { type: rows[0]!.event_type, name: rows[0]!.name, ...rows[0]!.payload };
};

describe('process gone', () => {
  it('a renderer that ran out of memory is a crash of reason resource_exhaustion with the code oom', () => {
    expect(trackProcessGone(t.service, 'renderer', { reason: 'oom', exitCode: -536870904 })).toBe(true);
    expect(crash()).toMatchObject({ type: 'crash', name: METRIC.rendererGone, process: 'renderer', reason: 'resource_exhaustion', error_code: 'oom', error_message: expect.stringContaining('out of memory') });
  });

  it('memory-eviction is resource exhaustion too', () => {
    trackProcessGone(t.service, 'renderer', { reason: 'memory-eviction', exitCode: 0 });
    expect(crash()).toMatchObject({ reason: 'resource_exhaustion', error_code: 'memory-eviction' });
  });

  it('a crashed GPU process is recorded as a child crash with its process type and exit code', () => {
    trackProcessGone(t.service, 'child', { type: 'GPU', reason: 'crashed', exitCode: 139 });
    const c = crash();
    expect(c).toMatchObject({ name: METRIC.childGone, process: 'gpu', reason: 'crashed', error_code: 'crashed' });
    expect(c.error_message).toBe('gpu process gone: crashed (exit code 139)');
    // No stack: the main process's stack says nothing about the process that died.
    expect(c).not.toHaveProperty('stack_trace');
  });

  it('odd process types become valid names', () => {
    trackProcessGone(t.service, 'child', { type: 'Sandbox helper', reason: 'abnormal-exit', exitCode: 1 });
    expect(crash()).toMatchObject({ process: 'sandbox_helper', reason: 'abnormal_exit' });
  });

  it('a clean exit records nothing', () => {
    expect(trackProcessGone(t.service, 'renderer', { reason: 'clean-exit', exitCode: 0 })).toBe(false);
    expect(trackProcessGone(t.service, 'child', { type: 'Utility', reason: 'clean-exit', exitCode: 0 })).toBe(false);
    expect(t.rows()).toEqual([]);
  });
});
