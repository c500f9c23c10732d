import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { tempDir } from '../support/service.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('crash-');
});
afterEach(() => tmp.cleanup());

/** How much tracked-but-unflushed work the design may lose to a SIGKILL (flush interval <= 200 ms). */
const LOSS_WINDOW_MS = 250;

it('after SIGKILL mid-burst, every event tracked more than 250 ms before the kill is on disk, seq has no gaps, and the file is intact', async () => {
  const dbPath = join(tmp.dir, 'telemetry.db');
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'child-tracker.ts'), dbPath, tmp.dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const reports: { seq: number; at: number }[] = [];
  let buf = '';
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      const [seq, at] = line.split(' ').map(Number);
      if (seq !== undefined && at !== undefined && !Number.isNaN(at)) reports.push({ seq, at });
    }
  });
  // Let it run at full speed until more than 10k events were tracked longer ago than the loss
  // window (however fast this machine is today), then kill it without warning.
  await new Promise<void>((resolve) => {
    const check = setInterval(() => {
      const tenK = reports.find((r) => r.seq > 10_000);
      if (tenK !== undefined && Date.now() - tenK.at > LOSS_WINDOW_MS + 100) {
        clearInterval(check);
        resolve();
      }
    }, 20);
  });
  const killedAt = Date.now();
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));

  const mustHave = Math.max(0, ...reports.filter((r) => r.at <= killedAt - LOSS_WINDOW_MS).map((r) => r.seq));
  expect(mustHave).toBeGreaterThan(10_000);

  const db = new Database(dbPath);
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const { n, maxSeq, minSeq } = db.prepare('SELECT count(*) AS n, max(seq) AS maxSeq, min(seq) AS minSeq FROM events').get() as { n: number; maxSeq: number; minSeq: number };
    expect(maxSeq).toBeGreaterThanOrEqual(mustHave);
    expect(minSeq).toBe(1);
    expect(n).toBe(maxSeq); // no gaps
  } finally {
    db.close();
  }
});
