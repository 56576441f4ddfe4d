import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { kpiSamples, mrrTargetFor } from './config-kpi-targets.js';

describe('KPI target samples', () => {
  const kpi = parseConfig({
    kpi: {
      mrrTargetDefault: 5000,
      mrrTargets: [{ month: '2026-11', amount: 4000 }],
      thresholds: { nps: { warning: 40, critical: null } },
    },
  }).kpi;

  it("uses the month's entry, else the default", () => {
    expect(mrrTargetFor(kpi, new Date('2026-11-30T23:59:59Z'))).toBe(4000);
    expect(mrrTargetFor(kpi, new Date('2026-12-01T00:00:00Z'))).toBe(5000);
  });

  it('exports the target in the reporting currency and every threshold that is set', () => {
    const samples = kpiSamples(kpi, new Date('2026-11-15T00:00:00Z'));
    expect(samples).toContainEqual({
      metric: 'chom_kpi_target',
      labels: { kpi: 'mrr', currency: 'USD' },
      value: 4000,
    });
    expect(samples).toContainEqual({
      metric: 'chom_kpi_threshold',
      labels: { kpi: 'nps', severity: 'warning' },
      value: 40,
    });
    expect(
      samples.filter((s) => s.metric === 'chom_kpi_threshold' && s.labels.kpi === 'nps'),
    ).toHaveLength(1);
    expect(samples).toContainEqual({
      metric: 'chom_kpi_threshold',
      labels: { kpi: 'churnRate', severity: 'critical' },
      value: 0.07,
    });
    expect(samples).toContainEqual({
      metric: 'chom_kpi_resolution_sla_seconds',
      labels: { priority: 'high' },
      value: 28800,
    });
    expect(samples).toContainEqual({
      metric: 'chom_kpi_gross_margin_ratio',
      labels: {},
      value: 0.8,
    });
  });
});
