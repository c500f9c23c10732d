// The page's single bridge, chosen once at start-up.
import type { TelemetryBridge } from './contract';
import { connectBridge } from './index';

let bridge: TelemetryBridge | null = null;

export function getBridge(): TelemetryBridge {
  bridge ??= connectBridge();
  return bridge;
}

/** For tests of the store: hand in a bridge instead of the real transport. */
export function setBridge(b: TelemetryBridge): void {
  bridge = b;
}
