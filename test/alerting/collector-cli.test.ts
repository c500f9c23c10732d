// `npm run collector` with COLLECTOR_ADMIN_KEYS: the alerting API and /metrics are on; without it, off.
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { startTs, type Child } from '../support/processes.js';
import { tempDir } from '../collector/helpers.js';

const CLI = join(import.meta.dirname, '../../src/collector/cli.ts');
let child: Child | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await child?.kill('SIGKILL');
  for (const c of cleanups.splice(0)) c();
});

async function startCli(env: Record<string, string>): Promise<string> {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const saved = { ...process.env };
  Object.assign(process.env, { COLLECTOR_ALERTS_CONFIG: join(dir, 'alerts.json'), ...env });
  child = startTs(CLI, ['--port', '0', '--db', join(dir, 'collector.db'), '--api-key', 'device-key']);
  process.env = saved;
  const m = await child.waitFor(/collector listening on (http:\/\/\S+)/, 30_000);
  return m[1]!;
}

it('with admin keys it serves the alerting API and /metrics; the device key opens neither', async () => {
  const url = await startCli({ COLLECTOR_ADMIN_KEYS: 'adm1,adm2', COLLECTOR_METRICS_KEYS: 'scrape' });
  const get = async (path: string, key: string) => (await fetch(url + path, { headers: { authorization: `Bearer ${key}` } })).status;
  expect(await get('/v1/alerts/rules', 'adm2')).toBe(200);
  expect(await get('/v1/alerts/rules', 'device-key')).toBe(403);
  expect(await get('/metrics', 'scrape')).toBe(200);
  expect(await get('/metrics', 'device-key')).toBe(403);
}, 60_000);

it('without admin keys there is no alerting API and no /metrics', async () => {
  const url = await startCli({ COLLECTOR_ADMIN_KEYS: '' });
  expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer device-key' } })).status).toBe(404);
}, 60_000);
