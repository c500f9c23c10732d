// Bridge handlers for a start without stored telemetry (better-sqlite3 would not load): every call
// is refused with the reason, so the dashboard says what is wrong instead of hanging.
import { BridgeError, type BridgeHandlers } from '../src/host/bridge-handlers.js';

export function unavailableHandlers(reason: string): BridgeHandlers {
  return {
    call: async () => {
      throw new BridgeError('internal', `telemetry is unavailable in this run: ${reason}`);
    },
  };
}
