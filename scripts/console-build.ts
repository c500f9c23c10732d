// The fleet console as built: made from console/ and the dashboard's shared renderer/src.
import { resolve } from 'node:path';
import { ensureBuilt } from './vite-build.js';

export const CONSOLE_SOURCES = [resolve('console'), resolve('renderer/src')];
export const CONSOLE_DIST = resolve('dist/console');

export function ensureConsoleBuilt(): Promise<string> {
  return ensureBuilt({ name: 'console', config: 'console/vite.config.ts', sources: CONSOLE_SOURCES, dist: CONSOLE_DIST });
}
