// Consent and configuration in electron-store (conf underneath): one JSON file in userData with a
// schema and migrations. The telemetry core reads and writes it through the SettingsPort shape
// (its consent record is validated again by the core on every read). A file that cannot be read or
// breaks the schema is moved aside and a fresh one started, rather than stopping the app.
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import Store, { type Options } from 'electron-store';
import type { SettingsPort } from '../src/telemetry/ports.js';

export interface CollectorConfig {
  url: string;
  apiKey: string;
}

export interface AppSettings {
  settingsVersion?: number;
  /** Keys under here belong to the telemetry core and instrumentation (consent, minidumps seen...). */
  telemetry: Record<string, unknown>;
  /** Where shared events go; null = nothing is uploaded. */
  collector: CollectorConfig | null;
}

export const SETTINGS_NAME = 'config';

const schema = {
  settingsVersion: { type: 'integer', minimum: 1 },
  telemetry: {
    type: 'object',
    default: {},
    properties: {
      // The core parses this record itself (a bad one means "ask again"), so it is only shaped here.
      consent: { type: 'object' },
      minidumpsSeen: { type: 'array', items: { type: 'string', maxLength: 1024 }, maxItems: 2000 },
      nativeModuleFailure: { type: ['object', 'null'] },
    },
  },
  collector: {
    type: ['object', 'null'],
    default: null,
    properties: { url: { type: 'string', maxLength: 2048 }, apiKey: { type: 'string', maxLength: 512 } },
    required: ['url', 'apiKey'],
  },
} as const;

/** Run once each, in version order, when the app is updated to (or past) their version. */
export const SETTINGS_MIGRATIONS: Record<string, (store: Store<AppSettings>) => void> = {
  // The first release's layout. A later layout adds an entry that moves or reshapes keys.
  '0.1.0': (store) => store.set('settingsVersion', 1),
};

export interface OpenedSettings {
  store: Store<AppSettings>;
  port: SettingsPort;
  /** Where an unreadable file was moved, when one was. */
  movedAside: string | null;
}

export interface SettingsOptions {
  /** Absolute folder; electron-store's default (userData) when absent. */
  cwd?: string;
  /** The app's version: migrations are keyed by it. */
  projectVersion: string;
  migrations?: Record<string, (store: Store<AppSettings>) => void>;
  now?: number;
}

export function openSettings(o: SettingsOptions): OpenedSettings {
  const options = {
    name: SETTINGS_NAME,
    cwd: o.cwd,
    schema,
    migrations: o.migrations ?? SETTINGS_MIGRATIONS,
    // electron-store takes the version from app.getVersion(); given here so plain Node (tests) can too.
    projectVersion: o.projectVersion,
    clearInvalidConfig: false,
  } as unknown as Options<AppSettings>;
  let movedAside: string | null = null;
  let store: Store<AppSettings>;
  try {
    store = new Store<AppSettings>(options);
  } catch (e) {
    const path = o.cwd ? join(o.cwd, `${SETTINGS_NAME}.json`) : null;
    if (path === null || !existsSync(path)) throw e;
    movedAside = `${path}.invalid-${o.now ?? Date.now()}`;
    renameSync(path, movedAside);
    store = new Store<AppSettings>(options);
  }
  const port: SettingsPort = {
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
  };
  return { store, port, movedAside };
}
