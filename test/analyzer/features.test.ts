// Feature abandonment and errors per feature on a small fleet whose answer is known by hand:
// abandoned = used once, then at least 3 more sessions without it (docs/ANALYZER.md).
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/analyzer/report/build.js';
import { RollupReader } from '../../src/analyzer/rollup-reader.js';
import { featureAdoption } from '../../src/analyzer/usage.js';
import { windowOf } from '../../src/analyzer/time.js';
import { openStore, StoreWriter, type RawEvent } from './support/store.js';

const HOUR = 3_600_000;
const END = Date.UTC(2026, 10, 28);
const START = END - 6 * 24 * HOUR;

/** Each device: its sessions (hours after START), and in which sessions it used "canvas" / "chat". */
const DEVICES: { id: string; sessions: number; canvas: number[]; chat: number[]; canvasErrors?: number }[] = [
  { id: 'a', sessions: 5, canvas: [0], chat: [0, 1, 2, 3, 4] }, // canvas once, 4 sessions after: abandoned
  { id: 'b', sessions: 4, canvas: [0], chat: [0, 1, 2, 3], canvasErrors: 2 }, // once, 3 after: abandoned
  { id: 'c', sessions: 3, canvas: [0], chat: [0, 1, 2] }, // once, only 2 after: not judged
  { id: 'd', sessions: 5, canvas: [0, 3], chat: [1] }, // twice: kept
];

function fleet() {
  const db = openStore('collector');
  const w = new StoreWriter(db, 'collector');
  for (const d of DEVICES) {
    for (let s = 0; s < d.sessions; s++) {
      const t = START + s * 10 * HOUR;
      const ev = (type: RawEvent['type'], name: string, fields: Record<string, unknown>, at = t) => w.add({ ts: at, type, name, session: `${d.id}${s}`, user: `u${d.id}`, device: d.id, version: '1.0.0', os: 'linux-x64', fields });
      ev('app', 'session.start', {});
      if (d.canvas.includes(s)) ev('feature', 'feature.use', { feature_id: 'canvas', duration_seconds: 30, interaction_count: 1 }, t + 60_000);
      if (d.chat.includes(s)) ev('feature', 'feature.use', { feature_id: 'chat', duration_seconds: 60, interaction_count: 3 }, t + 120_000);
      if (s === 0) for (let e = 0; e < (d.canvasErrors ?? 0); e++) ev('error', 'canvas.render_failed', { error_message: 'render failed', error_code: 'E_RENDER', feature_id: 'canvas' }, t + 61_000 + e);
      ev('app', 'session.end', { context: { duration_ms: 30 * 60_000 } }, t + 30 * 60_000);
    }
  }
  w.flush();
  return new RollupReader(db);
}

describe('feature abandonment', () => {
  it('counts the devices that used a feature once and then had at least 3 sessions without it', () => {
    const reader = fleet();
    const byName = new Map(featureAdoption(reader.st, { window: windowOf(START, END), version: null }).map((f) => [f.feature, f]));
    // a and b abandoned canvas; c is not judged (2 later sessions); d kept it.
    expect(byName.get('canvas')).toMatchObject({ devices: 4, uses: 5, abandoned: 2, abandonmentRate: 2 / 3 });
    // d used chat once (session 1) and had 3 sessions after it: abandoned; the others kept it.
    expect(byName.get('chat')).toMatchObject({ devices: 4, abandoned: 1, abandonmentRate: 1 / 3 }); // of a, b and d (c: too few later sessions)
  });

  it('the weekly report shows abandonment and errors per feature, so the worst feature can be found', () => {
    const m = buildReport(fleet(), 'collector', 'weekly', END);
    const t = m.tables.find((x) => x.title === 'Feature usage')!;
    const col = (name: string) => t.columns.indexOf(name);
    const canvas = t.rows.find((r) => r[0] === 'canvas')!;
    expect(canvas[col('Abandoned')]).toBe('67% (2)');
    expect(canvas[col('Errors and crashes (per 100 uses)')]).toBe('2 (40.0)');
    expect(t.rows.find((r) => r[0] === 'chat')![col('Errors and crashes (per 100 uses)')]).toBe('0 (0.00)');
  });
});
