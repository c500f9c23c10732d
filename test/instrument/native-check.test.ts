// The ABI check: a better-sqlite3 built for another runtime is explained, not a crash; and the
// failure reaches the store as an error event at the next start that has storage.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemorySettings } from '../../src/telemetry/ports.js';
import { checkNativeSqlite, NATIVE_FAILURE_EVENT, rememberNativeFailure, reportRememberedNativeFailure } from '../../src/telemetry/instrument/native-check.js';
import { consentedService, type Instrumented } from './support.js';

// The message Node and Electron give when a .node file was compiled for another ABI.
const abiError = Object.assign(
  new Error("The module '/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 115. This version of Node.js requires\nNODE_MODULE_VERSION 140. Please try re-compiling or re-installing\nthe module (for instance, using `npm rebuild` or `npm install`)."),
  { code: 'ERR_DLOPEN_FAILED' },
);

describe('native module check', () => {
  it('explains an ABI mismatch with the rebuild command and both ABI versions', () => {
    const r = checkNativeSqlite(() => {
      throw abiError;
    });
    expect(r).toMatchObject({ ok: false, kind: 'abi_mismatch', builtFor: 115, required: 140 });
    if (r.ok) return;
    expect(r.message).toBe('better-sqlite3 was built for a different Node/Electron ABI; run npm run rebuild:electron (module ABI 115, this runtime needs 140).');
  });

  it('reports another load failure as such, with its first line', () => {
    const r = checkNativeSqlite(() => {
      throw new Error('/app/better_sqlite3.node: invalid ELF header\nmore');
    });
    expect(r).toMatchObject({ ok: false, kind: 'load_failed', message: 'better-sqlite3 could not be loaded: /app/better_sqlite3.node: invalid ELF header' });
  });

  it('passes with the better-sqlite3 installed here', () => {
    expect(checkNativeSqlite()).toEqual({ ok: true });
  });
});

describe('a remembered failure', () => {
  let t: Instrumented;
  beforeEach(() => (t = consentedService()));
  afterEach(() => t.h.cleanup());

  it('is recorded once as an error event at the next start with storage', () => {
    const r = checkNativeSqlite(() => {
      throw abiError;
    });
    if (r.ok) throw new Error('expected a failure');
    rememberNativeFailure(t.h.settings, r, Date.UTC(2026, 10, 27));
    expect(reportRememberedNativeFailure(t.service, t.h.settings)).toBe(true);
    expect(reportRememberedNativeFailure(t.service, t.h.settings)).toBe(false);
    const rows = t.rows(NATIVE_FAILURE_EVENT);
    expect(rows.map((x) => [x.event_type, x.payload.error_code, x.payload.error_message])).toEqual([
      ['error', 'abi_mismatch', 'an earlier start ran without stored telemetry: better-sqlite3 abi_mismatch (module ABI 115, runtime ABI 140) at 2026-11-27T00:00:00.000Z'],
    ]);
  });

  it('nothing remembered, nothing recorded', () => {
    expect(reportRememberedNativeFailure(t.service, new MemorySettings())).toBe(false);
    expect(t.rows()).toEqual([]);
  });
});
