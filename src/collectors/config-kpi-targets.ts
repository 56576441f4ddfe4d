import { z } from 'zod';
import { type KpiConfig, moneyThresholds } from '../kpi/kpi-config.js';
import { targetLabels } from '../kpi/kpi-targets.js';
import { moneyThresholdNames } from '../kpi/kpi-thresholds.js';
import { type Sample, sample } from '../metrics/spec.js';
import type { Collector } from './types.js';

/** The MRR goal of the calendar month (UTC) containing `at`: its mrrTargets entry, else the default. */
export function mrrTargetFor(kpi: KpiConfig, at: Date): number {
  const month = at.toISOString().slice(0, 7);
  return kpi.mrrTargets.find((entry) => entry.month === month)?.amount ?? kpi.mrrTargetDefault;
}

/** Every target and threshold of the KPI config as samples. */
export function kpiSamples(kpi: KpiConfig, at: Date): Sample[] {
  const samples: Sample[] = [
    sample('chom_kpi_target', mrrTargetFor(kpi, at), {
      kpi: 'mrr',
      currency: kpi.reportingCurrency,
    }),
    sample('chom_kpi_gross_margin_ratio', kpi.grossMargin),
  ];
  for (const [name, levels] of Object.entries(kpi.thresholds)) {
    for (const severity of ['warning', 'critical'] as const) {
      const value = levels[severity];
      if (value !== null)
        samples.push(sample('chom_kpi_threshold', value, { kpi: name, severity }));
    }
  }
  // Money thresholds again with their currency, for every currency that has one.
  for (const name of moneyThresholdNames) {
    for (const { currency, threshold } of moneyThresholds(kpi, name)) {
      for (const severity of ['warning', 'critical'] as const) {
        const value = threshold[severity];
        if (value !== null)
          samples.push(
            sample('chom_kpi_money_threshold', value, { kpi: name, severity, currency }),
          );
      }
    }
  }
  for (const [name, label] of Object.entries(targetLabels)) {
    samples.push(
      sample('chom_kpi_target_ratio', kpi.targets[name as keyof typeof targetLabels], {
        kpi: label,
      }),
    );
  }
  for (const [priority, seconds] of Object.entries(kpi.resolutionSlaSeconds)) {
    samples.push(sample('chom_kpi_resolution_sla_seconds', seconds, { priority }));
  }
  return samples;
}

const optionsSchema = z.object({}).strict();

export const configKpiTargets: Collector<z.infer<typeof optionsSchema>> = {
  name: 'config_kpi_targets',
  description:
    'Targets and alert thresholds of the KPI config, so that boards show progress against goal.',
  source: 'config',
  defaultSchedule: '0 * * * *',
  defaultTimeoutSeconds: 10,
  optionsSchema,
  metrics: [
    {
      name: 'chom_kpi_target',
      help: 'Goal of a KPI for the current period from the KPI config (mrr: the MRR target of this calendar month, in the currency label).',
      type: 'gauge',
      labelNames: ['kpi', 'currency'],
      unit: 'currency',
    },
    {
      name: 'chom_kpi_threshold',
      help: 'Alert threshold of a KPI by severity, from the KPI config (the same values as the alert rules).',
      type: 'gauge',
      labelNames: ['kpi', 'severity'],
      unit: 'info',
    },
    {
      name: 'chom_kpi_money_threshold',
      help: 'Alert threshold of a money KPI (mrr, cac) by severity, in the currency label: kpi.thresholds for the reporting currency, kpi.moneyThresholds for the others.',
      type: 'gauge',
      labelNames: ['kpi', 'severity', 'currency'],
      unit: 'currency',
    },
    {
      name: 'chom_kpi_target_ratio',
      help: 'Goal of a ratio KPI from kpi.targets (dau_mau, referrals_per_active_user, email_open_rate); the boards colour green from it.',
      type: 'gauge',
      labelNames: ['kpi'],
      unit: 'ratio',
    },
    {
      name: 'chom_kpi_resolution_sla_seconds',
      help: 'Support resolution time SLA by ticket priority, from the KPI config.',
      type: 'gauge',
      labelNames: ['priority'],
      unit: 'seconds',
    },
    {
      name: 'chom_kpi_gross_margin_ratio',
      help: 'Gross margin from the KPI config (0-1), used by LTV and CAC payback.',
      type: 'gauge',
      labelNames: [],
      unit: 'ratio',
    },
  ],
  async collect({ kpi, at }) {
    return kpiSamples(kpi, at);
  },
};
