// The reader port's drivers: an analysis run on an asynchronous reader gives what the synchronous
// run gives, asks each distinct read once, and lets a failed read surface as the error it was.
import { beforeAll, describe, expect, it } from 'vitest';
import { gateOf } from '../../src/analyzer/gate.js';
import { analyze, runSync, type AnalyzerReader, type AsyncAnalyzerReader } from '../../src/analyzer/reader.js';
import { reportOf } from '../../src/analyzer/report/build.js';
import { renderReport } from '../../src/analyzer/report/render.js';
import { RollupReader } from '../../src/analyzer/rollup-reader.js';
import { windowOf } from '../../src/analyzer/time.js';
import { DAY, generateFleet } from './support/fleet.js';
import { END, releaseFleet } from './support/scenarios.js';
import { openStore } from './support/store.js';

/** The SQLite reader behind promises, as a remote engine answers, counting what it is asked. */
function remote(sync: AnalyzerReader, asked: string[], failOn?: keyof AnalyzerReader): AsyncAnalyzerReader {
  return new Proxy({} as AsyncAnalyzerReader, {
    get: (_t, method: keyof AnalyzerReader) =>
      async (...args: unknown[]) => {
        asked.push(JSON.stringify([method, args]));
        await new Promise((r) => setImmediate(r));
        if (method === failOn) throw new Error(`engine down while reading ${method}`);
        return (sync[method] as (...a: unknown[]) => unknown).apply(sync, args);
      },
  });
}

let sqlite: RollupReader;
beforeAll(() => {
  const db = openStore('collector');
  generateFleet(db, releaseFleet('collector', 60));
  sqlite = new RollupReader(db);
}, 120_000);

describe('the reader port', () => {
  it('a weekly report on an asynchronous reader is the synchronous one, each distinct read asked once', async () => {
    const asked: string[] = [];
    const viaPromises = await analyze(remote(sqlite, asked), reportOf('collector', 'weekly', END));
    expect(renderReport(viaPromises).markdown).toBe(renderReport(runSync(reportOf('collector', 'weekly', END), sqlite)).markdown);
    expect(asked.length).toBeGreaterThan(20);
    expect(new Set(asked).size).toBe(asked.length);
  });

  it('the gate on an asynchronous reader gives the synchronous verdict and printout', async () => {
    const w = windowOf(END - 30 * DAY, END);
    const a = await analyze(remote(sqlite, []), gateOf('collector', w, '1.5.0', '1.6.0'));
    const b = runSync(gateOf('collector', w, '1.5.0', '1.6.0'), sqlite);
    expect(a.verdict).toBe(b.verdict);
    expect(a.text).toBe(b.text);
  });

  it('a read that fails rejects the analysis with that error', async () => {
    await expect(analyze(remote(sqlite, [], 'errorRows'), reportOf('collector', 'daily', END))).rejects.toThrow('engine down while reading errorRows');
  });
});
