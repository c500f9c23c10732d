// The preload, run against a stand-in for electron's contextBridge and ipcRenderer: it exposes
// exactly the contract's methods as `window.telemetry`, each invoking its own channel, unwraps
// replies (a refusal becomes an Error carrying the code), and forwards page errors. The sandboxed
// runtime itself cannot run here; this checks the code that runs in it.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BRIDGE_METHODS } from '../../src/telemetry/bridge.js';

const exposed = new Map<string, Record<string, (a?: unknown) => Promise<unknown>>>();
const invoked: [string, unknown[]][] = [];
let reply: unknown = { result: 'ok' };

const page = new EventTarget() as EventTarget & Record<string, unknown>;
let mainWorldSource = '';

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: Record<string, (a?: unknown) => Promise<unknown>>) => {
      exposed.set(key, api);
      page[key] = api;
    },
    // Electron serializes the function into the page's world: rebuilt here from its source alone,
    // so a closure over anything of the preload would fail as it would in Electron.
    executeInMainWorld: ({ func }: { func: () => unknown }) => {
      mainWorldSource = func.toString();
      return (new Function(`return (${mainWorldSource})`)() as () => unknown)();
    },
  },
  ipcRenderer: {
    invoke: async (channel: string, ...args: unknown[]) => {
      invoked.push([channel, args]);
      return reply;
    },
  },
}));

beforeAll(async () => {
  (globalThis as { window?: unknown }).window = page;
  // Through a variable, so the root type-check (no DOM library) does not pull the preload in;
  // tsconfig.preload.json type-checks it with the DOM.
  const preload = '../../preload/preload.js';
  await import(preload);
});
afterAll(() => delete (globalThis as { window?: unknown }).window);

function pageEvent(type: string, props: Record<string, unknown>): Event {
  return Object.assign(new Event(type), props);
}

describe('preload', () => {
  it('exposes exactly the contract, and nothing named ipcRenderer or invoke', () => {
    expect([...exposed.keys()]).toEqual(['telemetry']);
    expect(Object.keys(exposed.get('telemetry')!).sort()).toEqual([...BRIDGE_METHODS].sort());
  });

  it('each method invokes its own channel with its one argument and resolves to the result', async () => {
    reply = { result: { accepted: true } };
    invoked.length = 0;
    await expect(exposed.get('telemetry')!.dashboard!({ range: '7d' })).resolves.toEqual({ accepted: true });
    expect(invoked).toEqual([['telemetry:dashboard', [{ range: '7d' }]]]);
  });

  it('a refusal rejects with an Error whose message carries the code', async () => {
    reply = { error: { code: 'bad_request', message: 'setConsent: usage: Invalid option' } };
    await expect(exposed.get('telemetry')!.setConsent!({ usage: 'x' })).rejects.toThrow('[bad_request] setConsent: usage: Invalid option');
  });

  it('installs the error listeners in the page world, where the page errors are dispatched', () => {
    expect(mainWorldSource).toMatch(/addEventListener\(["']error["']/);
    expect(mainWorldSource).toMatch(/addEventListener\(["']unhandledrejection["']/);
  });

  it('forwards uncaught errors and unhandled rejections through window.telemetry.reportRendererError', async () => {
    reply = { result: { accepted: true } };
    invoked.length = 0;
    const boom = new Error('render failed');
    page.dispatchEvent(pageEvent('error', { error: boom, message: 'Uncaught Error: render failed' }));
    page.dispatchEvent(pageEvent('unhandledrejection', { reason: 'plain string reason' }));
    page.dispatchEvent(pageEvent('error', { error: null, message: 'Script error.' }));
    await Promise.resolve();
    expect(invoked.map(([c, [a]]) => [c, (a as { kind: string }).kind, (a as { message: string }).message, typeof (a as { stack?: string }).stack])).toEqual([
      ['telemetry:reportRendererError', 'error', 'render failed', 'string'],
      ['telemetry:reportRendererError', 'unhandledrejection', 'plain string reason', 'undefined'],
      ['telemetry:reportRendererError', 'error', 'Script error.', 'undefined'],
    ]);
  });

  it('a failed report is swallowed, not raised again as a new unhandled rejection', async () => {
    reply = { error: { code: 'rate_limited', message: 'too many' } };
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    page.dispatchEvent(pageEvent('error', { error: new Error('again'), message: '' }));
    await new Promise((r) => setImmediate(r));
    process.off('unhandledRejection', unhandled);
    expect(unhandled).not.toHaveBeenCalled();
  });
});
