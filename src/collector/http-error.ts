// One error type for every refusal the collector answers, so the status (docs/PROTOCOL.md,
// "Status codes: one meaning each"), the body `{ error, detail? }` and Retry-After are set in one place.

export class HttpError extends Error {
  constructor(
    readonly status: number,
    /** A short machine-readable code, e.g. `invalid_api_key`. Never holds request data. */
    readonly code: string,
    /** A short human explanation (never echoes submitted values). */
    readonly detail?: string,
    /** Seconds, for 429 and 503. */
    readonly retryAfterSeconds?: number,
  ) {
    super(detail === undefined ? code : `${code}: ${detail}`);
    this.name = 'HttpError';
  }
}

export interface ErrorBody {
  error: string;
  detail?: string;
}
