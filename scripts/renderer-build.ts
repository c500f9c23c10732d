// The dashboard as built (the demo, the benchmarks and the end-to-end tests use it).
import { resolve } from 'node:path';
import { ensureBuilt } from './vite-build.js';

export const RENDERER_SRC = resolve('renderer');
export const RENDERER_DIST = resolve('dist/renderer');

export function ensureRendererBuilt(): Promise<string> {
  return ensureBuilt({ name: 'renderer', config: 'renderer/vite.config.ts', sources: [RENDERER_SRC], dist: RENDERER_DIST });
}
