// One alert's life: pending (the condition holds, not yet for long enough) → firing (notified) →
// resolved (notified). One alert per rule and group at a time, so a condition that keeps holding
// pages once, not at every evaluation.
import type { GroupKey } from '../analyzer/window-stats.js';
import type { Rule, Silence } from './rule.js';

export type AlertStatus = 'pending' | 'firing' | 'resolved';

export interface Alert {
  /** rule id + group labels: the deduplication key. */
  key: string;
  ruleId: string;
  severity: Rule['severity'];
  labels: Partial<Record<GroupKey, string>>;
  status: AlertStatus;
  /** When the condition first held (this time). */
  since: number;
  firingSince: number | null;
  resolvedAt: number | null;
  lastNotifiedAt: number | null;
  value: number | null;
  /** Why it holds, with the counts behind it. */
  reason: string;
  evidence: string;
  sessions: number;
  devices: number;
  affectedDevices: number;
}

export type Transition = 'pending' | 'firing' | 'repeat' | 'resolved' | 'cleared';

export function alertKey(ruleId: string, labels: Partial<Record<GroupKey, string>>): string {
  const parts = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`);
  return parts.length === 0 ? ruleId : `${ruleId}{${parts.join(',')}}`;
}

export interface Observation {
  holds: boolean;
  value: number | null;
  reason: string;
  evidence: string;
  sessions: number;
  devices: number;
  affectedDevices: number;
}

/** The next state of an alert (undefined: none active) and the transition to report, if any. */
export function step(prev: Alert | undefined, rule: Rule, key: string, labels: Alert['labels'], o: Observation, now: number): { next: Alert | undefined; transition: Transition | null } {
  const facts = { value: o.value, reason: o.reason, evidence: o.evidence, sessions: o.sessions, devices: o.devices, affectedDevices: o.affectedDevices };
  if (!o.holds) {
    if (prev === undefined || prev.status === 'resolved') return { next: undefined, transition: null };
    if (prev.status === 'pending') return { next: undefined, transition: 'cleared' };
    return { next: { ...prev, ...facts, status: 'resolved', resolvedAt: now }, transition: 'resolved' };
  }
  if (prev === undefined || prev.status === 'resolved') {
    const a: Alert = { key, ruleId: rule.id, severity: rule.severity, labels, status: 'pending', since: now, firingSince: null, resolvedAt: null, lastNotifiedAt: null, ...facts };
    if (rule.forMs === 0) return { next: { ...a, status: 'firing', firingSince: now, lastNotifiedAt: now }, transition: 'firing' };
    return { next: a, transition: 'pending' };
  }
  if (prev.status === 'pending') {
    if (now - prev.since >= rule.forMs) return { next: { ...prev, ...facts, status: 'firing', firingSince: now, lastNotifiedAt: now }, transition: 'firing' };
    return { next: { ...prev, ...facts }, transition: null };
  }
  if (rule.repeatMs > 0 && prev.lastNotifiedAt !== null && now - prev.lastNotifiedAt >= rule.repeatMs) {
    return { next: { ...prev, ...facts, lastNotifiedAt: now }, transition: 'repeat' };
  }
  return { next: { ...prev, ...facts }, transition: null };
}

/** The silence that mutes this alert at `now`, if any. */
export function silencing(silences: readonly Silence[], a: Pick<Alert, 'ruleId' | 'severity' | 'labels'>, now: number): Silence | undefined {
  return silences.find(
    (s) =>
      s.startsAt <= now &&
      now < s.endsAt &&
      (s.matchers.rule === undefined || s.matchers.rule === a.ruleId) &&
      (s.matchers.severity === undefined || s.matchers.severity === a.severity) &&
      (s.matchers.version === undefined || s.matchers.version === a.labels.version) &&
      (s.matchers.os === undefined || s.matchers.os === a.labels.os),
  );
}
