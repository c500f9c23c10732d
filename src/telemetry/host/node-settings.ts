// The settings port for plain Node hosts: conf, the library electron-store is built on, so the
// file has the same shape and schema as the one main/ keeps through electron-store.
import Conf from 'conf';
import type { SettingsPort } from '../ports.js';

/** Settings in `<dir>/telemetry-settings.json`. */
export function createNodeSettings(dir: string): SettingsPort {
  const conf = new Conf<Record<string, unknown>>({ cwd: dir, configName: 'telemetry-settings', projectName: 'local-first-telemetry' });
  return { get: (key) => conf.get(key), set: (key, value) => conf.set(key, value) };
}
