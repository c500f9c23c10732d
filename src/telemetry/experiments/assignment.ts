// Deterministic variant assignment: the same anonymous id always lands in the same variant of an
// experiment (until the ids rotate on a full consent withdrawal), with no state kept and nothing
// sent to decide it. Different experiments hash independently, so being in "b" of one experiment
// says nothing about another.
import { createHash } from 'node:crypto';

export type VariantSpec = string | { name: string; weight: number };

/** The first 52 bits of SHA-256(experiment, id) as a number in [0, 1): uniform, and exact in a double. */
export function assignmentPoint(experiment: string, anonymousId: string): number {
  const digest = createHash('sha256').update(experiment).update('\u0000').update(anonymousId).digest();
  const high = digest.readUInt32BE(0) * 2 ** 20;
  const low = digest.readUInt32BE(4) >>> 12;
  return (high + low) / 2 ** 52;
}

/** The variant of `anonymousId` in `experiment`; variants split evenly unless weighted. Throws on a
 *  misconfigured experiment (no variant, a duplicate, a weight that is not positive): that is the
 *  developer's mistake, and it must show at once rather than skew the experiment. */
export function assignVariant(experiment: string, variants: readonly VariantSpec[], anonymousId: string): string {
  const specs = variants.map((v) => (typeof v === 'string' ? { name: v, weight: 1 } : v));
  if (specs.length === 0) throw new Error(`experiment ${experiment}: no variants`);
  if (new Set(specs.map((s) => s.name)).size !== specs.length) throw new Error(`experiment ${experiment}: duplicate variant names`);
  if (specs.some((s) => !(Number.isFinite(s.weight) && s.weight > 0))) throw new Error(`experiment ${experiment}: every weight must be a positive number`);
  const total = specs.reduce((a, s) => a + s.weight, 0);
  let at = assignmentPoint(experiment, anonymousId) * total;
  for (const s of specs) {
    if (at < s.weight) return s.name;
    at -= s.weight;
  }
  return specs.at(-1)!.name; // floating-point remainder
}
