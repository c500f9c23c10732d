// The timer port of the instrumentation: the host's setInterval in the app, a hand-driven fake in
// tests, so periodic work (memory samples, online polling) is tested without waiting.

export interface Scheduler {
  /** Calls `fn` every `ms`; returns a function that stops it. */
  every(ms: number, fn: () => void): () => void;
}

/** setInterval, unref'd: a sampler must never be what keeps the process alive. */
export const systemScheduler: Scheduler = {
  every(ms, fn) {
    const t = setInterval(fn, ms);
    t.unref();
    return () => clearInterval(t);
  },
};
