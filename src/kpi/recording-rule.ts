/** One recording rule with what the docs say about it. */
export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  /** What the series means and its formula, for the docs and the dashboards. */
  readonly help: string;
  /** The window both sides of the formula cover (e.g. "trailing 30 days, computed by the source"). */
  readonly window: string;
  /** What it gives on a Prometheus without history (a fresh one, or after a gap). */
  readonly beforeHistory: string;
  /** Set on a rule kept for one release under its old name; the text says what replaces it. */
  readonly deprecated?: string;
}

/** Reads the windowed facts the source computes: right from the first scrape. */
export const fromFirstScrape =
  'right from the first scrape: the exporter computes every input over its own window';
