// The sandboxed preload: exposes exactly the bridge contract as `window.telemetry`, each method a
// call over IPC, and has the page's uncaught errors and unhandled rejections reported through it
// to the main process (which rate-limits them). No raw ipcRenderer reaches the page. A sandboxed preload can
// load nothing but 'electron' at run time, so only types come from the contract (a lint rule).
import { contextBridge, ipcRenderer } from 'electron';
import type { BridgeErrorBody, BridgeMethod, TelemetryBridge } from '../src/telemetry/bridge.js';

/** Every method of the contract, once: the compiler refuses a missing or an extra one. */
const METHODS: Record<BridgeMethod, true> = {
  getConsent: true,
  setConsent: true,
  dashboard: true,
  recentEvents: true,
  diagnostics: true,
  recentUploads: true,
  exportData: true,
  deleteMyData: true,
  report: true,
  reportRendererError: true,
};

type Reply = { result: unknown } | { error: BridgeErrorBody };

/** Only an Error's message crosses contextBridge, so the code travels in it: `[bad_request] ...`. */
async function call(method: BridgeMethod, args: unknown): Promise<unknown> {
  const reply = (await ipcRenderer.invoke(`telemetry:${method}`, args)) as Reply;
  if ('error' in reply) throw new Error(`[${reply.error.code}] ${reply.error.message}`);
  return reply.result;
}

const bridge = Object.fromEntries((Object.keys(METHODS) as BridgeMethod[]).map((m) => [m, (args?: unknown) => call(m, args)])) as TelemetryBridge;
contextBridge.exposeInMainWorld('telemetry', bridge);

// Renderer errors. An error or rejection of the page's own scripts is dispatched only to listeners
// of the page's world, never to this isolated one, so the listeners are installed in the page's
// world; they report through the very `window.telemetry` exposed above. The function is serialized
// into that world: it must stay self-contained (the preload test rebuilds it from its source).
function forwardPageErrors(): void {
  const report = (window as unknown as { telemetry: TelemetryBridge }).telemetry.reportRendererError;
  const send = (kind: 'error' | 'unhandledrejection', reason: unknown, fallback: string) => {
    const e = reason instanceof Error ? reason : null;
    const message = String(e?.message ?? (typeof reason === 'string' ? reason : fallback)).slice(0, 2000);
    const stack = typeof e?.stack === 'string' ? e.stack.slice(0, 16_000) : undefined;
    // Reporting must never raise an error of its own (that would loop through these listeners).
    report(stack === undefined ? { kind, message } : { kind, message, stack }).catch(() => {});
  };
  window.addEventListener('error', (ev: ErrorEvent) => send('error', ev.error, ev.message || 'error'));
  window.addEventListener('unhandledrejection', (ev: PromiseRejectionEvent) => send('unhandledrejection', ev.reason, 'unhandled rejection'));
}
contextBridge.executeInMainWorld({ func: forwardPageErrors });
