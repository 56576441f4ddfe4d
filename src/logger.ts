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
