import { useApp } from '../store/app-store';

/** Above every view: says plainly when the numbers below cannot be trusted to be current. */
export function ConnectionBanner() {
  const connection = useApp((s) => s.connection);
  if (connection.status === 'ok') return null;
  if (connection.status === 'unauthorized') {
    return (
      <div className="banner banner-error" role="alert">
        <strong>This page is not allowed to read telemetry.</strong> Its access token is missing or out of date. Open the link the app (or{' '}
        <code>npm run demo</code>) printed, which ends in <code>#token=…</code>.
      </div>
    );
  }
  return (
    <div className="banner banner-error" role="alert">
      <strong>Can’t reach the telemetry host.</strong> It may have stopped or restarted. Still trying every second; what is shown may be out of date.
    </div>
  );
}
