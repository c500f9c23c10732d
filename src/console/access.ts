// Who may read the fleet console: whoever holds the access token made when the console starts. The
// token is printed once (in the login URL's fragment, which browsers never send) and only its
// SHA-256 is kept; trading it for a session gives an HttpOnly, SameSite=Strict cookie and a CSRF
// token, and sessions expire after an idle spell and at an absolute age.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../telemetry/ports.js';

/** A working day: a session opened in the morning lasts until the evening, never overnight. */
export const SESSION_MAX_AGE_MS = 8 * 3_600_000;
/** A console left open and unused for an hour asks for the token again. */
export const SESSION_IDLE_MS = 3_600_000;
/** Sessions kept at once; the oldest goes first. A team is a few dozen people, not thousands. */
export const MAX_SESSIONS = 1_000;
export const SESSION_COOKIE = 'fleet_console_session';

export interface Session {
  csrf: string;
  createdAt: number;
  lastSeen: number;
  expiresAt: number;
}

const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();
const random = (): string => randomBytes(32).toString('base64url');

export class ConsoleAccess {
  private readonly tokenHash: Buffer;
  /** sha256(session id) -> session: a leaked memory dump does not hand out live cookies. */
  private readonly sessions = new Map<string, Session>();

  /** Returns the access and the plain token, which the caller prints once and forgets. */
  static create(clock: Clock, token: string = random()): { access: ConsoleAccess; token: string } {
    return { access: new ConsoleAccess(sha256(token), clock), token };
  }

  private constructor(
    tokenHash: Buffer,
    private readonly clock: Clock,
  ) {
    this.tokenHash = tokenHash;
  }

  checkToken(token: unknown): boolean {
    return typeof token === 'string' && token.length <= 256 && timingSafeEqual(sha256(token), this.tokenHash);
  }

  /** A new session for a correct token, else null. */
  login(token: unknown): { id: string; session: Session } | null {
    if (!this.checkToken(token)) return null;
    const now = this.clock.now();
    this.sweep(now);
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    const id = random();
    const session: Session = { csrf: random(), createdAt: now, lastSeen: now, expiresAt: Math.min(now + SESSION_IDLE_MS, now + SESSION_MAX_AGE_MS) };
    this.sessions.set(sha256(id).toString('base64url'), session);
    return { id, session };
  }

  /** The live session of a cookie value (its idle clock restarted), or null. */
  session(id: string | undefined): Session | null {
    if (id === undefined || id.length > 256) return null;
    const key = sha256(id).toString('base64url');
    const s = this.sessions.get(key);
    if (s === undefined) return null;
    const now = this.clock.now();
    if (now >= s.expiresAt) {
      this.sessions.delete(key);
      return null;
    }
    s.lastSeen = now;
    s.expiresAt = Math.min(now + SESSION_IDLE_MS, s.createdAt + SESSION_MAX_AGE_MS);
    return s;
  }

  logout(id: string | undefined): void {
    if (id !== undefined) this.sessions.delete(sha256(id).toString('base64url'));
  }

  /** Constant-time comparison of a request's CSRF header with its session's token. */
  static csrfMatches(session: Session, header: unknown): boolean {
    if (typeof header !== 'string') return false;
    const a = Buffer.from(header);
    const b = Buffer.from(session.csrf);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private sweep(now: number): void {
    for (const [k, s] of this.sessions) if (now >= s.expiresAt) this.sessions.delete(k);
  }
}
