// A Vite app as built: its dist folder is (re)built when missing or older than any file it is
// made from. Test files run in parallel processes, so one builds under a lock and the others wait.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A lock older than this was left by a killed build (a build takes ~2-10 s here). */
const STALE_LOCK_MS = 120_000;

export interface ViteApp {
  /** Used for the lock's name. */
  name: string;
  config: string;
  sources: readonly string[];
  dist: string;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function isFresh(app: ViteApp): boolean {
  const index = join(app.dist, 'index.html');
  return existsSync(index) && statSync(index).mtimeMs >= Math.max(...app.sources.map(newestMtime));
}

/** Builds `app` unless its dist is fresh; returns the dist folder. */
export async function ensureBuilt(app: ViteApp): Promise<string> {
  const lock = resolve(`dist/.${app.name}-build.lock`);
  for (;;) {
    if (isFresh(app) && !existsSync(lock)) return app.dist;
    mkdirSync(resolve('dist'), { recursive: true });
    try {
      mkdirSync(lock);
    } catch {
      if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      await sleep(200);
      continue;
    }
    try {
      // A production build even from the test runner (NODE_ENV=test would give React's dev build).
      if (!isFresh(app)) execFileSync(resolve('node_modules/.bin/vite'), ['build', '--config', app.config, '--logLevel', 'warn'], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
      return app.dist;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}
