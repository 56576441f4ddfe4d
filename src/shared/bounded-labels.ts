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

/** Sums values that land on the same label set after bounding (e.g. several unknowns → other). */
export function sumByKey<T extends Record<string, string>>(
  entries: readonly { labels: T; value: number }[],
): { labels: T; value: number }[] {
  const sums = new Map<string, { labels: T; value: number }>();
  for (const entry of entries) {
    const key = JSON.stringify(Object.entries(entry.labels).sort(([a], [b]) => a.localeCompare(b)));
    const existing = sums.get(key);
    if (existing) existing.value += entry.value;
    else sums.set(key, { labels: entry.labels, value: entry.value });
  }
  return [...sums.values()];
}

/** ISO 4217 codes pass (upper-cased); anything else is `other`. */
export function boundCurrency(raw: string | null | undefined): string {
  const code = (raw ?? '').trim().toUpperCase();
  return /^[A-Z]{3}$/.test(code) ? code : OTHER;
}
