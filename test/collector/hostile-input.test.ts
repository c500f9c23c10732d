// Bad input found by probing the collector as an attacker would (issue 10 #4, #8): each is answered
// with a status docs/PROTOCOL.md lists, quickly, without costing honest devices anything.
import { request } from 'node:http';
import { connect } from 'node:net';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../src/collector/body.js';
import { nestsDeeperThan } from '../../src/collector/json-depth.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, serverTimeouts } from '../../src/collector/server.js';
import { envelope, KEY, perf, startRig, type Rig } from './helpers.js';

/** The body of a batch whose one event nests `depth` objects in its context, built as text (the
 *  test itself must not recurse into it either). */
function deepBatch(depth: number): Buffer {
  const event = JSON.stringify(perf()).replace('"context":{"provider":"anthropic"}', `"context":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
  return Buffer.from(JSON.stringify(envelope([])).replace('"events":[]', `"events":[${event}]`));
}

/** A raw POST from a chosen local address (127.0.0.x are all loopback on Linux). */
function postFrom(localAddress: string, url: string, body: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/batch`, { method: 'POST', localAddress, headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('deeply nested JSON', () => {
  let rig: Rig;
  beforeAll(async () => {
    // Junk is not limited by source here: what is tested is the cost of each deep body itself.
    rig = await startRig({ rateLimit: { junkPerSecondPerSource: 1e9, junkBurstPerSource: 1e9 } });
  });
  afterAll(async () => {
    await rig.close();
  });

  it('is measured without recursion, brackets inside strings not counted', () => {
    const million = Buffer.from(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`);
    expect(nestsDeeperThan(million, MAX_JSON_DEPTH)).toBe(true);
    expect(nestsDeeperThan(Buffer.from(JSON.stringify({ s: '[[[[[[[[[[[[[[[[[[[[[[[[[["\\[{{{{{{{{{{{{{{{{{{{{{' })), 3)).toBe(false);
    expect(nestsDeeperThan(Buffer.from(JSON.stringify(envelope([perf()]))), MAX_JSON_DEPTH)).toBe(false);
  });

  it('5000 levels deep answers 400 too_deep (not 500), and nothing is stored', async () => {
    const res = await rig.post('/v1/batch', deepBatch(6000), { gzip: false });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'too_deep', detail: expect.stringContaining(String(MAX_JSON_DEPTH)) });
    expect(rig.store.count()).toBe(0);
  });

  it('just deeper than the limit is refused too; the deepest honest batch passes', async () => {
    const tooDeep = await rig.post('/v1/batch', Buffer.from(`{"schema_version":1,"x":${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}}`), { gzip: false });
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.error).toBe('too_deep');
    const honest = await rig.batch([perf()], { health: { queue_depth: 1, dropped: { invalid_fields: 0 } } });
    expect(honest.status).toBe(200);
    expect(honest.body.accepted).toBe(1);
  });

  it('normal batches are answered and stored while a flood of deep bodies continues', async () => {
    const before = rig.store.count();
    const flood = deepBatch(6000);
    let flooding = true;
    const floodStatuses: number[] = [];
    // Four senders, each sending the next deep body as soon as the last one was answered.
    const senders = Array.from({ length: 4 }, async () => {
      while (flooding) floodStatuses.push((await rig.post('/v1/batch', flood, { gzip: false })).status);
    });
    const answered: number[] = [];
    for (let i = 0; i < 20; i++) {
      const sentDuringFlood = floodStatuses.length;
      const res = await rig.batch([perf(), perf()]);
      answered.push(res.status);
      // The flood is still running around each normal request: it did not wait for the flood to end.
      expect(flooding).toBe(true);
      if (i === 19) expect(floodStatuses.length).toBeGreaterThan(sentDuringFlood);
    }
    flooding = false;
    await Promise.all(senders);
    expect(answered.every((s) => s === 200)).toBe(true);
    expect(rig.store.count()).toBe(before + 40);
    expect(new Set(floodStatuses)).toEqual(new Set([400]));
  });
});

describe('smaller defects of issue 10 #8', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ requestTimeoutMs: 300 });
  });
  afterAll(async () => {
    await rig.close();
  });

  it('a __proto__ key carrying event_type is rejected, not stored', async () => {
    const event = JSON.stringify(perf()).replace('"event_type":"performance",', '"__proto__":{"event_type":"performance"},');
    const body = Buffer.from(JSON.stringify(envelope([])).replace('"events":[]', `"events":[${event}]`));
    const res = await rig.post('/v1/batch', body, { gzip: false });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 0, rejected: [{ index: 0, reason: 'invalid: __proto__: not an event field' }] });
    const inCommon = Buffer.from(JSON.stringify(envelope([perf()])).replace('"common":{', '"common":{"__proto__":{"event_type":"app"},'));
    expect((await rig.post('/v1/batch', inCommon, { gzip: false })).status).toBe(400);
    expect(rig.store.count()).toBe(0);
  });

  it('a request with an empty or no Content-Type is read as JSON like any other', async () => {
    const body = Buffer.from(JSON.stringify(envelope([perf()])));
    const empty = await postFrom('127.0.0.1', rig.collector.url, body, { 'content-type': '' });
    expect(empty.status).toBe(200);
    expect(JSON.parse(empty.body)).toMatchObject({ accepted: 1 });
    const none = await new Promise<number>((resolve, reject) => {
      const req = request(`${rig.collector.url}/v1/batch`, { method: 'POST', headers: { authorization: `Bearer ${KEY}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(Buffer.from(JSON.stringify(envelope([perf()]))));
    });
    expect(none).toBe(200);
  });

  it('a slow body is answered 408 and its connection closed once the request timeout passes', async () => {
    const { port } = rig.collector;
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        // Headers promise 1000 bytes; 10 arrive, then nothing.
        socket.write(`POST /v1/batch HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KEY}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"schema_v`);
      });
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (d: string) => (text += d));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('the default holds a slow request at most the documented 30 s plus 1 s', () => {
    const t = serverTimeouts(DEFAULT_REQUEST_TIMEOUT_MS);
    expect(DEFAULT_REQUEST_TIMEOUT_MS).toBe(30_000);
    expect(t.requestTimeout).toBe(30_000);
    expect(t.headersTimeout).toBeLessThanOrEqual(30_000);
    // Node only looks for expired requests this often (its default, 30 s, held them ~80 s).
    expect(t.requestTimeout + t.connectionsCheckingInterval).toBeLessThanOrEqual(31_000);
  });
});

describe('junk on a shared API key', () => {
  it('is limited by its source and does not spend the key budget of innocent devices', async () => {
    let now = Date.UTC(2026, 11, 1);
    // A frozen clock: no bucket refills during the test. The key allows 10 requests in all.
    const rig = await startRig({ clock: { now: () => now }, rateLimit: { requestsPerSecondPerKey: 1, requestBurstPerKey: 10, junkPerSecondPerSource: 1, junkBurstPerSource: 5 } });
    try {
      const junk: number[] = [];
      for (let i = 0; i < 30; i++) junk.push((await postFrom('127.0.0.2', rig.collector.url, Buffer.from('{"schema_version":1,'))).status);
      // Its first five refusals are answered as such; then the source is stopped before its key.
      expect(junk.slice(0, 5)).toEqual([400, 400, 400, 400, 400]);
      expect(new Set(junk.slice(5))).toEqual(new Set([429]));
      // The innocent device on the same key still has its whole budget.
      const honest: number[] = [];
      for (let i = 0; i < 10; i++) {
        const ev = { ...perf(), id: uuidv7(), timestamp: new Date(now).toISOString() };
        honest.push((await postFrom('127.0.0.1', rig.collector.url, Buffer.from(JSON.stringify({ ...envelope([ev]), sent_at: new Date(now).toISOString() })))).status);
      }
      expect(honest).toEqual(Array(10).fill(200));
      expect(rig.store.count()).toBe(10);
      now += 1000;
    } finally {
      await rig.close();
    }
  });
});
