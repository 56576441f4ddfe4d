import { alertRules } from '../kpi/alert-rules.js';
import type { KpiConfig } from '../kpi/kpi-config.js';
import { recordingRules } from '../kpi/recording-rules.js';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** docs/alerting.md, section `derived-kpis`: every recording rule, its formula, window and young-Prometheus behaviour. */
export function derivedKpiTable(kpi: KpiConfig): string {
  const rows = recordingRules(kpi).map((rule) => {
    const what = rule.deprecated
      ? `${rule.help} Kept for one release; use \`${rule.deprecated}\`.`
      : rule.help;
    return `| \`${rule.record}\` | ${cell(what)} | ${cell(rule.window)} | ${cell(rule.beforeHistory)} |`;
  });
  return [
    '| Recorded series | What and formula | Window | On a Prometheus without that history |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

const fixed = "fixed (the exporter's own health)";

/** docs/alerting.md, section `alert-thresholds`: every alert rule with its condition and where its threshold is set. */
export function alertThresholdTable(kpi: KpiConfig): string {
  const rows = alertRules(kpi).map(
    (rule) =>
      `| \`${rule.alert}\` | ${rule.severity} | ${rule.team} | \`${cell(rule.expr)}\` for ${rule.for} | ${rule.setIn ?? fixed} | ${cell(rule.defaultFrom ?? '-')} |`,
  );
  return [
    '| Alert | Severity | Team | Fires when | Threshold set in | Default from |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
