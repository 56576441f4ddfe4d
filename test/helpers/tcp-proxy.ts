import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy that can be switched off, to make a real database
 * unreachable (connections refused and dropped) and bring it back.
 */
export class TcpProxy {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private enabled: boolean;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
    enabled = true,
  ) {
    this.enabled = enabled;
    this.server = createServer((client) => this.accept(client));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (typeof address !== 'object' || !address) throw new Error('proxy has no port');
    return address.port;
  }

  /** Stops forwarding and drops every open connection. */
  disable(): void {
    this.enabled = false;
    for (const socket of this.sockets) socket.destroy();
  }

  enable(): void {
    this.enabled = true;
  }

  async close(): Promise<void> {
    this.disable();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (!this.enabled) {
      client.destroy();
      return;
    }
    const upstream = createConnection(this.targetPort, this.targetHost);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  }
}
