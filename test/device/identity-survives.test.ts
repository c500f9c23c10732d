// A corrupt, emptied or deleted database file must not cost the person the right to deletion:
// the identity and pending deletion requests live in the settings store too.
import { rmSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { harness, type Harness } from '../support/service.js';

const ALL_SHARED = { usage: 'shared', performance: 'shared', errors: 'shared', crashes: 'shared' } as const;
let h: Harness;
afterEach(() => h?.cleanup());

const pendingFor = (rows: { user_id: string; device_id: string; sent_at: number | null }[]) => rows.filter((r) => r.sent_at === null).map((r) => `${r.user_id}/${r.device_id}`);

describe('the right to deletion survives the database file', () => {
  it.each([
    ['corrupt', (path: string) => writeFileSync(path, Buffer.alloc(8192, 0x5a))],
    ['emptied to 0 bytes', (path: string) => writeFileSync(path, '')],
    ['deleted', (path: string) => rmSync(path)],
  ])('file %s → reopen → "Delete my data" asks upstream to delete the old ids as well', (_, damage) => {
    h = harness();
    const first = h.open();
    first.setConsent(ALL_SHARED);
    first.trackApp('app.start');
    const old = first.getIdentity();
    first.close();
    for (const s of ['-wal', '-shm']) rmSync(h.dbPath + s, { force: true });
    damage(h.dbPath);

    const second = h.open();
    expect(second.getIdentity()).not.toEqual(old);
    second.trackApp('app.start');
    second.deleteMyData();
    const requested = pendingFor(second.deletionRequests());
    expect(requested).toContain(`${old.userId}/${old.deviceId}`);
    expect(requested).toHaveLength(2);
  });

  it('a deletion request not yet sent when the file went bad is still there after the reopen', () => {
    h = harness();
    const first = h.open();
    first.setConsent(ALL_SHARED);
    first.trackApp('app.start');
    first.flush();
    const old = first.getIdentity();
    first.setConsent({ usage: 'off', performance: 'off', errors: 'off', crashes: 'off' });
    expect(pendingFor(first.deletionRequests())).toEqual([`${old.userId}/${old.deviceId}`]);
    first.close();
    for (const s of ['-wal', '-shm']) rmSync(h.dbPath + s, { force: true });
    writeFileSync(h.dbPath, Buffer.alloc(8192, 0x5a));

    const second = h.open();
    expect(second.health().incidents.map((i) => i.kind)).toEqual(['corrupt_moved_aside']);
    // (The ids taken at the withdrawal may be asked for too: after losing the file nobody can
    // tell whether they were used, and deleting nothing upstream is harmless.)
    expect(pendingFor(second.deletionRequests())).toContain(`${old.userId}/${old.deviceId}`);
  });

  it('a zero-length database file is counted as a recovery', () => {
    h = harness();
    writeFileSync(h.dbPath, '');
    const t = h.open();
    expect(t.health().incidents.map((i) => i.kind)).toEqual(['empty_file_recovered']);
  });

  it('an intact file keeps its identity, and nothing extra is asked upstream', () => {
    h = harness();
    const first = h.open();
    first.setConsent(ALL_SHARED);
    first.trackApp('app.start');
    const id = first.getIdentity();
    first.close();
    const second = h.open();
    expect(second.getIdentity()).toEqual(id);
    second.deleteMyData();
    expect(pendingFor(second.deletionRequests())).toEqual([`${id.userId}/${id.deviceId}`]);
  });
});
