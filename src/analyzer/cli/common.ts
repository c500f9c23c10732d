// What both CLIs share: usage errors (exit 2), opening a store read-only, reading numbers and times.
import { existsSync } from 'node:fs';
import { RollupReader } from '../rollup-reader.js';
import { detectKind, openReadOnly, type Db, type StoreKind } from '../store.js';

export class UsageError extends Error {}

export function openStore(path: string | undefined): { db: Db; kind: StoreKind; reader: RollupReader } {
  if (!path) throw new UsageError('--db PATH is required');
  if (!existsSync(path)) throw new UsageError(`no database at ${path}`);
  let db: Db;
  try {
    db = openReadOnly(path);
  } catch (e) {
    throw new UsageError(`cannot open ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    return { db, kind: detectKind(db), reader: new RollupReader(db) };
  } catch (e) {
    db.close();
    throw new UsageError(`${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export function numberOption(name: string, raw: string | undefined, fallback: number, min = 0, max = Infinity): number {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < min || v > max) throw new UsageError(`--${name} must be a number in [${min}, ${max}], got "${raw}"`);
  return v;
}

/** `--now 2026-11-28T12:00:00Z` (default: the current time): what "today" means for the report. */
export function nowOption(raw: string | undefined): number {
  if (raw === undefined) return Date.now();
  const t = Date.parse(raw);
  if (Number.isNaN(t)) throw new UsageError(`--now must be an ISO date, got "${raw}"`);
  return t;
}

/** Runs a CLI body; a UsageError prints its message and the usage and exits 2. */
export function main(usage: string, body: () => number): void {
  let code: number;
  try {
    code = body();
  } catch (e) {
    if (e instanceof UsageError || (e instanceof Error && 'code' in e && typeof e.code === 'string' && e.code.startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`${e.message}\n\n${usage}\n`);
      code = 2;
    } else {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      code = 2;
    }
  }
  process.exitCode = code;
}
