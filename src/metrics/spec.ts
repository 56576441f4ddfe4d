/**
 * A metric's declaration: the single source of truth that the registry, the
 * generated metrics reference, the dashboards and the alert rules all read.
 */
export type MetricType = 'gauge' | 'counter';

/** Units we document; Prometheus base units where one exists. */
export type MetricUnit =
  | 'seconds'
  | 'ratio'
  | 'currency'
  | 'score'
  | 'count'
  | 'timestamp_seconds'
  | 'info';

export interface MetricSpec {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly labelNames: readonly string[];
  readonly unit: MetricUnit;
  /** The name in the seed metric contract, when ours differs or matches it. */
  readonly seedName?: string;
  /** Why the name differs from the seed's, for the mapping table. */
  readonly seedMapping?: string;
}

/** One value a collector produced; the runner turns these into series. */
export interface Sample {
  readonly metric: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Shorthand used by collectors to keep sample construction readable. */
export function sample(metric: string, value: number, labels: Record<string, string> = {}): Sample {
  return { metric, labels, value };
}
