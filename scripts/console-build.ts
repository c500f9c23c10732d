// The fleet console as built: dist/console is (re)built when missing or older than any file it is
// made from (console/ and the dashboard's shared renderer/src). Test files run in parallel
// processes, so one builds under a lock and the others wait (as scripts/renderer-build.ts does).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const CONSOLE_SOURCES = [resolve('console'), resolve('renderer/src')];
export const CONSOLE_DIST = resolve('dist/console');
const LOCK = resolve('dist/.console-build.lock');
/** A lock older than this was left by a killed build (a build takes ~3-10 s here). */
const STALE_LOCK_MS = 120_000;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function isFresh(): boolean {
  const index = join(CONSOLE_DIST, 'index.html');
  return existsSync(index) && statSync(index).mtimeMs >= Math.max(...CONSOLE_SOURCES.map(newestMtime));
}

export async function ensureConsoleBuilt(): Promise<string> {
  for (;;) {
    if (isFresh() && !existsSync(LOCK)) return CONSOLE_DIST;
    mkdirSync(resolve('dist'), { recursive: true });
    try {
      mkdirSync(LOCK);
    } catch {
      if (Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      await sleep(200);
      continue;
    }
    try {
      // A production build even from the test runner (NODE_ENV=test would give React's dev build).
      if (!isFresh()) execFileSync(resolve('node_modules/.bin/vite'), ['build', '--config', 'console/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
      return CONSOLE_DIST;
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
}
