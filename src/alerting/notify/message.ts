// What a page says: what, where, since when, how sure, and the numbers behind it. One model, two
// renderings: a Slack-compatible webhook body and an e-mail.
import type { Alert } from '../lifecycle.js';
import type { Rule } from '../rule.js';

export interface AlertMessage {
  /** Unique per notification (alert key + transition + time): receivers can de-duplicate. */
  id: string;
  status: 'firing' | 'resolved';
  alertKey: string;
  rule: { id: string; metric: string; severity: Rule['severity']; description?: string };
  labels: Alert['labels'];
  value: number | null;
  /** The condition as compared: "0.021 above 0.01". */
  reason: string;
  evidence: string;
  sessions: number;
  devices: number;
  affectedDevices: number;
  since: number;
  at: number;
}

export function messageOf(rule: Rule, a: Alert, status: 'firing' | 'resolved', at: number): AlertMessage {
  return {
    id: `${a.key}@${status}@${at}`,
    status,
    alertKey: a.key,
    rule: { id: rule.id, metric: rule.metric, severity: rule.severity, ...(rule.description === undefined ? {} : { description: rule.description }) },
    labels: a.labels,
    value: a.value,
    reason: a.reason,
    evidence: a.evidence,
    sessions: a.sessions,
    devices: a.devices,
    affectedDevices: a.affectedDevices,
    since: a.since,
    at,
  };
}

function where(m: AlertMessage): string {
  const parts = Object.entries(m.labels).map(([k, v]) => `${k} ${v}`);
  return parts.length === 0 ? 'the whole fleet' : parts.join(', ');
}

export function titleOf(m: AlertMessage): string {
  const head = m.status === 'firing' ? `[${m.rule.severity.toUpperCase()}] FIRING` : 'RESOLVED';
  return `${head}: ${m.rule.id} (${m.rule.metric}) on ${where(m)}`;
}

export function textOf(m: AlertMessage): string {
  const lines = [
    titleOf(m),
    m.rule.description ?? '',
    `What: ${m.rule.metric} ${m.reason}`,
    `Where: ${where(m)} (${m.affectedDevices} of ${m.devices} devices affected, ${m.sessions} sessions in the window)`,
    `Since: ${new Date(m.since).toISOString()}${m.status === 'resolved' ? `, resolved ${new Date(m.at).toISOString()}` : ''}`,
    `Evidence: ${m.evidence}`,
  ];
  return lines.filter((l) => l !== '').join('\n');
}

const COLOR: Record<Rule['severity'], string> = { critical: '#d00000', warning: '#e8a317', info: '#439fe0' };

/** Slack's incoming-webhook shape (text + attachments); Mattermost and Rocket.Chat take it too. The
 *  `alert` field carries the whole message for receivers that are programs. */
export function slackBody(m: AlertMessage): Record<string, unknown> {
  return {
    text: titleOf(m),
    attachments: [
      {
        color: m.status === 'resolved' ? '#2eb886' : COLOR[m.rule.severity],
        title: titleOf(m),
        text: textOf(m).split('\n').slice(1).join('\n'),
        fields: [
          { title: 'Severity', value: m.rule.severity, short: true },
          { title: 'Value', value: m.value === null ? 'n/a' : String(m.value), short: true },
          ...Object.entries(m.labels).map(([k, v]) => ({ title: k, value: v, short: true })),
        ],
        ts: Math.floor(m.at / 1000),
      },
    ],
    alert: m,
  };
}
