#!/usr/bin/env node
import { parseArgs } from 'node:util';
import pino from 'pino';
import { ConfigError, loadConfig } from './config/load.js';
import { createLogger } from './logger.js';
import { runOnceCommand } from './once.js';
import { startService } from './serve.js';

const usage = `Usage: chom-exporter [command] [--config FILE]

Commands:
  serve          run the exporter (default)
  check-config   validate the configuration and exit (0 valid, 2 invalid)
  once           run every collector once, print the exposition, exit 1 if any failed

Options:
  --config FILE  YAML configuration file (or CHOM_CONFIG)
  --help         show this help`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { config: { type: 'string' }, help: { type: 'boolean' } },
  });
  const command = positionals[0] ?? 'serve';
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  if (!['serve', 'check-config', 'once'].includes(command)) {
    process.stderr.write(`unknown command "${command}"\n\n${usage}\n`);
    return 2;
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(undefined, values.config);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (command === 'check-config') {
    process.stdout.write('configuration is valid\n');
    return 0;
  }
  const log = createLogger(config.log.level);
  if (command === 'once') {
    // stdout carries the exposition; logs go to stderr so the two never mix.
    return runOnceCommand(config, createLogger(config.log.level, pino.destination(2)));
  }

  const service = await startService(config, log);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'shutting down');
      // A second signal, or a shutdown that hangs, ends the process regardless.
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
    process.stderr.write(`fatal: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
