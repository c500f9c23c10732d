// Which transport this page uses: Electron's preload exposes `window.telemetry` (IPC); anywhere else
// the page was served by the browser host and talks HTTP to its own origin.
import { BridgeCallError } from './bridge-error';
import type { TelemetryBridge } from './contract';
import { createHttpBridge, takeToken } from './http';

declare global {
  interface Window {
    telemetry?: TelemetryBridge;
  }
}

/** IPC errors arrive as plain Errors whose message carries the host's code; keep their words. */
function wrapIpc(bridge: TelemetryBridge): TelemetryBridge {
  const wrapped = {} as Record<string, unknown>;
  for (const [name, fn] of Object.entries(bridge) as [string, (a?: unknown) => Promise<unknown>][]) {
    wrapped[name] = async (a?: unknown) => {
      try {
        return await fn(a);
      } catch (e) {
        throw new BridgeCallError('host_error', e instanceof Error ? e.message : String(e));
      }
    };
  }
  return wrapped as TelemetryBridge;
}

export function connectBridge(): TelemetryBridge {
  if (window.telemetry) return wrapIpc(window.telemetry);
  return createHttpBridge(takeToken());
}
