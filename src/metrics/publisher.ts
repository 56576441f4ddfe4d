import { renderFamilies } from './exposition.js';
import type { MetricSpec, Sample } from './spec.js';

/**
 * Longest label value exported, in characters: a value from the source (a
 * custom query's label, an organization name) that runs to kilobytes would
 * bloat every scrape and Prometheus's index.
 */
export const maxLabelValueLength = 128;

/** Cuts a value to `maxLabelValueLength` characters, never inside a surrogate pair (an emoji). */
export function cutLabelValue(value: string): string {
  // UTF-16 length bounds the character count from above: most values stop here.
  if (value.length <= maxLabelValueLength) return value;
  return Array.from(value).slice(0, maxLabelValueLength).join('');
}

function withCutLabels(sample: Sample): Sample {
  const values = Object.values(sample.labels);
  if (values.every((value) => value.length <= maxLabelValueLength)) return sample;
  const labels = Object.fromEntries(
    Object.entries(sample.labels).map(([name, value]) => [name, cutLabelValue(value)]),
  );
  return { ...sample, labels };
}

export interface PublishResult {
  readonly series: number;
  readonly rejected: readonly { reason: string; sample: Sample }[];
}

/**
 * Holds the series of one collector and replaces them as a whole: the new set
 * is validated, rendered once, and swapped in by a single assignment, so a
 * scrape sees either the previous run or this one, never a mix, and label sets
 * that disappeared from the source disappear from the exposition.
 */
export class SeriesPublisher {
  private readonly specs: Map<string, MetricSpec>;
  private rendered: string;

  constructor(private readonly metricSpecs: readonly MetricSpec[]) {
    this.specs = new Map(metricSpecs.map((spec) => [spec.name, spec]));
    this.rendered = renderFamilies(metricSpecs, []);
  }

  /**
   * Takes over another publisher's series (same collector, previous
   * configuration), unless its metrics were declared otherwise: a custom query
   * whose metrics changed starts empty rather than serve the old declarations.
   */
  adopt(previous: SeriesPublisher): boolean {
    if (JSON.stringify(previous.metricSpecs) !== JSON.stringify(this.metricSpecs)) return false;
    this.rendered = previous.rendered;
    return true;
  }

  /** The collector's families in the text format, rendered at publish time. */
  get exposition(): string {
    return this.rendered;
  }

  /** Checks every sample, then swaps the accepted set in. */
  publish(samples: readonly Sample[]): PublishResult {
    const rejected: { reason: string; sample: Sample }[] = [];
    const accepted: Sample[] = [];
    const seen = new Set<string>();
    for (const original of samples) {
      // Cut before the duplicate check: two values alike in their first 128 characters are one series.
      const sample = withCutLabels(original);
      const spec = this.specs.get(sample.metric);
      const reason = spec ? rejectionReason(spec, sample) : 'unknown_metric';
      if (reason) {
        rejected.push({ reason, sample });
        continue;
      }
      const key = seriesKey(sample);
      if (seen.has(key)) {
        rejected.push({ reason: 'duplicate_series', sample });
        continue;
      }
      seen.add(key);
      accepted.push(sample);
    }
    this.rendered = renderFamilies(this.metricSpecs, accepted);
    return { series: accepted.length, rejected };
  }
}

export function rejectionReason(spec: MetricSpec, sample: Sample): string | undefined {
  if (!Number.isFinite(sample.value)) return 'not_finite';
  if (spec.type === 'counter' && sample.value < 0) return 'negative_counter';
  const names = Object.keys(sample.labels);
  if (names.length !== spec.labelNames.length || names.some((n) => !spec.labelNames.includes(n))) {
    return 'wrong_labels';
  }
  return undefined;
}

export function seriesKey(sample: Sample): string {
  const labels = Object.entries(sample.labels).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([sample.metric, labels]);
}
