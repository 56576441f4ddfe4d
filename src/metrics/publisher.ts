import { renderFamilies } from './exposition.js';
import type { MetricSpec, Sample } from './spec.js';

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
    for (const sample of samples) {
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

function rejectionReason(spec: MetricSpec, sample: Sample): string | undefined {
  if (!Number.isFinite(sample.value)) return 'not_finite';
  if (spec.type === 'counter' && sample.value < 0) return 'negative_counter';
  const names = Object.keys(sample.labels);
  if (names.length !== spec.labelNames.length || names.some((n) => !spec.labelNames.includes(n))) {
    return 'wrong_labels';
  }
  return undefined;
}

function seriesKey(sample: Sample): string {
  const labels = Object.entries(sample.labels).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([sample.metric, labels]);
}
