import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { appFixtureSql } from '../fixtures/app-fixture.js';
import { buildTestExporter, onlyCollectors } from '../helpers/build-exporter.js';
import { MonitoringStack } from '../helpers/monitoring-stack.js';
import { waitUntil } from '../helpers/processes.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';

const runbooks = 'https://github.com/chom-exporter/chom-exporter/blob/main/docs/runbooks.md';

/**
 * Bad data to on-call, with the real binaries: the exporter on fixture data
 * whose NPS (25) is below the warning threshold (30), Prometheus evaluating the
 * generated rules, Alertmanager routing with the committed config, and a webhook
 * receiver standing in for the team's inbox.
 */
describe('alerting end to end', () => {
  let db: TestDatabase;
  const receiver = new WebhookReceiver();
  const stack = new MonitoringStack();
  let exporter: ReturnType<typeof buildTestExporter>;
  let app: ReturnType<typeof buildApp>;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql(appFixtureSql);
    exporter = buildTestExporter(db.url, {
      collectors: { ...onlyCollectors('postgres_nps'), postgres_nps: { schedule: '* * * * * *' } },
    });
    app = buildApp({ exporter: exporter.exporter, logger: pino({ level: 'silent' }) });
    await app.listen({ host: '127.0.0.1', port: 0 });
    await exporter.exporter.start();
    const address = app.server.address();
    if (typeof address !== 'object' || !address) throw new Error('no address');
    const webhookBase = await receiver.start();
    await stack.start({ exporterTarget: `127.0.0.1:${address.port}`, webhookBase });
  }, 90_000);

  afterAll(async () => {
    await stack.stop();
    await receiver.close();
    await app.close();
    await exporter.close();
    await db.drop();
  });

  it('routes a breached threshold to the owning team, then its resolution', async () => {
    await waitUntil(
      'ChomNpsLow firing at the business receiver',
      60,
      () => receiver.find('ChomNpsLow', 'firing').length > 0,
    );
    const [{ notification, alert }] = receiver.find('ChomNpsLow', 'firing') as [
      ReturnType<WebhookReceiver['find']>[number],
    ];
    expect(notification.path).toBe('/business');
    expect(notification.receiver).toBe('business-email');
    expect(alert.labels).toMatchObject({
      alertname: 'ChomNpsLow',
      severity: 'warning',
      team: 'customer-success',
    });
    expect(alert.annotations).toEqual({
      summary: 'NPS is below 30',
      description: 'NPS over the survey window is 25.0 (threshold 30).',
      runbook_url: `${runbooks}#chomnpslow`,
      dashboard_url: 'http://localhost:3000/d/chom-customer-success',
    });
    // The critical level (NPS below 0) is not breached, so ChomNpsLow was not paged.
    expect([
      ...new Set(receiver.find('ChomNpsLow', 'firing').map((f) => f.alert.labels.severity)),
    ]).toEqual(['warning']);

    // Two more promoters: (4 - 1) / 6 = 50, above the threshold.
    await db.sql(
      `INSERT INTO nps_responses (organization_id, score, responded_at) VALUES (1, 10, now()), (1, 9, now())`,
    );
    await waitUntil(
      'ChomNpsLow resolved',
      60,
      () => receiver.find('ChomNpsLow', 'resolved').length > 0,
    );
    expect(receiver.find('ChomNpsLow', 'resolved')[0]?.notification.path).toBe('/business');
  }, 150_000);

  it('pages on-call when the exporter stops answering', async () => {
    await app.close();
    await waitUntil(
      'ChomExporterDown firing at the pager',
      60,
      () => receiver.find('ChomExporterDown', 'firing').length > 0,
    );
    const [{ notification, alert }] = receiver.find('ChomExporterDown', 'firing') as [
      ReturnType<WebhookReceiver['find']>[number],
    ];
    expect(notification.path).toBe('/oncall');
    expect(notification.receiver).toBe('oncall-pager');
    expect(alert.labels).toMatchObject({
      alertname: 'ChomExporterDown',
      severity: 'critical',
      team: 'sre',
      job: 'chom-exporter',
    });
    expect(alert.annotations.runbook_url).toBe(`${runbooks}#chomexporterdown`);
  }, 90_000);

  it('delivers only the critical when a critical and a warning of the same alert fire together', async () => {
    const labels = { alertname: 'ChomChurnRateHigh', team: 'business' };
    const response = await fetch(`${stack.alertmanagerUrl}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { labels: { ...labels, severity: 'critical' }, annotations: { summary: 'critical' } },
        { labels: { ...labels, severity: 'warning' }, annotations: { summary: 'warning' } },
      ]),
    });
    expect(response.ok).toBe(true);
    await waitUntil(
      'the critical churn alert at the pager',
      30,
      () => receiver.find('ChomChurnRateHigh', 'firing').length > 0,
    );
    const suppressed = await (
      await fetch(
        `${stack.alertmanagerUrl}/api/v2/alerts?inhibited=true&filter=alertname%3D%22ChomChurnRateHigh%22`,
      )
    ).json();
    const warning = (
      suppressed as { labels: Record<string, string>; status: { state: string } }[]
    ).find((a) => a.labels.severity === 'warning');
    expect(warning?.status.state).toBe('suppressed');
    const delivered = receiver.find('ChomChurnRateHigh', 'firing');
    expect(delivered.map((d) => d.alert.labels.severity)).toEqual(['critical']);
    expect(delivered[0]?.notification.path).toBe('/oncall');
  }, 60_000);
});
