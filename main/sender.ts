// Which page may call the bridge: the app's own index.html (file://) or, in development, the dev
// server's origin, and only from the top frame. Anything else (a page the window was somehow
// navigated to, an iframe) is refused before any handler runs.
export interface AppPages {
  /** file:// URL of the built renderer's index.html. */
  indexUrl: string;
  /** Origin of the dev server (e.g. http://localhost:5173), when developing. */
  devOrigin?: string | null;
}

/** The page itself, without query or fragment (the dashboard routes by fragment). */
function pageOf(url: string): string {
  const cut = url.search(/[?#]/);
  return cut === -1 ? url : url.slice(0, cut);
}

export function isAppUrl(url: string, pages: AppPages): boolean {
  if (typeof url !== 'string' || url.length === 0) return false;
  if (pageOf(url) === pages.indexUrl) return true;
  if (!pages.devOrigin) return false;
  try {
    return new URL(url).origin === pages.devOrigin;
  } catch {
    return false;
  }
}
