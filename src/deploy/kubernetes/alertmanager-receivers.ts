import { basename } from 'node:path';
import type { IReceiver } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/Receiver';
import { inlineTemplates } from './alertmanager-templates.js';
import { type Fields, prune, refuseUnknown } from './fields.js';

/**
 * The docker-compose webhook relay (`alert-webhook`, which logs notifications)
 * does not exist in a cluster: its webhooks are left out, and receivers that
 * only had it (default, heartbeat, info) keep no integration until you add yours.
 */
const composeOnlyHosts = new Set(['alert-webhook']);

/** Converts one receiver of alertmanager.yml; global SMTP and Slack settings are copied in. */
export function receiverConverter(global: Fields, templates: string, secretName: string) {
  const secret = (file: unknown) =>
    typeof file === 'string' ? { name: secretName, key: basename(file) } : undefined;
  const text = (value: unknown) =>
    typeof value === 'string' ? inlineTemplates(value, templates) : undefined;
  const keyValues = (map: unknown) =>
    map
      ? Object.entries(map as Record<string, string>).map(([key, value]) => ({
          key,
          value: text(value) as string,
        }))
      : undefined;
  const {
    smtp_smarthost: smarthost,
    smtp_from: from,
    smtp_auth_username: authUsername,
    smtp_auth_password_file: smtpPasswordFile,
    smtp_require_tls: requireTls,
    slack_api_url_file: slackUrlFile,
    resolve_timeout: _resolveTimeout,
    ...unknownGlobal
  } = global;
  // resolve_timeout belongs to the Alertmanager itself, not to one AlertmanagerConfig.
  refuseUnknown(unknownGlobal, 'global');

  const webhook = (config: Fields, where: string) => {
    const { url, send_resolved, max_alerts, ...rest } = config;
    refuseUnknown(rest, where);
    if (composeOnlyHosts.has(new URL(url as string).hostname)) return undefined;
    return prune({ url: url as string, sendResolved: send_resolved, maxAlerts: max_alerts });
  };
  const pagerduty = (config: Fields, where: string) => {
    const { routing_key_file, description, details, send_resolved, severity, ...rest } = config;
    refuseUnknown(rest, where);
    return prune({
      routingKey: secret(routing_key_file),
      description: text(description),
      details: keyValues(details),
      sendResolved: send_resolved,
      severity: text(severity),
    });
  };
  const slack = (config: Fields, where: string) => {
    const { api_url_file, channel, send_resolved, title, text: body, ...rest } = config;
    refuseUnknown(rest, where);
    return prune({
      apiURL: secret(api_url_file ?? slackUrlFile),
      channel,
      sendResolved: send_resolved,
      title: text(title),
      text: text(body),
    });
  };
  const email = (config: Fields, where: string) => {
    const { to, send_resolved, headers, text: body, html, ...rest } = config;
    refuseUnknown(rest, where);
    return prune({
      to,
      from,
      smarthost,
      authUsername,
      authPassword: secret(smtpPasswordFile),
      requireTLS: requireTls,
      sendResolved: send_resolved,
      headers: keyValues(headers),
      text: text(body),
      html: text(html),
    });
  };

  return (receiver: Fields, where: string): IReceiver => {
    const { name, webhook_configs, pagerduty_configs, slack_configs, email_configs, ...rest } =
      receiver;
    refuseUnknown(rest, where);
    const each = <T>(list: unknown, kind: string, convert: (c: Fields, w: string) => T) => {
      const converted = ((list ?? []) as Fields[])
        .map((config, index) => convert(config, `${where}.${kind}[${index}]`))
        .filter((config) => config !== undefined);
      return converted.length > 0 ? converted : undefined;
    };
    return prune({
      name: name as string,
      webhookConfigs: each(webhook_configs, 'webhook_configs', webhook),
      pagerdutyConfigs: each(pagerduty_configs, 'pagerduty_configs', pagerduty),
      slackConfigs: each(slack_configs, 'slack_configs', slack),
      emailConfigs: each(email_configs, 'email_configs', email),
    }) as IReceiver;
  };
}
