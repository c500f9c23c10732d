// Error and crash groups: every error and crash event in a window, by fingerprint, with first and
// last seen, count, devices affected and versions. Reads raw rows (their stacks are not in the
// rollups) through the partial indexes on error and crash events.
import { fingerprint, type Fingerprint } from './fingerprint.js';
import { ask, runSync, type Reads, type Slice } from './reader.js';
import { readerOf } from './rollup-reader.js';
import type { Statements } from './store.js';
import { compareVersions } from './versions.js';

export interface ErrorGroup {
  id: string;
  kind: 'error' | 'crash';
  type: string;
  title: string;
  frames: string[];
  /** Event names seen in the group (`mcp.tool_failed`, `renderer.gone`, ...). */
  names: string[];
  firstSeen: number;
  lastSeen: number;
  count: number;
  devices: number;
  sessions: number;
  /** Versions where it occurred, oldest first, with counts. */
  versions: { version: string; count: number; devices: number }[];
  oses: string[];
}

interface Acc {
  fp: Fingerprint;
  kind: 'error' | 'crash';
  names: Set<string>;
  first: number;
  last: number;
  count: number;
  devices: Set<string>;
  sessions: Set<string>;
  versions: Map<string, { count: number; devices: Set<string> }>;
  oses: Set<string>;
}

/** One error or crash event, fingerprinted: what groups are built from. */
export interface FingerprintedRow {
  kind: 'error' | 'crash';
  name: string;
  ts: number;
  version: string;
  os: string;
  device: string;
  session: string;
  fp: Fingerprint;
}

/** The five payload fields a fingerprint reads, extracted by SQLite (its JSON parse is cached per
 *  row within a statement): a string field or NULL, as JSON.parse + a string check would give, and
 *  NULL for every field of a payload that is not valid JSON (a bad row never fails the query). */
export const FINGERPRINT_FIELDS_SQL = ['error_message', 'error_code', 'stack_trace', 'process', 'reason']
  .map((f) => `(CASE WHEN json_valid(payload) AND json_type(payload, '$.${f}') = 'text' THEN json_extract(payload, '$.${f}') END)`)
  .join(', ');

/** errorGroupsOf on a SQLite connection's statements. */
export function errorGroups(st: Statements, s: Slice, kinds: readonly ('error' | 'crash')[] = ['error', 'crash']): ErrorGroup[] {
  return runSync(errorGroupsOf(s, kinds), readerOf(st));
}

export function* errorGroupsOf(s: Slice, kinds: readonly ('error' | 'crash')[] = ['error', 'crash']): Reads<ErrorGroup[]> {
  const rows: FingerprintedRow[] = [];
  // The same stack text repeats across events of one bug: fingerprint each text once.
  const memo = new Map<string, Fingerprint>();
  for (const kind of kinds) {
    for (const { ts, name, version, os, device, session, payload } of yield* ask('errorRows', kind, s)) {
      const p = parse(payload);
      const input = {
        eventType: kind,
        name,
        message: str(p.error_message) ?? '',
        code: str(p.error_code),
        stack: str(p.stack_trace),
        process: str(p.process),
        reason: str(p.reason),
      };
      const key = `${kind}\u0000${name}\u0000${input.message}\u0000${input.code}\u0000${input.stack}\u0000${input.process}\u0000${input.reason}`;
      let fp = memo.get(key);
      if (fp === undefined) {
        fp = fingerprint(input);
        if (memo.size < 50_000) memo.set(key, fp);
      }
      rows.push({ kind, name, ts, version, os, device, session, fp });
    }
  }
  return groupsOf(rows);
}

/** Groups of fingerprinted rows (read once by the caller, e.g. the console's occurrences). */
export function groupsOf(rows: Iterable<FingerprintedRow>): ErrorGroup[] {
  const groups = new Map<string, Acc>();
  for (const { kind, name, ts, version, os, device, session, fp } of rows) {
    let g = groups.get(fp.id);
    if (g === undefined) {
      g = { fp, kind, names: new Set(), first: ts, last: ts, count: 0, devices: new Set(), sessions: new Set(), versions: new Map(), oses: new Set() };
      groups.set(fp.id, g);
    }
    g.names.add(name);
    g.first = Math.min(g.first, ts);
    g.last = Math.max(g.last, ts);
    g.count++;
    g.devices.add(device);
    g.sessions.add(session);
    g.oses.add(os);
    const v = g.versions.get(version) ?? { count: 0, devices: new Set<string>() };
    v.count++;
    v.devices.add(device);
    g.versions.set(version, v);
  }
  return [...groups.values()]
    .map((g) => ({
      id: g.fp.id,
      kind: g.kind,
      type: g.fp.type,
      title: g.fp.title,
      frames: g.fp.frames,
      names: [...g.names].sort(),
      firstSeen: g.first,
      lastSeen: g.last,
      count: g.count,
      devices: g.devices.size,
      sessions: g.sessions.size,
      versions: [...g.versions].sort((a, b) => compareVersions(a[0], b[0])).map(([version, v]) => ({ version, count: v.count, devices: v.devices.size })),
      oses: [...g.oses].sort(),
    }))
    .sort((a, b) => b.devices - a.devices || b.count - a.count || a.id.localeCompare(b.id));
}

/** A stored payload's fields ({} when it is not a JSON object). */
export function parse(payload: string): Record<string, unknown> {
  try {
    const v = JSON.parse(payload) as unknown;
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}
