import type { PrometheusSample } from '../dashboards/prometheus-server.js';
import { type ParsedSample, parseExposition } from './exposition.js';

/**
 * The business samples of a scrape: what collectors computed from the sources,
 * without the exporter's own health (durations, run counters, timestamps,
 * build and process metrics), which differ between replicas by nature.
 */
export function businessSamples(exposition: string): Map<string, number> {
  const own = /^chom_(collector_|config_|build_info|stripe_)/;
  const samples = parseExposition(exposition).filter(
    (sample) => sample.name.startsWith('chom_') && !own.test(sample.name),
  );
  return new Map(samples.map((sample) => [seriesKey(sample), sample.value]));
}

const seriesKey = (sample: Pick<ParsedSample, 'name' | 'labels'>) =>
  `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;

/** Series present in only one map, or with other values: empty when the two replicas agree. */
export function differences(a: Map<string, number>, b: Map<string, number>): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((key) => a.get(key) !== b.get(key)).sort();
}

/** A query result by label set (the metric name dropped, as a panel shows it). */
export function byLabels(result: readonly PrometheusSample[]): Map<string, number> {
  return new Map(
    result.map((sample) => {
      const { __name__: _, ...labels } = sample.metric;
      return [JSON.stringify(Object.entries(labels).sort()), Number(sample.value[1])];
    }),
  );
}

/**
 * Whether two results show the same series with the same values, within a
 * relative `tolerance` (0 for exact, up to float rounding).
 */
export function sameValues(
  single: readonly PrometheusSample[],
  replicated: readonly PrometheusSample[],
  tolerance: number,
): string[] {
  const a = byLabels(single);
  const b = byLabels(replicated);
  const problems: string[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(key);
    const y = b.get(key);
    if (x === undefined || y === undefined) {
      problems.push(`${key}: single replica ${x ?? 'absent'}, two replicas ${y ?? 'absent'}`);
      continue;
    }
    const scale = Math.max(Math.abs(x), Math.abs(y), 1e-12);
    if (Math.abs(x - y) / scale > Math.max(tolerance, 1e-9)) {
      problems.push(`${key}: single replica ${x}, two replicas ${y}`);
    }
  }
  return problems;
}
