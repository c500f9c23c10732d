// Memory samples every interval from injected readers, as performance events in bytes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { METRIC } from '../../src/telemetry/event/metric-names.js';
import { MEMORY_SAMPLE_INTERVAL_MS, MemorySampler, appMetricsTotalBytes } from '../../src/telemetry/instrument/memory-sampler.js';
import { ManualScheduler, consentedService, type Instrumented } from './support.js';

let t: Instrumented;
beforeEach(() => (t = consentedService()));
afterEach(() => t.h.cleanup());

const values = (name: string) => t.rows(name).map((r) => r.payload.value);

describe('memory sampler', () => {
  it('samples at start and on every 60 s tick: RSS, heap and the working set of all processes', () => {
    const scheduler = new ManualScheduler();
    let rss = 100_000_000;
    const sampler = new MemorySampler(t.service, {
      process: () => ({ rss, heapUsed: 40_000_000 }),
      // Electron reports kilobytes.
      appMetrics: () => [{ type: 'Browser', memory: { workingSetSize: 150_000 } }, { type: 'Tab', memory: { workingSetSize: 250_000 } }],
    }, scheduler);
    sampler.start();
    expect(scheduler.intervals()).toEqual([MEMORY_SAMPLE_INTERVAL_MS]);
    rss = 120_000_000;
    scheduler.fire();

    expect(values(METRIC.memoryRss)).toEqual([100_000_000, 120_000_000]);
    expect(values(METRIC.memoryHeapUsed)).toEqual([40_000_000, 40_000_000]);
    expect(values(METRIC.memoryAppTotal)).toEqual([400_000 * 1024, 400_000 * 1024]);
    expect(t.rows(METRIC.memoryAppTotal)[0]!.payload).toMatchObject({ unit: 'bytes', context: { processes: 2 } });

    sampler.stop();
    expect(scheduler.active).toBe(0);
  });

  it('a reader that throws skips only its own metrics, and the timer keeps going', () => {
    const scheduler = new ManualScheduler();
    let fail = true;
    const sampler = new MemorySampler(t.service, {
      process: () => ({ rss: 1, heapUsed: 2 }),
      appMetrics: () => {
        if (fail) throw new Error('not ready');
        return [{ type: 'Browser', memory: { workingSetSize: 1 } }];
      },
    }, scheduler);
    sampler.start();
    fail = false;
    scheduler.fire();
    expect(values(METRIC.memoryRss)).toEqual([1, 1]);
    expect(values(METRIC.memoryAppTotal)).toEqual([1024]);
  });

  it('ignores nonsense working-set figures rather than storing a negative total', () => {
    expect(appMetricsTotalBytes([{ type: 'Tab', memory: { workingSetSize: -5 } }, { type: 'GPU', memory: { workingSetSize: Number.NaN } }, { type: 'Tab', memory: { workingSetSize: 2 } }])).toBe(2048);
  });
});
