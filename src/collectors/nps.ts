/** NPS categories by the standard 0-10 scale. */
export interface NpsCounts {
  readonly promoters: number;
  readonly passives: number;
  readonly detractors: number;
}

/**
 * NPS = % promoters (9-10) − % detractors (0-6), from −100 to 100.
 * Undefined (null) with no responses: a score of 0 would be a false reading.
 */
export function npsScore({ promoters, passives, detractors }: NpsCounts): number | null {
  const total = promoters + passives + detractors;
  if (total <= 0) return null;
  return (100 * (promoters - detractors)) / total;
}
