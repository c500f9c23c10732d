// API keys: only their SHA-256 hashes are kept in memory after start, and a presented key is
// compared against every one of them in constant time (docs/PROTOCOL.md, "Authentication").
import { createHash, timingSafeEqual } from 'node:crypto';

export type AuthResult = { ok: true; keyId: number } | { ok: false; reason: 'missing' | 'wrong' };

function sha256(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** Returns a checker of `Authorization` header values. `keyId` names the matching key (its
 *  position) for per-key rate limits without keeping the key itself around. */
export function createKeyChecker(keys: readonly string[]): (authorization: string | undefined) => AuthResult {
  const hashes = keys.map(sha256);
  if (hashes.length === 0) throw new Error('at least one API key is required');
  return (authorization) => {
    if (authorization === undefined || authorization === '') return { ok: false, reason: 'missing' };
    const m = BEARER.exec(authorization);
    if (m === null) return { ok: false, reason: 'missing' };
    const presented = sha256(m[1]!);
    let keyId = -1;
    // No early exit: every hash is compared, so timing says nothing about which key was close.
    for (let i = 0; i < hashes.length; i++) {
      if (timingSafeEqual(presented, hashes[i]!) && keyId === -1) keyId = i;
    }
    return keyId === -1 ? { ok: false, reason: 'wrong' } : { ok: true, keyId };
  };
}
