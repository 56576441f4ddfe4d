import type { Logger as CronLogger } from 'node-cron';
import pino, { type Logger } from 'pino';

/**
 * The service logger. Connection strings and keys are redacted wherever they
 * appear as fields; messages never carry them (errors are built without URLs).
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'chom-exporter' },
      redact: {
        paths: [
          'url',
          '*.url',
          'connectionString',
          '*.connectionString',
          'password',
          '*.password',
          'apiKey',
          '*.apiKey',
          'webhookSecret',
          '*.webhookSecret',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/** node-cron passes an Error or a message with an optional error. */
const fields = (message: string | Error, err?: Error): [object, string] =>
  message instanceof Error ? [{ err: message }, message.message] : [err ? { err } : {}, message];

/**
 * node-cron's messages (a run still going when the next is due, a missed
 * tick) through the service logger: JSON lines at its level, instead of
 * coloured text on the console that ignores `log.level`.
 */
export function cronLogger(log: Logger): CronLogger {
  return {
    info: (message) => log.info(message),
    warn: (message) => log.warn(message),
    error: (message, err) => log.error(...fields(message, err)),
    debug: (message, err) => log.debug(...fields(message, err)),
  };
}
