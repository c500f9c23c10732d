// The console's side of its API: a session cookie the browser keeps (HttpOnly, so no script here
// can read it), the CSRF token for the few calls that change state, and typed reads.
import { useEffect, useState } from 'react';
import type { ApiError, SessionInfo } from '../../src/console/api-types';

export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

let csrf: string | null = null;

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  const r = await fetch(path, { credentials: 'same-origin', ...init });
  const body = (await r.json().catch(() => null)) as (T & Partial<ApiError>) | null;
  if (!r.ok) throw new HttpFailure(r.status, body?.error?.message ?? `HTTP ${r.status}`);
  return body as T;
}

/** Trades the token of the login URL's fragment for a session, then removes it from the address
 *  bar and the history, so it is not left on screen or in a shared link. */
export function signIn(): Promise<SessionInfo> {
  // Once per page: a second caller (React's StrictMode runs effects twice) must not race the first.
  signingIn ??= doSignIn();
  return signingIn;
}
let signingIn: Promise<SessionInfo> | undefined;

async function doSignIn(): Promise<SessionInfo> {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (token !== null) {
    history.replaceState(null, '', `${location.pathname}#/executive`);
    const s = await call<SessionInfo>('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
    csrf = s.csrf;
    return s;
  }
  const s = await call<SessionInfo>('/api/session');
  csrf = s.csrf;
  return s;
}

export async function signOut(): Promise<void> {
  await call('/api/session', { method: 'DELETE', headers: { 'x-csrf-token': csrf ?? '' } });
}

export type Loaded<T> = { state: 'loading' } | { state: 'error'; status: number; message: string } | { state: 'ok'; data: T };

/** How often an open view asks again: the store keeps filling, and answers are cached server-side. */
export const REFRESH_MS = 60_000;

export function useApi<T>(path: string | null): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  useEffect(() => {
    if (path === null) return;
    let live = true;
    setLoaded({ state: 'loading' });
    const load = () =>
      call<T>(path).then(
        (data) => live && setLoaded({ state: 'ok', data }),
        (e: unknown) => live && setLoaded({ state: 'error', status: e instanceof HttpFailure ? e.status : 0, message: e instanceof Error ? e.message : String(e) }),
      );
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [path]);
  return loaded;
}

export function query(path: string, params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s === '' ? path : `${path}?${s}`;
}

/** A call that changes state (rules, silences): the session's CSRF token in a header, JSON body. */
export async function mutate<T = unknown>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  return call<T>(path, {
    method,
    headers: { 'x-csrf-token': csrf ?? '', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}
