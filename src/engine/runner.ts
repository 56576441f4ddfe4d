import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Sources } from '../collectors/sources.js';
import type { AnyCollector, CollectorRuntimeSettings } from '../collectors/types.js';
import type { LabelSets } from '../config/schema.js';
import type { KpiConfig } from '../kpi/kpi-config.js';
import { SeriesPublisher } from '../metrics/publisher.js';
import type { SelfMetrics } from '../metrics/self-metrics.js';
import { cronIntervalSeconds } from '../shared/cron.js';
import type { Reject } from '../shared/reject.js';

export interface RunnerDeps {
  readonly registry: Registry;
  readonly selfMetrics: SelfMetrics;
  readonly sources: Sources;
  readonly labelSets: LabelSets;
  readonly kpi: KpiConfig;
  readonly log: Logger;
  /** Aborted on shutdown: cuts every run short. */
  readonly shutdown: AbortSignal;
  readonly now?: () => number;
  /**
   * The database the collector's state describes (its source's URL): a reload
   * hands the state over only within the same scope, never to a runner that
   * reads another database.
   */
  readonly stateScope?: string;
  /** Called whenever what this runner contributes to the exposition may have changed. */
  readonly onChange?: () => void;
}

export interface CollectorStatus {
  readonly name: string;
  readonly description: string;
  readonly schedule: string;
  readonly running: boolean;
  readonly lastSuccess: boolean | undefined;
  readonly lastSuccessAt: Date | undefined;
  readonly lastError: string | undefined;
  readonly series: number;
}

/** Thrown when a run exceeds its timeout, whether or not the collector honours the signal. */
export class CollectorTimeoutError extends Error {
  constructor(seconds: number) {
    super(`collector run exceeded its timeout of ${seconds}s`);
    this.name = 'CollectorTimeoutError';
  }
}

/**
 * Runs one collector in isolation: one run at a time, a timeout per run, errors
 * logged and counted but never thrown, the last good series kept on failure and
 * replaced as a whole on success.
 */
export class CollectorRunner {
  private inFlight: Promise<boolean> | undefined;
  private readonly publisher: SeriesPublisher;
  private readonly log: Logger;
  private state: unknown;
  private status: Omit<CollectorStatus, 'running' | 'name' | 'description' | 'schedule'> = {
    lastSuccess: undefined,
    lastSuccessAt: undefined,
    lastError: undefined,
    series: 0,
  };

  constructor(
    readonly collector: AnyCollector,
    readonly settings: CollectorRuntimeSettings,
    private readonly options: unknown,
    private readonly deps: RunnerDeps,
  ) {
    this.publisher = new SeriesPublisher(collector.metrics);
    this.log = deps.log.child({ collector: collector.name });
    this.state = collector.createState?.();
    this.initSelfMetrics();
  }

  /**
   * Zero-initialises this collector's counters and gauges so that rate() and
   * absent() behave before the first error; again after a reload forgot them.
   */
  initSelfMetrics(): void {
    const { selfMetrics } = this.deps;
    const labels = { collector: this.collector.name };
    selfMetrics.runs.inc(labels, 0);
    selfMetrics.errors.inc(labels, 0);
    selfMetrics.series.set(labels, 0);
    selfMetrics.interval.set(labels, cronIntervalSeconds(this.settings.schedule));
    selfMetrics.timeout.set(labels, this.settings.timeoutSeconds);
  }

  /** Runs now unless a run is already under way, in which case that run is awaited. */
  run(): Promise<boolean> {
    if (this.inFlight) {
      this.log.warn('previous run still in progress; skipping this one');
      return this.inFlight;
    }
    this.inFlight = this.runOnce().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /**
   * Carries the last good series and status of the same collector under the
   * previous configuration, so a reload does not blank the exposition until
   * this runner's first run publishes. A collector whose metrics changed (a
   * custom query redeclared) inherits nothing: its old status would describe
   * series it no longer serves. Returns whether it inherited.
   */
  inheritFrom(previous: CollectorRunner): boolean {
    if (!this.publisher.adopt(previous.publisher)) return false;
    this.status = previous.status;
    this.deps.selfMetrics.series.set({ collector: this.collector.name }, this.status.series);
    this.inheritState(previous);
    this.deps.onChange?.();
    return true;
  }

  /**
   * Incremental collectors keep what they counted (event totals, watermarks)
   * across a reload when the collector says the new options allow it, so that
   * a reload neither rescans a table nor lowers a counter.
   */
  private inheritState(previous: CollectorRunner): void {
    const { inheritState } = this.collector;
    if (!inheritState || previous.deps.stateScope !== this.deps.stateScope) return;
    const inherited = inheritState(
      { state: previous.state, options: previous.options, labelSets: previous.deps.labelSets },
      { options: this.options, labelSets: this.deps.labelSets, log: this.log },
    );
    if (inherited !== undefined) this.state = inherited;
  }

  /** This collector's series, rendered when they were last published. */
  get exposition(): string {
    return this.publisher.exposition;
  }

  get currentStatus(): CollectorStatus {
    return {
      name: this.collector.name,
      description: this.collector.description,
      schedule: this.settings.schedule,
      running: this.inFlight !== undefined,
      ...this.status,
    };
  }

  private async runOnce(): Promise<boolean> {
    const { selfMetrics, shutdown } = this.deps;
    const now = this.deps.now ?? Date.now;
    const labels = { collector: this.collector.name };
    const started = now();
    const timeoutMs = this.settings.timeoutSeconds * 1000;
    const signal = AbortSignal.any([shutdown, AbortSignal.timeout(timeoutMs)]);
    let rejectedThisRun = 0;
    const reject: Reject = (reason, detail, rows = 1) => {
      rejectedThisRun += rows;
      selfMetrics.rowsRejected.inc({ ...labels, reason }, rows);
      this.log.warn({ reason, ...detail }, rows === 1 ? 'rejected a row' : `rejected ${rows} rows`);
    };
    selfMetrics.runs.inc(labels);
    this.deps.onChange?.();
    try {
      const samples = await withTimeout(
        this.collector.collect({
          options: this.options,
          state: this.state,
          log: this.log,
          signal,
          sources: this.deps.sources,
          labelSets: this.deps.labelSets,
          kpi: this.deps.kpi,
          reject,
          now,
          at: new Date(started),
        }),
        signal,
        this.settings.timeoutSeconds,
      );
      const result = this.publisher.publish(samples);
      for (const { reason, sample } of result.rejected) {
        reject(reason, { metric: sample.metric, labels: sample.labels, value: sample.value });
      }
      const seconds = (now() - started) / 1000;
      selfMetrics.success.set(labels, 1);
      selfMetrics.lastSuccess.set(labels, now() / 1000);
      selfMetrics.duration.set(labels, seconds);
      selfMetrics.series.set(labels, result.series);
      this.status = {
        lastSuccess: true,
        lastSuccessAt: new Date(now()),
        lastError: undefined,
        series: result.series,
      };
      this.log.debug(
        { durationSeconds: seconds, series: result.series, rejectedThisRun },
        'run ok',
      );
      return true;
    } catch (error) {
      const seconds = (now() - started) / 1000;
      // Cut short by a shutdown or a reload (the runner is being replaced): the
      // source did not fail, so no error is logged, counted or shown.
      if (shutdown.aborted) {
        this.log.info({ durationSeconds: seconds }, 'run stopped: shutting down or reloading');
        return false;
      }
      selfMetrics.success.set(labels, 0);
      selfMetrics.errors.inc(labels);
      selfMetrics.duration.set(labels, seconds);
      const message = error instanceof Error ? error.message : String(error);
      this.status = { ...this.status, lastSuccess: false, lastError: message };
      this.log.error(
        { err: error, durationSeconds: seconds },
        'collector run failed; keeping last good values',
      );
      return false;
    } finally {
      this.deps.onChange?.();
    }
  }
}

/** Resolves with the work, or rejects when the signal fires, whichever comes first. */
function withTimeout<T>(work: Promise<T>, signal: AbortSignal, seconds: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      const reason = signal.reason;
      reject(
        reason instanceof DOMException && reason.name === 'TimeoutError'
          ? new CollectorTimeoutError(seconds)
          : reason,
      );
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
