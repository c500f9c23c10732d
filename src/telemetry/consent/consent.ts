// Consent: per category, off (the default) / local (kept on this device) / shared (also uploaded).
// Persisted as a versioned record through the settings port, so electron-store (main/) and conf
// (plain Node) hold exactly the same shape.
import { z } from 'zod';
import { CATEGORIES, type Category } from '../event/schema.js';
import type { SettingsPort } from '../ports.js';

export const CONSENT_LEVELS = ['off', 'local', 'shared'] as const;
export type ConsentLevel = (typeof CONSENT_LEVELS)[number];
const RANK: Readonly<Record<ConsentLevel, number>> = { off: 0, local: 1, shared: 2 };

export type ConsentCategories = Record<Category, ConsentLevel>;

export const ALL_OFF: Readonly<ConsentCategories> = Object.freeze({ usage: 'off', performance: 'off', errors: 'off', crashes: 'off' });

const levelSchema = z.enum(CONSENT_LEVELS);
export const consentRecordSchema = z.strictObject({
  /** Version of this record's shape, for migrations of the settings file. */
  schema: z.literal(1),
  /** The policy text the person answered. */
  policyVersion: z.string().min(1).max(32),
  categories: z.strictObject({ usage: levelSchema, performance: levelSchema, errors: levelSchema, crashes: levelSchema }),
  /** ISO time of the answer. */
  updatedAt: z.iso.datetime(),
});
export type ConsentRecord = z.infer<typeof consentRecordSchema>;

/** What the app shows and gates by. */
export interface ConsentState {
  categories: ConsentCategories;
  /** The policy the current choices were given under; null before the person has answered. */
  policyVersion: string | null;
  updatedAt: string | null;
  /** True when the person has not answered the current policy version yet: the app should ask. */
  needsPrompt: boolean;
}

export const categoriesUpdateSchema = z.strictObject({
  usage: levelSchema.optional(),
  performance: levelSchema.optional(),
  errors: levelSchema.optional(),
  crashes: levelSchema.optional(),
});
export type ConsentUpdate = z.infer<typeof categoriesUpdateSchema>;

export const CONSENT_SETTINGS_KEY = 'telemetry.consent';

export function isLowered(from: ConsentLevel, to: ConsentLevel): boolean {
  return RANK[to] < RANK[from];
}

export function allOff(c: ConsentCategories): boolean {
  return CATEGORIES.every((k) => c[k] === 'off');
}

/** Reads and writes the consent record. A stored record that does not parse (hand-edited, from a
 *  future version) counts as no answer: everything off, ask again. */
export class ConsentStore {
  constructor(
    private readonly settings: SettingsPort,
    private readonly currentPolicy: string,
  ) {}

  read(): ConsentState {
    const parsed = consentRecordSchema.safeParse(this.settings.get(CONSENT_SETTINGS_KEY));
    if (!parsed.success) return { categories: { ...ALL_OFF }, policyVersion: null, updatedAt: null, needsPrompt: true };
    const r = parsed.data;
    return { categories: { ...r.categories }, policyVersion: r.policyVersion, updatedAt: r.updatedAt, needsPrompt: r.policyVersion !== this.currentPolicy };
  }

  write(categories: ConsentCategories, at: number): ConsentState {
    const record: ConsentRecord = { schema: 1, policyVersion: this.currentPolicy, categories: { ...categories }, updatedAt: new Date(at).toISOString() };
    this.settings.set(CONSENT_SETTINGS_KEY, record);
    return { categories: { ...categories }, policyVersion: record.policyVersion, updatedAt: record.updatedAt, needsPrompt: false };
  }
}
