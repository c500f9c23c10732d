// Memory, sampled every 60 s as performance events: the main process's RSS and V8 heap, and the
// working set of every process of the app (Electron's app.getAppMetrics, fed in by main/).
import { METRIC } from '../event/metric-names.js';
import type { Scheduler } from './scheduler.js';
import type { TelemetrySink } from './sink.js';

export const MEMORY_SAMPLE_INTERVAL_MS = 60_000;

/** The shape of one entry of app.getAppMetrics() this needs; workingSetSize is in kilobytes. */
export interface ProcessMemoryMetric {
  type: string;
  memory: { workingSetSize: number };
}

export interface MemoryReaders {
  /** process.memoryUsage in the main process. */
  process: () => { rss: number; heapUsed: number };
  /** app.getAppMetrics; absent in plain Node. */
  appMetrics?: () => readonly ProcessMemoryMetric[];
}

/** Bytes of working set over all processes; Electron reports kilobytes. */
export function appMetricsTotalBytes(metrics: readonly ProcessMemoryMetric[]): number {
  let kb = 0;
  for (const m of metrics) if (Number.isFinite(m.memory.workingSetSize) && m.memory.workingSetSize > 0) kb += m.memory.workingSetSize;
  return kb * 1024;
}

export class MemorySampler {
  private stopTimer: (() => void) | null = null;

  constructor(
    private readonly service: TelemetrySink,
    private readonly readers: MemoryReaders,
    private readonly scheduler: Scheduler,
    private readonly intervalMs = MEMORY_SAMPLE_INTERVAL_MS,
  ) {}

  /** Samples once now (short runs get a point too), then every interval. */
  start(): void {
    if (this.stopTimer) return;
    this.sample();
    this.stopTimer = this.scheduler.every(this.intervalMs, () => this.sample());
  }

  stop(): void {
    this.stopTimer?.();
    this.stopTimer = null;
  }

  /** One sample. A reader that throws skips its own metrics only: the timer keeps going. */
  sample(): void {
    try {
      const m = this.readers.process();
      this.service.trackPerformance(METRIC.memoryRss, m.rss, 'bytes', { process: 'main' });
      this.service.trackPerformance(METRIC.memoryHeapUsed, m.heapUsed, 'bytes', { process: 'main' });
    } catch {
      // Nothing to record this time.
    }
    if (!this.readers.appMetrics) return;
    try {
      const metrics = this.readers.appMetrics();
      this.service.trackPerformance(METRIC.memoryAppTotal, appMetricsTotalBytes(metrics), 'bytes', { processes: metrics.length });
    } catch {
      // app.getAppMetrics before ready, or a transient failure: the next sample will tell.
    }
  }
}
