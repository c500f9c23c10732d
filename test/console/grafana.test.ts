// The Grafana dashboards as code: the committed JSON is what the builders make today, every query
// names a provisioned data source and a refId, and every PromQL expression parses (promtool).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GRAFANA_DIR, grafanaFiles } from '../../grafana/build.js';
import { DASHBOARDS } from '../../grafana/src/dashboards.js';
import { DATASOURCES } from '../../grafana/src/metrics.js';

interface Target {
  refId?: string;
  expr?: string;
  datasource?: { type?: string; uid?: string };
}

function targets(): { dashboard: string; panel: string; target: Target }[] {
  const out: { dashboard: string; panel: string; target: Target }[] = [];
  for (const [uid, build] of Object.entries(DASHBOARDS)) {
    for (const p of (build().panels ?? []) as { title?: string; targets?: Target[] }[]) for (const t of p.targets ?? []) out.push({ dashboard: uid, panel: p.title ?? '', target: t });
  }
  return out;
}

describe('Grafana dashboards as code', () => {
  it('the committed files are what grafana/build.ts makes (run npm run build:grafana after a change)', () => {
    for (const [path, content] of grafanaFiles()) expect(readFileSync(join(GRAFANA_DIR, path), 'utf8'), path).toBe(content);
  });

  it('has the three views, each with panels, a version filter and no grafana.com id', () => {
    expect(Object.keys(DASHBOARDS)).toEqual(['fleet-executive', 'fleet-development', 'fleet-product']);
    for (const build of Object.values(DASHBOARDS)) {
      const d = build();
      expect(d.panels!.length).toBeGreaterThan(4);
      expect(d.templating!.list!.map((v) => v.name)).toEqual(['fleet', 'version']);
      expect((d as { gnetId?: unknown }).gnetId).toBeUndefined();
    }
  });

  it('every query has a refId and a provisioned data source (or the data-source variable)', () => {
    const uids = new Set<string>([...Object.values(DATASOURCES).map((d) => d.uid), '${fleet}']);
    const all = targets();
    expect(all.length).toBeGreaterThan(15);
    for (const { dashboard, panel, target } of all) {
      expect(target.refId, `${dashboard} / ${panel}`).toMatch(/^[A-Z]$/);
      expect(uids.has(target.datasource?.uid ?? ''), `${dashboard} / ${panel}: ${target.datasource?.uid}`).toBe(true);
      expect(target.expr, `${dashboard} / ${panel}`).toBeTruthy();
    }
  });

  it('every PromQL expression parses (promtool check rules)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'grafana-promql-'));
    try {
      // Grafana's variables, as Grafana substitutes them, before Prometheus sees the query.
      const rules = targets().map(({ target }, i) => `      - record: fleet_console:check_${i}\n        expr: ${JSON.stringify(target.expr!.replaceAll('$__range', '1h').replaceAll('$version', '.*'))}`);
      const file = join(dir, 'rules.yml');
      writeFileSync(file, `groups:\n  - name: grafana-queries\n    rules:\n${rules.join('\n')}\n`);
      const out = execFileSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
      expect(out).toMatch(new RegExp(`SUCCESS: ${rules.length} rules found`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
