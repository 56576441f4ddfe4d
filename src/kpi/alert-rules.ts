import type { AlertRule, Severity, ThresholdAlert } from './alert-rule.js';
import { businessAlerts } from './business-alerts.js';
import { customerSuccessAlerts, resolutionSlaAlert } from './customer-success-alerts.js';
import { exporterAlerts } from './exporter-alerts.js';
import { growthAlerts } from './growth-alerts.js';
import { exporterJob } from './ids.js';
import { cacThresholds, type KpiConfig, type KpiThreshold } from './kpi-config.js';

export type { AlertRule, Runbook, Severity, Team } from './alert-rule.js';

const asPercent = (value: number) => `${Number((value * 100).toFixed(4))}%`;

/** The thresholds an alert is generated for: one, or one per currency for money. */
function thresholdsOf(
  definition: ThresholdAlert,
  kpi: KpiConfig,
): { currency: string; threshold: KpiThreshold }[] {
  if (definition.perCurrency) return cacThresholds(kpi);
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
          .replaceAll('$T', String(value))
          .replaceAll('$CUR', currency)
          .replaceAll('$MIN_VISITS', String(kpi.minLandingPageVisits));
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
        },
      ];
    }),
  );
}

/** Every alert, generated from the KPI config. */
export function alertRules(kpi: KpiConfig, job = exporterJob): AlertRule[] {
  const business = [...businessAlerts, ...growthAlerts, ...customerSuccessAlerts].flatMap(
    (definition) => expand(definition, kpi),
  );
  return [...business, resolutionSlaAlert(kpi), ...exporterAlerts(job)];
}

/** The runbook anchor of an alert (GitHub-style heading slug). */
export function runbookAnchor(alert: string): string {
  return alert.toLowerCase();
}
