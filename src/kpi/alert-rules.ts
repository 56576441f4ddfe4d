import type { AlertRule, Severity, ThresholdAlert } from './alert-rule.js';
import { businessAlerts } from './business-alerts.js';
import { customerSuccessAlerts, resolutionSlaAlert } from './customer-success-alerts.js';
import { exporterAlerts } from './exporter-alerts.js';
import { growthAlerts } from './growth-alerts.js';
import { exporterJob } from './ids.js';
import { type KpiConfig, type KpiThreshold, moneyThresholds } from './kpi-config.js';
import { thresholdSources } from './kpi-thresholds.js';
import { marketingAlerts } from './marketing-alerts.js';
import { milestoneAlerts } from './milestone-alerts.js';

export type { AlertRule, Runbook, Severity, Team } from './alert-rule.js';

const asPercent = (value: number) => `${Number((value * 100).toFixed(4))}%`;

/** The thresholds an alert is generated for: one, or one per currency for money. */
function thresholdsOf(
  definition: ThresholdAlert,
  kpi: KpiConfig,
): { currency: string; threshold: KpiThreshold }[] {
  if (definition.money) return moneyThresholds(kpi, definition.money);
  return [{ currency: kpi.reportingCurrency, threshold: kpi.thresholds[definition.threshold] }];
}

/** A threshold alert as one rule per set severity (and per currency for money thresholds). */
function expand(definition: ThresholdAlert, kpi: KpiConfig): AlertRule[] {
  return thresholdsOf(definition, kpi).flatMap(({ currency, threshold }) =>
    (['warning', 'critical'] as const satisfies readonly Severity[]).flatMap((severity) => {
      const value = threshold[severity];
      if (value === null) return [];
      const fill = (text: string) =>
        text
          .replaceAll('$T_PCT', asPercent(value))
          .replaceAll('$T_H', `${Number((value / 3600).toFixed(4))} h`)
          .replaceAll('$T', String(value))
          .replaceAll('$CUR', currency)
          .replaceAll('$MIN_VISITS', String(kpi.minLandingPageVisits))
          .replaceAll('$MIN_EVENTS', String(kpi.minFunnelStageEvents));
      return [
        {
          alert: definition.alert,
          expr: fill(definition.expr),
          for: definition.for,
          severity,
          team: definition.team,
          summary: fill(definition.summary),
          description: fill(definition.description),
          dashboard: definition.dashboard,
          runbook: definition.runbook,
          setIn: definition.money
            ? `\`kpi.thresholds.${definition.threshold}.${severity}\` (reporting currency), \`kpi.moneyThresholds.<currency>.${definition.threshold}\``
            : `\`kpi.thresholds.${definition.threshold}.${severity}\``,
          defaultFrom: thresholdSources[definition.threshold],
        },
      ];
    }),
  );
}

/** Every alert, generated from the KPI config. */
export function alertRules(kpi: KpiConfig, job = exporterJob): AlertRule[] {
  const business = [
    ...businessAlerts,
    ...growthAlerts,
    ...marketingAlerts,
    ...customerSuccessAlerts,
  ].flatMap((definition) => expand(definition, kpi));
  return [...business, resolutionSlaAlert(kpi), ...milestoneAlerts(kpi), ...exporterAlerts(job)];
}

/** The runbook anchor of an alert (GitHub-style heading slug). */
export function runbookAnchor(alert: string): string {
  return alert.toLowerCase();
}
