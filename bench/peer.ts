// npm run bench:peer [-- --json] [--events 100000] [--rounds 3] [--backlog 500000]
// Our SDK and OpenTelemetry's logs SDK (BatchLogRecordProcessor + OTLP/HTTP exporter, queue
// raised so it drops nothing) on the same work in the same run, each in its own process, both
// delivering to the same loopback sink in this process. Figures are reported as ours/OTel ratios
// (absolute times do not travel between machines).
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { printReport, type Row } from './report.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const opt = (name: string, d: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : d;
};
const EVENTS = opt('events', 100_000);
const ROUNDS = opt('rounds', 3);
const BACKLOG = opt('backlog', 500_000);

/** The sink: accepts everything, counts what arrived (ours by id, so duplicates show). */
class Sink {
  ours = new Set<string>();
  duplicates = 0;
  otel = 0;
  private waiter: { target: () => boolean; resolve: (at: number) => void } | null = null;
  readonly server = createServer((req, res) => {
    void read(req).then((raw) => {
      if (req.url === '/v1/logs') {
        const body = JSON.parse(raw.toString()) as { resourceLogs: { scopeLogs: { logRecords: unknown[] }[] }[] };
        for (const r of body.resourceLogs) for (const s of r.scopeLogs) this.otel += s.logRecords.length;
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else if (req.url === '/v1/batch') {
        const body = JSON.parse(gunzipSync(raw).toString()) as { events: { id: string }[] };
        let dup = 0;
        for (const e of body.events) {
          if (this.ours.has(e.id)) dup++;
          else this.ours.add(e.id);
        }
        this.duplicates += dup;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: body.events.length - dup, duplicates: dup, rejected: [] }));
      } else {
        const body = JSON.parse(gunzipSync(raw).toString()) as { requests: { request_id: string }[] };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ done: body.requests.map((r) => r.request_id) }));
      }
      this.check();
    });
  });
  url = '';
  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }
  reset(): void {
    this.ours.clear();
    this.duplicates = 0;
    this.otel = 0;
  }
  until(target: () => boolean): Promise<number> {
    return new Promise((resolve) => {
      this.waiter = { target, resolve };
      this.check();
    });
  }
  private check(): void {
    if (this.waiter?.target()) {
      const w = this.waiter;
      this.waiter = null;
      w.resolve(Date.now());
    }
  }
}

function read(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks)));
  });
}

interface RunResult {
  nsPerCall: number;
  cpuUsPerEvent: number;
  trackingLoopMaxMs: number;
  drainingLoopMaxMs: number;
  deliveryMs: number;
  eventsPerS: number;
}

async function run(sink: Sink, sdk: 'ours' | 'otel', dir: string): Promise<RunResult> {
  sink.reset();
  const child = fork(join(import.meta.dirname, 'peer', 'child.ts'), [sdk, sink.url, String(EVENTS), dir], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const next = messagesOf(child);
  const tracked = (await next('tracked')) as { lastCallAt: number; startedAt: number };
  const deliveredAt = await sink.until(() => (sdk === 'ours' ? sink.ours.size : sink.otel) >= EVENTS);
  child.send('delivered');
  const done = (await next('done')) as { nsPerCall: number; trackingLoopMaxMs: number; drainingLoopMaxMs: number; cpuUs: number };
  await new Promise((r) => child.on('exit', r));
  return {
    nsPerCall: done.nsPerCall,
    cpuUsPerEvent: done.cpuUs / EVENTS,
    trackingLoopMaxMs: done.trackingLoopMaxMs,
    drainingLoopMaxMs: done.drainingLoopMaxMs,
    deliveryMs: Math.max(0, deliveredAt - tracked.lastCallAt),
    eventsPerS: EVENTS / ((deliveredAt - tracked.startedAt) / 1000),
  };
}

async function backlog(sink: Sink, dir: string): Promise<{ drainLoopMaxMs: number; drainMs: number; duplicates: number }> {
  sink.reset();
  const child = fork(join(import.meta.dirname, 'peer', 'child.ts'), ['ours-backlog', sink.url, String(BACKLOG), dir], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const next = messagesOf(child);
  const started = (await next('tracked')) as { lastCallAt: number };
  const deliveredAt = await sink.until(() => sink.ours.size >= BACKLOG);
  child.send('delivered');
  const done = (await next('done')) as { drainLoopMaxMs: number };
  await new Promise((r) => child.on('exit', r));
  return { drainLoopMaxMs: done.drainLoopMaxMs, drainMs: deliveredAt - started.lastCallAt, duplicates: sink.duplicates };
}

/** The child's messages, awaited by kind. */
function messagesOf(child: ChildProcess): (kind: string) => Promise<Record<string, unknown>> {
  const messages: Record<string, unknown>[] = [];
  let notify: (() => void) | null = null;
  child.on('message', (m) => {
    messages.push(m as Record<string, unknown>);
    notify?.();
  });
  return async (kind) => {
    for (;;) {
      const m = messages.find((x) => x.kind === kind);
      if (m) return m;
      await new Promise<void>((r) => (notify = r));
    }
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-peer-'));
  const sink = new Sink();
  await sink.start();
  const results: Record<'ours' | 'otel', RunResult[]> = { ours: [], otel: [] };
  try {
    // Interleaved rounds: a machine that slows down mid-run slows both.
    for (let r = 0; r < ROUNDS; r++) {
      results.otel.push(await run(sink, 'otel', dir));
      results.ours.push(await run(sink, 'ours', join(dir)));
      rmSync(join(dir, 'peer.db'), { force: true });
    }
    const lost = EVENTS - sink.ours.size;
    const b = BACKLOG > 0 ? await backlog(sink, dir) : null;
    const m = (sdk: 'ours' | 'otel', k: keyof RunResult) => median(results[sdk].map((x) => x[k]));
    const ratio = (k: keyof RunResult) => m('ours', k) / m('otel', k);
    const f = (x: number, d = 1) => x.toFixed(d);
    const rows: Row[] = [
      ['track() ns/call, ours / OTel', `${f(m('ours', 'nsPerCall'), 0)} / ${f(m('otel', 'nsPerCall'), 0)}`, '', null],
      ['  ratio ours/OTel', f(ratio('nsPerCall'), 2), '<= 0.5', ratio('nsPerCall') <= 0.5],
      ['CPU µs/event until delivered, ours / OTel', `${f(m('ours', 'cpuUsPerEvent'))} / ${f(m('otel', 'cpuUsPerEvent'))}`, '', null],
      ['  ratio ours/OTel', f(ratio('cpuUsPerEvent'), 2), '<= 1.5', ratio('cpuUsPerEvent') <= 1.5],
      ['loop max while tracking (ms, beyond the bursts)', `${f(m('ours', 'trackingLoopMaxMs'))} / ${f(m('otel', 'trackingLoopMaxMs'))}`, 'ours <= 5', m('ours', 'trackingLoopMaxMs') <= 5],
      ['loop max while draining (ms)', `${f(m('ours', 'drainingLoopMaxMs'))} / ${f(m('otel', 'drainingLoopMaxMs'))}`, 'ours <= 5', m('ours', 'drainingLoopMaxMs') <= 5],
      ['delivery after the last call (ms)', `${f(m('ours', 'deliveryMs'), 0)} / ${f(m('otel', 'deliveryMs'), 0)}`, 'ours <= 1000', m('ours', 'deliveryMs') <= 1000],
      ['events/s end to end', `${f(m('ours', 'eventsPerS'), 0)} / ${f(m('otel', 'eventsPerS'), 0)}`, '', null],
      ['  ratio ours/OTel', f(ratio('eventsPerS'), 2), '', null],
    ];
    if (b) rows.push([`loop max while draining a ${BACKLOG} backlog (ms)`, f(b.drainLoopMaxMs), '<= 5', b.drainLoopMaxMs <= 5], [`  drained in (ms)`, f(b.drainMs, 0), '', null]);
    rows.push(['lost / duplicates (ours, last round)', `${lost} / ${sink.duplicates}`, '0 / 0', lost === 0]);
    printReport(`bench:peer — ${EVENTS} events in bursts of 1000, ${ROUNDS} interleaved rounds (medians), one loopback sink`, rows, {
      events: EVENTS,
      rounds: ROUNDS,
      ours: Object.fromEntries((Object.keys(results.ours[0]!) as (keyof RunResult)[]).map((k) => [k, m('ours', k)])),
      otel: Object.fromEntries((Object.keys(results.otel[0]!) as (keyof RunResult)[]).map((k) => [k, m('otel', k)])),
      ratio_ns_per_call: ratio('nsPerCall'),
      ratio_cpu_per_event: ratio('cpuUsPerEvent'),
      ratio_events_per_s: ratio('eventsPerS'),
      backlog: b === null ? null : { events: BACKLOG, loop_max_ms: b.drainLoopMaxMs, drain_ms: b.drainMs, duplicates: b.duplicates },
    }, json);
  } finally {
    sink.server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((e) => { console.error(e); process.exit(1); });
