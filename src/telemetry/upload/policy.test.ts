import { describe, expect, it } from 'vitest';
import { BACKOFF_CAP_MS, backoffDelay, checkEndpoint, MAX_RETRY_AFTER_MS, parseRetryAfter } from './policy.js';
import { classifyBatchResponse, classifyNetworkError } from './result.js';

describe('retry timing', () => {
  it('backoff is full jitter under an exponential ceiling of 1 s x 2^attempt, capped at 5 minutes', () => {
    expect(backoffDelay(1, () => 0.999999)).toBe(1999);
    expect(backoffDelay(3, () => 0.5)).toBe(4000);
    expect(backoffDelay(40, () => 0.999999)).toBe(BACKOFF_CAP_MS - 1);
    expect(backoffDelay(5, () => 0)).toBe(0);
  });

  it('Retry-After is read as seconds or as an HTTP date, and bounded', () => {
    const now = Date.UTC(2026, 10, 28, 12);
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter(new Date(now + 30_000).toUTCString(), now)).toBe(30_000);
    expect(parseRetryAfter('999999999', now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });

  it('the endpoint must be https, except on loopback', () => {
    expect(checkEndpoint('https://telemetry.example.com')).toBeNull();
    expect(checkEndpoint('http://127.0.0.1:4318')).toBeNull();
    expect(checkEndpoint('http://localhost:4318')).toBeNull();
    expect(checkEndpoint('http://[::1]:4318')).toBeNull();
    expect(checkEndpoint('http://telemetry.example.com')).toMatch(/https/);
    expect(checkEndpoint('http://192.168.1.10')).toMatch(/https/);
    expect(checkEndpoint('not a url')).toMatch(/not a URL/);
  });
});

describe('what a response means', () => {
  const res = (status: number, body = '') => ({ status, headers: {}, body });
  it('a 200 that accounts for every event is processed', () => {
    expect(classifyBatchResponse(res(200, JSON.stringify({ accepted: 2, duplicates: 1, rejected: [{ index: 0, reason: 'invalid' }] })), 4, null)).toEqual({
      kind: 'processed', accepted: 2, duplicates: 1, rejected: [{ index: 0, reason: 'invalid' }],
    });
  });
  it('a 200 that does not account for every event, or is not JSON, is retried (ids make resending safe)', () => {
    expect(classifyBatchResponse(res(200, JSON.stringify({ accepted: 1, duplicates: 0, rejected: [] })), 2, null).kind).toBe('retry');
    expect(classifyBatchResponse(res(200, '<html>'), 2, null).kind).toBe('retry');
  });
  it.each([
    [408, 'retry'], [429, 'retry'], [500, 'retry'], [502, 'retry'], [503, 'retry'], [504, 'retry'],
    [413, 'split'], [401, 'paused'], [403, 'paused'], [400, 'dead_letter'], [404, 'dead_letter'], [422, 'dead_letter'],
  ])('HTTP %i means %s', (status, kind) => {
    expect(classifyBatchResponse(res(status, '{"error":"x"}'), 3, null).kind).toBe(kind);
  });
  it('a network error is retried, and its reason names the code once', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4318'), { code: 'ECONNREFUSED' });
    expect(classifyNetworkError(refused)).toMatchObject({ kind: 'retry', reason: 'connect ECONNREFUSED 127.0.0.1:4318' });
    const timeout = Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' });
    expect(classifyNetworkError(timeout)).toMatchObject({ kind: 'retry', reason: 'ETIMEDOUT: request timed out' });
  });
});
