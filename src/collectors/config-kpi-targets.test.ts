import { describe, expect, it } from 'vitest';
import { parseConfig } from '../app/config.js';
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

  it('exports money thresholds with their currency, for the reporting currency and every other one set', () => {
    const withEur = parseConfig({
      kpi: { moneyThresholds: { EUR: { mrr: { warning: 9000 }, cac: { critical: 80 } } } },
    }).kpi;
    const money = kpiSamples(withEur, new Date('2026-11-15T00:00:00Z')).filter(
      (s) => s.metric === 'chom_kpi_money_threshold',
    );
    expect(money).toEqual(
      expect.arrayContaining([
        {
          metric: 'chom_kpi_money_threshold',
          labels: { kpi: 'mrr', severity: 'critical', currency: 'USD' },
          value: 5000,
        },
        {
          metric: 'chom_kpi_money_threshold',
          labels: { kpi: 'cac', severity: 'warning', currency: 'USD' },
          value: 60,
        },
        {
          metric: 'chom_kpi_money_threshold',
          labels: { kpi: 'mrr', severity: 'warning', currency: 'EUR' },
          value: 9000,
        },
        {
          metric: 'chom_kpi_money_threshold',
          labels: { kpi: 'cac', severity: 'critical', currency: 'EUR' },
          value: 80,
        },
      ]),
    );
    // USD: mrr and cac at both levels; EUR: the two levels it sets, nothing made up.
    expect(money).toHaveLength(6);
  });

  it('exports the ratio goals of kpi.targets', () => {
    const samples = kpiSamples(
      parseConfig({ kpi: { targets: { referralsPerActiveUser: 0.8 } } }).kpi,
      new Date('2026-11-15T00:00:00Z'),
    );
    expect(samples.filter((s) => s.metric === 'chom_kpi_target_ratio')).toEqual([
      { metric: 'chom_kpi_target_ratio', labels: { kpi: 'dau_mau' }, value: 0.25 },
      { metric: 'chom_kpi_target_ratio', labels: { kpi: 'referrals_per_active_user' }, value: 0.8 },
      { metric: 'chom_kpi_target_ratio', labels: { kpi: 'email_open_rate' }, value: 0.25 },
    ]);
  });

  it("defaults to seed 004's month-by-month MRR plan, then the plan's goal", () => {
    const defaults = parseConfig({}).kpi;
    const at = (iso: string) => mrrTargetFor(defaults, new Date(iso));
    expect(
      ['2026-01-15', '2026-02-15', '2026-03-15', '2026-04-15', '2026-05-15', '2026-06-15'].map(
        (day) => at(`${day}T00:00:00Z`),
      ),
    ).toEqual([970, 1700, 2300, 3200, 4000, 4900]);
    expect(at('2026-12-01T00:00:00Z')).toBe(4900);
  });
});
