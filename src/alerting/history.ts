// What happened, in order: alert transitions (pending, firing, repeat, resolved, cleared), who was
// told and whether it arrived (delivered, failed after every retry, silenced). Appended as JSON lines
// to a file next to the config, so an undeliverable page stays visible after a restart.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import type { GroupKey } from '../analyzer/window-stats.js';
import type { Transition } from './lifecycle.js';

export type HistoryEntry =
  | { kind: 'alert'; at: number; key: string; ruleId: string; severity: string; labels: Partial<Record<GroupKey, string>>; transition: Transition; value: number | null; reason: string; evidence: string; silencedBy?: string }
  | { kind: 'delivery'; at: number; key: string; ruleId: string; channel: string; notification: string; status: 'delivered' | 'failed' | 'silenced'; attempts: number; error?: string }
  | { kind: 'release'; at: number; version: string; baseline: string; event: 'regression' | 'rollback'; detail: string; status?: 'delivered' | 'failed'; error?: string };

/** Kept in memory for the API; older entries stay in the file. */
const MEMORY_LIMIT = 10_000;

export class HistoryLog {
  private readonly entries: HistoryEntry[] = [];

  /** `path` null: memory only. An existing file is read back (its last MEMORY_LIMIT entries). */
  constructor(readonly path: string | null = null) {
    if (path !== null && existsSync(path)) {
      for (const line of readFileSync(path, 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        try {
          this.entries.push(JSON.parse(line) as HistoryEntry);
        } catch {
          // A torn last line (crash mid-append) is skipped, never fatal.
        }
      }
      this.entries.splice(0, Math.max(0, this.entries.length - MEMORY_LIMIT));
    }
  }

  append(e: HistoryEntry): void {
    this.entries.push(e);
    if (this.entries.length > MEMORY_LIMIT) this.entries.shift();
    if (this.path !== null) appendFileSync(this.path, `${JSON.stringify(e)}\n`);
  }

  /** Newest first. */
  list(filter: { limit?: number; ruleId?: string; kind?: HistoryEntry['kind'] } = {}): HistoryEntry[] {
    const out: HistoryEntry[] = [];
    for (let i = this.entries.length - 1; i >= 0 && out.length < (filter.limit ?? 100); i--) {
      const e = this.entries[i]!;
      if (filter.kind !== undefined && e.kind !== filter.kind) continue;
      if (filter.ruleId !== undefined && (e.kind === 'release' || e.ruleId !== filter.ruleId)) continue;
      out.push(e);
    }
    return out;
  }
}
