// Native crashes: Electron's crashReporter (uploads off) leaves minidumps in app.getPath('crashDumps').
// At start, each dump not seen before is reported once as a crash event with its size and age only.
// The dump's contents are never opened: they hold raw process memory, which may contain anything
// the person typed. What was seen is remembered in settings, so a restart reports nothing twice.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { METRIC } from '../event/metric-names.js';
import type { SettingsPort } from '../ports.js';
import type { TelemetrySink } from './sink.js';

export const MINIDUMPS_SEEN_KEY = 'telemetry.minidumpsSeen';
/** The remembered list is pruned to dumps still on disk and bounded besides. */
const MAX_REMEMBERED = 500;

export interface DumpFile {
  /** Path relative to the crash dumps folder (crashpad keeps them under completed/, pending/...). */
  name: string;
  size: number;
  mtimeMs: number;
}

/** The `.dmp` files under `dir`, a few levels deep, by metadata only. A missing folder is empty;
 *  an unreadable one is null, so the caller skips reporting rather than forget what it had seen. */
export function listMinidumps(dir: string, maxDepth = 3): DumpFile[] | null {
  const out: DumpFile[] = [];
  try {
    readdirSync(dir);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? [] : null;
  }
  const walk = (d: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory() && depth < maxDepth) walk(p, depth + 1);
      else if (e.isFile() && e.name.endsWith('.dmp')) {
        try {
          const st = statSync(p);
          out.push({ name: relative(dir, p).split('\\').join('/'), size: st.size, mtimeMs: st.mtimeMs });
        } catch {
          // Removed between listing and stat: nothing to report.
        }
      }
    }
  };
  walk(dir, 0);
  return out.sort((a, b) => a.mtimeMs - b.mtimeMs);
}

function seenList(settings: SettingsPort): string[] {
  const v = settings.get(MINIDUMPS_SEEN_KEY);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Reports each dump not seen before; returns how many crash events were recorded. A dump found
 *  while crash reporting is off is remembered all the same: consent given later does not reach
 *  back to crashes from before it. */
export function reportNewMinidumps(service: TelemetrySink, settings: SettingsPort, dumps: readonly DumpFile[], now: number): number {
  const seen = new Set(seenList(settings));
  let recorded = 0;
  let changed = false;
  for (const d of dumps) {
    if (seen.has(d.name)) continue;
    seen.add(d.name);
    changed = true;
    const ageSeconds = Math.max(0, Math.round((now - d.mtimeMs) / 1000));
    const r = service.trackCrash(METRIC.nativeCrash, { message: `native crash: minidump of ${d.size} bytes written ${ageSeconds} s before this start` }, { process: 'native', reason: 'native_crash', errorCode: 'minidump' });
    if (r.ok) recorded++;
  }
  const onDisk = new Set(dumps.map((d) => d.name));
  const kept = [...seen].filter((n) => onDisk.has(n)).slice(-MAX_REMEMBERED);
  if (changed || kept.length !== seenList(settings).length) settings.set(MINIDUMPS_SEEN_KEY, kept);
  return recorded;
}
