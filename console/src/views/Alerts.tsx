// Alerts: what is firing or pending now (with the silence muting it), the rules with their last
// evaluation, a form to add or change a threshold rule, silences, and the history of transitions,
// pages and release events. Everything goes through the collector's alerting API (forwarded by the
// console with its admin key): the console keeps no second copy of the rules.
import { useState, type FormEvent } from 'react';
import { EmptyState } from '../../../renderer/src/components/EmptyState';
import { Field } from '../../../renderer/src/components/Field';
import { Section } from '../../../renderer/src/components/Section';
import type { AlertsOverview, HistoryEntry, Rule, Silence } from '../../../src/console/api-types';
import { mutate, query, useApi, type Loaded } from '../api';
import { fmt } from '../format';
import { Load } from '../Loading';

const METRICS = ['crash_free_sessions', 'crashed_devices_ratio', 'crashed_devices', 'error_rate', 'event_count', 'api_latency_p95', 'llm_time_to_first_token_p95', 'tool_call_p95', 'load_time_p95', 'memory_p95', 'crash_concentration'] as const;
const OPS = [
  { value: 'above', label: 'above' },
  { value: 'at_least', label: 'at least' },
  { value: 'below', label: 'below' },
  { value: 'at_most', label: 'at most' },
] as const;

export function when(t: number | null): string {
  return t === null ? fmt.NONE : `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function where(labels: Record<string, string | undefined>): string {
  const parts = Object.entries(labels).filter(([, v]) => v !== undefined).map(([k, v]) => `${k} ${v}`);
  return parts.length === 0 ? 'all devices' : parts.join(', ');
}

export function conditionText(r: Rule): string {
  const c = r.condition;
  if (c.kind === 'threshold') return `${c.op.replace('_', ' ')} ${c.value}`;
  if (c.kind === 'anomaly') return `anomaly score ≥ ${c.minScore}`;
  return 'worse than the previous version';
}

function windowText(ms: number): string {
  return ms % 86_400_000 === 0 ? `${ms / 86_400_000} d` : ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : `${ms / 60_000} min`;
}

/** Alerting not configured: say how to turn it on, instead of an error. */
export function AlertingOff(props: { loaded: Loaded<unknown> }) {
  const l = props.loaded;
  if (l.state !== 'error' || l.status !== 404) return null;
  return (
    <EmptyState title="Alerting is off for this collector">
      <p>{l.message}. See docs/ALERTING.md, “Turning it on”.</p>
    </EmptyState>
  );
}

export function AlertsView() {
  const [v, setV] = useState(0);
  const reload = () => setV((x) => x + 1);
  const overview = useApi<AlertsOverview>(query('/api/alerts', { v }));
  const rules = useApi<{ rules: Rule[] }>(query('/api/alerts/rules', { v }));
  const silences = useApi<{ silences: Silence[] }>(query('/api/alerts/silences', { v }));
  const history = useApi<{ history: HistoryEntry[] }>(query('/api/alerts/history', { limit: 50, v }));
  const [editing, setEditing] = useState<Rule | null>(null);
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const act = (p: Promise<unknown>, ok: string) =>
    p.then(
      () => {
        setMessage({ tone: 'ok', text: ok });
        reload();
      },
      (e: unknown) => setMessage({ tone: 'error', text: e instanceof Error ? e.message : String(e) }),
    );

  if (overview.state === 'error' && overview.status === 404) return <AlertingOff loaded={overview} />;
  return (
    <div className="stack">
      <p className="muted" role="status" aria-live="polite" data-testid="alerts-message">
        {message ? <span className={message.tone === 'error' ? 'text-bad' : ''}>{message.text}</span> : null}
      </p>
      <Section title="Firing and pending" description="One alert per rule and group. A silenced alert still moves through its life; its pages are recorded, not sent.">
        <Load loaded={overview} what="the active alerts">
          {(o) =>
            o.alerts.length === 0 ? (
              <p className="muted">Nothing is firing or pending.</p>
            ) : (
              <div className="table-wrap">
                <table className="table" aria-label="Active alerts">
                  <thead>
                    <tr>
                      <th scope="col">Rule</th>
                      <th scope="col">Status</th>
                      <th scope="col">Severity</th>
                      <th scope="col">Where</th>
                      <th scope="col">Since</th>
                      <th scope="col" className="num">Value</th>
                      <th scope="col">Why</th>
                    </tr>
                  </thead>
                  <tbody>
                    {o.alerts.map((a) => (
                      <tr key={a.key} data-alert={a.key}>
                        <th scope="row" className="mono">{a.ruleId}</th>
                        <td>
                          <span className={`pill ${a.status === 'firing' ? 'pill-bad' : 'pill-warn'}`} data-status={a.status}>{a.status}</span>
                          {a.silencedBy ? <span className="pill"> silenced by {a.silencedBy}</span> : null}
                        </td>
                        <td>{a.severity}</td>
                        <td>{where(a.labels)}</td>
                        <td>{when(a.since)}</td>
                        <td className="num" data-field="value">{a.value === null ? fmt.NONE : Number(a.value.toPrecision(4)).toString()}</td>
                        <td>
                          {a.reason}
                          <p className="muted anomaly-explanation">{a.evidence}</p>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </Load>
      </Section>

      <Section title="Rules" description="Kept in the collector's config file; every change is validated there and refused with the reason if wrong.">
        <Load loaded={rules} what="the rules">
          {(r) => {
            const status = new Map(overview.state === 'ok' ? overview.data.rules.map((s) => [s.ruleId, s]) : []);
            return r.rules.length === 0 ? (
              <p className="muted">No rules yet: add one below.</p>
            ) : (
              <div className="table-wrap">
                <table className="table" aria-label="Alert rules">
                  <thead>
                    <tr>
                      <th scope="col">Rule</th>
                      <th scope="col">Metric</th>
                      <th scope="col">Condition</th>
                      <th scope="col">Window</th>
                      <th scope="col">Severity</th>
                      <th scope="col">Last evaluated</th>
                      <th scope="col"><span className="sr-only">Actions</span></th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.rules.map((rule) => {
                      const s = status.get(rule.id);
                      return (
                        <tr key={rule.id} data-rule={rule.id}>
                          <th scope="row" className="mono">{rule.id}{rule.enabled ? '' : ' (disabled)'}</th>
                          <td className="mono">{rule.metric}{rule.groupBy.length > 0 ? ` by ${rule.groupBy.join(', ')}` : ''}</td>
                          <td>{conditionText(rule)}</td>
                          <td>{windowText(rule.windowMs)}</td>
                          <td>{rule.severity}</td>
                          <td>{s?.lastError ? <span className="text-bad">error: {s.lastError}</span> : when(s?.lastEvaluatedAt ?? null)}</td>
                          <td className="row-actions">
                            <button type="button" className="button button-small" onClick={() => setEditing(rule)} aria-label={`Edit rule ${rule.id}`}>Edit</button>
                            <button type="button" className="button button-small" onClick={() => void act(mutate('DELETE', `/api/alerts/rules/${rule.id}`), `Rule ${rule.id} deleted.`)} aria-label={`Delete rule ${rule.id}`}>Delete</button>
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            );
          }}
        </Load>
        <RuleForm key={editing?.id ?? 'new'} rule={editing} onSave={(id, body) => act(mutate('PUT', `/api/alerts/rules/${id}`, body), `Rule ${id} saved.`).then(() => setEditing(null))} onCancel={() => setEditing(null)} />
      </Section>

      <Section title="Silences" description="Mute pages for matching alerts until the silence ends.">
        <Load loaded={silences} what="the silences">
          {(s) =>
            s.silences.length === 0 ? (
              <p className="muted">No silences.</p>
            ) : (
              <div className="table-wrap">
                <table className="table" aria-label="Silences">
                  <thead>
                    <tr>
                      <th scope="col">Silence</th>
                      <th scope="col">Matches</th>
                      <th scope="col">Until</th>
                      <th scope="col">Comment</th>
                      <th scope="col"><span className="sr-only">Actions</span></th>
                    </tr>
                  </thead>
                  <tbody>
                    {s.silences.map((x) => (
                      <tr key={x.id} data-silence={x.id}>
                        <th scope="row" className="mono">{x.id}</th>
                        <td>{Object.entries(x.matchers).map(([k, v]) => `${k} = ${v}`).join(', ') || 'everything'}</td>
                        <td>{when(x.endsAt)}</td>
                        <td>{x.comment}</td>
                        <td className="row-actions">
                          <button type="button" className="button button-small" onClick={() => void act(mutate('DELETE', `/api/alerts/silences/${x.id}`), `Silence ${x.id} removed.`)} aria-label={`Remove silence ${x.id}`}>Remove</button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </Load>
        <SilenceForm onSave={(body) => act(mutate('POST', '/api/alerts/silences', body), `Silence ${String(body.id)} added.`)} />
      </Section>

      <Section title="History" description="Newest first: alert transitions, pages (delivered, failed after every retry, silenced) and the release monitor's events.">
        <Load loaded={history} what="the history">
          {(h) =>
            h.history.length === 0 ? (
              <p className="muted">Nothing has happened yet.</p>
            ) : (
              <div className="table-wrap">
                <table className="table" aria-label="Alert history">
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Kind</th>
                      <th scope="col">Rule or version</th>
                      <th scope="col">What</th>
                      <th scope="col">Detail</th>
                    </tr>
                  </thead>
                  <tbody>
                    {h.history.map((e, i) => (
                      <tr key={`${e.at}-${i}`} data-kind={e.kind}>
                        <td>{when(e.at)}</td>
                        <td>{e.kind}</td>
                        <td className="mono">{e.kind === 'release' ? e.version : e.ruleId}</td>
                        <td>{e.kind === 'alert' ? e.transition : e.kind === 'delivery' ? `${e.status} via ${e.channel}` : e.event}</td>
                        <td>{e.kind === 'alert' ? `${e.reason}${e.silencedBy ? ` (silenced by ${e.silencedBy})` : ''}` : e.kind === 'delivery' ? (e.error ?? `${e.attempts} attempt${e.attempts === 1 ? '' : 's'}`) : e.detail}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </Load>
      </Section>
    </div>
  );
}

function RuleForm(props: { rule: Rule | null; onSave: (id: string, body: Record<string, unknown>) => void; onCancel: () => void }) {
  const r = props.rule;
  const threshold = r?.condition.kind === 'threshold' ? r.condition : null;
  const [f, setF] = useState({
    id: r?.id ?? '',
    description: r?.description ?? '',
    metric: r?.metric ?? 'crashed_devices_ratio',
    groupBy: r?.groupBy.join(',') ?? 'version',
    windowMinutes: String((r?.windowMs ?? 300_000) / 60_000),
    op: threshold?.op ?? 'at_least',
    value: String(threshold?.value ?? 0.01),
    affectedDevices: String(r?.minVolume.affectedDevices ?? 10),
    severity: r?.severity ?? 'critical',
  });
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onSave(f.id, {
      ...(f.description ? { description: f.description } : {}),
      metric: f.metric,
      groupBy: f.groupBy === '' ? [] : f.groupBy.split(','),
      windowMs: Math.round(Number(f.windowMinutes) * 60_000),
      condition: { kind: 'threshold', op: f.op, value: Number(f.value) },
      minVolume: { ...(r?.minVolume ?? {}), affectedDevices: Number(f.affectedDevices) },
      severity: f.severity,
      ...(r ? { forMs: r.forMs, repeatMs: r.repeatMs, enabled: r.enabled, filters: r.filters, ...(r.channels ? { channels: r.channels } : {}) } : {}),
    });
  };
  if (r && !threshold) return <p className="muted">Rule {r.id} has an {r.condition.kind} condition: change it through the collector's API (docs/ALERTING.md). <button type="button" className="button button-small" onClick={props.onCancel}>Close</button></p>;
  return (
    <form className="filters" aria-label={r ? `Edit rule ${r.id}` : 'Add a threshold rule'} onSubmit={submit}>
      <Field label="Rule id">{(id) => <input id={id} value={f.id} onChange={set('id')} readOnly={r !== null} required pattern="[a-z0-9][a-z0-9_.\-]{0,63}" />}</Field>
      <Field label="Metric">{(id) => <select id={id} value={f.metric} onChange={set('metric')}>{METRICS.map((m) => <option key={m} value={m}>{m}</option>)}</select>}</Field>
      <Field label="Group by">
        {(id) => (
          <select id={id} value={f.groupBy} onChange={set('groupBy')}>
            <option value="">nothing</option>
            <option value="version">version</option>
            <option value="os">OS</option>
            <option value="version,os">version and OS</option>
          </select>
        )}
      </Field>
      <Field label="Window (minutes)">{(id) => <input id={id} type="number" min={1} value={f.windowMinutes} onChange={set('windowMinutes')} required />}</Field>
      <Field label="Condition">{(id) => <select id={id} value={f.op} onChange={set('op')}>{OPS.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}</select>}</Field>
      <Field label="Threshold">{(id) => <input id={id} type="number" step="any" value={f.value} onChange={set('value')} required />}</Field>
      <Field label="Min. affected devices">{(id) => <input id={id} type="number" min={0} value={f.affectedDevices} onChange={set('affectedDevices')} />}</Field>
      <Field label="Severity">
        {(id) => (
          <select id={id} value={f.severity} onChange={set('severity')}>
            <option value="critical">critical</option>
            <option value="warning">warning</option>
            <option value="info">info</option>
          </select>
        )}
      </Field>
      <Field label="Description" grow>{(id) => <input id={id} value={f.description} onChange={set('description')} />}</Field>
      <div className="field field-actions">
        <button type="submit" className="button button-primary">{r ? 'Save rule' : 'Add rule'}</button>
        {r ? <button type="button" className="button" onClick={props.onCancel}>Cancel</button> : null}
      </div>
    </form>
  );
}

function SilenceForm(props: { onSave: (body: Record<string, unknown>) => void }) {
  const [f, setF] = useState({ id: '', rule: '', version: '', hours: '2', comment: '' });
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const now = Date.now();
    props.onSave({ id: f.id, matchers: { ...(f.rule ? { rule: f.rule } : {}), ...(f.version ? { version: f.version } : {}) }, startsAt: now, endsAt: now + Number(f.hours) * 3_600_000, comment: f.comment, createdBy: 'fleet console' });
  };
  return (
    <form className="filters" aria-label="Add a silence" onSubmit={submit}>
      <Field label="Silence id">{(id) => <input id={id} value={f.id} onChange={set('id')} required pattern="[a-z0-9][a-z0-9_.\-]{0,63}" />}</Field>
      <Field label="Rule">{(id) => <input id={id} value={f.rule} onChange={set('rule')} placeholder="any" />}</Field>
      <Field label="Version">{(id) => <input id={id} value={f.version} onChange={set('version')} placeholder="any" />}</Field>
      <Field label="For (hours)">{(id) => <input id={id} type="number" min={0.1} step="any" value={f.hours} onChange={set('hours')} required />}</Field>
      <Field label="Comment" grow>{(id) => <input id={id} value={f.comment} onChange={set('comment')} />}</Field>
      <div className="field field-actions">
        <button type="submit" className="button">Add silence</button>
      </div>
    </form>
  );
}
