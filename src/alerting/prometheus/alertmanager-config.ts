// An Alertmanager config that routes the exported rules to the same channels as the embedded
// engine: webhook channels as Slack receivers (their bodies are Slack-compatible), e-mail channels
// as e-mail receivers. Critical alerts go out with less waiting than the rest.
import { stringify } from 'yaml';
import type { Channel } from '../rule.js';

export interface AlertmanagerTiming {
  /** How long Alertmanager waits to group a critical alert with others before the first page. */
  criticalGroupWait: string;
  groupWait: string;
  groupInterval: string;
  repeatInterval: string;
}

/** Critical pages wait 10 s for company; the rest 30 s, then at most every 5 minutes. */
export const DEFAULT_TIMING: AlertmanagerTiming = { criticalGroupWait: '10s', groupWait: '30s', groupInterval: '5m', repeatInterval: '4h' };

export function alertmanagerConfig(channels: readonly Channel[], timing: AlertmanagerTiming = DEFAULT_TIMING): string {
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
      group_wait: timing.groupWait,
      group_interval: timing.groupInterval,
      repeat_interval: timing.repeatInterval,
      routes: [{ matchers: ['severity="critical"'], receiver: 'telemetry', group_wait: timing.criticalGroupWait }],
    },
    receivers: [receiver],
  };
  return `# Generated from the collector's alerting channels (docs/ALERTING.md).\n${stringify(config, { lineWidth: 0 })}`;
}
