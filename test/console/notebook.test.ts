// The fleet analysis notebook runs headless on a generated fleet (jupyter nbconvert --execute, with
// Debian's Python that can see pandas and matplotlib), and its release comparison has the
// analyzer's numbers. The executed HTML is kept with the test results.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFleetAnalysis } from '../../src/analyzer/fleet/fleet-analysis.js';
import { openReadOnly } from '../../src/analyzer/store.js';
import { FLEET_END, fleetDb } from './support/fleet-db.js';

const OUT = resolve('test-results/notebooks');
let fleet: ReturnType<typeof fleetDb>;

beforeAll(() => {
  fleet = fleetDb(40);
}, 120_000);
afterAll(() => fleet?.remove());

describe('notebooks/fleet-analysis.ipynb', () => {
  it('executes headless and compares releases with the analyzer\'s crash-free sessions', async () => {
    mkdirSync(OUT, { recursive: true });
    await promisify(execFile)('/usr/bin/python3', ['-m', 'jupyter', 'nbconvert', '--to', 'html', '--execute', 'notebooks/fleet-analysis.ipynb', '--output-dir', OUT, '--ExecutePreprocessor.timeout=120'], {
      env: { ...process.env, FLEET_DB: fleet.path },
    });
    const html = readFileSync(resolve(OUT, 'fleet-analysis.html'), 'utf8');
    expect(html).toMatch(/<img[^>]+src="data:image\/png;base64,/);
    expect(html).not.toMatch(/Traceback|Error<\/span>/);
    const db = openReadOnly(fleet.path);
    try {
      // Every session of the fleet, as the notebook reads them all.
      const releases = createFleetAnalysis(db, () => FLEET_END - 1).releases(90);
      for (const r of releases) expect(html, r.version).toMatch(new RegExp(`${r.version.replaceAll('.', '\\.')}\\s+${r.sessions}\\s+${r.devices}\\s+\\d+\\s+${r.crashFreeSessions!.toFixed(4)}`));
    } finally {
      db.close();
    }
  }, 120_000);
});
