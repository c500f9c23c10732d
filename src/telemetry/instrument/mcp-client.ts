// Telemetry helpers for the MCP client the app is: LLM inference, MCP tool calls, sync times.
// Every field is a number or a label from a catalog declared when the helpers are made, so there is
// no parameter through which a prompt, a response or a tool's arguments could travel; a label not
// in the catalog (a typo, a server added at run time) is recorded as `other`.
import { METRIC } from '../event/metric-names.js';
import type { TelemetrySink } from './sink.js';

export type Outcome = 'ok' | 'error' | 'timeout' | 'cancelled';
const OUTCOMES: ReadonlySet<string> = new Set<Outcome>(['ok', 'error', 'timeout', 'cancelled']);
export const OTHER = 'other';

/** Which providers, models, MCP servers and tools the app knows, declared up front. */
export interface McpCatalog {
  /** provider → its models */
  readonly llm: Readonly<Record<string, readonly string[]>>;
  /** MCP server → its tools */
  readonly tools: Readonly<Record<string, readonly string[]>>;
}

type Provider<C extends McpCatalog> = Extract<keyof C['llm'], string>;
type Server<C extends McpCatalog> = Extract<keyof C['tools'], string>;

export interface LlmInference<C extends McpCatalog, P extends Provider<C>> {
  provider: P;
  model: C['llm'][P][number];
  inputTokens: number;
  outputTokens: number;
  /** Absent when the response was not streamed. */
  timeToFirstTokenMs?: number;
  durationMs: number;
  outcome: Outcome;
}

export interface ToolCall<C extends McpCatalog, S extends Server<C>> {
  server: S;
  tool: C['tools'][S][number];
  durationMs: number;
  outcome: Outcome;
}

export interface SyncRun {
  durationMs: number;
  outcome: Outcome;
  /** Items synchronised, when known. */
  items?: number;
}

/** A label fit to be stored: an identifier, not a sentence. */
const LABEL = /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,63}$/;

function checkCatalog(c: McpCatalog): void {
  for (const [group, entries] of [['llm', c.llm], ['tools', c.tools]] as const) {
    for (const [k, names] of Object.entries(entries)) {
      for (const n of [k, ...names]) if (!LABEL.test(n) || n === OTHER) throw new Error(`MCP telemetry catalog (${group}): "${String(n).slice(0, 80)}" is not a valid label`);
    }
  }
}

const duration = (ms: unknown): number | null => (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? ms : null);
const count = (n: unknown): number | null => (typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : null);
const outcomeOf = (o: unknown): Outcome => (typeof o === 'string' && OUTCOMES.has(o) ? (o as Outcome) : 'error');

export interface McpClientTelemetry<C extends McpCatalog> {
  /** Records one LLM request; returns false (recording nothing) when its duration is not a time. */
  llmInference<P extends Provider<C>>(r: LlmInference<C, P>): boolean;
  toolCall<S extends Server<C>>(r: ToolCall<C, S>): boolean;
  sync(r: SyncRun): boolean;
}

export function createMcpClientTelemetry<const C extends McpCatalog>(service: TelemetrySink, catalog: C): McpClientTelemetry<C> {
  checkCatalog(catalog);
  const label = (table: Readonly<Record<string, readonly string[]>>, key: unknown, member: unknown): [string, string] => {
    const members = typeof key === 'string' && Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
    if (members === undefined) return [OTHER, OTHER];
    return [key as string, typeof member === 'string' && members.includes(member) ? member : OTHER];
  };

  return {
    llmInference(r) {
      const ms = duration(r.durationMs);
      if (ms === null) return false;
      const [provider, model] = label(catalog.llm, r.provider, r.model);
      const outcome = outcomeOf(r.outcome);
      const input = count(r.inputTokens);
      const output = count(r.outputTokens);
      const ttft = duration(r.timeToFirstTokenMs);
      const ctx = { provider, model, outcome };
      service.trackPerformance(METRIC.llmInference, ms, 'ms', { ...ctx, input_tokens: input, output_tokens: output });
      if (input !== null) service.trackPerformance(METRIC.llmInputTokens, input, 'tokens', ctx);
      if (output !== null) service.trackPerformance(METRIC.llmOutputTokens, output, 'tokens', ctx);
      if (ttft !== null && ttft <= ms) service.trackPerformance(METRIC.llmTimeToFirstToken, ttft, 'ms', ctx);
      // Output tokens over generation time: from the first token on when streamed.
      const generationMs = ttft !== null && ttft < ms ? ms - ttft : ms;
      if (outcome === 'ok' && output !== null && output > 0 && generationMs > 0) {
        service.trackPerformance(METRIC.llmTokensPerSecond, output / (generationMs / 1000), 'tokens_per_s', ctx);
      }
      // A timeout has a code worth grouping by; a plain failure has none (no "error" placeholder).
      if (outcome === 'error' || outcome === 'timeout') service.trackError(METRIC.llmFailed, { message: `LLM request ${outcome} (${provider})` }, outcome === 'timeout' ? 'timeout' : undefined);
      return true;
    },

    toolCall(r) {
      const ms = duration(r.durationMs);
      if (ms === null) return false;
      const [server, tool] = label(catalog.tools, r.server, r.tool);
      const outcome = outcomeOf(r.outcome);
      service.trackPerformance(METRIC.mcpToolCall, ms, 'ms', { server, tool, outcome });
      if (outcome === 'error' || outcome === 'timeout') service.trackError(METRIC.mcpToolFailed, { message: `MCP tool call ${outcome} (${server}/${tool})` }, outcome === 'timeout' ? 'timeout' : undefined);
      return true;
    },

    sync(r) {
      const ms = duration(r.durationMs);
      if (ms === null) return false;
      service.trackPerformance(METRIC.syncTime, ms, 'ms', { outcome: outcomeOf(r.outcome), items: count(r.items) });
      return true;
    },
  };
}
