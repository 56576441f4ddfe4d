import type { BaseConfig } from './schema.js';

/**
 * The changes a reload cannot apply to a running process, each naming its key:
 * the listening address, switching HTTPS on or off, and webhooks turned on
 * where the route was not registered at startup (a route cannot be added to a
 * listening server). A reload that contains one is refused as a whole, with
 * this list, rather than half-applied: the operator restarts. Credentials,
 * certificate files, a rotated or removed webhook secret apply on reload.
 */
export function changesNeedingRestart(
  running: BaseConfig,
  next: BaseConfig,
  webhookRouteRegistered: boolean,
): string[] {
  const changes: string[] = [];
  const { server: was } = running;
  const { server: now } = next;
  if (was.host !== now.host) changes.push(`server.host: "${was.host}" -> "${now.host}"`);
  if (was.port !== now.port) changes.push(`server.port: ${was.port} -> ${now.port}`);
  if (Boolean(was.tls) !== Boolean(now.tls)) {
    changes.push(`server.tls: HTTPS turned ${now.tls ? 'on' : 'off'}`);
  }
  if (!webhookRouteRegistered && next.stripe.webhookSecret) {
    changes.push('stripe.webhookSecret: set, but POST /webhooks/stripe is registered at startup');
  }
  return changes;
}

/** The message of a reload refused for `changes`. */
export function restartMessage(changes: readonly string[]): string {
  return `these changes need a restart (the running configuration stays):\n${changes
    .map((change) => `  - ${change}`)
    .join('\n')}`;
}
