import { createServer, type Server } from 'node:http';

export interface WebhookAlert {
  readonly status: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/** One Alertmanager webhook notification (payload version 4). */
export interface Notification {
  readonly path: string;
  readonly receiver: string;
  readonly status: string;
  readonly alerts: WebhookAlert[];
}

/** An HTTP server that records every notification Alertmanager posts to it. */
export class WebhookReceiver {
  readonly notifications: Notification[] = [];
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        const payload = JSON.parse(body) as Omit<Notification, 'path'>;
        this.notifications.push({ ...payload, path: request.url ?? '' });
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (typeof address !== 'object' || !address) throw new Error('no address');
    return `http://127.0.0.1:${address.port}`;
  }

  /** Notifications carrying an alert with this name and status. */
  find(
    alertname: string,
    status: 'firing' | 'resolved',
  ): { notification: Notification; alert: WebhookAlert }[] {
    return this.notifications.flatMap((notification) =>
      notification.alerts
        .filter((alert) => alert.labels.alertname === alertname && alert.status === status)
        .map((alert) => ({ notification, alert })),
    );
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }
}
