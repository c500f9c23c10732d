// Making the database agree with a consent choice, and the anonymous ids' rotation that a full
// withdrawal (or Delete my data) brings: rows of `off` categories gone with their rollups, rows of
// `local` ones out of the upload queue, and a deletion request upstream for every id that may have
// data there. The caller holds the one connection that writes while this runs.
import { v4 as uuidv4 } from 'uuid';
import { allOff, type ConsentCategories } from '../consent/consent.js';
import { CATEGORIES } from '../event/schema.js';
import type { EventStore, Identity } from '../store/event-store.js';
import type { IdentityKeeper } from './identity-keeper.js';

/** Enforces `c` on disk in one transaction; returns the fresh identity if the ids rotated. */
export function enforceConsentOnDisk(store: EventStore, keeper: IdentityKeeper, c: ConsentCategories, identity: Identity, now: number): Identity | null {
  const off = CATEGORIES.filter((k) => c[k] === 'off');
  const local = CATEGORIES.filter((k) => c[k] === 'local');
  return store.db.transaction(() => {
    store.restrict(off, local);
    if (allOff(c)) return rotateIdentity(store, keeper, identity, now);
    store.setMeta('collected', '1');
    return null;
  })();
}

/** Forgets the anonymous ids upstream (a deletion request, if anything was ever collected) and
 *  takes fresh ones, with a sequence starting again at 0; null when there was nothing to forget.
 *  Call inside a transaction. */
export function rotateIdentity(store: EventStore, keeper: IdentityKeeper, identity: Identity, now: number): Identity | null {
  // Identities of a database file that was lost (corrupt, deleted) may have data upstream too.
  const previous = keeper.previous();
  if (store.getMeta('collected') !== '1' && previous.length === 0) return null;
  for (const old of previous) store.addDeletionRequest(uuidv4(), old, now);
  if (store.getMeta('collected') === '1') store.addDeletionRequest(uuidv4(), identity, now);
  const fresh = { userId: uuidv4(), deviceId: uuidv4() };
  keeper.rotated(fresh);
  keeper.mirrorDeletions(store);
  store.setMeta('user_id', fresh.userId);
  store.setMeta('device_id', fresh.deviceId);
  // A new device id starts a new sequence.
  store.setMeta('seq', '0');
  store.setMeta('collected', '0');
  return fresh;
}
