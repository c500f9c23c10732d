// The dashboard window's hardening: its BrowserWindow options (a pure function, asserted by a
// test), the content security policy and permission refusals of its session, and the denial of
// navigation, new windows and <webview> for every web contents the app creates.
import type { BrowserWindowConstructorOptions, Event, Session, WebContents } from 'electron';
import { DASHBOARD_CSP } from '../src/host/browser-host.js';

export { DASHBOARD_CSP };

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 860,
    minWidth: 720,
    minHeight: 480,
    // Shown on ready-to-show: no white flash, and the moment it shows is the start-up time.
    show: false,
    title: 'Telemetry',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
    },
  };
}

type HeadersListener = Parameters<Session['webRequest']['onHeadersReceived']>[0];
export type SessionLike = {
  webRequest: { onHeadersReceived(listener: HeadersListener): void };
  setPermissionRequestHandler: Session['setPermissionRequestHandler'];
  setPermissionCheckHandler: Session['setPermissionCheckHandler'];
};

/** Every response gets the dashboard's CSP (any CSP the response had is replaced, whatever its
 *  case); every permission request (camera, notifications, ...) is refused: the dashboard needs none. */
export function installSessionPolicy(session: SessionLike, csp = DASHBOARD_CSP): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(details.responseHeaders ?? {})) if (k.toLowerCase() !== 'content-security-policy') headers[k] = v;
    headers['Content-Security-Policy'] = [csp];
    callback({ responseHeaders: headers });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

export type ContentsLike = {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: Event, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: Event) => void): unknown;
  setWindowOpenHandler: WebContents['setWindowOpenHandler'];
};

/** No navigation away from the app's own page, no new windows, no <webview>. */
export function hardenContents(contents: ContentsLike, isAppUrl: (url: string) => boolean): void {
  const stay = (event: Event, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', stay);
  contents.on('will-redirect', stay);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
