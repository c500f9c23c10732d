import { useEffect } from 'react';

/** How often live views ask again: what changes must show within 2 s (issue 5). */
export const POLL_MS = 1000;

/** Runs `refresh` now and then every `POLL_MS` after the previous call finished (never two at once),
 *  while the page is visible. `key` restarts the cycle at once when what is asked for changes. */
export function usePolling(refresh: () => Promise<void>, key: string): void {
  useEffect(() => {
    let stopped = false;
    let timer: number | undefined;
    const tick = async () => {
      if (stopped) return;
      if (document.visibilityState !== 'hidden') await refresh();
      if (!stopped) timer = window.setTimeout(() => void tick(), POLL_MS);
    };
    const onVisible = () => {
      if (document.visibilityState === 'visible') {
        window.clearTimeout(timer);
        void tick();
      }
    };
    void tick();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
    // `refresh` is a stable store action; `key` is what should restart the cycle.
  }, [key]);
}
