// Minidumps found at start: each new one reported once, by size and age only, never its contents.
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { METRIC } from '../../src/telemetry/event/metric-names.js';
import { listMinidumps, MINIDUMPS_SEEN_KEY, reportNewMinidumps } from '../../src/telemetry/instrument/minidumps.js';
import { consentedService, type Instrumented } from './support.js';

let t: Instrumented;
let dumps: string;
beforeEach(() => {
  t = consentedService();
  dumps = join(t.h.dir, 'Crashpad');
  mkdirSync(join(dumps, 'completed'), { recursive: true });
});
afterEach(() => t.h.cleanup());

const SECRET = 'my-private-prompt-text-in-process-memory';
function dump(name: string, bytes: number, ageSeconds: number): void {
  const p = join(dumps, 'completed', name);
  writeFileSync(p, Buffer.concat([Buffer.from(SECRET), Buffer.alloc(bytes - SECRET.length)]));
  const at = (t.h.clock.now() - ageSeconds * 1000) / 1000;
  utimesSync(p, at, at);
}
const report = () => reportNewMinidumps(t.service, t.h.settings, listMinidumps(dumps) ?? [], t.h.clock.now());

describe('minidump reporter', () => {
  it('reports each dump found once, with its size and age, and nothing of its contents', () => {
    dump('a1.dmp', 4096, 3600);
    dump('b2.dmp', 8192, 60);
    writeFileSync(join(dumps, 'settings.dat'), 'not a dump');
    expect(report()).toBe(2);
    const rows = t.rows(METRIC.nativeCrash);
    expect(rows.map((r) => r.payload.error_message)).toEqual([
      'native crash: minidump of 4096 bytes written 3600 s before this start',
      'native crash: minidump of 8192 bytes written 60 s before this start',
    ]);
    expect(rows[0]!.payload).toMatchObject({ process: 'native', reason: 'native_crash', error_code: 'minidump' });
    expect(t.rawText()).not.toContain(SECRET);
  });

  it('a restart reports only dumps that are new since', () => {
    dump('a1.dmp', 4096, 10);
    expect(report()).toBe(1);
    expect(report()).toBe(0);
    dump('c3.dmp', 1024, 1);
    expect(report()).toBe(1);
    expect(t.rows(METRIC.nativeCrash)).toHaveLength(2);
    expect(t.h.settings.get(MINIDUMPS_SEEN_KEY)).toEqual(['completed/a1.dmp', 'completed/c3.dmp']);
  });

  it('a dump found while crash reporting is off is not reported later when it is turned on', () => {
    t.service.setConsent({ crashes: 'off' });
    dump('a1.dmp', 4096, 10);
    expect(report()).toBe(0);
    t.service.setConsent({ crashes: 'local' });
    expect(report()).toBe(0);
    expect(t.rows(METRIC.nativeCrash)).toEqual([]);
  });

  it('forgets dumps no longer on disk, so the remembered list stays small', () => {
    dump('a1.dmp', 4096, 10);
    report();
    reportNewMinidumps(t.service, t.h.settings, [], t.h.clock.now());
    expect(t.h.settings.get(MINIDUMPS_SEEN_KEY)).toEqual([]);
  });

  it('a missing crash folder is an empty listing', () => {
    expect(listMinidumps(join(t.h.dir, 'nope'))).toEqual([]);
  });
});
