// Exposure: "this person saw variant V of experiment E". An `app` event with a reserved name, so it
// is usage data under the usage consent category like every other engagement event, and needs no
// new field in the schema: the experiment and the variant ride in its context.
import type { Context } from '../event/schema.js';
import { NAME_PATTERN } from '../event/schema.js';

export const EXPOSURE_EVENT = 'experiment.exposure';

/** What the service façade needs: its own trackApp. */
export interface AppTracker<R> {
  trackApp(name: string, context?: Context): R;
}

export function exposureContext(experiment: string, variant: string): Context {
  return { experiment, variant };
}

/** True when both names are identifiers (no free text can ride in an exposure). */
export function isValidExposure(experiment: string, variant: string): boolean {
  return experiment.length <= 64 && variant.length <= 64 && NAME_PATTERN.test(experiment) && NAME_PATTERN.test(variant);
}

/**
 * Records an exposure through the service's trackApp (consent gate, validation, scrubbing and the
 * buffer all apply as for any event). The façade's method is one line:
 * `trackExposure(experiment: string, variant: string) { return trackExposure(this, experiment, variant); }`
 */
export function trackExposure<R>(service: AppTracker<R>, experiment: string, variant: string): R | { ok: false; reason: 'invalid_fields' } {
  if (!isValidExposure(experiment, variant)) return { ok: false, reason: 'invalid_fields' };
  return service.trackApp(EXPOSURE_EVENT, exposureContext(experiment, variant));
}
