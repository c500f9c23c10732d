// A value fetched from the host: the last good data is kept while a refresh is failing, so a
// briefly unreachable host does not blank the page.
export interface Loadable<T> {
  data: T | null;
  error: string | null;
  /** True until the first answer (good or bad) arrives. */
  pending: boolean;
}

export function initial<T>(): Loadable<T> {
  return { data: null, error: null, pending: true };
}

export function loaded<T>(data: T): Loadable<T> {
  return { data, error: null, pending: false };
}

/** `error` null: the failure is the connection's, said elsewhere; keep what was shown. */
export function failed<T>(prev: Loadable<T>, error: string | null): Loadable<T> {
  return { data: prev.data, error, pending: false };
}
