// better-sqlite3 is a native module: built for plain Node's ABI it will not load in Electron (and
// the reverse). The app checks at start-up, and on a mismatch shows a clear message and runs
// without stored telemetry instead of crashing. The failure is remembered in settings and recorded
// as an error event at the next start whose storage works, so it is not lost either.
import Database from 'better-sqlite3';
import type { SettingsPort } from '../ports.js';
import type { TelemetrySink } from './sink.js';

export const REBUILD_HINT = 'better-sqlite3 was built for a different Node/Electron ABI; run npm run rebuild:electron';
export const NATIVE_FAILURE_KEY = 'telemetry.nativeModuleFailure';
export const NATIVE_FAILURE_EVENT = 'telemetry.native_module_failed';

export type NativeCheck =
  | { ok: true }
  | { ok: false; kind: 'abi_mismatch' | 'load_failed'; message: string; detail: string; builtFor: number | null; required: number | null };

/** Classifies an error thrown while loading the native module. */
export function explainNativeLoadError(e: unknown): Extract<NativeCheck, { ok: false }> {
  const detail = (e instanceof Error ? e.message : String(e)).slice(0, 1000);
  const versions = [...detail.matchAll(/NODE_MODULE_VERSION (\d+)/g)].map((m) => Number(m[1]));
  if (versions.length > 0) {
    const builtFor = versions[0] ?? null;
    const required = versions[1] ?? null;
    const which = builtFor !== null && required !== null ? ` (module ABI ${builtFor}, this runtime needs ${required})` : '';
    return { ok: false, kind: 'abi_mismatch', message: `${REBUILD_HINT}${which}.`, detail, builtFor, required };
  }
  return { ok: false, kind: 'load_failed', message: `better-sqlite3 could not be loaded: ${detail.split('\n')[0]}`, detail, builtFor: null, required: null };
}

/** Opens and closes an in-memory database: that is when better-sqlite3 loads its .node file. */
export function checkNativeSqlite(open: () => void = () => new Database(':memory:').close()): NativeCheck {
  try {
    open();
    return { ok: true };
  } catch (e) {
    return explainNativeLoadError(e);
  }
}

/** Kept in settings (which need no native code) until storage works again. */
export function rememberNativeFailure(settings: SettingsPort, check: Extract<NativeCheck, { ok: false }>, at: number): void {
  settings.set(NATIVE_FAILURE_KEY, { kind: check.kind, builtFor: check.builtFor, required: check.required, at });
}

/** Records a failure remembered from an earlier start as an error event, once. */
export function reportRememberedNativeFailure(service: TelemetrySink, settings: SettingsPort): boolean {
  const v = settings.get(NATIVE_FAILURE_KEY) as { kind?: unknown; builtFor?: unknown; required?: unknown; at?: unknown } | undefined;
  if (v === undefined || v === null || typeof v !== 'object') return false;
  settings.set(NATIVE_FAILURE_KEY, null);
  const kind = v.kind === 'abi_mismatch' ? 'abi_mismatch' : 'load_failed';
  const abi = typeof v.builtFor === 'number' && typeof v.required === 'number' ? ` (module ABI ${v.builtFor}, runtime ABI ${v.required})` : '';
  const at = typeof v.at === 'number' ? ` at ${new Date(v.at).toISOString()}` : '';
  return service.trackError(NATIVE_FAILURE_EVENT, { message: `an earlier start ran without stored telemetry: better-sqlite3 ${kind}${abi}${at}` }, kind).ok;
}
