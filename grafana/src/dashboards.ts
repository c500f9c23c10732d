// The fleet console's three views as Grafana dashboards, built offline with the foundation SDK and
// typed against @grafana/schema's Dashboard (a malformed dashboard fails `tsc`, there is no
// runtime validator). Every query is PromQL against the provisioned data sources (metrics.ts).
import { DashboardBuilder, DatasourceVariableBuilder, QueryVariableBuilder, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import type { Dashboard as SdkDashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import type { Dashboard, DataQuery } from '@grafana/schema';
import { COLLECTOR, DATASOURCES, SERIES } from './metrics.js';

/** A type as JSON sees it: each enum member becomes its string literal and a numeric enum a number (the SDK and
 *  the schema declare the same enums twice, and TypeScript compares enums by name, not by value), methods
 *  vanish, and the SDK's open query marker stands for the schema's DataQuery (every query's refId,
 *  expression and data source are checked at run time by test/console/grafana.test.ts). */
type Json<T> = T extends { _implementsDataqueryVariant(): void }
  ? DataQuery & Record<string, unknown>
  : T extends string
    ? `${T}`
    : T extends number
      ? number
      : T extends boolean | null | undefined
      ? T
      : T extends readonly (infer U)[]
        ? Json<U>[]
        : T extends object
          ? { [K in keyof T as T[K] extends (...a: never[]) => unknown ? never : K]: Json<T[K]> }
          : T;

/** The SDK's dashboard, checked at compile time against @grafana/schema's Dashboard as JSON. */
function checked(built: SdkDashboard): Dashboard {
  const json = built as Json<SdkDashboard>;
  // gnetId (a grafana.com dashboard id, never set here) is a string in the SDK and a number in the
  // schema: the one field the two disagree on. The test holds that it stays unset.
  const schema: Omit<Json<Dashboard>, 'gnetId'> = json;
  return schema as Dashboard;
}

const ds = { type: DATASOURCES.victoria.type, uid: '${fleet}' };
const version = 'app_version=~"$version"';
const q = (expr: string, legend = '', refId = 'A') => new DataqueryBuilder().refId(refId).expr(expr).legendFormat(legend).datasource(ds);

function base(uid: string, title: string, description: string): DashboardBuilder {
  return new DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags(['fleet-console', 'generated'])
    .refresh('5m')
    .time({ from: 'now-7d', to: 'now' })
    .timezone('utc')
    .editable()
    .withVariable(new DatasourceVariableBuilder('fleet').label('Fleet data').type(DATASOURCES.victoria.type))
    .withVariable(
      new QueryVariableBuilder('version')
        .label('App version')
        .datasource(ds)
        .query(`label_values(${SERIES.count}, app_version)`)
        .multi(true)
        .includeAll(true)
        .allValue('.*'),
    );
}

const stat = (title: string, expr: string, unit: string, description: string) => new StatPanel().title(title).description(description).unit(unit).withTarget(q(expr)).height(4).span(6);
const series = (title: string, expr: string, legend: string, unit: string) => new TimeseriesPanel().title(title).unit(unit).withTarget(q(expr, legend)).height(8).span(12);

export function executiveDashboard(): Dashboard {
  const range = '[$__range]';
  return checked(
    base('fleet-executive', 'Fleet · Executive', 'Active devices, engagement and health, as the fleet console\'s executive dashboard.')
    .withRow(new RowBuilder('Adoption and engagement'))
    .withPanel(stat('Daily active devices', `sum(${SERIES.activeDevices}{window="1d",${version}})`, 'short', 'Devices with any event in the last day.'))
    .withPanel(stat('Weekly active devices', `sum(${SERIES.activeDevices}{window="7d",${version}})`, 'short', 'Devices with any event in the last 7 days.'))
    .withPanel(stat('Monthly active devices', `sum(${SERIES.activeDevices}{window="30d",${version}})`, 'short', 'Devices with any event in the last 30 days.'))
    .withPanel(stat('Sessions', `sum(sum_over_time(${SERIES.count}{name="session.start",${version}}${range}))`, 'short', 'Sessions started in the range.'))
    .withRow(new RowBuilder('Health'))
    .withPanel(
      stat(
        'Crash-free sessions (approx.)',
        `1 - sum(sum_over_time(${SERIES.count}{event_type="crash",${version}}${range})) / sum(sum_over_time(${SERIES.count}{name="session.start",${version}}${range}))`,
        'percentunit',
        'Crash events per session; the console counts distinct crashed sessions, which only the event store knows.',
      ),
    )
    .withPanel(stat('Error rate', `sum(sum_over_time(${SERIES.count}{event_type=~"error|crash",${version}}${range})) / sum(sum_over_time(${SERIES.count}{${version}}${range}))`, 'percentunit', 'Error and crash events / events.'))
    .withPanel(stat('API latency p95', `max(${SERIES.p95}{name="api.request",${version}})`, 'ms', 'Target: 1 s.'))
    .withPanel(stat('Time to first token p95', `max(${SERIES.p95}{name="llm.time_to_first_token",${version}})`, 'ms', 'Target: 1.5 s.'))
    .withPanel(series('Active devices', `sum by (window) (${SERIES.activeDevices}{${version}})`, '{{window}}', 'short'))
    .withPanel(series('Sessions per hour by version', `sum by (app_version) (${SERIES.count}{name="session.start",${version}})`, '{{app_version}}', 'short'))
    .build(),
  );
}

export function developmentDashboard(): Dashboard {
  return checked(
    base('fleet-development', 'Fleet · Development', 'Errors, crashes, latency by operation and version, and the collector\'s own health.')
    .withRow(new RowBuilder('Errors and crashes'))
    .withPanel(series('Crashes per hour by version', `sum by (app_version) (${SERIES.count}{event_type="crash",${version}})`, '{{app_version}}', 'short'))
    .withPanel(series('Errors per hour by name', `sum by (name) (${SERIES.count}{event_type="error",${version}})`, '{{name}}', 'short'))
    .withPanel(new TablePanel().title('Top error and crash names in the range').withTarget(q(`topk(10, sum by (event_type, name) (sum_over_time(${SERIES.count}{event_type=~"error|crash",${version}}[$__range])))`).format(PromQueryFormat.Table).instant()).height(8).span(24))
    .withRow(new RowBuilder('Performance'))
    .withPanel(series('p95 by operation', `max by (name) (${SERIES.p95}{event_type=~"performance|network",${version}})`, '{{name}}', 'ms'))
    .withPanel(series('API latency p95 by version', `max by (app_version) (${SERIES.p95}{name="api.request",${version}})`, '{{app_version}}', 'ms'))
    .withRow(new RowBuilder('Collector'))
    .withPanel(
      new TimeseriesPanel()
        .title('Ingested events per second')
        .unit('short')
        .withTarget(new DataqueryBuilder().refId('A').expr(`sum(rate(${COLLECTOR.accepted}[5m]))`).legendFormat('accepted').datasource({ type: DATASOURCES.prometheus.type, uid: DATASOURCES.prometheus.uid }))
        .withTarget(new DataqueryBuilder().refId('B').expr(`sum by (reason) (rate(${COLLECTOR.rejected}[5m]))`).legendFormat('rejected: {{reason}}').datasource({ type: DATASOURCES.prometheus.type, uid: DATASOURCES.prometheus.uid }))
        .height(8)
        .span(12),
    )
    .withPanel(
      new TimeseriesPanel()
        .title('Collector request p95')
        .unit('s')
        .withTarget(new DataqueryBuilder().refId('A').expr(`histogram_quantile(0.95, sum by (le) (rate(${COLLECTOR.requestSeconds}[5m])))`).legendFormat('p95').datasource({ type: DATASOURCES.prometheus.type, uid: DATASOURCES.prometheus.uid }))
        .height(8)
        .span(12),
    )
    .build(),
  );
}

export function productDashboard(): Dashboard {
  return checked(
    base('fleet-product', 'Fleet · Product', 'Feature use and adoption of versions. Journeys, funnels and experiments need per-session rows: they are in the fleet console only.')
    .withRow(new RowBuilder('Features'))
    .withPanel(series('Feature uses per hour', `sum by (feature_id) (${SERIES.featureUses}{${version}})`, '{{feature_id}}', 'short'))
    .withPanel(new TablePanel().title('Feature uses in the range').withTarget(q(`sort_desc(sum by (feature_id) (sum_over_time(${SERIES.featureUses}{${version}}[$__range])))`).format(PromQueryFormat.Table).instant()).height(8).span(12))
    .withRow(new RowBuilder('Versions'))
    .withPanel(series('Share of sessions by version', `sum by (app_version) (${SERIES.count}{name="session.start"}) / ignoring(app_version) group_left sum(${SERIES.count}{name="session.start"})`, '{{app_version}}', 'percentunit'))
    .build(),
  );
}

export const DASHBOARDS: Record<string, () => Dashboard> = {
  'fleet-executive': executiveDashboard,
  'fleet-development': developmentDashboard,
  'fleet-product': productDashboard,
};
