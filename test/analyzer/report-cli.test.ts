// `npm run report` (tsx src/analyzer/cli/report.ts) on both kinds of store: files written, exit codes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFleet } from './support/fleet.js';
import { releaseFleet } from './support/scenarios.js';
import { openStore } from './support/store.js';

let dir: string;
const NOW = '2026-11-28T00:00:00Z';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'analyzer-report-'));
  for (const kind of ['collector', 'device'] as const) {
    const db = openStore(kind, join(dir, `${kind}.db`));
    generateFleet(db, releaseFleet(kind, kind === 'device' ? 1 : 30));
    db.close();
  }
  writeFileSync(join(dir, 'not-a-db.db'), 'hello');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function report(...args: string[]) {
  const r = spawnSync('node_modules/.bin/tsx', ['src/analyzer/cli/report.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('npm run report', () => {
  it.each(['collector', 'device'] as const)('writes the daily, weekly and monthly reports of a %s store as Markdown and HTML', (kind) => {
    const out = join(dir, `out-${kind}`);
    for (const k of ['daily', 'weekly', 'monthly']) {
      const r = report(k, '--db', join(dir, `${kind}.db`), '--out', out, '--now', NOW);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toContain(`(${kind} store)`);
      const md = readFileSync(join(out, `${k}-2026-11-28.md`), 'utf8');
      expect(md).toContain(kind === 'collector' ? 'Fleet (collector store)' : 'This device');
      expect(readFileSync(join(out, `${k}-2026-11-28.html`), 'utf8')).toContain('<svg');
    }
  });

  it('exits 2 with the usage for a missing or unknown kind, a missing file or a file that is not a telemetry store', () => {
    const db = join(dir, 'collector.db');
    expect(report('--db', db).code).toBe(2);
    const yearly = report('yearly', '--db', db);
    expect(yearly.code).toBe(2);
    expect(yearly.err).toContain('usage: npm run report');
    expect(report('daily', '--db', join(dir, 'missing.db')).code).toBe(2);
    expect(report('daily', '--db', join(dir, 'not-a-db.db')).code).toBe(2);
    expect(existsSync(join(dir, 'missing.db'))).toBe(false);
  });
});
