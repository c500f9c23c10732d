// The fleet the console's tests look at: the analyzer's generated fleet (three versions, 1.6.0
// with a regression) plus what a person should find on each dashboard, injected with known sizes:
//   - issues: badJson errors on 1.4.0, gone on 1.5.0, back on 1.6.0 (regressed); nullConfig
//     crashes only on 1.4.0 (resolved in 1.5.0); raceDispose crashes new on 1.6.0; renderer
//     out-of-memory crashes almost only on win32-x64 with 8 GB (the root cause to find);
//   - components: LLM calls per provider/model and MCP calls per server/tool, `local / llama` slow;
//   - features: `canvas` abandoned (1.6.0), `settings_sync` avoided (1 device in 40 ever opens it);
//   - journeys: search → preview → export in a share of sessions, with known drop-off;
//   - experiment `onboarding_tour` (control / tour, assigned by the SDK's assignVariant): the tour
//     triples conversion to `share`.
import { METRIC } from '../../../src/telemetry/event/metric-names.js';
import { assignVariant } from '../../../src/telemetry/experiments/assignment.js';
import { EXPOSURE_EVENT } from '../../../src/telemetry/experiments/exposure.js';
import type { Db } from '../../../src/analyzer/store.js';
import { DAY, generateFleet, type FleetSpec, type VersionSpec } from '../../analyzer/support/fleet.js';
import { Rng } from '../../analyzer/support/rng.js';
import { StoreWriter, type RawEvent } from '../../analyzer/support/store.js';

export const EXPERIMENT = 'onboarding_tour';
export const VARIANTS = ['control', 'tour'] as const;
/** Chance that a unit shares after its exposure, per variant. */
export const CONVERSION = { control: 0.1, tour: 0.3 } as const;
export const JOURNEY = ['search', 'preview', 'export'] as const;
/** Chance that a session starts the journey, and of each next step given the one before. */
export const JOURNEY_START = 0.3;
export const JOURNEY_NEXT = [0.6, 0.4] as const;
export const OOM_NAME = METRIC.rendererGone;

const base: Omit<VersionSpec, 'version' | 'fromDay' | 'crashes' | 'errors'> = {
  crashPerSession: 0.01,
  errorsPerSession: 0.5,
  abnormalPerSession: 0.01,
  apiLatencyMs: 300,
  memoryBytes: 200e6,
  loadMs: 800,
  features: [
    { id: 'chat', perSession: 0.9 },
    { id: 'tool_picker', perSession: 0.5 },
  ],
};

export function consoleFleetSpec(end: number, devices = 150): FleetSpec {
  return {
    seed: 15,
    kind: 'collector',
    end,
    days: 30,
    devices,
    sessionsPerDevicePerDay: 1,
    requestsPerSession: 3,
    versions: [
      { ...base, version: '1.4.0', fromDay: 0, crashes: ['nullConfig'], errors: ['toolTimeout', 'badJson'] },
      { ...base, version: '1.5.0', fromDay: 10, crashes: [], crashPerSession: 0, errors: ['toolTimeout'] },
      {
        ...base,
        version: '1.6.0',
        fromDay: 20,
        crashPerSession: 0.04,
        crashes: ['raceDispose'],
        errors: ['toolTimeout', 'badJson'],
        errorsPerSession: 1,
        apiLatencyMs: 450,
        features: [...base.features, { id: 'canvas', perSession: 0.5, abandoned: true }],
      },
    ],
  };
}

const MEMORY = ['8gb', '16gb', '32gb'] as const;
const LLM = [['anthropic', 'claude-sonnet', 700], ['openai', 'gpt-4o', 800], ['local', 'llama', 2400]] as const;
const TOOLS = [['github', 'create_issue', 120], ['filesystem', 'read_file', 15]] as const;

export function generateConsoleFleet(db: Db, spec: FleetSpec): { events: number } {
  const { events } = generateFleet(db, spec);
  // Both writers number their ids from 1: keep the generated ones apart.
  db.exec("UPDATE events SET id = 'g' || id");
  const rng = new Rng(spec.seed + 1);
  const w = new StoreWriter(db, 'collector');
  const setContext = db.prepare('UPDATE events SET payload = ? WHERE session_id = ? AND name = ?');
  const sessions = db
    .prepare("SELECT session_id, user_id, device_id, app_version, os, ts FROM events WHERE name = 'session.start' ORDER BY ts")
    .raw()
    .all() as [string, string, string, string, string, number][];
  const memoryOf = new Map<string, string>();
  const exposed = new Map<string, string>();
  const deviceIndex = new Map<string, number>();
  const start = spec.end - spec.days * DAY;
  db.transaction(() => {
    for (const [session, user, device, version, os, ts] of sessions) {
      if (!deviceIndex.has(device)) deviceIndex.set(device, deviceIndex.size);
      if (!memoryOf.has(device)) memoryOf.set(device, MEMORY[rng.int(MEMORY.length)]!);
      const memory = memoryOf.get(device)!;
      const [provider, model, llmMs] = LLM[rng.int(LLM.length)]!;
      setContext.run(JSON.stringify({ context: { memory_class: memory, provider, model } }), session, METRIC.sessionStart);
      let t = ts + 5_000;
      const ev = (type: RawEvent['type'], name: string, fields: Record<string, unknown>) => w.add({ ts: (t += 1_000), type, name, session, user, device, version, os, fields });
      for (let i = 0; i < 2; i++) {
        ev('performance', METRIC.llmInference, { value: rng.lognormal(llmMs, 0.3), unit: 'ms', context: { provider, model } });
        const [server, tool, toolMs] = TOOLS[rng.int(TOOLS.length)]!;
        ev('performance', METRIC.mcpToolCall, { value: rng.lognormal(toolMs, 0.4), unit: 'ms', context: { server, tool } });
      }
      if (rng.next() < JOURNEY_START) {
        ev('feature', 'feature.use', { feature_id: JOURNEY[0], duration_seconds: 10, interaction_count: 2 });
        if (rng.next() < JOURNEY_NEXT[0]) {
          ev('feature', 'feature.use', { feature_id: JOURNEY[1], duration_seconds: 20, interaction_count: 1 });
          if (rng.next() < JOURNEY_NEXT[1]) ev('feature', 'feature.use', { feature_id: JOURNEY[2], duration_seconds: 5, interaction_count: 1 });
        }
      }
      if (deviceIndex.get(device)! % 40 === 0 && !exposed.has(`sync:${device}`)) {
        exposed.set(`sync:${device}`, 'x');
        ev('feature', 'feature.use', { feature_id: 'settings_sync', duration_seconds: 40, interaction_count: 3 });
      }
      // The experiment runs from day 10: each user is exposed in their first session after that.
      if (ts >= start + 10 * DAY && !exposed.has(user)) {
        const variant = assignVariant(EXPERIMENT, VARIANTS, user);
        exposed.set(user, variant);
        ev('app', EXPOSURE_EVENT, { context: { experiment: EXPERIMENT, variant } });
        if (rng.next() < CONVERSION[variant as keyof typeof CONVERSION]) ev('feature', 'feature.use', { feature_id: 'share', duration_seconds: 8, interaction_count: 1 });
      }
      // Renderer out of memory: 40% of sessions on win32-x64 with 8 GB, 0.5% elsewhere.
      if (rng.next() < (os === 'win32-x64' && memory === '8gb' ? 0.4 : 0.005)) ev('crash', OOM_NAME, { error_message: 'renderer process gone: oom', process: 'renderer', reason: 'oom' });
    }
    w.flush();
  })();
  return { events: events + w.written };
}
