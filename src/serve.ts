import type { Logger } from 'pino';
import type { Config } from './app/config.js';
import { buildService, demoNotice } from './app/service.js';
import { changesNeedingRestart, restartMessage } from './config/needs-restart.js';
import { readTlsFiles, type TlsMaterial } from './config/tls-files.js';
import { coalesced } from './engine/coalesced.js';
import type { Exporter } from './engine/exporter.js';
import { buildApp } from './http/app.js';

/** The outcome of a reload: the new config is running, or it was refused and the old one kept. */
export type ReloadResult = { readonly ok: true } | { readonly ok: false; readonly error: string };

export interface RunningService {
  readonly url: string;
  readonly exporter: Exporter;
  /** Re-reads and validates the configuration; swaps it in only when valid. */
  reload(): Promise<ReloadResult>;
  close(): Promise<void>;
}

/** On shutdown, requests still open after this are cut (a slow client must not hold the exit). */
const closeGraceMs = 2_000;

/**
 * Starts the whole service: database (or demo), collectors, schedules and HTTP.
 * `readConfig` is how a reload reads the configuration again (file and environment).
 */
export async function startService(
  config: Config,
  log: Logger,
  readConfig: () => Config | Promise<Config> = () => config,
): Promise<RunningService> {
  // Before anything starts: a missing or non-PEM file is a configuration error (exit 2).
  let tls = config.server.tls ? await readTlsFiles(config.server.tls) : undefined;
  const service = await buildService(config, log);
  const { exporter, billing } = service;
  let running = config;
  // The route is registered only with a secret; a reload cannot add a route to a listening server.
  const webhookRoute = Boolean(config.stripe.webhookSecret);
  let shuttingDown = false;
  const refuse = (error: string): ReloadResult => {
    exporter.recordReload(false);
    log.error({ problems: error }, 'configuration reload refused; the running configuration stays');
    return { ok: false, error };
  };
  const reloads = coalesced(async (): Promise<ReloadResult> => {
    if (shuttingDown) return { ok: false, error: 'shutting down' };
    let next: Config;
    let nextTls: TlsMaterial | undefined;
    try {
      next = await readConfig();
      const restart = changesNeedingRestart(running, next, webhookRoute);
      if (restart.length > 0) return refuse(restartMessage(restart));
      nextTls = next.server.tls ? await readTlsFiles(next.server.tls) : undefined;
    } catch (error) {
      return refuse(error instanceof Error ? error.message : String(error));
    }
    await service.reconfigure(next);
    // Credentials are read per request from `running`; a new certificate serves new connections.
    if (nextTls && !sameTls(tls, nextTls)) {
      (app.server as unknown as SecureServer).setSecureContext({ ...nextTls });
      log.info('TLS certificate reloaded');
    }
    tls = nextTls;
    running = next;
    exporter.recordReload(true);
    log.info('configuration reloaded');
    return { ok: true };
  });
  const app = buildApp({
    exporter,
    logger: log,
    reload: reloads.run,
    ...(tls ? { tls } : {}),
    auth: () => running.server.auth,
    ...(webhookRoute
      ? {
          webhook: {
            settings: () => {
              const { webhookSecret, webhookToleranceSeconds } = running.stripe;
              return webhookSecret
                ? { secret: webhookSecret, toleranceSeconds: webhookToleranceSeconds }
                : undefined;
            },
            billing: billing.webhook,
          },
        }
      : {}),
    ...(service.database.demo ? { notice: demoNotice } : {}),
  });
  const address = await app.listen({ host: config.server.host, port: config.server.port });
  log.info({ address }, 'listening; first collection round started');
  void exporter.start();
  let closing: Promise<void> | undefined;
  return {
    url: address,
    exporter,
    reload: reloads.run,
    close() {
      closing ??= (async () => {
        shuttingDown = true;
        const cut = setTimeout(() => app.server.closeAllConnections(), closeGraceMs);
        await app.close();
        clearTimeout(cut);
        await reloads.idle();
        await service.close();
      })();
      return closing;
    },
  };
}

interface SecureServer {
  setSecureContext(options: { cert: Buffer; key: Buffer }): void;
}

const sameTls = (a: TlsMaterial | undefined, b: TlsMaterial) =>
  a?.cert.equals(b.cert) === true && a.key.equals(b.key);
