// Export my data (a JSON file of exactly what is stored) and Delete my data (after a confirmation).
// Both act at once; the result is announced in a live region.
import { useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Section } from '../../components/Section';
import * as fmt from '../../format/format';
import { useApp } from '../../store/app-store';
import { getBridge } from '../../transport/connection';

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // The click has handed the blob to the download already; release it on the next turn.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

export function MyData() {
  const deleteMyData = useApp((s) => s.deleteMyData);
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

  async function exportNow() {
    setBusy(true);
    try {
      const data = await getBridge().exportData();
      download(`telemetry-export-${stamp(new Date())}.json`, JSON.stringify(data, null, 2));
      setStatus({ text: `Exported ${fmt.count(data.events.length)} events and ${fmt.count(data.rollups.length)} hourly summaries.`, error: false });
    } catch (e) {
      setStatus({ text: `Export failed: ${e instanceof Error ? e.message : String(e)}`, error: true });
    } finally {
      setBusy(false);
    }
  }

  async function deleteNow() {
    setBusy(true);
    try {
      const n = await deleteMyData();
      setStatus({ text: `Deleted ${fmt.count(n)} events and every summary. New anonymous ids were taken.`, error: false });
    } catch (e) {
      setStatus({ text: `Delete failed: ${e instanceof Error ? e.message : String(e)}`, error: true });
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  }

  return (
    <Section title="Your data" description="Everything this device keeps about you, to take with you or to remove.">
      <div className="row-actions">
        <button type="button" className="button" onClick={() => void exportNow()} disabled={busy}>
          Export my data
        </button>
        <button type="button" className="button button-danger" onClick={() => setConfirming(true)} disabled={busy}>
          Delete my data…
        </button>
      </div>
      <p className={status?.error ? 'inline-error' : 'muted'} role="status" aria-live="polite">
        {status?.text ?? ''}
      </p>
      <ConfirmDialog open={confirming} title="Delete all telemetry kept on this device?" confirmLabel="Delete my data" busy={busy} onConfirm={() => void deleteNow()} onCancel={() => setConfirming(false)}>
        <p>Every stored event and every summary behind the dashboard is deleted now. This cannot be undone.</p>
        <p>If anything was shared, the server is asked to delete it too. Your privacy choices stay as they are.</p>
      </ConfirmDialog>
    </Section>
  );
}
