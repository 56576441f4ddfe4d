import { type AlertRule, alertRules } from '../kpi/alert-rules.js';
import type { KpiConfig, KpiThresholdName } from '../kpi/kpi-config.js';
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

/** Where an alert's threshold is set in the `kpi` configuration. */
const thresholdKey: Record<string, KpiThresholdName | 'resolutionSlaSeconds' | undefined> = {
  ChomChurnRateHigh: 'churnRate',
  ChomMrrGrowthLow: 'mrrGrowth',
  ChomMrrDeclining: 'mrrDecline',
  ChomDauMauLow: 'dauMau',
  ChomNetRevenueRetentionLow: 'nrr',
  ChomLtvToCacLow: 'ltvToCac',
  ChomTrialToPaidLow: 'trialToPaid',
  ChomActivationRateLow: 'activationRate',
  ChomCacHigh: 'cac',
  ChomSignupsLow: 'weeklySignups',
  ChomLandingPageConversionLow: 'landingPageConversion',
  ChomNpsLow: 'nps',
  ChomCsatLow: 'csat',
  ChomCustomerHealthCritical: 'healthScore',
  ChomSupportVolumeHigh: 'ticketsPerCustomer',
  ChomSupportResolutionSlaBreached: 'resolutionSlaSeconds',
};

function source(rule: AlertRule): string {
  const key = thresholdKey[rule.alert];
  if (key === 'resolutionSlaSeconds') return '`kpi.resolutionSlaSeconds.<priority>`';
  if (key === 'cac')
    return '`kpi.thresholds.cac` (reporting currency), `kpi.moneyThresholds.<currency>.cac`';
  if (key) return `\`kpi.thresholds.${key}.${rule.severity}\``;
  return "fixed (the exporter's own health)";
}

/** docs/alerting.md, section `alert-thresholds`: every alert rule with its condition and where its threshold is set. */
export function alertThresholdTable(kpi: KpiConfig): string {
  const rows = alertRules(kpi).map(
    (rule) =>
      `| \`${rule.alert}\` | ${rule.severity} | ${rule.team} | \`${cell(rule.expr)}\` for ${rule.for} | ${source(rule)} |`,
  );
  return [
    '| Alert | Severity | Team | Fires when | Threshold set in |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
