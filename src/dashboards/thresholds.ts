import type { KpiConfig } from '../kpi/kpi-config.js';

/** One threshold step; the first has value null (minus infinity), the rest ascend. */
export interface Step {
  readonly value: number | null;
  readonly color: string;
}

interface Threshold {
  readonly warning: number | null;
  readonly critical: number | null;
}

/** No judgement: the value in the text colour (and no Grafana default red at 80). */
export const neutral: readonly Step[] = [{ value: null, color: 'text' }];

/** A value that is bad when high: green, orange from the warning, red from the critical threshold. */
export function above({ warning, critical }: Threshold): Step[] {
  const steps: Step[] = [{ value: null, color: 'green' }];
  if (warning !== null) steps.push({ value: warning, color: 'orange' });
  if (critical !== null) steps.push({ value: critical, color: 'red' });
  return steps;
}

/** A value that is bad when low: red below the critical, orange below the warning threshold, else green. */
export function below({ warning, critical }: Threshold): Step[] {
  if (warning === null && critical === null) return [{ value: null, color: 'green' }];
  const steps: Step[] = [{ value: null, color: critical !== null ? 'red' : 'orange' }];
  if (critical !== null && warning !== null) steps.push({ value: critical, color: 'orange' });
  steps.push({ value: warning ?? critical, color: 'green' });
  return steps;
}

/**
 * A value with an alert floor and a higher goal: red below the floor (where
 * the alert fires), orange from it up to the goal, green from the goal.
 */
export function belowGoal(floor: number | null, goal: number): Step[] {
  if (floor === null || floor >= goal) return below({ warning: goal, critical: null });
  return [
    { value: null, color: 'red' },
    { value: floor, color: 'orange' },
    { value: goal, color: 'green' },
  ];
}

/**
 * Health score bands, as the postgres_customer_health collector counts them
 * (src/collectors/health-score.ts): critical below the KPI config's health
 * threshold, at risk to 60, healthy to 80, excellent above.
 */
export function healthBands(kpi: KpiConfig) {
  return {
    critical: kpi.thresholds.healthScore.critical ?? 40,
    healthy: 60,
    excellent: 80,
  } as const;
}

export function healthScoreSteps(kpi: KpiConfig): Step[] {
  const bands = healthBands(kpi);
  return [
    { value: null, color: 'red' },
    { value: bands.critical, color: 'orange' },
    { value: bands.healthy, color: 'green' },
    { value: bands.excellent, color: 'blue' },
  ];
}

/**
 * Benchmarks the seed dashboards state for metrics the KPI config has no
 * threshold for (the config only holds what alerts fire on). Colours only.
 */
export const seedBenchmarks = {
  /** First response "Target: < 1 hour for all priorities" (the alert is kpi.thresholds.firstResponseTime). */
  firstResponseSeconds: 3600,
  /** Time to first value: excellent < 1 day, good 1-3 days, needs improvement > 7 days. */
  timeToFirstValueSeconds: { good: 86_400, slow: 3 * 86_400, tooSlow: 7 * 86_400 },
  /**
   * Marketing ROI, seed: returns below 1:1 lose money, above 3:1 are good, above 5:1
   * excellent. ROI here is (value - spend) / spend, the return ratio minus 1.
   */
  marketingRoi: { breakEven: 0, good: 2, excellent: 4 },
  /** K-factor above 1 is viral growth. */
  kFactorViral: 1,
  /** Email benchmarks for B2B SaaS: click-through 2-5%, conversion 1-5% (open rate: kpi config). */
  email: { clickRate: 0.02, conversionRate: 0.01 },
  /** DAU/MAU above 20% is a very engaged user base. */
  dauMauVeryEngaged: 0.2,
  /** Activation to trial: target above 70%. */
  trialStart: 0.7,
} as const;

/** A ratio threshold as a percentage for descriptions (0.05 -> "5%"). */
export function pct(value: number | null): string {
  return value === null ? '-' : `${Number((value * 100).toPrecision(10))}%`;
}
