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
      'ChomNpsLow firing at the customer success receiver',
      60,
      () => receiver.find('ChomNpsLow', 'firing').length > 0,
    );
    const [{ notification, alert }] = receiver.find('ChomNpsLow', 'firing') as [
      ReturnType<WebhookReceiver['find']>[number],
    ];
    expect(notification.path).toBe('/customer-success');
    expect(notification.receiver).toBe('customer-success-email');
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
    expect(receiver.find('ChomNpsLow', 'resolved')[0]?.notification.path).toBe('/customer-success');
  }, 150_000);

  it('pages on-call (and tells the sre channel) when the exporter stops answering', async () => {
    await app.close();
    const at = (path: string) =>
      receiver.find('ChomExporterDown', 'firing').filter((d) => d.notification.path === path);
    await waitUntil(
      'ChomExporterDown firing at the pager and in the sre channel',
      60,
      () => at('/oncall').length > 0 && at('/sre').length > 0,
    );
    const [{ notification, alert }] = at('/oncall') as [
      ReturnType<WebhookReceiver['find']>[number],
    ];
    expect(notification.receiver).toBe('oncall-pager');
    expect(at('/sre')[0]?.notification.receiver).toBe('sre-slack');
    expect(alert.labels).toMatchObject({
      alertname: 'ChomExporterDown',
      severity: 'critical',
      team: 'sre',
      job: 'chom-exporter',
    });
    expect(alert.annotations.runbook_url).toBe(`${runbooks}#chomexporterdown`);
  }, 90_000);

  /** Posts alerts to Alertmanager's API as Prometheus would (endsAt set: resolved). */
  async function push(
    alerts: { labels: Record<string, string>; endsAt?: string }[],
  ): Promise<void> {
    const response = await fetch(`${stack.alertmanagerUrl}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alerts.map((a) => ({ ...a, annotations: { summary: 'test' } }))),
    });
    expect(response.ok).toBe(true);
  }

  /** Alerts Alertmanager holds for an alert name, with their state (active or suppressed). */
  async function held(alertname: string) {
    const response = await fetch(
      `${stack.alertmanagerUrl}/api/v2/alerts?inhibited=true&filter=alertname%3D%22${alertname}%22`,
    );
    return (await response.json()) as {
      labels: Record<string, string>;
      status: { state: string };
      receivers: { name: string }[];
    }[];
  }

  it('delivers a critical alert to its team and to the pager, and only the critical when the warning fires too', async () => {
    const labels = { alertname: 'ChomChurnRateHigh', team: 'business', currency: 'EUR' };
    await push([
      { labels: { ...labels, severity: 'critical' } },
      { labels: { ...labels, severity: 'warning' } },
    ]);
    await waitUntil(
      'the critical churn alert at the business team and at the pager',
      30,
      () =>
        new Set(receiver.find('ChomChurnRateHigh', 'firing').map((d) => d.notification.path))
          .size === 2,
    );
    const critical = (await held('ChomChurnRateHigh')).find(
      (a) => a.labels.severity === 'critical',
    );
    expect(critical?.receivers.map((r) => r.name).sort()).toEqual([
      'business-email',
      'oncall-pager',
    ]);
    const warning = (await held('ChomChurnRateHigh')).find((a) => a.labels.severity === 'warning');
    expect(warning?.status.state).toBe('suppressed');
    const delivered = receiver.find('ChomChurnRateHigh', 'firing');
    expect([...new Set(delivered.map((d) => d.alert.labels.severity))]).toEqual(['critical']);
    expect(delivered.map((d) => d.notification.path).sort()).toEqual(['/business', '/oncall']);
  }, 60_000);

  it('sends the health alerts of many organizations to customer success in one notification, never to the pager', async () => {
    const organizations = ['acme', 'globex', 'initech'];
    await push(
      organizations.map((organization) => ({
        labels: {
          alertname: 'ChomCustomerHealthCritical',
          severity: 'critical',
          team: 'customer-success',
          organization,
        },
      })),
    );
    await waitUntil(
      'the health alerts at customer success',
      30,
      () => receiver.find('ChomCustomerHealthCritical', 'firing').length === organizations.length,
    );
    // Where Alertmanager routed each (whether or not a notification went out yet).
    for (const alert of await held('ChomCustomerHealthCritical')) {
      expect(alert.receivers.map((r) => r.name)).toEqual(['customer-success-email']);
    }
    const delivered = receiver.find('ChomCustomerHealthCritical', 'firing');
    expect(new Set(delivered.map((d) => d.notification)).size).toBe(1);
    expect(delivered[0]?.notification.path).toBe('/customer-success');
    expect(delivered.map((d) => d.alert.labels.organization).sort()).toEqual(organizations);
  }, 60_000);

  it('mutes ChomMrrGrowthLow while ChomMrrDeclining fires for the same currency, not for another', async () => {
    const business = { team: 'business' };
    await push([
      {
        labels: {
          ...business,
          alertname: 'ChomMrrDeclining',
          severity: 'critical',
          currency: 'EUR',
        },
      },
      {
        labels: {
          ...business,
          alertname: 'ChomMrrGrowthLow',
          severity: 'warning',
          currency: 'EUR',
        },
      },
      {
        labels: {
          ...business,
          alertname: 'ChomMrrGrowthLow',
          severity: 'warning',
          currency: 'USD',
        },
      },
    ]);
    await waitUntil(
      'low growth in USD at the business team',
      30,
      () => receiver.find('ChomMrrGrowthLow', 'firing').length > 0,
    );
    const states = Object.fromEntries(
      (await held('ChomMrrGrowthLow')).map((a) => [a.labels.currency, a.status.state]),
    );
    expect(states).toEqual({ EUR: 'suppressed', USD: 'active' });
    expect(receiver.find('ChomMrrGrowthLow', 'firing').map((d) => d.alert.labels.currency)).toEqual(
      ['USD'],
    );
  }, 60_000);

  it('announces a milestone once to the business team, and never its resolution', async () => {
    const first = {
      alertname: 'ChomMrrMilestone',
      severity: 'info',
      team: 'business',
      currency: 'USD',
    };
    // Prometheus sends a firing alert again at every evaluation.
    for (let resend = 0; resend < 3; resend += 1) await push([{ labels: first }]);
    await waitUntil(
      'the milestone at the business team',
      30,
      () => receiver.find('ChomMrrMilestone', 'firing').length > 0,
    );
    // The milestone alert ends, and another alert joins its group (same name and
    // currency): the group's next notification carries the newcomer, not the resolution.
    const second = { ...first, probe: 'second' };
    await push([{ labels: first, endsAt: new Date().toISOString() }, { labels: second }]);
    await waitUntil('the group notified again', 30, () =>
      receiver.find('ChomMrrMilestone', 'firing').some((d) => d.alert.labels.probe === 'second'),
    );
    const notifications = receiver.notifications.filter((n) =>
      n.alerts.some((a) => a.labels.alertname === 'ChomMrrMilestone'),
    );
    expect(notifications.map((n) => [n.path, n.receiver])).toEqual([
      ['/milestones', 'business-milestones'],
      ['/milestones', 'business-milestones'],
    ]);
    expect(
      notifications.map((n) => n.alerts.map((a) => `${a.labels.probe ?? 'first'} ${a.status}`)),
    ).toEqual([['first firing'], ['second firing']]);
  }, 60_000);
});
