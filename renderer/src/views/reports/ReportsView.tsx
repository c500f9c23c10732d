// The analyzer's periodic reports. The HTML is drawn in a sandboxed frame (no scripts, no same-origin
// access), so whatever the report contains cannot reach the page or the bridge.
import { useEffect, useState } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { Section } from '../../components/Section';
import { Segmented } from '../../components/Segmented';
import { useApp, type ReportKind } from '../../store/app-store';

const KINDS: readonly { value: ReportKind; label: string }[] = [
  { value: 'daily', label: 'Daily' },
  { value: 'weekly', label: 'Weekly' },
  { value: 'monthly', label: 'Monthly' },
];
type Format = 'html' | 'markdown';
const FORMATS: readonly { value: Format; label: string }[] = [
  { value: 'html', label: 'Formatted' },
  { value: 'markdown', label: 'Markdown' },
];

export function ReportsView() {
  const kind = useApp((s) => s.reportKind);
  const report = useApp((s) => s.report);
  const setKind = useApp((s) => s.setReportKind);
  const refresh = useApp((s) => s.refreshReport);
  const [format, setFormat] = useState<Format>('html');

  // A report summarises days: fetched when asked for, not every second.
  useEffect(() => {
    void refresh();
  }, [kind, refresh]);

  const r = report.data;
  return (
    <div className="stack">
      <div className="toolbar">
        <Segmented legend="Period" options={KINDS} value={kind} onChange={setKind} />
        <Segmented<Format> legend="Show as" options={FORMATS} value={format} onChange={setFormat} />
        <button type="button" className="button toolbar-end" onClick={() => void refresh()}>
          Refresh
        </button>
      </div>
      {report.error ? <EmptyState title="The report could not be made." tone="error">{report.error}</EmptyState> : null}
      {!r && report.pending ? <p className="muted">Preparing the report…</p> : null}
      {r ? (
        <Section title={`${KINDS.find((k) => k.value === r.kind)?.label ?? r.kind} report`}>
          {format === 'html' ? (
            <iframe className="report-frame" title={`${r.kind} report`} sandbox="" srcDoc={r.html} />
          ) : (
            <pre className="json report-md" tabIndex={0} aria-label="Report as Markdown">
              {r.markdown}
            </pre>
          )}
        </Section>
      ) : null}
    </div>
  );
}
