// The fleets the analyzer's tests run on, each with exactly known properties.
import type { StoreKind } from '../../../src/analyzer/store.js';
import type { FleetSpec, VersionSpec } from './fleet.js';

export const END = Date.UTC(2026, 10, 28, 0, 0, 0);

const base: Omit<VersionSpec, 'version' | 'fromDay'> = {
  crashPerSession: 0.01,
  errorsPerSession: 0.5,
  abnormalPerSession: 0.01,
  apiLatencyMs: 300,
  memoryBytes: 200e6,
  loadMs: 800,
  crashes: ['nullConfig'],
  errors: ['toolTimeout', 'badJson'],
  features: [
    { id: 'chat', perSession: 0.9 },
    { id: 'tool_picker', perSession: 0.5 },
  ],
};

/**
 * 1.4.0 (day 0), then 1.5.0 (day 10): the same app, nothing changed. Then 1.6.0 (day 20) with
 * injected regressions: 4x the crash rate, a new crash signature (raceDispose), twice the errors,
 * API latency +50%, and a new feature, `canvas`, that devices try once and abandon.
 */
export function releaseFleet(kind: StoreKind = 'collector', devices = 200): FleetSpec {
  return {
    seed: 20261128,
    kind,
    end: END,
    days: 30,
    devices,
    sessionsPerDevicePerDay: 1,
    requestsPerSession: 5,
    versions: [
      { ...base, version: '1.4.0', fromDay: 0 },
      { ...base, version: '1.5.0', fromDay: 10 },
      {
        ...base,
        version: '1.6.0',
        fromDay: 20,
        crashPerSession: 0.04,
        crashes: ['nullConfig', 'raceDispose'],
        errorsPerSession: 1,
        apiLatencyMs: 450,
        features: [...base.features, { id: 'canvas', perSession: 0.5, abandoned: true }],
      },
    ],
  };
}
