// The person's anonymous identity and pending deletion requests, kept in the settings store as
// well as in the events database: a corrupt or deleted database file must not cost the person
// the right to have what was already uploaded under the old ids deleted.
import { z } from 'zod';
import type { SettingsPort } from '../ports.js';
import type { EventStore, Identity } from '../store/event-store.js';

const IDENTITY_KEY = 'telemetry.identity';
const DELETIONS_KEY = 'telemetry.pendingDeletions';

const identitySchema = z.object({ userId: z.string().min(1).max(64), deviceId: z.string().min(1).max(64) });
const savedIdentitySchema = z.object({ current: identitySchema, previous: z.array(identitySchema).max(100) });
const deletionSchema = z.object({ request_id: z.string().min(1).max(64), user_id: z.string().min(1).max(64), device_id: z.string().min(1).max(64), requested_at: z.number() });
export type MirroredDeletion = z.infer<typeof deletionSchema>;

const same = (a: Identity, b: Identity) => a.userId === b.userId && a.deviceId === b.deviceId;

export class IdentityKeeper {
  constructor(private readonly settings: SettingsPort) {}

  /** At open: the database's identity becomes current; an identity the settings remember that the
   *  database does not (the file was replaced) is kept as a previous one, still to be deleted
   *  upstream on request. Deletion requests the database lost are put back. */
  reconcile(store: EventStore, current: Identity): void {
    const saved = this.readIdentity();
    const previous = saved === null ? [] : [...saved.previous];
    if (saved !== null && !same(saved.current, current) && !previous.some((p) => same(p, saved.current))) previous.push(saved.current);
    this.writeIdentity({ current, previous: previous.filter((p) => !same(p, current)) });
    this.restoreDeletions(store);
  }

  /** Identities used before the current one whose data may still be upstream. */
  previous(): Identity[] {
    return this.readIdentity()?.previous ?? [];
  }

  /** After a rotation: the new identity is current; the old ones are covered by deletion requests. */
  rotated(next: Identity): void {
    this.writeIdentity({ current: next, previous: [] });
  }

  /** Mirrors the database's unconfirmed deletion requests (call after adding one). */
  mirrorDeletions(store: EventStore): void {
    const pending = store.deletionRequests().filter((r) => r.sent_at === null);
    this.settings.set(DELETIONS_KEY, pending.map(({ request_id, user_id, device_id, requested_at }) => ({ request_id, user_id, device_id, requested_at })));
  }

  /** Puts back the mirrored requests a fresh or replaced database does not have. */
  restoreDeletions(store: EventStore): void {
    const parsed = z.array(deletionSchema).safeParse(this.settings.get(DELETIONS_KEY));
    if (!parsed.success) return;
    const known = new Map(store.deletionRequests().map((r) => [r.request_id, r]));
    for (const r of parsed.data) if (!known.has(r.request_id)) store.restoreDeletionRequest(r);
    this.mirrorDeletions(store);
  }

  private readIdentity(): z.infer<typeof savedIdentitySchema> | null {
    const parsed = savedIdentitySchema.safeParse(this.settings.get(IDENTITY_KEY));
    return parsed.success ? parsed.data : null;
  }

  private writeIdentity(v: z.infer<typeof savedIdentitySchema>): void {
    this.settings.set(IDENTITY_KEY, v);
  }
}
