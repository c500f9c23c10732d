import { describe, expect, it } from 'vitest';
import { nextStep, type UploadState } from './manager.js';

const base: UploadState = {
  now: 100_000,
  stopped: false,
  paused: null,
  online: true,
  pending: 0,
  pendingDeletions: 0,
  batchLimit: 500,
  retryNotBefore: null,
  serverAskedToWait: false,
  lastPassAt: 99_000,
  lastPassFull: false,
  intervalMs: 15_000,
};

describe('what the uploader does next', () => {
  it('a full batch leaves now, even when the interval is not over', () => {
    expect(nextStep({ ...base, pending: 500 })).toEqual({ kind: 'upload' });
  });
  it('a partial batch waits for the interval counted from the last pass', () => {
    expect(nextStep({ ...base, pending: 10 })).toEqual({ kind: 'wait', until: 114_000, why: 'interval' });
    expect(nextStep({ ...base, pending: 10, now: 114_000 })).toEqual({ kind: 'upload' });
  });
  it('the partial batch that ends a burst leaves at once; after a partial pass the interval applies again', () => {
    expect(nextStep({ ...base, pending: 10, lastPassFull: true })).toEqual({ kind: 'upload' });
    expect(nextStep({ ...base, pending: 10, lastPassFull: false })).toMatchObject({ kind: 'wait', why: 'interval' });
  });
  it('a failure is waited out, whatever is pending; the server’s Retry-After is named as such', () => {
    expect(nextStep({ ...base, pending: 5000, retryNotBefore: 120_000 })).toEqual({ kind: 'wait', until: 120_000, why: 'backoff' });
    expect(nextStep({ ...base, pending: 1, retryNotBefore: 120_000, serverAskedToWait: true })).toMatchObject({ why: 'retry_after' });
    expect(nextStep({ ...base, pending: 1, retryNotBefore: 100_000 })).toEqual({ kind: 'upload' });
  });
  it('deletion requests and what earlier runs left leave at once', () => {
    expect(nextStep({ ...base, pendingDeletions: 1 })).toEqual({ kind: 'upload' });
    expect(nextStep({ ...base, pending: 3, lastPassAt: null })).toEqual({ kind: 'upload' });
  });
  it('stopped, paused, offline and idle say why nothing happens, in that order', () => {
    expect(nextStep({ ...base, pending: 500, stopped: true, paused: 'x', online: false })).toEqual({ kind: 'nothing', why: 'stopped' });
    expect(nextStep({ ...base, pending: 500, paused: 'API key refused', online: false })).toEqual({ kind: 'nothing', why: 'paused' });
    expect(nextStep({ ...base, pending: 500, online: false })).toEqual({ kind: 'nothing', why: 'offline' });
    expect(nextStep(base)).toEqual({ kind: 'nothing', why: 'idle' });
  });
});
