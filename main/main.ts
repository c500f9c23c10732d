// Electron's main process: wires Electron's events to the app's telemetry (main/app-telemetry.ts)
// and opens the hardened dashboard window. Kept to wiring: every decision lives in a tested module.
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, crashReporter, dialog, ipcMain, net, powerMonitor, session } from 'electron';
import { createLocalAnalysis } from '../src/analyzer/local-analysis.js';
import { captureCrashes } from '../src/telemetry/host/crash-capture.js';
import { checkNativeSqlite, rememberNativeFailure } from '../src/telemetry/instrument/native-check.js';
import { trackProcessGone } from '../src/telemetry/instrument/process-gone.js';
import { systemScheduler } from '../src/telemetry/instrument/scheduler.js';
import { startAppTelemetry, type AppTelemetry } from './app-telemetry.js';
import { registerBridgeIpc } from './ipc.js';
import { MCP_CATALOG } from './mcp-catalog.js';
import { isAppUrl, type AppPages } from './sender.js';
import { openSettings } from './settings.js';
import { unavailableHandlers } from './unavailable.js';
import { hardenContents, installSessionPolicy, windowOptions } from './window.js';

/** The final upload on quit gets this long, then the app quits anyway. */
const QUIT_UPLOAD_BUDGET_MS = 2000;
const processStartedAt = performance.timeOrigin;
// Compiled layout: dist/electron/main/main.js, dist/electron/preload.cjs, dist/renderer/index.html.
const here = dirname(fileURLToPath(import.meta.url));
const preloadPath = join(here, '..', 'preload.cjs');
const indexPath = join(here, '..', '..', 'renderer', 'index.html');
const pages: AppPages = {
  indexUrl: pathToFileURL(indexPath).href,
  devOrigin: !app.isPackaged && process.env.ELECTRON_RENDERER_URL ? new URL(process.env.ELECTRON_RENDERER_URL).origin : null,
};

// Native crashes are written as minidumps locally and never sent anywhere by Electron itself.
crashReporter.start({ uploadToServer: false });
app.enableSandbox();
app.on('web-contents-created', (_e, contents) => hardenContents(contents, (url) => isAppUrl(url, pages)));

let telemetry: AppTelemetry<typeof MCP_CATALOG> | null = null;

// One instance: a second one would open the same database and double every session.
if (!app.requestSingleInstanceLock()) app.quit();
else {
  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0];
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  void app.whenReady().then(start);
}

function start(): void {
  installSessionPolicy(session.defaultSession);
  const unavailable = startTelemetry();
  registerBridgeIpc(ipcMain, telemetry?.handlers ?? unavailableHandlers(unavailable ?? 'not started'), {
    isTrusted: (url) => isAppUrl(url, pages),
    onCall: () => telemetry?.sessions.activity(),
  });
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

/** Starts the app's telemetry; returns why it is unavailable in this run, or null. The app runs
 *  either way: telemetry failing must never be why the app does not start. */
function startTelemetry(): string | null {
  try {
    const userData = app.getPath('userData');
    const settings = openSettings({ cwd: userData, projectVersion: app.getVersion() });
    const native = checkNativeSqlite();
    if (!native.ok) {
      // Remembered in settings (no native code needed) and recorded at the next good start.
      rememberNativeFailure(settings.port, native, Date.now());
      void dialog.showMessageBox({ type: 'error', title: 'Telemetry unavailable', message: native.message, detail: native.detail });
      return native.message;
    }
    telemetry = startAppTelemetry({
      dataDir: userData,
      appVersion: app.getVersion(),
      settings: settings.port,
      collector: settings.store.get('collector'),
      crashDumpsDir: app.getPath('crashDumps'),
      readAppMetrics: () => app.getAppMetrics(),
      isOnline: () => net.isOnline(),
      processStartedAt,
      createAnalysis: createLocalAnalysis,
      homeDir: app.getPath('home'),
      userName: userInfo().username,
      mcpCatalog: MCP_CATALOG,
    });
    wireInstrumentation(telemetry);
    return null;
  } catch (e) {
    return `telemetry could not start: ${e instanceof Error ? e.message : String(e)}`;
  }
}

function wireInstrumentation(t: AppTelemetry<typeof MCP_CATALOG>): void {
  // Uncaught exceptions and unhandled rejections: a crash event committed before the process dies.
  captureCrashes(t.service, process, { processName: 'main' });
  app.on('render-process-gone', (_e, _contents, details) => trackProcessGone(t.service, 'renderer', details));
  app.on('child-process-gone', (_e, details) => trackProcessGone(t.service, 'child', details));
  powerMonitor.on('suspend', () => t.sessions.suspend());
  powerMonitor.on('resume', () => {
    t.sessions.resume();
    t.network.check();
  });
  // Presence: a focused window and recent input anywhere on the machine count as activity.
  systemScheduler.every(60_000, () => {
    if (BrowserWindow.getFocusedWindow() !== null && powerMonitor.getSystemIdleTime() < 60) t.sessions.activity();
  });
}

function createWindow(): void {
  const win = new BrowserWindow(windowOptions(preloadPath));
  const loadStartedAt = Date.now();
  win.webContents.once('did-finish-load', () => telemetry?.lifecycle.windowLoaded(loadStartedAt));
  win.once('ready-to-show', () => {
    win.show();
    telemetry?.lifecycle.firstWindowShown();
  });
  win.on('focus', () => telemetry?.sessions.activity());
  if (pages.devOrigin && process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void win.loadFile(indexPath);
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

// Quit waits once for the flush and a bounded final upload, then quits for real.
let quitState: 'running' | 'flushing' | 'done' = 'running';
app.on('before-quit', (event) => {
  if (quitState === 'done' || telemetry === null) return;
  event.preventDefault();
  if (quitState === 'flushing') return;
  quitState = 'flushing';
  void telemetry
    .quit(QUIT_UPLOAD_BUDGET_MS)
    .catch(() => {})
    .finally(() => {
      quitState = 'done';
      app.quit();
    });
});
