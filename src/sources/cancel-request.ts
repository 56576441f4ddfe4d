import { connect, type Socket } from 'node:net';
import type pg from 'pg';

/** The protocol's CancelRequest code (1234 in the high half, 5678 in the low one). */
const cancelRequestCode = 80877102;

/** What identifies a backend to the postmaster; pg keeps it from BackendKeyData. */
interface BackendKey {
  readonly processID: number | null;
  readonly secretKey: number | null;
}

/**
 * Asks the server to cancel whatever statement the backend behind `client` is
 * running, with the protocol's CancelRequest on a separate short-lived
 * connection (as libpq's PQcancel and psql's Ctrl-C do). Destroying the
 * client's socket does not do that: a backend notices a vanished client only
 * when it next writes to it, so pg_sleep(30) or a slow scan runs to its end,
 * holding a connection slot. The request needs no login and takes no slot. It
 * resolves true once the server has read the request (it closes the socket
 * after signalling the backend), false when it could not be delivered within
 * `timeoutMs`; it never rejects.
 */
export function sendCancelRequest(client: pg.Client, timeoutMs: number): Promise<boolean> {
  const { processID, secretKey } = client as unknown as BackendKey;
  if (processID === null || secretKey === null) return Promise.resolve(false);
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(cancelRequestCode, 4);
  packet.writeInt32BE(processID, 8);
  packet.writeInt32BE(secretKey, 12);
  return new Promise((resolve) => {
    const socket: Socket = client.host.startsWith('/')
      ? connect(`${client.host}/.s.PGSQL.${client.port}`)
      : connect(client.port, client.host);
    // The server closing its side means it has read the request and signalled the backend.
    let delivered = false;
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.once('connect', () => socket.end(packet));
    socket.once('end', () => {
      delivered = true;
    });
    socket.on('data', () => {});
    socket.on('error', () => {});
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(delivered);
    });
  });
}
