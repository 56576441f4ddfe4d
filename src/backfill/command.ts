import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../app/config.js';
import { closeSources } from '../app/create-sources.js';
import { buildSources, resolveDatabase } from '../app/service.js';
import { findExecutable } from './promtool-steps.js';
import { manualCommands, runBackfill, stepCount } from './run-backfill.js';
import { snapshotOnce } from './snapshot-once.js';
import { parseDuration, parseInstant } from './time-arguments.js';
import { BackfillUsageError } from './usage-error.js';

export interface BackfillFlags {
  readonly from?: string;
  readonly to?: string;
  readonly step?: string;
  readonly out?: string;
  readonly concurrency?: string;
  readonly promtool?: string;
  readonly prometheus?: string;
  readonly job?: string;
}

/** Checks the flags against each other and the clock; throws BackfillUsageError naming the flag. */
export function parseBackfillFlags(flags: BackfillFlags, now: number) {
  if (!flags.from)
    throw new BackfillUsageError(
      '--from',
      'required (a date such as 2024-01-31, or an ISO 8601 time with its zone)',
    );
  const from = parseInstant(flags.from, now);
  if (from === undefined)
    throw new BackfillUsageError(
      '--from',
      `"${flags.from}" is not a date (2024-01-31) or an ISO 8601 time with a zone (2024-01-31T12:00:00Z)`,
    );
  const to = parseInstant(flags.to ?? 'now', now);
  if (to === undefined)
    throw new BackfillUsageError(
      '--to',
      `"${flags.to}" is not now, a date (2024-01-31) or an ISO 8601 time with a zone`,
    );
  if (to > now)
    throw new BackfillUsageError(
      '--to',
      `${new Date(to).toISOString()} is in the future: history can only be computed up to now`,
    );
  if (from >= to)
    throw new BackfillUsageError(
      '--from',
      `${new Date(from).toISOString()} is not before --to (${new Date(to).toISOString()})`,
    );
  const stepMs = parseDuration(flags.step ?? '1h');
  if (!stepMs || stepMs < 1000)
    throw new BackfillUsageError(
      '--step',
      `"${flags.step}" is not a positive duration of at least one second (30s, 15m, 1h, 1d, 1h30m)`,
    );
  if (!flags.out)
    throw new BackfillUsageError(
      '--out',
      'required: the folder for the OpenMetrics files, the blocks and the state',
    );
  const concurrency = Number(flags.concurrency ?? '2');
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw new BackfillUsageError(
      '--concurrency',
      `"${flags.concurrency}" is not a whole number from 1 to 64`,
    );
  const promtool = findExecutable('promtool', flags.promtool);
  if (flags.promtool && !promtool)
    throw new BackfillUsageError('--promtool', `${flags.promtool} is not an executable file`);
  const prometheus = findExecutable('prometheus', flags.prometheus);
  if (flags.prometheus && !prometheus)
    throw new BackfillUsageError('--prometheus', `${flags.prometheus} is not an executable file`);
  const job = flags.job ?? 'chom-exporter';
  if (!/^[^\n"\\]{1,128}$/.test(job))
    throw new BackfillUsageError(
      '--job',
      'a job name of 1 to 128 characters, without quotes or backslashes',
    );
  return {
    from,
    to,
    job,
    stepMs,
    out: flags.out,
    concurrency,
    ...(promtool ? { promtool } : {}),
    ...(prometheus ? { prometheus } : {}),
  };
}

/** `chom-exporter backfill`: 0 done, 2 refused, 130 interrupted (run it again to resume). */
export async function runBackfillCommand(
  config: Config,
  flags: BackfillFlags,
  log: Logger,
): Promise<number> {
  const request = parseBackfillFlags(flags, Date.now());
  const database = await resolveDatabase(config, log);
  // No state database: the backfill never writes (billing month openings are reconstructed).
  // One Stripe read serves every step (snapshot-once.ts).
  const sources = buildSources(config, database, log, { demoState: false, stripe: snapshotOnce });
  const interrupt = new AbortController();
  const onSigint = () => {
    process.stderr.write('\ninterrupted: finishing nothing more; the completed chunks are kept\n');
    interrupt.abort(new Error('interrupted'));
  };
  process.once('SIGINT', onSigint);
  try {
    const outcome = await runBackfill(config, sources, request, {
      log,
      stderr: process.stderr,
      interrupt: interrupt.signal,
    });
    if (outcome.interrupted) {
      process.stderr.write(
        `stopped after ${outcome.stepsDone} of ${outcome.stepsTotal} steps; run the same command again to continue where it stopped\n`,
      );
      return 130;
    }
    const out = process.stdout;
    out.write(
      `backfilled ${outcome.stepsTotal} steps (${outcome.stepsThisRun} in this run) into ${request.out}\n`,
    );
    for (const [key, rows] of outcome.rejected) out.write(`rejected rows: ${key}: ${rows}\n`);
    for (const { collector } of outcome.skipped) out.write(`skipped: ${collector} (live only)\n`);
    const lastStepMs =
      request.from + (stepCount(request.from, request.to, request.stepMs) - 1) * request.stepMs;
    if (outcome.blocks === 'created' && outcome.rules === 'created') {
      const data = join(request.out, 'data');
      out.write(
        [
          `TSDB blocks (samples and recording rules' history) are in ${data}. Either:`,
          `  - start Prometheus on it: prometheus --storage.tsdb.path=${data} --storage.tsdb.retention.time=400d (or more) --query.lookback-delta=${Math.max(300, request.stepMs / 1000)}s ...`,
          '  - or stop Prometheus, copy the block folders of that path into its data folder, and start it again.',
          'Backfill before the first scrape of these metrics, or into a range Prometheus has no samples for.',
          '',
        ].join('\n'),
      );
    } else {
      out.write(
        [
          `OpenMetrics files are in ${join(request.out, 'openmetrics')}${outcome.blocks === 'created' ? `, blocks in ${join(request.out, 'data')}` : ''}.`,
          `${outcome.blocks === 'created' ? 'prometheus' : 'promtool'} was not found (--promtool, --prometheus, or PATH); to finish by hand:`,
          ...manualCommands(request, { lastStepMs }).slice(outcome.blocks === 'created' ? 1 : 0),
          '',
        ].join('\n'),
      );
    }
    return 0;
  } finally {
    process.removeListener('SIGINT', onSigint);
    await closeSources(sources);
    await database.demo?.stop();
  }
}
