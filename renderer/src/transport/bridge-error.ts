// One error type for every way a bridge call can fail, so views can say what went wrong in words a
// person can act on (is the host down, or is the page's token wrong?).
export type BridgeFailure = 'unreachable' | 'unauthorized' | 'refused' | 'host_error';

export class BridgeCallError extends Error {
  constructor(
    readonly failure: BridgeFailure,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'BridgeCallError';
  }
}

export function failureOf(e: unknown): BridgeFailure {
  return e instanceof BridgeCallError ? e.failure : 'host_error';
}
