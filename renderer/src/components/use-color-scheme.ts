import { useSyncExternalStore } from 'react';

const query = '(prefers-color-scheme: dark)';

function subscribe(onChange: () => void): () => void {
  const m = window.matchMedia(query);
  m.addEventListener('change', onChange);
  return () => m.removeEventListener('change', onChange);
}

/** The OS light/dark preference, live. Charts need it in JS because SVG attributes take colours, not CSS variables. */
export function useColorScheme(): 'light' | 'dark' {
  return useSyncExternalStore(subscribe, () => (window.matchMedia(query).matches ? 'dark' : 'light'));
}
