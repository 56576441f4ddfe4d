import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/app/config.js';
import { parseConfig } from '../../src/app/config.js';
import { closeSources } from '../../src/app/create-sources.js';
import { buildSources } from '../../src/app/service.js';
import { collectAsOf, isBackfillable } from '../../src/collectors/as-of.js';
import { enabledCollectors } from '../../src/collectors/enabled.js';
import type { Sources } from '../../src/collectors/sources.js';
import type { EnabledCollector } from '../../src/collectors/types.js';
import {
  type AsOfFixture,
  asOfFixture,
  asOfFixtureSql,
  fixtureLabels,
  instants,
  utcDay,
} from '../fixtures/as-of-fixture.js';
import { runCollectorAt } from '../helpers/collect-at.js';
import { type ParsedSample, seriesOf } from '../helpers/exposition.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

const DAY = 86_400_000;
const log = pino({ level: 'silent' });

/**
 * Every collector but billing, computed as of fixed instants on a generated
 * data set: by a live run whose clock is set to the instant, and by the as-of
 * path a backfill takes. Both must agree (the lifetime counters excepted: live
 * they count incrementally), and each collector's values must equal the same
 * definitions worked out here in JS over the fixture's rows, so that rows
 * after the instant never count.
 */
describe('collection as of an instant', () => {
  let db: TestDatabase;
  let sources: Sources;
  let config: Config;
  let enabled: EnabledCollector[];
  const fixture: AsOfFixture = asOfFixture();

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql(asOfFixtureSql(fixture));
    config = parseConfig({
      database: { url: db.url },
      labels: fixtureLabels,
      kpi: {
        mrrTargets: [
          { month: '2024-02', amount: 1000 },
          { month: '2024-03', amount: 2000 },
        ],
      },
      collectors: { postgres_email_campaigns: { maxCampaigns: 3 } },
    });
    sources = buildSources(config, { url: db.url }, pino({ level: 'silent' }));
    enabled = enabledCollectors(config).filter(({ collector }) => collector.source !== 'billing');
  });

  afterAll(async () => {
    await closeSources(sources);
    await db.drop();
  });

  /** A live run of the collector, its runner clock set to `at`. */
  const liveRun = ({ collector }: EnabledCollector, at: Date) =>
    runCollectorAt(config, sources, collector.name, at);

  /** The collector as a backfill evaluates it at `at`. */
  async function asOf({ collector, options }: EnabledCollector, at: Date): Promise<ParsedSample[]> {
    const rejected: string[] = [];
    const samples = await collectAsOf(collector, {
      options,
      state: undefined,
      log,
      signal: new AbortController().signal,
      sources,
      labelSets: config.labels,
      kpi: config.kpi,
      reject: (reason) => rejected.push(reason),
      now: () => at.getTime(),
      at,
    });
    expect(rejected, `${collector.name} rejected rows`).toEqual([]);
    return samples.map(({ metric, labels, value }) => ({
      name: metric,
      labels: { ...labels },
      value,
    }));
  }

  const byName = (name: string) => {
    const found = enabled.find(({ collector }) => collector.name === name);
    if (!found) throw new Error(`${name} is not enabled`);
    return found;
  };

  /** Series as `metric labels → value`, rounded to 9 significant digits (float sums in SQL and JS). */
  const keyed = (
    samples: readonly ParsedSample[],
    skip: (s: ParsedSample) => boolean = () => false,
  ) =>
    Object.fromEntries(
      samples
        .filter((s) => !skip(s))
        .map((s) => [
          `${s.name}${JSON.stringify(Object.fromEntries(Object.entries(s.labels).sort()))}`,
          Number(s.value.toPrecision(9)),
        ])
        .sort(([a], [b]) => String(a).localeCompare(String(b))),
    );

  const cases = Object.entries(instants);

  it('covers every collector but billing, all of them backfillable', () => {
    expect(enabled.map(({ collector }) => collector.name).sort()).toEqual([
      'analytics_event_counters',
      'config_kpi_targets',
      'postgres_active_users',
      'postgres_cohort_retention',
      'postgres_csat',
      'postgres_customer_health',
      'postgres_email_campaigns',
      'postgres_engagement',
      'postgres_feature_adoption',
      'postgres_marketing_spend',
      'postgres_nps',
      'postgres_referrals',
      'postgres_support_tickets',
      'postgres_time_to_value',
    ]);
    for (const { collector, options } of enabled)
      expect(isBackfillable(collector, options)).toBe(true);
  });

  /** Lifetime counters count incrementally live (by id or database clock): only their as-of form is by time. */
  const incremental = (s: ParsedSample) =>
    s.name.endsWith('_total') &&
    [
      'chom_funnel_',
      'chom_users_',
      'chom_user_',
      'chom_feature_usage',
      'chom_landing_page_',
      'chom_referrals_',
      'chom_support_tickets_',
    ].some((prefix) => s.name.startsWith(prefix));

  it.each(cases)(
    'a live run at %s gives what the backfill path gives, for every collector',
    async (_, at) => {
      for (const entry of enabled) {
        const live = keyed(await liveRun(entry, at), incremental);
        const backfill = keyed(await asOf(entry, at), incremental);
        expect(live, entry.collector.name).toEqual(backfill);
        expect(
          Object.keys(live).length,
          `${entry.collector.name} exports something`,
        ).toBeGreaterThan(0);
      }
    },
  );

  describe.each(cases)('as of %s', (_, at) => {
    const t = at.getTime();
    const today = utcDay(t);
    const alive = (row: { createdAt: number; deletedAt: number | null }) =>
      row.createdAt <= t && (row.deletedAt === null || row.deletedAt > t);
    const inLast = (time: number | null, ms: number, lowerIncluded = true) =>
      time !== null && time <= t && (lowerIncluded ? time >= t - ms : time > t - ms);
    const samplesOf = async (name: string) => asOf(byName(name), at);

    it('active users and registered users', async () => {
      const active = (days: number) =>
        new Set(
          fixture.sessions.filter((s) => inLast(s.startedAt, days * DAY)).map((s) => s.userId),
        ).size;
      expect(keyed(await samplesOf('postgres_active_users'))).toEqual(
        keyed([
          { name: 'chom_users_active_daily', labels: {}, value: active(1) },
          { name: 'chom_users_active_weekly', labels: {}, value: active(7) },
          { name: 'chom_users_active_monthly', labels: {}, value: active(30) },
          { name: 'chom_users', labels: {}, value: fixture.users.filter(alive).length },
        ]),
      );
    });

    it('marketing spend over business-day and calendar-day windows ending on its UTC date', async () => {
      const expected = new Map<string, number>();
      const add = (window: string, first: string, spend: AsOfFixture['spend']) => {
        for (const s of spend.filter((row) => row.day >= first && row.day <= today)) {
          const channel = fixtureLabels.channels.includes(s.channel) ? s.channel : 'other';
          const key = JSON.stringify({ channel, currency: s.currency, window });
          expected.set(key, (expected.get(key) ?? 0) + s.cents);
        }
      };
      add('7bd', nthBusinessDayBack(today, 7), fixture.spend);
      add('30bd', nthBusinessDayBack(today, 30), fixture.spend);
      add('30d', addDays(today, -29), fixture.spend);
      const actual = seriesOf(await samplesOf('postgres_marketing_spend'), 'chom_marketing_spend');
      expect(actual).toEqual(
        Object.fromEntries([...expected].map(([key, cents]) => [key, cents / 100]).sort()),
      );
    });

    it('health score of every organization that existed', async () => {
      const expected: Record<string, number> = {};
      for (const org of fixture.organizations.filter(alive)) {
        const users = fixture.users.filter((u) => u.organizationId === org.id && alive(u)).length;
        const sessions = fixture.sessions.filter(
          (s) => s.organizationId === org.id && inLast(s.startedAt, 30 * DAY),
        );
        const days = new Set(sessions.map((s) => utcDay(s.startedAt))).size;
        const features = new Set(
          fixture.featureUses
            .filter(
              (f) => f.organizationId === org.id && f.day > addDays(today, -30) && f.day <= today,
            )
            .map((f) => f.feature.toLowerCase())
            .filter((f) => fixtureLabels.features.includes(f)),
        ).size;
        const tickets = fixture.tickets.filter(
          (k) => k.organizationId === org.id && inLast(k.createdAt, 30 * DAY),
        ).length;
        const payment = { current: 1, past_due: 0.5, delinquent: 0 }[org.paymentStatus];
        const usage =
          users === 0
            ? 0
            : 0.3 * Math.min(days / 20, 1) +
              0.25 * Math.min(features / 3, 1) +
              0.15 * Math.min(sessions.length / users / 12, 1);
        expected[JSON.stringify({ organization: org.slug })] =
          100 * (usage + 0.15 * Math.max(1 - tickets / 10, 0) + 0.15 * payment);
      }
      const actual = seriesOf(
        await samplesOf('postgres_customer_health'),
        'chom_customer_health_score',
      );
      expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
      for (const [key, score] of Object.entries(expected))
        expect(actual[key]).toBeCloseTo(score, 9);
    });

    it('NPS and CSAT over 90 days', async () => {
      const nps = fixture.nps.filter((r) => inLast(r.respondedAt, 90 * DAY));
      const promoters = nps.filter((r) => r.score >= 9).length;
      const detractors = nps.filter((r) => r.score <= 6).length;
      const npsSamples = await samplesOf('postgres_nps');
      expect(seriesOf(npsSamples, 'chom_nps_score')).toEqual({
        '{}': (100 * (promoters - detractors)) / nps.length,
      });
      const csat = fixture.csat.filter((r) => inLast(r.respondedAt, 90 * DAY));
      const csatSamples = await samplesOf('postgres_csat');
      expect(seriesOf(csatSamples, 'chom_csat_responses')).toEqual({ '{}': csat.length });
      expect(seriesOf(csatSamples, 'chom_csat_score')['{}']).toBeCloseTo(
        csat.reduce((sum, r) => sum + r.score, 0) / csat.length,
        9,
      );
    });

    it('session length and actions of sessions finished by then', async () => {
      const finished = fixture.sessions.filter(
        (s) => inLast(s.startedAt, 30 * DAY) && s.endedAt !== null && s.endedAt <= t,
      );
      const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
      const samples = await samplesOf('postgres_engagement');
      expect(seriesOf(samples, 'chom_session_duration_seconds')['{}']).toBeCloseTo(
        mean(finished.map((s) => ((s.endedAt as number) - s.startedAt) / 1000)),
        6,
      );
      expect(seriesOf(samples, 'chom_actions_per_session')['{}']).toBeCloseTo(
        mean(finished.map((s) => s.actions)),
        9,
      );
    });

    it('feature users over the 30 UTC days up to its date', async () => {
      const expected: Record<string, number> = {};
      for (const feature of [...fixtureLabels.features, 'other']) {
        const users = fixture.featureUses.filter((f) => {
          const label = fixtureLabels.features.includes(f.feature.toLowerCase())
            ? f.feature.toLowerCase()
            : 'other';
          return label === feature && f.day > addDays(today, -30) && f.day <= today;
        });
        expected[JSON.stringify({ feature })] = new Set(users.map((f) => f.userId)).size;
      }
      expect(seriesOf(await samplesOf('postgres_feature_adoption'), 'chom_feature_users')).toEqual(
        expected,
      );
    });

    it('tickets: created in windows and lifetime by priority, and in the status they had then', async () => {
      const samples = await samplesOf('postgres_support_tickets');
      const priorities = ['critical', 'high', 'medium', 'low'] as const;
      const created: Record<string, number> = {};
      const total: Record<string, number> = {};
      const byStatus: Record<string, number> = {};
      for (const priority of priorities) {
        for (const days of [7, 30])
          created[JSON.stringify({ priority, window: `${days}d` })] = fixture.tickets.filter(
            (k) => k.priority === priority && inLast(k.createdAt, days * DAY, false),
          ).length;
        total[JSON.stringify({ priority })] = fixture.tickets.filter(
          (k) => k.priority === priority && k.createdAt <= t,
        ).length;
        for (const status of ['open', 'in_progress', 'resolved'])
          byStatus[JSON.stringify({ priority, status })] = fixture.tickets.filter((k) => {
            if (k.priority !== priority || k.createdAt > t) return false;
            const then =
              k.resolvedAt !== null && k.resolvedAt <= t
                ? 'resolved'
                : k.firstResponseAt !== null && k.firstResponseAt <= t
                  ? 'in_progress'
                  : 'open';
            return then === status;
          }).length;
      }
      expect(seriesOf(samples, 'chom_support_tickets_created_in_window')).toEqual(created);
      expect(seriesOf(samples, 'chom_support_tickets_created_total')).toEqual(total);
      expect(seriesOf(samples, 'chom_support_tickets')).toEqual(byStatus);
    });

    it('time to value of the signups of 90 days', async () => {
      const signups = fixture.users.filter((u) => inLast(u.createdAt, 90 * DAY) && alive(u));
      const reached = signups.filter((u) => u.firstValueAt !== null && u.firstValueAt <= t);
      const samples = await samplesOf('postgres_time_to_value');
      expect(seriesOf(samples, 'chom_first_value_reached_ratio')['{}']).toBeCloseTo(
        reached.length / signups.length,
        12,
      );
    });

    it('referrals: windows and lifetime', async () => {
      const samples = await samplesOf('postgres_referrals');
      const count = (pick: (r: AsOfFixture['referrals'][number]) => number | null, ms?: number) =>
        fixture.referrals.filter((r) =>
          ms === undefined ? (pick(r) ?? Infinity) <= t : inLast(pick(r), ms, false),
        ).length;
      for (const [kind, pick] of [
        ['sent', (r: AsOfFixture['referrals'][number]) => r.sentAt],
        ['completed', (r: AsOfFixture['referrals'][number]) => r.completedAt],
      ] as const) {
        expect(seriesOf(samples, `chom_referrals_${kind}_in_window`)).toEqual({
          '{"window":"7d"}': count(pick, 7 * DAY),
          '{"window":"30d"}': count(pick, 30 * DAY),
        });
        expect(seriesOf(samples, `chom_referrals_${kind}_total`)).toEqual({ '{}': count(pick) });
      }
    });

    it('email campaigns: the three sent most recently by then, as they stood', async () => {
      const recent = fixture.campaigns
        .filter((c) => c.sentAt !== null && c.sentAt <= t)
        .sort((a, b) => (b.sentAt as number) - (a.sentAt as number))
        .slice(0, 3);
      const samples = await samplesOf('postgres_email_campaigns');
      const of = (campaign: number) =>
        fixture.deliveries.filter((d) => d.campaignId === campaign && d.sentAt <= t);
      expect(seriesOf(samples, 'chom_email_campaign_sent')).toEqual(
        Object.fromEntries(
          recent.map((c) => [JSON.stringify({ campaign: c.slug }), of(c.id).length]),
        ),
      );
      expect(seriesOf(samples, 'chom_email_campaign_opened')).toEqual(
        Object.fromEntries(
          recent.map((c) => [
            JSON.stringify({ campaign: c.slug }),
            of(c.id).filter((d) => d.openedAt !== null && d.openedAt <= t).length,
          ]),
        ),
      );
    });

    it('cohorts by UTC month up to the month of the instant', async () => {
      const month = (ms: number) => new Date(ms).toISOString().slice(0, 7);
      const index = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
      const first = index(month(t)) - 12;
      const cohortUsers = fixture.users.filter(
        (u) => alive(u) && index(month(u.createdAt)) >= first,
      );
      const sizes: Record<string, number> = {};
      const retention: Record<string, number> = {};
      for (const cohort of new Set(cohortUsers.map((u) => month(u.createdAt)))) {
        const members = cohortUsers.filter((u) => month(u.createdAt) === cohort);
        sizes[JSON.stringify({ cohort })] = members.length;
        for (let offset = 0; offset <= Math.min(12, index(month(t)) - index(cohort)); offset += 1) {
          const retained = members.filter((u) =>
            fixture.sessions.some(
              (s) =>
                s.userId === u.id &&
                s.startedAt <= t &&
                index(month(s.startedAt)) === index(cohort) + offset,
            ),
          ).length;
          retention[JSON.stringify({ cohort, month_offset: String(offset) })] =
            retained / members.length;
        }
      }
      const samples = await samplesOf('postgres_cohort_retention');
      expect(seriesOf(samples, 'chom_cohort_size')).toEqual(sizes);
      expect(seriesOf(samples, 'chom_cohort_retention_ratio')).toEqual(retention);
    });

    it('events: the windowed gauges and the lifetime counters by occurred_at', async () => {
      const samples = await samplesOf('analytics_event_counters');
      const bound = (value: string | undefined, vocabulary: readonly string[]) =>
        vocabulary.find((v) => v === value?.trim().toLowerCase()) ?? 'other';
      const count = (
        name: string,
        ms?: number,
        filter: (e: AsOfFixture['events'][number]) => boolean = () => true,
      ) =>
        fixture.events.filter(
          (e) =>
            e.name === name &&
            filter(e) &&
            (ms === undefined ? e.occurredAt <= t : inLast(e.occurredAt, ms, false)),
        ).length;
      for (const [metric, event] of [
        ['signups', 'signed_up'],
        ['activated', 'activated'],
        ['trial_started', 'trial_started'],
        ['paid', 'converted_to_paid'],
      ] as const) {
        expect(seriesOf(samples, `chom_funnel_${metric}_in_window`)).toEqual({
          '{"window":"7d"}': count(event, 7 * DAY),
          '{"window":"30d"}': count(event, 30 * DAY),
        });
        expect(seriesOf(samples, `chom_funnel_${metric}_total`)).toEqual({ '{}': count(event) });
      }
      const labelled = [
        ['chom_users_signups', 'signed_up', 'channel', fixtureLabels.channels],
        ['chom_landing_page_visits', 'page_viewed', 'page', fixtureLabels.landingPages],
        [
          'chom_landing_page_conversions',
          'landing_page_converted',
          'page',
          fixtureLabels.landingPages,
        ],
      ] as const;
      for (const [metric, event, label, vocabulary] of labelled) {
        const windows: Record<string, number> = {};
        const totals: Record<string, number> = {};
        for (const value of [...vocabulary, 'other']) {
          const matches = (e: AsOfFixture['events'][number]) =>
            bound(e.properties[label], vocabulary) === value;
          for (const days of [7, 30])
            windows[JSON.stringify({ [label]: value, window: `${days}d` })] = count(
              event,
              days * DAY,
              matches,
            );
          totals[JSON.stringify({ [label]: value })] = count(event, undefined, matches);
        }
        expect(seriesOf(samples, `${metric}_in_window`)).toEqual(windows);
        expect(seriesOf(samples, `${metric}_total`)).toEqual(totals);
      }
    });

    it("the MRR target of the instant's UTC month", async () => {
      const samples = await samplesOf('config_kpi_targets');
      expect(seriesOf(samples, 'chom_kpi_target')).toEqual({
        '{"currency":"USD","kpi":"mrr"}': today < '2024-03-01' ? 1000 : 2000,
      });
    });
  });

  it('ignores rows stamped after the instant, in every collector', async () => {
    const at = instants.beforeMonthEnd;
    const before = await Promise.all(enabled.map((entry) => asOf(entry, at).then((s) => keyed(s))));
    const later = `'${new Date(at.getTime() + 1).toISOString()}'`;
    const nextDay = `'${utcDay(at.getTime() + DAY)}'`;
    await db.sql(`
INSERT INTO organizations (id, slug, name, created_at) OVERRIDING SYSTEM VALUE
  VALUES (1000, 'late', 'Late', ${later});
INSERT INTO users (id, organization_id, email, signup_channel, created_at, first_value_at)
  OVERRIDING SYSTEM VALUE VALUES (1000, 1000, 'late@example.test', 'paid', ${later}, ${later});
UPDATE users SET first_value_at = ${later} WHERE first_value_at IS NULL;
INSERT INTO user_sessions (user_id, organization_id, started_at, ended_at, action_count)
  SELECT id, organization_id, ${later}, ${later}::timestamptz + interval '1 minute', 3 FROM users;
INSERT INTO feature_usage (organization_id, user_id, feature, usage_date, use_count)
  SELECT organization_id, id, 'api', ${nextDay}, 1 FROM users ON CONFLICT DO NOTHING;
INSERT INTO support_tickets (organization_id, subject, priority, created_at) SELECT id, 'late', 'high', ${later} FROM organizations;
UPDATE support_tickets SET first_response_at = ${later} WHERE first_response_at IS NULL;
INSERT INTO nps_responses (organization_id, score, responded_at) SELECT id, 0, ${later} FROM organizations;
INSERT INTO csat_responses (organization_id, score, responded_at) SELECT id, 1, ${later} FROM organizations;
INSERT INTO marketing_spend (channel, spend_date, amount) VALUES ('paid', ${nextDay}, 1000);
INSERT INTO referrals (referrer_user_id, referred_email, sent_at, completed_at) VALUES (1, 'late@x.test', ${later}, ${later});
UPDATE referrals SET completed_at = ${later} WHERE completed_at IS NULL;
INSERT INTO email_campaigns (id, slug, name, sent_at) OVERRIDING SYSTEM VALUE
  VALUES (1000, 'late', 'Late', ${later});
UPDATE email_campaign_deliveries SET opened_at = ${later} WHERE opened_at IS NULL;
INSERT INTO analytics_events (occurred_at, event_name, properties)
  SELECT ${later}, name, '{"channel": "paid", "page": "home"}'
  FROM unnest(ARRAY['signed_up', 'activated', 'trial_started', 'converted_to_paid', 'page_viewed', 'landing_page_converted', 'logged_in']) AS name;
`);
    const after = await Promise.all(enabled.map((entry) => asOf(entry, at).then((s) => keyed(s))));
    expect(after).toEqual(before);
  });
});

/** `YYYY-MM-DD` of a UTC date `days` after `day`. */
function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}
const isWeekend = (day: string) => [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay());

/** The n-th business day (Mon-Fri) back from `today`, today being day 1 if it is one. */
function nthBusinessDayBack(today: string, n: number): string {
  let day = today;
  for (let counted = isWeekend(day) ? 0 : 1; counted < n || isWeekend(day); ) {
    day = addDays(day, -1);
    if (!isWeekend(day)) counted += 1;
  }
  return day;
}
