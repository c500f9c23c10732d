// Consent and config in electron-store (behaving as conf here): the schema, the migrations, and a
// broken file moved aside instead of stopping the app. The telemetry core's consent goes through it.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSettings, SETTINGS_MIGRATIONS } from '../../main/settings.js';
import { TelemetryService } from '../../src/telemetry/index.js';
import { tempDir } from '../support/service.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir('settings-test-')));
afterEach(() => cleanup());

const file = () => join(dir, 'config.json');
const onDisk = () => JSON.parse(readFileSync(file(), 'utf8')) as Record<string, unknown>;

describe('app settings', () => {
  it('keeps the consent the service writes, in the file, across a reopen', () => {
    const s = openSettings({ cwd: dir, projectVersion: '0.1.0' });
    const service = TelemetryService.open({ databasePath: join(dir, 'telemetry.db'), appVersion: '0.1.0', os: 'linux-x64' }, { settings: s.port });
    service.setConsent({ usage: 'local', crashes: 'shared' });
    service.close();
    expect(onDisk()).toMatchObject({ settingsVersion: 1, collector: null, telemetry: { consent: { schema: 1, categories: { usage: 'local', crashes: 'shared', errors: 'off' } } } });

    const again = openSettings({ cwd: dir, projectVersion: '0.1.0' });
    const reopened = TelemetryService.open({ databasePath: join(dir, 'telemetry.db'), appVersion: '0.1.0', os: 'linux-x64' }, { settings: again.port });
    expect(reopened.getConsent()).toMatchObject({ categories: { usage: 'local', crashes: 'shared' }, needsPrompt: false });
    reopened.close();
  });

  it('refuses a value the schema does not allow, and keeps the old one', () => {
    const s = openSettings({ cwd: dir, projectVersion: '0.1.0' });
    expect(() => s.port.set('collector', { url: 'https://t.example' })).toThrow(/apiKey/);
    expect(() => s.port.set('telemetry.minidumpsSeen', 'not-a-list')).toThrow(/array/);
    expect(s.store.get('collector')).toBeNull();
  });

  it('runs each migration once, in version order, when the app is updated', () => {
    const ran: string[] = [];
    const migrations = { ...SETTINGS_MIGRATIONS, '0.2.0': () => void ran.push('0.2.0') };
    openSettings({ cwd: dir, projectVersion: '0.1.0', migrations });
    expect(onDisk().settingsVersion).toBe(1);
    expect(ran).toEqual([]);
    openSettings({ cwd: dir, projectVersion: '0.2.0', migrations });
    openSettings({ cwd: dir, projectVersion: '0.2.0', migrations });
    expect(ran).toEqual(['0.2.0']);
  });

  it('moves an unreadable file aside and starts fresh, keeping the old file for inspection', () => {
    writeFileSync(file(), '{"telemetry": {"consent": ');
    const s = openSettings({ cwd: dir, projectVersion: '0.1.0', now: 1234 });
    expect(s.movedAside).toBe(join(dir, 'config.json.invalid-1234'));
    expect(readdirSync(dir).sort()).toEqual(['config.json', 'config.json.invalid-1234']);
    expect(s.store.get('collector')).toBeNull();
  });

  it('moves aside a file that breaks the schema', () => {
    writeFileSync(file(), JSON.stringify({ collector: 'https://somewhere' }));
    const s = openSettings({ cwd: dir, projectVersion: '0.1.0', now: 5 });
    expect(s.movedAside).toMatch(/config\.json\.invalid-5$/);
    expect(s.store.get('collector')).toBeNull();
    expect(readFileSync(file(), 'utf8')).not.toContain('somewhere');
    expect(readFileSync(s.movedAside!, 'utf8')).toContain('somewhere');
  });
});
