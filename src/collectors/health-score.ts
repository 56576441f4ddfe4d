/** Score bands of the seed: 0-40 critical, 40-60 at risk, 60-80 healthy, 80-100 excellent. */
export const healthBands = ['critical', 'at_risk', 'healthy', 'excellent'] as const;
export type HealthBand = (typeof healthBands)[number];

export function healthBand(score: number): HealthBand {
  if (score < 40) return 'critical';
  if (score < 60) return 'at_risk';
  if (score < 80) return 'healthy';
  return 'excellent';
}

export interface OrganizationScore {
  readonly organization: string;
  readonly score: number;
}

/**
 * The cardinality policy for per-organization series: keep the `cap` lowest
 * scores (the accounts customer success must act on), ties broken by name so
 * that the listed set is stable between runs. Everything else is still counted
 * in the band distribution.
 */
export function lowestScores(
  scores: readonly OrganizationScore[],
  cap: number,
): OrganizationScore[] {
  return [...scores]
    .sort((a, b) => a.score - b.score || a.organization.localeCompare(b.organization))
    .slice(0, cap);
}

/** Organizations per band, every band present (zero when empty). */
export function countByBand(scores: readonly OrganizationScore[]): Record<HealthBand, number> {
  const counts: Record<HealthBand, number> = { critical: 0, at_risk: 0, healthy: 0, excellent: 0 };
  for (const { score } of scores) counts[healthBand(score)] += 1;
  return counts;
}
