/** The label value for anything outside a bounded vocabulary. */
export const OTHER = 'other';

/**
 * Case, surrounding space, and inner spaces or hyphens versus underscores do
 * not matter. vocabulary-sql.ts does the same in SQL: keep the two in step.
 */
export const normalise = (value: string) =>
  value
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

/**
 * Maps a raw value onto a bounded vocabulary so that a typo or a new value in
 * the source cannot create unbounded series. `Team Invites`, `team-invites` and
 * `team_invites` all match `team_invites`; the vocabulary's spelling is exported.
 */
export function boundLabel(raw: string | null | undefined, allowed: readonly string[]): string {
  if (raw === null || raw === undefined) return OTHER;
  const wanted = normalise(raw);
  return allowed.find((value) => normalise(value) === wanted) ?? OTHER;
}

/** How many distinct values a vocabulary tracks (entries that normalise alike are one). */
export function trackedCount(vocabulary: readonly string[]): number {
  return new Set(vocabulary.map(normalise)).size;
}

/** One key per label set, whatever the order of its names. */
const labelKey = (labels: Record<string, string>) =>
  JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));

/** Sums values that land on the same label set after bounding (e.g. several unknowns → other). */
export function sumByKey<T extends Record<string, string>>(
  entries: readonly { labels: T; value: number }[],
): { labels: T; value: number }[] {
  const sums = new Map<string, { labels: T; value: number }>();
  for (const entry of entries) {
    const key = labelKey(entry.labels);
    const existing = sums.get(key);
    if (existing) existing.value += entry.value;
    else sums.set(key, { labels: entry.labels, value: entry.value });
  }
  return [...sums.values()];
}

/** A mean over some rows, and how many rows (`weight`; undefined when not known). */
export interface MeanEntry<T> {
  readonly labels: T;
  readonly mean: number;
  readonly weight: number | undefined;
}

/**
 * Merges means that land on the same label set after bounding into the mean
 * over all their rows: sum(mean × weight) / sum(weight). A label set reached
 * by one entry keeps its mean as is. One reached by several whose weights are
 * not all known and non-negative, with a positive sum, has no honest merged
 * mean (an unweighted mean of means is another number): it gets none and is
 * listed in `unmerged`, with how many entries it had, for the caller to report.
 */
export function meanByKey<T extends Record<string, string>>(
  entries: readonly MeanEntry<T>[],
): { means: { labels: T; value: number }[]; unmerged: { labels: T; entries: number }[] } {
  const groups = new Map<string, MeanEntry<T>[]>();
  for (const entry of entries) {
    const key = labelKey(entry.labels);
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  const means: { labels: T; value: number }[] = [];
  const unmerged: { labels: T; entries: number }[] = [];
  for (const group of groups.values()) {
    const [first] = group as [MeanEntry<T>];
    if (group.length === 1) {
      means.push({ labels: first.labels, value: first.mean });
      continue;
    }
    const weights = group.map((entry) => entry.weight);
    const total = weights.reduce<number>((sum, weight) => sum + (weight ?? 0), 0);
    if (weights.some((weight) => weight === undefined || weight < 0) || !(total > 0)) {
      unmerged.push({ labels: first.labels, entries: group.length });
      continue;
    }
    const weighted = group.reduce((sum, entry) => sum + entry.mean * (entry.weight as number), 0);
    means.push({ labels: first.labels, value: weighted / total });
  }
  return { means, unmerged };
}

/** ISO 4217 codes pass (upper-cased); anything else is `other`. */
export function boundCurrency(raw: string | null | undefined): string {
  const code = (raw ?? '').trim().toUpperCase();
  return /^[A-Z]{3}$/.test(code) ? code : OTHER;
}
