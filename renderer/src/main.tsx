// Entry point: report the page's own uncaught errors through the bridge (they are telemetry too,
// gated by the person's "errors" choice in the core), then draw the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { getBridge } from './transport/connection';
import './styles.css';

function report(kind: 'error' | 'unhandledrejection', reason: unknown): void {
  const message = (reason instanceof Error ? reason.message : String(reason)).slice(0, 2000) || 'unknown error';
  const stack = reason instanceof Error && reason.stack ? reason.stack.slice(0, 16_000) : undefined;
  // Best effort: a failing report must not become another unhandled rejection.
  getBridge()
    .reportRendererError(stack ? { kind, message, stack } : { kind, message })
    .catch(() => undefined);
}

// In Electron the preload already reports the page's uncaught errors (it installs its listeners in
// this very world); listening here too would report each one twice.
if (!('telemetry' in window)) {
  window.addEventListener('error', (e) => report('error', e.error ?? e.message));
  window.addEventListener('unhandledrejection', (e) => report('unhandledrejection', e.reason));
}

const root = document.getElementById('root');
if (root) {
  createRoot(root, { onCaughtError: (e) => report('error', e) }).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
