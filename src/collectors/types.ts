import type { Logger } from 'pino';
import type { z } from 'zod';
import type { LabelSets } from '../config/schema.js';
import type { KpiConfig } from '../kpi/kpi-config.js';
import type { MetricSpec, Sample } from '../metrics/spec.js';
import type { Reject } from '../shared/reject.js';
import type { Sources } from './sources.js';

/** The settings every collector shares, whatever its own options are. */
export interface CollectorRuntimeSettings {
  readonly enabled: boolean;
  readonly schedule: string;
  readonly timeoutSeconds: number;
}

export interface CollectorContext<Options, State = undefined> {
  readonly options: Options;
  /** Per-runner memory for incremental collectors (see `createState`). */
  readonly state: State;
  readonly log: Logger;
  /** Aborted when the run exceeds its timeout or the service shuts down. */
  readonly signal: AbortSignal;
  readonly sources: Sources;
  /** The bounded label vocabularies from config. */
  readonly labelSets: LabelSets;
  /** Targets and thresholds (the `kpi` section). */
  readonly kpi: KpiConfig;
  /** Bad rows are reported here: counted per collector and logged, never silently dropped. */
  /** Counts `rows` refused rows (default 1) under `reason` and logs one line for them. */
  readonly reject: Reject;
  /** The clock, in epoch milliseconds (the runner's, so that tests can fix it). */
  readonly now: () => number;
  /**
   * The instant the values are computed as of: the run's start for a live run, a past step in a
   * backfill. Queries take it as a bound parameter instead of now()/current_date.
   */
  readonly at: Date;
}

/** What a reload hands from the previous runner of a collector to the next. */
export interface StateHandover<Options, State> {
  readonly state: State;
  readonly options: Options;
  readonly labelSets: LabelSets;
}

/**
 * One collector: a name, a schedule, the metrics it owns and a `collect` that
 * returns samples. It never touches the registry; publishing is the runner's job.
 */
// biome-ignore lint/suspicious/noExplicitAny: a list of collectors holds many option and state types.
export interface Collector<Options = any, State = any> {
  /** snake_case id: the config key, the `collector` label and the log binding. */
  readonly name: string;
  readonly description: string;
  readonly source: 'postgres' | 'analytics' | 'billing' | 'config';
  readonly defaultSchedule: string;
  readonly defaultTimeoutSeconds: number;
  /** Collector-specific options (windows, caps, query overrides), with defaults. */
  readonly optionsSchema: z.ZodObject<z.ZodRawShape, z.core.$strict>;
  readonly metrics: readonly MetricSpec[];
  /** Fresh state for a runner; kept across runs, lost on restart (so it must be rebuildable). */
  createState?(): State;
  /**
   * On reload, the state the new runner starts from, made from the previous
   * runner's, or undefined to start over from `createState`. It must not share
   * mutable parts with the previous state: the old runner may still finish a
   * run it had started. Only asked when both read the same database.
   */
  inheritState?(
    previous: StateHandover<Options, State>,
    next: { readonly options: Options; readonly labelSets: LabelSets; readonly log: Logger },
  ): State | undefined;
  /**
   * Whether a run with these options reads a database (the app database, or
   * the events one for `analytics`); when absent, every collector but a
   * `config` one does. Decides whether demo mode is needed without a database URL.
   */
  readsDatabase?(options: Options): boolean;
  collect(ctx: CollectorContext<Options, State>): Promise<readonly Sample[]>;
}

export type AnyCollector = Collector;

/** A collector that runs under a configuration, with its effective settings and options. */
export interface EnabledCollector {
  readonly collector: AnyCollector;
  readonly settings: CollectorRuntimeSettings;
  readonly options: unknown;
}
