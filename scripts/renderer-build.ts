// The dashboard as built: dist/renderer is (re)built when missing or older than any file in
// renderer/ (the demo, the benchmarks and the end-to-end tests use it). Test files run in
// parallel processes, so one builds under a lock and the others wait.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const RENDERER_SRC = resolve('renderer');
export const RENDERER_DIST = resolve('dist/renderer');
const LOCK = resolve('dist/.renderer-build.lock');
/** A lock older than this was left by a killed build (a build takes ~2 s here). */
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
  const index = join(RENDERER_DIST, 'index.html');
  return existsSync(index) && statSync(index).mtimeMs >= newestMtime(RENDERER_SRC);
}

export async function ensureRendererBuilt(): Promise<string> {
  for (;;) {
    if (isFresh() && !existsSync(LOCK)) return RENDERER_DIST;
    mkdirSync(resolve('dist'), { recursive: true });
    try {
      mkdirSync(LOCK);
    } catch {
      if (Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      await sleep(200);
      continue;
    }
    try {
      if (!isFresh()) execFileSync(resolve('node_modules/.bin/vite'), ['build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
      return RENDERER_DIST;
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
}
