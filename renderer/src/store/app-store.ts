// The dashboard's state: what each view shows, the person's choices (tab, range, filters), and
// whether the host can be reached. Views read slices; refresh actions are called by the polling
// hook of the visible view, so only what is on screen is fetched.
import { create } from 'zustand';
import { BridgeCallError, failureOf } from '../transport/bridge-error';
import { getBridge } from '../transport/connection';
import type {
  Category,
  ConsentLevel,
  ConsentState,
  DashboardData,
  Diagnostics,
  EventType,
  RenderedReport,
  StoredEvent,
  TimeRange,
  UploadLogEntry,
} from '../transport/contract';
import { failed, initial, loaded, type Loadable } from './loadable';

export type Tab = 'dashboard' | 'privacy' | 'diagnostics' | 'reports';
export type ReportKind = RenderedReport['kind'];

export interface EventFilterState {
  type: EventType | '';
  category: Category | '';
  name: string;
  text: string;
}

/** Whether the host answers at all; drives the banner above every view. */
export type Connection = { status: 'ok' } | { status: 'unreachable' | 'unauthorized'; message: string };

/** How many events the diagnostics table and the "what was sent" list show. */
export const RECENT_EVENTS_LIMIT = 200;

/** The bridge's filter arguments for the event log's filter fields. */
export function eventQuery(filter: EventFilterState) {
  return {
    ...(filter.type ? { types: [filter.type] } : {}),
    ...(filter.category ? { categories: [filter.category] } : {}),
    ...(filter.name.trim() ? { names: [filter.name.trim()] } : {}),
    ...(filter.text.trim() ? { text: filter.text.trim() } : {}),
  };
}
export const RECENT_UPLOADS_LIMIT = 50;

export interface AppState {
  tab: Tab;
  connection: Connection;
  consent: Loadable<ConsentState>;
  range: TimeRange;
  appVersion: string | null;
  dashboard: Loadable<DashboardData>;
  diagnostics: Loadable<Diagnostics>;
  eventFilter: EventFilterState;
  events: Loadable<StoredEvent[]>;
  uploads: Loadable<UploadLogEntry[]>;
  sentEvents: Loadable<StoredEvent[]>;
  reportKind: ReportKind;
  report: Loadable<RenderedReport>;

  setTab(tab: Tab): void;
  setRange(range: TimeRange): void;
  setAppVersion(v: string | null): void;
  setEventFilter(f: Partial<EventFilterState>): void;
  setReportKind(k: ReportKind): void;

  refreshConsent(): Promise<void>;
  setConsent(category: Category, level: ConsentLevel): Promise<void>;
  refreshDashboard(): Promise<void>;
  refreshDiagnostics(): Promise<void>;
  refreshEvents(): Promise<void>;
  refreshUploads(): Promise<void>;
  refreshReport(): Promise<void>;
  deleteMyData(): Promise<number>;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export const useApp = create<AppState>()((set, get) => {
  /** A host that is down or refuses the token is said once, by the banner above every view; only
   *  failures of one query (a refusal, a host error) are kept for the view to show. */
  function noteFailure(e: unknown): string | null {
    const f = failureOf(e);
    if (f === 'unreachable' || f === 'unauthorized') {
      set({ connection: { status: f, message: message(e) } });
      return null;
    }
    return message(e);
  }
  function noteSuccess(): void {
    if (get().connection.status !== 'ok') set({ connection: { status: 'ok' } });
  }

  return {
    tab: 'dashboard',
    connection: { status: 'ok' },
    consent: initial(),
    range: '24h',
    appVersion: null,
    dashboard: initial(),
    diagnostics: initial(),
    eventFilter: { type: '', category: '', name: '', text: '' },
    events: initial(),
    uploads: initial(),
    sentEvents: initial(),
    reportKind: 'daily',
    report: initial(),

    setTab: (tab) => set({ tab }),
    setRange: (range) => set({ range, dashboard: { ...get().dashboard, pending: true } }),
    setAppVersion: (appVersion) => set({ appVersion, dashboard: { ...get().dashboard, pending: true } }),
    setEventFilter: (f) => set({ eventFilter: { ...get().eventFilter, ...f } }),
    setReportKind: (reportKind) => set({ reportKind, report: initial() }),

    async refreshConsent() {
      try {
        const c = await getBridge().getConsent();
        noteSuccess();
        set({ consent: loaded(c) });
      } catch (e) {
        set({ consent: failed(get().consent, noteFailure(e)) });
      }
    },

    async setConsent(category, level) {
      // Errors here are shown next to the control that caused them, so they are rethrown.
      const c = await getBridge().setConsent({ [category]: level });
      noteSuccess();
      set({ consent: loaded(c) });
    },

    async refreshDashboard() {
      const { range, appVersion } = get();
      try {
        const d = await getBridge().dashboard(appVersion ? { range, appVersion } : { range });
        noteSuccess();
        // A slower answer for a range the person has since left must not overwrite the new one.
        if (get().range === range && get().appVersion === appVersion) set({ dashboard: loaded(d) });
      } catch (e) {
        set({ dashboard: failed(get().dashboard, noteFailure(e)) });
      }
    },

    async refreshDiagnostics() {
      try {
        const d = await getBridge().diagnostics();
        noteSuccess();
        set({ diagnostics: loaded(d) });
      } catch (e) {
        set({ diagnostics: failed(get().diagnostics, noteFailure(e)) });
      }
    },

    async refreshEvents() {
      const filter = get().eventFilter;
      try {
        const rows = await getBridge().recentEvents({ limit: RECENT_EVENTS_LIMIT, ...eventQuery(filter) });
        noteSuccess();
        if (get().eventFilter === filter) set({ events: loaded(rows) });
      } catch (e) {
        set({ events: failed(get().events, noteFailure(e)) });
      }
    },

    async refreshUploads() {
      try {
        const [uploads, recent] = await Promise.all([getBridge().recentUploads({ limit: RECENT_UPLOADS_LIMIT }), getBridge().recentEvents({ limit: 500 })]);
        noteSuccess();
        // The upload log records batches, not their events; the events themselves carry their
        // upload state, so "what was sent" lists the recent ones marked sent.
        set({ uploads: loaded(uploads), sentEvents: loaded(recent.filter((r) => r.upload_state === 'sent')) });
      } catch (e) {
        const err = noteFailure(e);
        set({ uploads: failed(get().uploads, err), sentEvents: failed(get().sentEvents, err) });
      }
    },

    async refreshReport() {
      const kind = get().reportKind;
      try {
        const r = await getBridge().report({ kind });
        noteSuccess();
        if (get().reportKind === kind) set({ report: loaded(r) });
      } catch (e) {
        set({ report: failed(get().report, noteFailure(e)) });
      }
    },

    async deleteMyData() {
      const r = await getBridge().deleteMyData();
      noteSuccess();
      // Everything derived from the store is stale now: fetch it again rather than show old numbers.
      set({ dashboard: initial(), events: initial(), sentEvents: initial(), diagnostics: initial() });
      return r.deletedEvents;
    },
  };
});

export { BridgeCallError };
