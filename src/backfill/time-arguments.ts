/** Parsing of the backfill's time flags: durations (`--step`) and instants (`--from`, `--to`). */

const units: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A duration such as `1h`, `30m`, `1d` or `1h30m` in milliseconds; undefined
 * when the text is not one (Prometheus's own unit letters, without `w`/`y`,
 * which are easy to misread as a calendar week or year).
 */
export function parseDuration(text: string): number | undefined {
  if (!/^(\d+[smhd])+$/.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)([smhd])/g)) {
    total += Number(amount) * (units[unit as string] ?? 0);
  }
  return total;
}

/**
 * Formats milliseconds as a duration both Go (`time.ParseDuration`, promtool's
 * `--eval-interval`) and Prometheus read: hours at most, as Go has no `d`.
 */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ['h', units.h],
    ['m', units.m],
  ] as const) {
    if (size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${Math.round(ms / 1000)}s`;
}

/**
 * An instant: `now`, `now-<duration>` (`now-400d`), a date (`2024-05-01`, midnight UTC) or an ISO 8601 time
 * with a zone (`2024-05-01T12:00:00Z`, `...+02:00`). A time without a zone is
 * refused: whose midnight it means would depend on the machine.
 */
export function parseInstant(text: string, now: number): number | undefined {
  if (text === 'now') return now;
  // `now-400d`: for scripts and compose files that cannot compute a date.
  const relative = /^now-(.+)$/.exec(text);
  if (relative) {
    const ago = parseDuration(relative[1] as string);
    return ago === undefined ? undefined : now - ago;
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const ms = Date.parse(`${text}T00:00:00Z`);
    return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text ? undefined : ms;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    return undefined;
  }
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
