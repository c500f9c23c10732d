// When the simulated person uses the app: sessions of minutes to hours with a conversation turn
// every half minute or so (hundreds of events an hour), and idle gaps of an hour or more between
// sessions. Driven by a clock (the demo's is compressed, so a viewer sees hours pass in minutes):
// step() performs every action that is due by the clock's now, so how often it is called does not
// change what is recorded.
import type { Clock } from '../telemetry/ports.js';
import { seededRandom, type SimulatedMcpClient } from './simulated-mcp-client.js';

/** What the person does with the app (the simulated MCP client, or a stand-in in tests). */
export type AppUse = Pick<SimulatedMcpClient, 'startApp' | 'quitApp' | 'turn'>;

const MINUTE = 60_000;

/** How a person's use is spread over time (medians of log-normal spells, with their bounds). */
export interface UsePattern {
  /** A session's length: median 40 min, 3 min .. 4 h. */
  sessionMs: { median: number; min: number; max: number };
  /** Idle time between sessions: median 90 min, 10 min .. 10 h. */
  gapMs: { median: number; min: number; max: number };
  /** Between conversation turns: median 35 s, 5 s .. 5 min. */
  turnMs: { median: number; min: number; max: number };
}

export const TYPICAL_USE: UsePattern = {
  sessionMs: { median: 40 * MINUTE, min: 3 * MINUTE, max: 240 * MINUTE },
  gapMs: { median: 90 * MINUTE, min: 10 * MINUTE, max: 600 * MINUTE },
  turnMs: { median: 35_000, min: 5_000, max: 5 * MINUTE },
};

export class SimulatedPerson {
  private readonly rnd: () => number;
  private inSession = false;
  /** When the next thing happens: the session's next turn or its end, or the next session's start. */
  private nextTurnAt = 0;
  private sessionEndsAt = 0;
  private nextStartAt: number;
  sessions = 0;

  constructor(
    private readonly client: AppUse,
    private readonly clock: Clock,
    seed: number,
    private readonly pattern: UsePattern = TYPICAL_USE,
  ) {
    this.rnd = seededRandom(seed);
    // The person sits down right away: the viewer sees a session from the start.
    this.nextStartAt = clock.now();
  }

  get using(): boolean {
    return this.inSession;
  }

  /** Performs everything due by now, in time order. */
  step(): void {
    const now = this.clock.now();
    for (;;) {
      if (!this.inSession) {
        if (this.nextStartAt > now) return;
        this.startSession(this.nextStartAt);
        continue;
      }
      const next = Math.min(this.nextTurnAt, this.sessionEndsAt);
      if (next > now) return;
      if (this.sessionEndsAt <= this.nextTurnAt) {
        this.endSession(this.sessionEndsAt);
        continue;
      }
      this.client.turn();
      this.nextTurnAt += this.spell(this.pattern.turnMs);
    }
  }

  /** The person closes the app now (the demo stopping). */
  quit(): void {
    if (this.inSession) this.client.quitApp();
    this.inSession = false;
  }

  private startSession(at: number): void {
    this.client.startApp();
    this.sessions++;
    this.inSession = true;
    this.sessionEndsAt = at + this.spell(this.pattern.sessionMs);
    this.nextTurnAt = at + this.spell(this.pattern.turnMs);
  }

  private endSession(at: number): void {
    this.client.quitApp();
    this.inSession = false;
    this.nextStartAt = at + this.spell(this.pattern.gapMs);
  }

  private spell(p: { median: number; min: number; max: number }): number {
    const u = Math.max(this.rnd(), 1e-12);
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.rnd());
    return Math.round(Math.min(p.max, Math.max(p.min, p.median * Math.exp(0.7 * z))));
  }
}
