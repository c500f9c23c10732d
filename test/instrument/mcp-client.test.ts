// The MCP client's helpers: LLM inference, tool calls and sync times as performance events under
// the analyzer's names; labels only from the declared catalog; no text of any prompt or response.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { METRIC } from '../../src/telemetry/event/metric-names.js';
import { createMcpClientTelemetry } from '../../src/telemetry/instrument/mcp-client.js';
import { consentedService, type Instrumented } from './support.js';

let t: Instrumented;
beforeEach(() => (t = consentedService()));
afterEach(() => t.h.cleanup());

const catalog = { llm: { anthropic: ['claude-sonnet-4-5', 'claude-haiku-4-5'], ollama: ['llama3.1:8b'] }, tools: { filesystem: ['read_file', 'list_directory'], github: ['create_issue'] } };
const make = () => createMcpClientTelemetry(t.service, catalog);
const perf = (name: string) => t.rows(name).map((r) => ({ value: r.payload.value, unit: r.payload.unit, context: r.payload.context }));

describe('LLM inference', () => {
  it('records duration, tokens, time to first token and tokens per second over the generation time', () => {
    make().llmInference({ provider: 'anthropic', model: 'claude-sonnet-4-5', inputTokens: 1200, outputTokens: 300, timeToFirstTokenMs: 500, durationMs: 3500, outcome: 'ok' });
    const ctx = { provider: 'anthropic', model: 'claude-sonnet-4-5', outcome: 'ok' };
    expect(perf(METRIC.llmInference)).toEqual([{ value: 3500, unit: 'ms', context: { ...ctx, input_tokens: 1200, output_tokens: 300 } }]);
    expect(perf(METRIC.llmTimeToFirstToken)).toEqual([{ value: 500, unit: 'ms', context: ctx }]);
    // 300 tokens in the 3000 ms after the first one.
    expect(perf(METRIC.llmTokensPerSecond)).toEqual([{ value: 100, unit: 'tokens_per_s', context: ctx }]);
    expect(perf(METRIC.llmInputTokens)[0]).toMatchObject({ value: 1200, unit: 'tokens' });
    expect(perf(METRIC.llmOutputTokens)[0]).toMatchObject({ value: 300, unit: 'tokens' });
  });

  it('a failed request is an error event, coded "timeout" for a timeout and with no placeholder code otherwise, and no throughput', () => {
    const m = make();
    m.llmInference({ provider: 'ollama', model: 'llama3.1:8b', inputTokens: 10, outputTokens: 0, durationMs: 30_000, outcome: 'timeout' });
    m.llmInference({ provider: 'ollama', model: 'llama3.1:8b', inputTokens: 10, outputTokens: 0, durationMs: 300, outcome: 'error' });
    expect(perf(METRIC.llmTokensPerSecond)).toEqual([]);
    expect(t.rows(METRIC.llmFailed).map((r) => [r.payload.error_message, r.payload.error_code])).toEqual([
      ['LLM request timeout (ollama)', 'timeout'],
      ['LLM request error (ollama)', undefined],
    ]);
  });

  it('an undeclared provider or model is recorded as other', () => {
    const m = make();
    m.llmInference({ provider: 'anthropic', model: 'claude-opus-9' as 'claude-haiku-4-5', inputTokens: 1, outputTokens: 1, durationMs: 10, outcome: 'ok' });
    m.llmInference({ provider: 'someone@example.com' as 'ollama', model: 'x' as 'llama3.1:8b', inputTokens: 1, outputTokens: 1, durationMs: 10, outcome: 'ok' });
    expect(perf(METRIC.llmInference).map((p) => [p.context as Record<string, unknown>].map((c) => `${String(c.provider)}/${String(c.model)}`)[0])).toEqual(['anthropic/other', 'other/other']);
    expect(t.rawText()).not.toContain('someone@example.com');
  });

  it('accepts no prompt or response text: the type refuses it and a smuggled field is never stored', () => {
    const text = 'please summarise my medical records';
    make().llmInference({
      provider: 'anthropic',
      model: 'claude-haiku-4-5',
      inputTokens: 5,
      outputTokens: 5,
      durationMs: 100,
      outcome: 'ok',
      // @ts-expect-error the API has no field for text; tsc fails here if one is ever added
      prompt: text,
    });
    expect(t.rows(METRIC.llmInference)).toHaveLength(1);
    expect(t.rawText()).not.toContain(text);
  });

  it('records nothing for a duration that is not a time', () => {
    expect(make().llmInference({ provider: 'anthropic', model: 'claude-haiku-4-5', inputTokens: 1, outputTokens: 1, durationMs: Number.NaN, outcome: 'ok' })).toBe(false);
    expect(t.rows()).toEqual([]);
  });
});

describe('MCP tool calls and sync', () => {
  it('records a declared tool call with its server, tool and outcome; an unknown one as other', () => {
    const m = make();
    m.toolCall({ server: 'filesystem', tool: 'read_file', durationMs: 42, outcome: 'ok' });
    m.toolCall({ server: 'github', tool: 'delete_repo' as 'create_issue', durationMs: 900, outcome: 'error' });
    m.toolCall({ server: 'evil-server' as 'github', tool: 'create_issue', durationMs: 5, outcome: 'ok' });
    expect(perf(METRIC.mcpToolCall)).toEqual([
      { value: 42, unit: 'ms', context: { server: 'filesystem', tool: 'read_file', outcome: 'ok' } },
      { value: 900, unit: 'ms', context: { server: 'github', tool: 'other', outcome: 'error' } },
      { value: 5, unit: 'ms', context: { server: 'other', tool: 'other', outcome: 'ok' } },
    ]);
    expect(t.rows(METRIC.mcpToolFailed).map((r) => r.payload.error_message)).toEqual(['MCP tool call error (github/other)']);
  });

  it('records sync durations', () => {
    make().sync({ durationMs: 1234, outcome: 'ok', items: 17 });
    expect(perf(METRIC.syncTime)).toEqual([{ value: 1234, unit: 'ms', context: { outcome: 'ok', items: 17 } }]);
  });

  it('refuses a catalog whose labels could carry text', () => {
    expect(() => createMcpClientTelemetry(t.service, { llm: { 'a provider with spaces': [] }, tools: {} })).toThrow(/not a valid label/);
    expect(() => createMcpClientTelemetry(t.service, { llm: {}, tools: { fs: ['other'] } })).toThrow(/not a valid label/);
  });
});
