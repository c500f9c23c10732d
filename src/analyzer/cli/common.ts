// What both CLIs share: usage errors (exit 2), opening a store read-only (a SQLite file or the
// collector's ClickHouse), reading numbers and times.
import { existsSync } from 'node:fs';
import { CLICKHOUSE_SPEC_FORM, parseClickHouseSpec } from '../../store-schema/clickhouse.js';
import type { OpenedReader } from '../reader.js';
import { RollupReader } from '../rollup-reader.js';
import { detectKind, openReadOnly, type Db } from '../store.js';

export class UsageError extends Error {}

/** The environment variable that names the store when neither --store nor --db is given. */
export const STORE_ENV = 'ANALYZER_STORE';

export const STORE_USAGE = `  --store SPEC  the store to read: sqlite:PATH (a device database or a collector store) or
                ${CLICKHOUSE_SPEC_FORM} (the collector's ClickHouse; HTTP ports)
  --db PATH     the same as --store sqlite:PATH
environment: ${STORE_ENV}=SPEC when neither flag is given`;

/** The store a CLI reads: `--store SPEC`, `--db PATH` (= sqlite:PATH) or $ANALYZER_STORE. */
export function storeSpec(values: { store?: string; db?: string }, env: NodeJS.ProcessEnv = process.env): string {
  if (values.store !== undefined && values.db !== undefined) throw new UsageError('give --store or --db, not both');
  const spec = values.store ?? (values.db !== undefined ? `sqlite:${values.db}` : env[STORE_ENV]);
  if (!spec) throw new UsageError(`--store SPEC (or --db PATH, or ${STORE_ENV}) is required`);
  return spec;
}

/** Opens the store a spec names, read-only; a UsageError (exit 2) names what cannot be read. */
export async function openStore(spec: string): Promise<OpenedReader> {
  if (spec.startsWith('clickhouse://')) {
    let ch;
    try {
      ch = parseClickHouseSpec(spec);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    // Loaded only for a ClickHouse spec: reading a SQLite file never loads the engine's client.
    const { ClickHouseReader } = await import('../readers/clickhouse-reader.js');
    try {
      const reader = await ClickHouseReader.open(ch);
      return { kind: 'collector', name: spec, reader, close: () => reader.close() };
    } catch (e) {
      throw new UsageError(`${(e as Error).message}. Is clickhouse-server running there (npm run fleet starts one)?`);
    }
  }
  const path = spec.startsWith('sqlite:') ? spec.slice('sqlite:'.length) : spec;
  if (!path) throw new UsageError('--store sqlite: needs a path, e.g. sqlite:telemetry.db');
  if (!existsSync(path)) throw new UsageError(`no database at ${path}`);
  let db: Db;
  try {
    db = openReadOnly(path);
  } catch (e) {
    throw new UsageError(`cannot open ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    const kind = detectKind(db);
    return { kind, name: path, reader: new RollupReader(db), close: async () => void db.close() };
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
export function main(usage: string, body: () => number | Promise<number>): void {
  void (async () => {
    let code: number;
    try {
      code = await body();
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
  })();
}
