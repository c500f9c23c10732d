// main/ipc.ts driven through a fake ipcMain: every contract method has a channel; the sender frame
// is checked before anything runs; malformed, oversized and foreign calls are refused with a clear
// BridgeErrorBody; valid calls are answered by the real service on SQLite and the real analysis.
import type { IpcMainInvokeEvent } from 'electron';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerBridgeIpc, type IpcMainLike, type IpcReply } from '../../main/ipc.js';
import { isAppUrl } from '../../main/sender.js';
import { createLocalAnalysis } from '../../src/analyzer/local-analysis.js';
import { createBridgeHandlers } from '../../src/host/bridge-handlers.js';
import { BRIDGE_MAX_ARG_BYTES, BRIDGE_METHODS, type DashboardData } from '../../src/telemetry/bridge.js';
import type { TelemetryService } from '../../src/telemetry/index.js';
import { harness, type Harness } from '../support/service.js';

const APP_PAGE = 'file:///opt/App/resources/app.asar/dist/renderer/index.html';
const pages = { indexUrl: APP_PAGE, devOrigin: 'http://localhost:5173' };

class FakeIpcMain implements IpcMainLike {
  readonly channels = new Map<string, (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<IpcReply>>();
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<IpcReply>): void {
    if (this.channels.has(channel)) throw new Error(`second handler for ${channel}`);
    this.channels.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.channels.delete(channel);
  }
  /** What ipcRenderer.invoke(channel, ...args) would resolve to, from a frame at `url`. */
  invoke(channel: string, args: unknown[], frame: { url: string; parent: unknown } | null = { url: `${APP_PAGE}#/dashboard`, parent: null }): Promise<IpcReply> {
    const l = this.channels.get(channel);
    if (!l) throw new Error(`no handler for ${channel}`);
    return l({ senderFrame: frame } as unknown as IpcMainInvokeEvent, ...args);
  }
}

let h: Harness;
let service: TelemetryService;
let ipc: FakeIpcMain;
let unregister: () => void;
let calls = 0;

beforeEach(() => {
  h = harness();
  service = h.open();
  ipc = new FakeIpcMain();
  calls = 0;
  const handlers = createBridgeHandlers({ service, clock: h.clock, analysis: createLocalAnalysis(service.eventStore.db) });
  unregister = registerBridgeIpc(ipc, handlers, { isTrusted: (url) => isAppUrl(url, pages), onCall: () => calls++ });
});
afterEach(() => h.cleanup());

const error = (r: IpcReply) => ('error' in r ? r.error : null);
const result = (r: IpcReply) => ('result' in r ? r.result : undefined);

describe('bridge over IPC', () => {
  it('has one channel per method of the contract, and removes them all', () => {
    expect([...ipc.channels.keys()].sort()).toEqual(BRIDGE_METHODS.map((m) => `telemetry:${m}`).sort());
    unregister();
    expect(ipc.channels.size).toBe(0);
  });

  it('answers valid calls from the app page with the real service: consent kept, events listed, dashboard computed', async () => {
    const set = await ipc.invoke('telemetry:setConsent', [{ usage: 'local', performance: 'local' }]);
    expect(result(set)).toMatchObject({ categories: { usage: 'local', performance: 'local', errors: 'off' }, needsPrompt: false });
    expect(service.getConsent().categories.usage).toBe('local');

    service.startSession();
    service.trackPerformance('window.load', 250, 'ms');
    const events = result(await ipc.invoke('telemetry:recentEvents', [{ names: ['window.load'] }])) as { event: { name: string } }[];
    expect(events.map((e) => e.event.name)).toEqual(['window.load']);
    // Rows really on disk, not only in the buffer.
    expect(h.rawRows("SELECT name FROM events WHERE name = 'window.load'")).toHaveLength(1);

    const dash = result(await ipc.invoke('telemetry:dashboard', [{ range: '24h' }])) as DashboardData;
    expect(dash).toMatchObject({ range: '24h', empty: false, tiles: { sessions: { value: 1, unknown: null }, loadTime: { count: 1 } } });
    expect(calls).toBe(3);
  });

  it('answers a method without arguments (no argument at all, as invoke sends it)', async () => {
    expect(result(await ipc.invoke('telemetry:getConsent', []))).toMatchObject({ needsPrompt: true });
  });

  it('accepts calls from the dev server origin', async () => {
    expect(error(await ipc.invoke('telemetry:getConsent', [], { url: 'http://localhost:5173/', parent: null }))).toBeNull();
  });
});

describe('refusals', () => {
  it('refuses malformed arguments with the field and the reason, and changes nothing', async () => {
    const r = error(await ipc.invoke('telemetry:setConsent', [{ usage: 'everything' }]));
    expect(r?.code).toBe('bad_request');
    expect(r?.message).toMatch(/^setConsent: usage: /);
    expect(service.getConsent().categories.usage).toBe('off');

    expect(error(await ipc.invoke('telemetry:recentEvents', [{ limit: 100_000 }]))).toMatchObject({ code: 'bad_request', message: expect.stringContaining('limit') });
    expect(error(await ipc.invoke('telemetry:setConsent', [{ usage: 'local', sneaky: true }]))).toMatchObject({ code: 'bad_request', message: expect.stringContaining('sneaky') });
    expect(error(await ipc.invoke('telemetry:dashboard', ['24h']))).toMatchObject({ code: 'bad_request' });
  });

  it('refuses oversized arguments before parsing them, and stores nothing', async () => {
    service.setConsent({ errors: 'local' });
    const r = error(await ipc.invoke('telemetry:reportRendererError', [{ kind: 'error', message: 'x'.repeat(BRIDGE_MAX_ARG_BYTES) }]));
    expect(r).toMatchObject({ code: 'too_large', message: expect.stringMatching(/more than the 65536 allowed/) });
    service.flush();
    expect(h.rawRows('SELECT * FROM events')).toEqual([]);
  });

  it('refuses more than one argument', async () => {
    expect(error(await ipc.invoke('telemetry:getConsent', [undefined, { extra: 1 }]))).toMatchObject({ code: 'bad_request', message: 'getConsent: takes one argument object, got 2 arguments' });
  });

  it('refuses foreign senders before any handler runs: another site, another file, a frame inside the page, a gone frame', async () => {
    const attempts: [{ url: string; parent: unknown } | null, RegExp][] = [
      [{ url: 'https://evil.example/page', parent: null }, /pages from https:\/\/evil\.example may not call the bridge/],
      [{ url: 'file:///home/me/Downloads/evil.html', parent: null }, /pages from another file may not call the bridge/],
      [{ url: `${APP_PAGE}x`, parent: null }, /may not call the bridge/],
      [{ url: 'http://localhost:5174/', parent: null }, /pages from http:\/\/localhost:5174/],
      [{ url: APP_PAGE, parent: {} }, /not a frame inside it/],
      [null, /the calling frame is gone/],
    ];
    for (const [frame, message] of attempts) {
      const r = error(await ipc.invoke('telemetry:setConsent', [{ usage: 'shared' }], frame));
      expect(r).toMatchObject({ code: 'forbidden', message: expect.stringMatching(message) });
    }
    expect(service.getConsent().categories.usage).toBe('off');
    expect(calls).toBe(0);
  });

  it('a handler failure is an internal error with the method named, not a thrown exception', async () => {
    const failing = new FakeIpcMain();
    registerBridgeIpc(failing, createBridgeHandlers({ service, analysis: { dashboard: () => { throw new Error('disk on fire'); }, report: () => { throw new Error('no'); } } }), { isTrusted: () => true });
    expect(error(await failing.invoke('telemetry:dashboard', [{ range: '1h' }]))).toEqual({ code: 'internal', message: 'dashboard failed: disk on fire' });
  });
});
