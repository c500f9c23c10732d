// The browser host's transport: POST {origin}/bridge/{method} with {"args": ...} and the per-run
// token. The token arrives once in the URL fragment (never sent to a server); it is kept in
// sessionStorage so a reload of this tab still works, and removed from the address bar so it does
// not end up in screenshots or copied links.
import { BridgeCallError } from './bridge-error';
import type { BridgeMethod, BridgeResults, TelemetryBridge } from './contract';

const TOKEN_KEY = 'telemetry.bridgeToken';

export function takeToken(): string | null {
  const fromHash = new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return fromHash;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

interface Answer {
  result?: unknown;
  error?: { code?: string; message?: string };
}

export function createHttpBridge(token: string | null, base = ''): TelemetryBridge {
  async function call<M extends BridgeMethod>(method: M, args: unknown): Promise<BridgeResults[M]> {
    if (!token) throw new BridgeCallError('unauthorized', 'This page has no access token.');
    let res: Response;
    try {
      res = await fetch(`${base}/bridge/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(args === undefined ? {} : { args }),
        cache: 'no-store',
      });
    } catch {
      throw new BridgeCallError('unreachable', 'The telemetry host is not answering.');
    }
    let body: Answer;
    try {
      body = (await res.json()) as Answer;
    } catch {
      throw new BridgeCallError('host_error', `The host answered ${res.status} without a readable body.`);
    }
    if (res.status === 401) throw new BridgeCallError('unauthorized', body.error?.message ?? 'The access token was refused.', body.error?.code);
    if (!res.ok || body.error) {
      const failure = res.status >= 500 ? 'host_error' : 'refused';
      throw new BridgeCallError(failure, body.error?.message ?? `The host answered ${res.status}.`, body.error?.code);
    }
    return body.result as BridgeResults[M];
  }

  // One entry per method of the contract; the mapped type makes a missing one a compile error.
  return {
    getConsent: () => call('getConsent', undefined),
    setConsent: (a) => call('setConsent', a),
    dashboard: (a) => call('dashboard', a),
    recentEvents: (a) => call('recentEvents', a),
    diagnostics: () => call('diagnostics', undefined),
    recentUploads: (a) => call('recentUploads', a),
    exportData: () => call('exportData', undefined),
    deleteMyData: () => call('deleteMyData', undefined),
    report: (a) => call('report', a),
    reportRendererError: (a) => call('reportRendererError', a),
  };
}
