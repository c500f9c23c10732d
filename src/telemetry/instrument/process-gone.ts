// Electron's render-process-gone and child-process-gone, as crash events. The reason travels as
// the crash's error_code; running out of memory (`oom`, `memory-eviction`) is recorded with the
// reason `resource_exhaustion` so it is counted apart from ordinary crashes. A clean exit is not a
// crash and records nothing.
import { METRIC } from '../event/metric-names.js';
import type { TelemetrySink } from './sink.js';

/** Electron's reasons (RenderProcessGoneDetails / Details in electron.d.ts). */
export type ProcessGoneReason = 'clean-exit' | 'abnormal-exit' | 'killed' | 'crashed' | 'oom' | 'launch-failed' | 'integrity-failure' | 'memory-eviction';

export interface ProcessGoneDetails {
  reason: ProcessGoneReason;
  exitCode: number;
  /** child-process-gone only: `GPU`, `Utility`, `Sandbox helper`, ... */
  type?: string;
}

const RESOURCE_EXHAUSTION: ReadonlySet<string> = new Set(['oom', 'memory-eviction']);

export interface CrashDescription {
  name: string;
  process: string;
  reason: string;
  errorCode: string;
  message: string;
}

/** What to record for a gone process, or null when nothing should be (a clean exit). */
export function describeProcessGone(kind: 'renderer' | 'child', d: ProcessGoneDetails): CrashDescription | null {
  if (d.reason === 'clean-exit') return null;
  const proc = kind === 'renderer' ? 'renderer' : processName(d.type);
  const code = /^[a-z-]{1,32}$/.test(d.reason) ? d.reason : 'unknown';
  const exhausted = RESOURCE_EXHAUSTION.has(code);
  const exit = Number.isInteger(d.exitCode) ? d.exitCode : 'unknown';
  return {
    name: kind === 'renderer' ? METRIC.rendererGone : METRIC.childGone,
    process: proc,
    reason: exhausted ? 'resource_exhaustion' : code.replace(/-/g, '_'),
    errorCode: code,
    message: `${proc} process gone: ${code} (exit code ${exit})${exhausted ? ', out of memory' : ''}`,
  };
}

/** `Sandbox helper` → `sandbox_helper`; anything odd → `child`. */
function processName(type: string | undefined): string {
  const n = (type ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[a-z][a-z0-9_]{0,31}$/.test(n) && n !== 'unknown' ? n : 'child';
}

/** Records the crash; returns whether anything was recorded. The event carries no stack: the
 *  main process's stack at this moment says nothing about the process that died. */
export function trackProcessGone(service: TelemetrySink, kind: 'renderer' | 'child', details: ProcessGoneDetails): boolean {
  const c = describeProcessGone(kind, details);
  if (c === null) return false;
  return service.trackCrash(c.name, { message: c.message }, { process: c.process, reason: c.reason, errorCode: c.errorCode }).ok;
}
