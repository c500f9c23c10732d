// The dashboard window's hardening, asserted on the options and handlers main/ gives Electron:
// isolation and sandbox on, Node off, the strict CSP on every response, permissions refused, and
// navigation, new windows and <webview> denied.
import { describe, expect, it } from 'vitest';
import { DASHBOARD_CSP, hardenContents, installSessionPolicy, windowOptions, type ContentsLike, type SessionLike } from '../../main/window.js';
import { isAppUrl } from '../../main/sender.js';

describe('BrowserWindow options', () => {
  const o = windowOptions('/app/dist/electron/preload.cjs');

  it('isolates the page: context isolation and sandbox on, no Node, web security on, no webview tag', () => {
    expect(o.webPreferences).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
  });

  it('opens hidden, to be shown when ready (which is also when start-up time is taken)', () => {
    expect(o.show).toBe(false);
  });
});

describe('the content security policy', () => {
  const directives = new Map(DASHBOARD_CSP.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));

  it('allows scripts from the app only: no inline script, no eval, no plugins, no framing, no base or form tricks', () => {
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(DASHBOARD_CSP).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline|\*/);
  });

  it('is set on every response, replacing any policy the response carried, and every permission is refused', () => {
    let listener: Parameters<SessionLike['webRequest']['onHeadersReceived']>[0] | undefined;
    let requestHandler: Parameters<SessionLike['setPermissionRequestHandler']>[0] = null;
    let checkHandler: Parameters<SessionLike['setPermissionCheckHandler']>[0] = null;
    installSessionPolicy({
      webRequest: { onHeadersReceived: (l) => (listener = l) },
      setPermissionRequestHandler: (h) => (requestHandler = h),
      setPermissionCheckHandler: (h) => (checkHandler = h),
    });
    let answered: { responseHeaders?: Record<string, string[] | string> } | undefined;
    const details = { responseHeaders: { 'content-type': ['text/html'], 'content-security-policy': ["default-src *"] } } as unknown as Parameters<NonNullable<typeof listener>>[0];
    listener!(details, (r) => (answered = r));
    expect(answered?.responseHeaders).toEqual({ 'content-type': ['text/html'], 'Content-Security-Policy': [DASHBOARD_CSP] });

    const granted: boolean[] = [];
    requestHandler!({} as never, 'media', (g) => granted.push(g), {} as never);
    requestHandler!({} as never, 'notifications', (g) => granted.push(g), {} as never);
    expect(granted).toEqual([false, false]);
    expect(checkHandler!(null, 'clipboard-read', '', {} as never)).toBe(false);
  });
});

describe('navigation and new windows', () => {
  const pages = { indexUrl: 'file:///app/dist/renderer/index.html', devOrigin: null };
  function harden() {
    const handlers = new Map<string, (e: { preventDefault(): void }, url?: string) => void>();
    let openHandler: ((d: { url: string }) => { action: string }) | undefined;
    const contents = {
      on: (ev: string, l: (e: { preventDefault(): void }, url?: string) => void) => handlers.set(ev, l),
      setWindowOpenHandler: (h: (d: { url: string }) => { action: string }) => (openHandler = h),
    } as unknown as ContentsLike;
    hardenContents(contents, (url) => isAppUrl(url, pages));
    const prevented = (ev: string, url?: string) => {
      let p = false;
      handlers.get(ev)!({ preventDefault: () => (p = true) }, url);
      return p;
    };
    return { prevented, openHandler: openHandler! };
  }

  it('denies navigating or redirecting away from the app page, and allows the page itself', () => {
    const h = harden();
    expect(h.prevented('will-navigate', 'https://evil.example/')).toBe(true);
    expect(h.prevented('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(h.prevented('will-redirect', 'http://127.0.0.1:8080/')).toBe(true);
    expect(h.prevented('will-navigate', 'file:///app/dist/renderer/index.html#/privacy')).toBe(false);
  });

  it('denies window.open and <webview>', () => {
    const h = harden();
    expect(h.openHandler({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(h.openHandler({ url: 'file:///app/dist/renderer/index.html' })).toEqual({ action: 'deny' });
    expect(h.prevented('will-attach-webview')).toBe(true);
  });
});
