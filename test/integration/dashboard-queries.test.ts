import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseConfig } from '../../src/config/load.js';
import { dashboardUids } from '../../src/kpi/ids.js';
import { type RunningService, startService } from '../../src/serve.js';
import { allQueries, boards, expand, labelValuesQuery, variablesOf } from '../dashboards/model.js';
import {
  freePort,
  type PrometheusSample,
  type RunningPrometheus,
  startPrometheus,
} from '../dashboards/prometheus-server.js';

/**
 * Every panel query of the three boards, run against a real Prometheus
 * (Debian's 2.42) that scrapes the exporter in demo mode every second and
 * evaluates the generated recording rules every second.
 *
 * The demo data is a snapshot, so its counters would stand still and every
 * `increase() > 0` guard in the funnel, CAC and conversion rules would leave
 * those KPIs empty. Like a live product, the test therefore adds activity to
 * the demo database while Prometheus scrapes (signups per channel, funnel
 * steps, logins, feature uses, landing page visits and conversions,
 * referrals), and runs the event and referral collectors every second.
 */

const builtins = { rateInterval: '1m', range: '1h' };

interface Expectation {
  readonly board: string;
  readonly panel: string;
  readonly reason: string;
}

/**
 * Queries that cannot return data on a Prometheus only seconds old. Each is
 * asserted empty here, so the list fails (and must shrink) once it is wrong.
 */
const needsHistory: readonly Expectation[] = [
  {
    board: dashboardUids.business,
    panel: 'MRR growth (30 days)',
    reason:
      'currency:chom_revenue_mrr_growth:ratio30d divides by the MRR recorded 30 days ago (offset 30d); the month-to-date growth panel beside it answers from the first scrape',
  },
  {
    board: dashboardUids.growth,
    panel: 'Signup growth (week over week)',
    reason:
      'chom:users_signups_growth:ratio7d divides by the 7-day signups recorded a week ago (offset 7d)',
  },
];

const matches = (list: readonly Expectation[], board: string, panel: string) =>
  list.find((entry) => entry.board === board && entry.panel === panel);

/** The embedded demo PostgreSQL's fixed credentials (src/demo/embedded-database.ts). */
const demoDatabaseUrl = (port: number) => `postgres://postgres:chom-demo@127.0.0.1:${port}/chom`;

const channels = ['organic', 'paid', 'referral', 'direct', 'social', 'email', 'content'];
const features = ['dashboards', 'reports', 'alerts'];
const pages = ['home', 'pricing', 'features', 'signup', 'enterprise', 'webinar'];

/** One second of product activity: analytics events and referral invitations. */
async function addActivity(client: pg.Client): Promise<void> {
  const events: [string, Record<string, string>][] = [
    ...channels.map((channel): [string, Record<string, string>] => ['signed_up', { channel }]),
    ...Array.from({ length: 5 }, (): [string, Record<string, string>] => ['activated', {}]),
    ...Array.from({ length: 3 }, (): [string, Record<string, string>] => ['trial_started', {}]),
    ...Array.from({ length: 2 }, (): [string, Record<string, string>] => ['converted_to_paid', {}]),
    ...Array.from({ length: 10 }, (): [string, Record<string, string>] => ['logged_in', {}]),
    ...features.map((feature): [string, Record<string, string>] => ['feature_used', { feature }]),
    ...pages.flatMap((page): [string, Record<string, string>][] => [
      ['page_viewed', { page }],
      ['page_viewed', { page }],
      ['page_viewed', { page }],
      ['landing_page_converted', { page }],
    ]),
  ];
  await client.query(
    `INSERT INTO analytics_events (occurred_at, event_name, anonymous_id, properties)
     SELECT now(), e.name, 'dashboard-test', e.properties
     FROM jsonb_to_recordset($1::jsonb) AS e(name text, properties jsonb)`,
    [JSON.stringify(events.map(([name, properties]) => ({ name, properties })))],
  );
  await client.query(
    `INSERT INTO referrals (referrer_user_id, referred_email, referred_user_id, sent_at, completed_at)
     SELECT u.id, 'invitee-' || g || '@example.com', CASE WHEN g = 1 THEN u.id END, now(),
            CASE WHEN g = 1 THEN now() END
     FROM (SELECT min(id) AS id FROM users) u, generate_series(1, 2) g`,
  );
}

describe('dashboard queries against a real Prometheus scraping the demo exporter', () => {
  let service: RunningService;
  let prometheus: RunningPrometheus;
  let client: pg.Client | undefined;
  let dir: string;
  let traffic: NodeJS.Timeout | undefined;
  let trafficError: unknown;
  const results = new Map<string, PrometheusSample[]>();
  const queries = allQueries().map((q) => {
    const expanded = expand(q.expr, q.dashboard, builtins);
    const history = matches(needsHistory, q.board, q.panel);
    const emptyBecause = history && `needs history: ${history.reason}`;
    return { ...q, expanded, emptyBecause };
  });
  const key = (q: { board: string; panelId: number; refId: string }) =>
    `${q.board}/${q.panelId}/${q.refId}`;

  beforeAll(async () => {
    const demoPort = await freePort();
    service = await startService(
      parseConfig({
        server: { host: '127.0.0.1', port: 0 },
        demo: { port: demoPort },
        collectors: {
          analytics_event_counters: { schedule: '* * * * * *' },
          postgres_referrals: { schedule: '* * * * * *' },
        },
      }),
      pino({ level: 'silent' }),
    );
    const deadline = Date.now() + 90_000;
    while ((await fetch(`${service.url}/readyz`)).status !== 200) {
      if (Date.now() > deadline) throw new Error('demo mode not ready within 90 s');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }

    // The committed recording rules, evaluated every second instead of every minute.
    dir = await mkdtemp(join(tmpdir(), 'chom-dashboard-rules-'));
    const rules = parse(
      readFileSync(
        fileURLToPath(new URL('../../prometheus/rules/chom-recording.rules.yml', import.meta.url)),
        'utf8',
      ),
    ) as { groups: { interval?: string }[] };
    for (const group of rules.groups) group.interval = '1s';
    const rulesFile = join(dir, 'chom-recording.rules.yml');
    writeFileSync(rulesFile, stringify(rules));

    prometheus = await startPrometheus({
      target: new URL(service.url).host,
      ruleFiles: [rulesFile],
    });

    client = new pg.Client({ connectionString: demoDatabaseUrl(demoPort) });
    await client.connect();
    let busy = false;
    traffic = setInterval(() => {
      if (busy || !client) return;
      busy = true;
      addActivity(client)
        .catch((error: unknown) => {
          trafficError ??= error;
        })
        .finally(() => {
          busy = false;
        });
    }, 1000);

    // Until every query that should answer does (and at least 5 scrapes), or 40 s.
    const until = Date.now() + 40_000;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const scrapes = await prometheus.query('count_over_time(up{job="chom-exporter"}[1m])');
      let missing = 0;
      for (const q of queries) {
        const result = await prometheus.query(q.expanded);
        results.set(key(q), result);
        if (result.length === 0 && !q.emptyBecause) missing += 1;
      }
      const enoughScrapes = Number(scrapes[0]?.value[1] ?? 0) >= 5;
      if ((missing === 0 && enoughScrapes) || Date.now() > until) break;
    }
  }, 150_000);

  afterAll(async () => {
    if (traffic) clearInterval(traffic);
    await client?.end().catch(() => {});
    await prometheus?.stop();
    await service?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('added product activity to the demo database without errors', () => {
    expect(trafficError).toBeUndefined();
  });

  it('scraped the exporter successfully', async () => {
    const up = await prometheus.query('up{job="chom-exporter"}');
    expect(up.map((s) => s.value[1])).toEqual(['1']);
    const failed = await prometheus.query('chom_collector_success == 0');
    expect(failed.map((s) => s.metric.collector)).toEqual([]);
  });

  it.each(queries.map((q) => [q.board, q.panel, q.refId, q] as const))(
    '%s / %s / %s returns data',
    (_, __, ___, q) => {
      const result = results.get(key(q)) ?? [];
      if (q.emptyBecause) {
        expect(
          result,
          `expected empty (${q.emptyBecause}) but it returned data: update the list`,
        ).toEqual([]);
        return;
      }
      expect(result.length, q.expanded).toBeGreaterThan(0);
      for (const sample of result)
        expect(Number.isNaN(Number(sample.value[1])), q.expanded).toBe(false);
    },
  );

  it.each(
    boards.flatMap(({ dashboard }) =>
      variablesOf(dashboard)
        .filter((v) => v.type === 'query')
        .map((v) => [dashboard.uid ?? '', v.name, v, dashboard] as const),
    ),
  )('%s: variable $%s has values', async (_, __, variable, dashboard) => {
    const parsed = labelValuesQuery(variable.query);
    const match = parsed && expand(parsed.selector, dashboard, builtins);
    const values = await prometheus.labelValues(parsed?.label ?? '', match);
    expect(values.length).toBeGreaterThan(0);
    if (!variable.multi) expect(values).toContain(variable.current?.value);
  });

  it('keeps the allowlist short and about existing panels', () => {
    expect(needsHistory.length).toBeLessThanOrEqual(3);
    for (const entry of needsHistory) {
      expect(Object.values(dashboardUids)).toContain(entry.board);
      expect(queries.some((q) => q.board === entry.board && q.panel === entry.panel)).toBe(true);
    }
  });
});
