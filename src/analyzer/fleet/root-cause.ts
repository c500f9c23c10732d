// Root cause for a group: the session attributes over-represented among the sessions it affected,
// compared with all sessions of the window ("92% of these crashes are on win32-x64 with 8 GB, vs
// 31% of sessions"), with the lift and an exact binomial test, Bonferroni-corrected over every
// attribute value tested.
import { binomialUpperTail } from '../stats.js';
import type { Attributes } from './session-attributes.js';

export interface Suspect {
  /** One attribute (`os = win32-x64`) or a pair (`os = win32-x64 & memory_class = 8gb`). */
  attributes: { name: string; value: string }[];
  /** Affected sessions with it / affected sessions. */
  affectedShare: number;
  affected: number;
  /** All sessions with it / all sessions. */
  baselineShare: number;
  lift: number;
  /** One-sided p-value, times the number of values tested (Bonferroni), at most 1. */
  pValue: number;
  significant: boolean;
}

export interface RootCause {
  affectedSessions: number;
  sessions: number;
  suspects: Suspect[];
}

export const ROOT_CAUSE_ALPHA = 0.01;
/** A smaller over-representation can be real (a version with more of the bug's trigger) but does
 *  not point anywhere worth looking first. */
export const MIN_LIFT = 1.5;
/** Fewer affected sessions than this say nothing about their attributes. */
export const MIN_AFFECTED = 5;
/** Pairs are built from the strongest single attributes only: their number grows as the square. */
const PAIR_CANDIDATES = 6;
const MAX_SUSPECTS = 12;

export function rootCause(all: ReadonlyMap<string, Attributes>, affectedSessions: ReadonlySet<string>): RootCause {
  const affected = [...affectedSessions].map((s) => all.get(s)).filter((a): a is Attributes => a !== undefined);
  const n = affected.length;
  const N = all.size;
  if (n < MIN_AFFECTED || N === 0) return { affectedSessions: n, sessions: N, suspects: [] };
  const key = (name: string, value: string) => `${name}\u0000${value}`;
  const count = (sessions: Iterable<Attributes>) => {
    const c = new Map<string, number>();
    for (const a of sessions) for (const [name, values] of a) for (const v of values) c.set(key(name, v), (c.get(key(name, v)) ?? 0) + 1);
    return c;
  };
  const base = count(all.values());
  const hit = count(affected);
  const singles: Suspect[] = [];
  for (const [k, kHit] of hit) {
    const [name, value] = k.split('\u0000') as [string, string];
    singles.push(suspect([{ name, value }], kHit, n, base.get(k)!, N));
  }
  const strong = singles.filter((s) => s.lift > 1).sort((a, b) => a.pValue - b.pValue || b.lift - a.lift).slice(0, PAIR_CANDIDATES);
  const pairs: Suspect[] = [];
  for (let i = 0; i < strong.length; i++) {
    for (let j = i + 1; j < strong.length; j++) {
      const [x, y] = [strong[i]!.attributes[0]!, strong[j]!.attributes[0]!];
      if (x.name === y.name) continue;
      const has = (a: Attributes) => !!a.get(x.name)?.has(x.value) && !!a.get(y.name)?.has(y.value);
      const kHit = affected.filter(has).length;
      let kBase = 0;
      for (const a of all.values()) if (has(a)) kBase++;
      if (kHit === 0) continue;
      // A pair must explain more than each of its parts alone: among the affected sessions with one
      // part, the other must be over-represented too (else it is the first part's shadow).
      const given = (part: { name: string; value: string }) => {
        const hitPart = hit.get(key(part.name, part.value))!;
        const basePart = base.get(key(part.name, part.value))!;
        return binomialUpperTail(kHit, hitPart, kBase / basePart);
      };
      const pair = suspect([x, y], kHit, n, kBase, N);
      pairs.push({ ...pair, pValue: Math.max(pair.pValue, given(x), given(y)) });
    }
  }
  const tested = singles.length + pairs.length;
  const suspects = [...singles, ...pairs]
    .map((s) => {
      const pValue = Math.min(1, s.pValue * tested);
      return { ...s, pValue, significant: pValue < ROOT_CAUSE_ALPHA };
    })
    .filter((s) => s.lift >= MIN_LIFT && s.significant)
    .sort((a, b) => a.pValue - b.pValue || b.affectedShare - a.affectedShare || b.lift - a.lift)
    .slice(0, MAX_SUSPECTS);
  return { affectedSessions: n, sessions: N, suspects };
}

function suspect(attributes: { name: string; value: string }[], kHit: number, n: number, kBase: number, N: number): Suspect {
  const baselineShare = kBase / N;
  const affectedShare = kHit / n;
  return { attributes, affected: kHit, affectedShare, baselineShare, lift: baselineShare > 0 ? affectedShare / baselineShare : Infinity, pValue: binomialUpperTail(kHit, n, baselineShare), significant: false };
}
