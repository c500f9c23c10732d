// An Alertmanager config that routes the exported rules to the same channels as the embedded
// engine: webhook channels as Slack receivers (their bodies are Slack-compatible), e-mail channels
// as e-mail receivers. Critical alerts go out with less waiting than the rest.
import { stringify } from 'yaml';
import type { Channel } from '../rule.js';

export function alertmanagerConfig(channels: readonly Channel[]): string {
  if (channels.length === 0) throw new Error('alertmanager config: no channel to route to');
  const receiver = {
    name: 'telemetry',
    slack_configs: channels.filter((c) => c.kind === 'webhook').map((c) => ({
      api_url: c.url,
      send_resolved: true,
      title: '{{ .Status | toUpper }}: {{ .CommonLabels.alertname }}',
      text: '{{ range .Alerts }}{{ .Annotations.summary }}\n{{ .Annotations.description }}\n{{ end }}',
    })),
    email_configs: channels.flatMap((c) => {
      if (c.kind !== 'email') return [];
      const u = new URL(c.smtpUrl);
      return c.to.map((to) => ({
        to,
        from: c.from,
        smarthost: `${u.hostname}:${u.port || (u.protocol === 'smtps:' ? '465' : '25')}`,
        ...(u.username ? { auth_username: decodeURIComponent(u.username), auth_password: decodeURIComponent(u.password) } : {}),
        require_tls: u.protocol === 'smtps:',
        send_resolved: true,
      }));
    }),
  };
  const config = {
    route: {
      receiver: 'telemetry',
      group_by: ['alertname', 'version'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
      routes: [{ matchers: ['severity="critical"'], receiver: 'telemetry', group_wait: '10s', group_interval: '1m' }],
    },
    receivers: [receiver],
  };
  return `# Generated from the collector's alerting channels (docs/ALERTING.md).\n${stringify(config, { lineWidth: 0 })}`;
}
