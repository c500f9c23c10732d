// `npm run demo -- --fleet`: the demo's collector on ClickHouse (two shards started as plain
// processes): the fleet's devices sync into it, the dashboard comes up as without the flag, the
// printed report command reads the ClickHouse store, and SIGTERM stops the shards too.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasBinary } from '../../src/collector/engines/processes.js';
import { startTs, type Child } from '../support/processes.js';
import { tempDir } from '../support/service.js';

const dir = tempDir('demo-fleet-test-');
let demo: Child | null = null;
let shardPids: number[] = [];

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

afterAll(async () => {
  await demo?.kill('SIGKILL');
  // Whatever happened to the demo, its shards do not outlive the test.
  for (const pid of shardPids) if (alive(pid)) process.kill(pid, 'SIGKILL');
  dir.cleanup();
});

describe.skipIf(!hasBinary('clickhouse-server'))('npm run demo -- --fleet', () => {
  it('stores the fleet in ClickHouse, serves the dashboard, prints a report command that reads it, and stops the shards on SIGTERM', async () => {
    demo = startTs('scripts/demo.ts', ['--port', '0', '--no-open', '--fleet', '--fleet-size', '3', '--data-dir', dir.dir]);
    const [line] = await demo.waitFor(/collector +http:\S+ +\(ClickHouse: .*\)\n/, 120_000);
    shardPids = [...line.matchAll(/pid (\d+)/g)].map((m) => Number(m[1]));
    expect(shardPids).toHaveLength(2);
    const [, synced] = (await demo.waitFor(/fleet +3 simulated devices synced (\d+) events/, 120_000)) as unknown as [string, string];
    expect(Number(synced)).toBeGreaterThan(100);
    const [, origin] = (await demo.waitFor(/Dashboard:\s+(http:\/\/127\.0\.0\.1:\d+)\/#token=\S+/, 120_000)) as unknown as [string, string];
    expect((await fetch(`${origin}/`)).status).toBe(200);
    const [, spec] = (await demo.waitFor(/Fleet report:\s+npm run report -- weekly --store (clickhouse:\/\/\S+)\n/, 10_000)) as unknown as [string, string];

    const out = join(dir.dir, 'reports');
    const r = spawnSync('node_modules/.bin/tsx', ['src/analyzer/cli/report.ts', 'weekly', '--store', spec, '--out', out], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`weekly report of ${spec} (collector store)`);
    const md = readFileSync(join(out, `weekly-${new Date().toISOString().slice(0, 10)}.md`), 'utf8');
    // What the fleet's devices synced (one of the three is on 1.5.0; their rollups are built before
    // the demo prints the count): both versions, in the release section.
    expect(md).toContain('1.5.0 vs 1.4.0');

    const exit = new Promise<number | null>((resolve) => demo!.proc.once('exit', (code) => resolve(code)));
    demo.proc.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(shardPids.filter(alive)).toEqual([]);
  }, 240_000);
});
