import type { Logger } from 'pino';
import { collectAsOf } from '../collectors/as-of.js';
import type { Sources } from '../collectors/sources.js';
import type { CollectorContext, EnabledCollector } from '../collectors/types.js';
import type { LabelSets } from '../config/schema.js';
import type { KpiConfig } from '../kpi/kpi-config.js';
import { cutLabelValue, rejectionReason, seriesKey } from '../metrics/publisher.js';
import type { MetricSpec, Sample } from '../metrics/spec.js';
import type { Reject } from '../shared/reject.js';

export interface EvaluationDeps {
  readonly sources: Sources;
  readonly labelSets: LabelSets;
  readonly kpi: KpiConfig;
  readonly log: Logger;
  /** Aborted on SIGINT: every evaluation under way stops. */
  readonly interrupt: AbortSignal;
  /** Rows refused across the backfill, by collector and reason (reported at the end). */
  readonly rejected: Map<string, number>;
}

/**
 * What evaluating needs under `config`: its label sets and KPI settings, with `rejected` empty
 * unless the caller keeps its own tally. `interrupt` defaults to a signal never aborted.
 */
export function evaluationDeps(
  config: { readonly labels: LabelSets; readonly kpi: KpiConfig },
  sources: Sources,
  log: Logger,
  options: { interrupt?: AbortSignal; rejected?: Map<string, number> } = {},
): EvaluationDeps {
  return {
    sources,
    labelSets: config.labels,
    kpi: config.kpi,
    log,
    interrupt: options.interrupt ?? new AbortController().signal,
    rejected: options.rejected ?? new Map(),
  };
}

/**
 * The context a live run would get, with `at` (and the clock) set to the step:
 * the same collector code computes what it would have computed then. Each
 * evaluation gets fresh state, as a first run at that instant would.
 */
export function contextAt(
  { collector, settings, options }: EnabledCollector,
  at: number,
  deps: EvaluationDeps,
): { ctx: CollectorContext<unknown, unknown>; signal: AbortSignal } {
  const signal = AbortSignal.any([
    deps.interrupt,
    AbortSignal.timeout(settings.timeoutSeconds * 1000),
  ]);
  const log = deps.log.child({ collector: collector.name, at: new Date(at).toISOString() });
  const reject: Reject = (reason, detail, rows = 1) => {
    const key = `${collector.name} ${reason}`;
    deps.rejected.set(key, (deps.rejected.get(key) ?? 0) + rows);
    log.debug({ reason, ...detail }, 'rejected a row');
  };
  const ctx: CollectorContext<unknown, unknown> = {
    options,
    state: collector.createState?.(),
    log,
    signal,
    sources: deps.sources,
    labelSets: deps.labelSets,
    kpi: deps.kpi,
    reject,
    now: () => at,
    at: new Date(at),
  };
  return { ctx, signal };
}

/** Runs a collector as of `at`; throws (naming the collector and the step) when it fails. */
export async function evaluateAt(
  enabled: EnabledCollector,
  at: number,
  deps: EvaluationDeps,
): Promise<Sample[]> {
  const { ctx, signal } = contextAt(enabled, at, deps);
  try {
    const samples = await untilAborted(
      // The as-of form for collectors whose live run counts incrementally (lifetime counters).
      collectAsOf(enabled.collector, { ...ctx, state: undefined }),
      signal,
    );
    return acceptedSamples(enabled.collector.name, enabled.collector.metrics, samples, deps);
  } catch (error) {
    if (deps.interrupt.aborted) throw deps.interrupt.reason;
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `collector ${enabled.collector.name} failed as of ${new Date(at).toISOString()}: ${message}`,
    );
  }
}

/**
 * Settles with `work`, or rejects with the signal's reason when it fires first;
 * either way the listener is removed once settled. It must be: `signal` is
 * AbortSignal.any of the interrupt and a timeout, and Node keeps such a signal
 * alive while it has an abort listener. The timeout signal, held only weakly,
 * is collected without ever firing, so a listener left behind would keep every
 * evaluation's signal, and through it its samples, for the whole run: about
 * 85 kB a step at 1 h on the demo, 1 GiB of RSS for a year (issue #20).
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const fail = () => reject(signal.reason);
    if (signal.aborted) {
      work.catch(() => {});
      return fail();
    }
    signal.addEventListener('abort', fail, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', fail));
  });
}

/**
 * The samples a live run would publish: the same checks (declared metric,
 * its labels, a finite value, no negative counter, no duplicate series), the
 * same cut of long label values; the refused ones are counted.
 */
export function acceptedSamples(
  collector: string,
  metrics: readonly MetricSpec[],
  samples: readonly Sample[],
  deps: Pick<EvaluationDeps, 'rejected'>,
): Sample[] {
  const specs = new Map(metrics.map((spec) => [spec.name, spec]));
  const seen = new Set<string>();
  const accepted: Sample[] = [];
  for (const original of samples) {
    const sample = {
      ...original,
      labels: Object.fromEntries(
        Object.entries(original.labels).map(([name, value]) => [name, cutLabelValue(value)]),
      ),
    };
    const spec = specs.get(sample.metric);
    const key = seriesKey(sample);
    const reason = !spec
      ? 'unknown_metric'
      : (rejectionReason(spec, sample) ?? (seen.has(key) ? 'duplicate_series' : undefined));
    if (reason) {
      const tally = `${collector} ${reason}`;
      deps.rejected.set(tally, (deps.rejected.get(tally) ?? 0) + 1);
      continue;
    }
    seen.add(key);
    accepted.push(sample);
  }
  return accepted;
}
