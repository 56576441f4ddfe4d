#!/usr/bin/env node
import { parseArgs } from 'node:util';
import pino from 'pino';
import type { Config } from './app/config.js';
import { loadConfig } from './app/config.js';
import { runBackfillCommand } from './backfill/command.js';
import { BackfillUsageError } from './backfill/usage-error.js';
import { enabledCollectors, readsAppDatabase } from './collectors/enabled.js';
import { ConfigError } from './config/load.js';
import { readTlsFiles } from './config/tls-files.js';
import { monitoringArtifacts } from './generate/artifacts.js';
import { writeArtifacts } from './generate/write-artifacts.js';
import { createLogger } from './logger.js';
import { runOnceCommand } from './once.js';
import { startService } from './serve.js';

const help: Record<string, string> = {
  main: `Usage: chom-exporter [command] [options]

Commands:
  serve          run the exporter (default)
  demo           run on the embedded demo database, whatever database is configured
  check-config   validate the configuration and exit (0 valid, 2 invalid)
  once           run every collector once, print the exposition, exit 1 if any failed
  generate       write the Prometheus rules, runbooks, Grafana dashboards and their Kubernetes
                 objects for your KPI config
  backfill       compute the metrics' history from the sources into Prometheus blocks

Options:
  --config FILE  YAML configuration file (or CHOM_CONFIG)
  --help         help for a command: chom-exporter <command> --help`,
  serve: `Usage: chom-exporter serve [--config FILE]

Runs the exporter: collectors on their schedules, /metrics, /healthz, /readyz, / and POST /-/reload.
Without a database URL it starts an embedded PostgreSQL with demo data, when an enabled collector
reads the app database (with collectors.only: [billing_mrr] from Stripe, none does).
SIGHUP or POST /-/reload re-reads the configuration and swaps it in only if it is valid.
SIGTERM or SIGINT shut down gracefully (10 s at most).`,
  demo: `Usage: chom-exporter demo [--config FILE]

Runs the exporter on an embedded PostgreSQL filled with deterministic demo data, ignoring any
configured database URL (the rest of the configuration applies: when no enabled collector reads
the app database, there is nothing to demo and no database starts).`,
  'check-config': `Usage: chom-exporter check-config [--config FILE]

Validates the configuration file and environment. Exit 0 when valid, listing the collectors that
would run and which app database they read (never its URL); exit 2 and one line per problem,
naming the key, when not.`,
  once: `Usage: chom-exporter once [--config FILE]

Runs every enabled collector once, prints the exposition on stdout (logs on stderr) and exits 1
when any collector failed. For debugging queries and overrides.`,
  generate: `Usage: chom-exporter generate [--config FILE] [--out DIR]

Writes prometheus/rules/*.rules.yml, docs/runbooks.md, grafana/dashboards/*.json and their
Kubernetes objects (deploy/kubernetes/base/prometheus-rule.yaml and grafana-dashboards.yaml) under
DIR (default: the current folder) with the thresholds and targets of your kpi configuration.`,
  backfill: `Usage: chom-exporter backfill --from DATE [--to DATE|now] [--step 1h] --out DIR
         [--config FILE] [--concurrency N] [--job NAME] [--promtool PATH] [--prometheus PATH]

Evaluates every enabled collector that can compute its values as of a past instant at each step
(--from, --from + step, ... up to --to), read-only, and writes OpenMetrics files into DIR/openmetrics.
With promtool (on PATH or --promtool) it turns them into TSDB blocks in DIR/data, and with
prometheus too it adds the recording rules' history. Collectors that can only run live (custom SQL)
are skipped, one line each. DATE: 2024-01-31 (midnight UTC) or an ISO 8601 time with its zone.
--step: 30s, 15m, 1h (default), 1d. --concurrency: collector runs at once (default 2).
--job: the job label Prometheus gives the exporter's scrape (default chom-exporter), so that the
history and the live series are the same series.
Interrupted (Ctrl-C), it keeps the finished chunks; the same command again continues there.
Exit 0 done, 2 refused (the flag is named), 130 interrupted.`,
};

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean' },
      from: { type: 'string' },
      to: { type: 'string' },
      step: { type: 'string' },
      concurrency: { type: 'string' },
      promtool: { type: 'string' },
      prometheus: { type: 'string' },
      job: { type: 'string' },
    },
  });
  const command = positionals[0] ?? 'serve';
  if (!(command in help) || command === 'main') {
    process.stderr.write(`unknown command "${command}"\n\n${help.main}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${help[positionals[0] ? command : 'main']}\n`);
    return 0;
  }
  const readConfig = (): Promise<Config> => loadConfig(undefined, values.config);
  // A ConfigError (here or from serve's TLS files) exits 2 at the bottom of this file.
  const config = await readConfig();
  switch (command) {
    case 'check-config': {
      // The files serve would read at startup: a missing or non-PEM one is found now.
      if (config.server.tls) await readTlsFiles(config.server.tls);
      const names = enabledCollectors(config).map(({ collector }) => collector.name);
      const database = config.database.url
        ? 'database.url'
        : readsAppDatabase(config)
          ? 'none set: demo mode (an embedded PostgreSQL with demo data)'
          : 'none needed (no enabled collector reads one)';
      process.stdout.write(
        `configuration is valid\ncollectors: ${names.join(', ') || '(none)'}\napp database: ${database}\n`,
      );
      return 0;
    }
    case 'generate':
      for (const path of writeArtifacts(values.out ?? '.', monitoringArtifacts(config.kpi))) {
        process.stdout.write(`wrote ${path}\n`);
      }
      return 0;
    case 'backfill':
      return runBackfillCommand(
        config,
        values,
        createLogger(config.log.level, pino.destination(2)),
      );
    case 'once':
      // stdout carries the exposition; logs go to stderr so the two never mix.
      return runOnceCommand(config, createLogger(config.log.level, pino.destination(2)));
    default: {
      const demo = command === 'demo';
      const withoutDatabase = (c: Config): Config =>
        demo ? { ...c, database: { ...c.database, url: undefined } } : c;
      return serve(withoutDatabase(config), async () => withoutDatabase(await readConfig()));
    }
  }
}

async function serve(config: Config, readConfig: () => Promise<Config>): Promise<number> {
  const log = createLogger(config.log.level);
  const service = await startService(config, log, readConfig);
  process.on('SIGHUP', () => {
    log.info('SIGHUP: reloading the configuration');
    void service.reload();
  });
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'shutting down');
      // A shutdown that hangs ends the process regardless.
      setTimeout(() => process.exit(1), 10_000).unref();
      service.close().then(resolve, (error) => {
        log.error({ err: error }, 'error during shutdown');
        resolve();
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A bad configuration (a key, a file it names) is the operator's to fix: exit 2, naming it.
    if (error instanceof ConfigError || error instanceof BackfillUsageError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`fatal: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
