// The alerting config file (rules, silences, channels, the release monitor): validated with zod on
// load and on every change, written atomically (a temp file renamed over it), so a crash mid-write
// leaves the old file, and a bad edit through the API is refused without touching the file.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { alertingConfigSchema, describeConfigIssues, ruleSchema, silenceSchema, type AlertingConfig, type AlertingConfigInput, type Rule, type RuleInput, type Silence } from './rule.js';
import { supportsVersionChange } from './condition.js';

export class AlertConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AlertConfigError';
  }
}

/** Checks what zod cannot see alone: conditions that do not fit the metric, unknown channels. */
function checkConsistency(c: AlertingConfig): void {
  const names = new Set(c.channels.map((ch) => ch.name));
  for (const r of c.rules) {
    if (r.condition.kind === 'change_vs_previous_version' && !supportsVersionChange(r.metric)) {
      throw new AlertConfigError(`rule "${r.id}": change_vs_previous_version is not available for ${r.metric} (the gate compares crash-free sessions, error rate, latency and memory p95)`);
    }
    for (const ch of r.channels ?? []) if (!names.has(ch)) throw new AlertConfigError(`rule "${r.id}": unknown channel "${ch}"`);
  }
}

export function parseConfig(input: unknown, source = 'config'): AlertingConfig {
  const parsed = alertingConfigSchema.safeParse(input);
  if (!parsed.success) throw new AlertConfigError(`${source}: ${describeConfigIssues(parsed.error)}`);
  checkConsistency(parsed.data);
  return parsed.data;
}

export class AlertConfigStore {
  private config: AlertingConfig;
  private readonly listeners = new Set<(c: AlertingConfig) => void>();

  /** `path` null: held in memory only (tests, or a collector without a config file). */
  private constructor(readonly path: string | null, initial: AlertingConfig) {
    this.config = initial;
  }

  static inMemory(input: AlertingConfigInput = {}): AlertConfigStore {
    return new AlertConfigStore(null, parseConfig(input));
  }

  /** Loads the file (a missing file starts empty and is created on the first change). */
  static open(path: string): AlertConfigStore {
    if (!existsSync(path)) return new AlertConfigStore(path, parseConfig({}));
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new AlertConfigError(`${path}: not valid JSON (${(e as Error).message})`);
    }
    return new AlertConfigStore(path, parseConfig(raw, path));
  }

  get(): AlertingConfig {
    return this.config;
  }

  onChange(listener: (c: AlertingConfig) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Applies a change; throws AlertConfigError (and keeps the old config) when the result is invalid. */
  update(change: (c: AlertingConfig) => AlertingConfigInput): AlertingConfig {
    const next = parseConfig(change(structuredClone(this.config)));
    if (this.path !== null) {
      const tmp = `${this.path}.tmp-${process.pid}`;
      writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`);
      renameSync(tmp, this.path);
    }
    this.config = next;
    for (const l of this.listeners) l(next);
    return next;
  }

  upsertRule(input: RuleInput): Rule {
    const parsed = ruleSchema.safeParse(input);
    if (!parsed.success) throw new AlertConfigError(`rule: ${describeConfigIssues(parsed.error)}`);
    const rule = parsed.data;
    this.update((c) => ({ ...c, rules: [...c.rules.filter((r) => r.id !== rule.id), rule] }));
    return rule;
  }

  deleteRule(id: string): boolean {
    if (!this.config.rules.some((r) => r.id === id)) return false;
    this.update((c) => ({ ...c, rules: c.rules.filter((r) => r.id !== id) }));
    return true;
  }

  addSilence(input: unknown): Silence {
    const parsed = silenceSchema.safeParse(input);
    if (!parsed.success) throw new AlertConfigError(`silence: ${describeConfigIssues(parsed.error)}`);
    const s = parsed.data;
    this.update((c) => ({ ...c, silences: [...c.silences.filter((x) => x.id !== s.id), s] }));
    return s;
  }

  deleteSilence(id: string): boolean {
    if (!this.config.silences.some((s) => s.id === id)) return false;
    this.update((c) => ({ ...c, silences: c.silences.filter((s) => s.id !== id) }));
    return true;
  }
}
