import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { windowBoundsSql } from '../../src/collectors/spend-windows.js';
import { cohortFixtureSql, kpiFixtureSql } from '../fixtures/kpi-definitions-fixture.js';
import { buildTestExporter, onlyCollectors } from '../helpers/build-exporter.js';
import {
  type ParsedSample,
  parseExposition,
  sampleValue,
  seriesOf,
} from '../helpers/exposition.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

const HOUR = 3600;
const DAY = 24 * HOUR;
const sum = (values: Record<string, number>) => Object.values(values).reduce((a, b) => a + b, 0);

/** `YYYY-MM-DD` of a UTC date `days` after `day`. */
function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY * 1000).toISOString().slice(0, 10);
}
const isWeekend = (day: string) => [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay());

/** The README's definition: the n-th business day (Mon-Fri) back from today, today being day 1 if it is one. */
function nthBusinessDayBack(today: string, n: number): string {
  let day = today;
  for (let counted = isWeekend(day) ? 0 : 1; counted < n || isWeekend(day); ) {
    day = addDays(day, -1);
    if (!isWeekend(day)) counted += 1;
  }
  return day;
}

/** Every KPI of the README's "KPI definitions" table, against values worked out by hand. */
describe('KPI definitions on a hand-built data set', () => {
  let db: TestDatabase;
  let cohortDb: TestDatabase;
  let today: string;
  let samples: ParsedSample[];
  let narrow: ParsedSample[];
  let cohorts: ParsedSample[];
  const closers: (() => Promise<void>)[] = [];

  /** Spend rows on the edges of each window, dated from the database's own today. */
  async function insertSpend() {
    const firstOf7 = nthBusinessDayBack(today, 7);
    const firstOf30 = nthBusinessDayBack(today, 30);
    // 7 business days always span a weekend: the latest weekend day in it.
    let weekend = today;
    while (!isWeekend(weekend)) weekend = addDays(weekend, -1);
    const rows: [string, string, number, string][] = [
      ['paid', today, 100, 'USD'],
      ['paid', firstOf7, 10, 'USD'],
      ['paid', addDays(firstOf7, -1), 1000, 'USD'],
      ['paid', weekend, 20, 'USD'],
      ['social', firstOf30, 5, 'USD'],
      ['social', addDays(firstOf30, -1), 500, 'USD'],
      ['email', addDays(today, -29), 7, 'USD'],
      ['email', addDays(today, -30), 700, 'USD'],
      ['TV', today, 40, 'EUR'],
    ];
    for (const row of rows)
      await db.sql(
        'INSERT INTO marketing_spend (channel, spend_date, amount, currency) VALUES ($1, $2, $3, $4)',
        row,
      );
  }

  async function run(url: string, raw: Record<string, unknown>) {
    const built = buildTestExporter(url, raw);
    closers.push(built.close);
    expect(await built.exporter.runOnce()).toBe(0);
    return parseExposition(await built.exporter.exposition());
  }

  async function build() {
    db = await createTestDatabase();
    cohortDb = await createTestDatabase();
    today = String((await db.sql("SELECT (now() AT TIME ZONE 'UTC')::date::text AS d")).rows[0].d);
    await db.sql(kpiFixtureSql);
    await insertSpend();
    await cohortDb.sql(cohortFixtureSql);
    samples = await run(db.url, { collectors: onlyCollectors(...appCollectors) });
    narrow = await run(db.url, {
      collectors: {
        ...onlyCollectors('postgres_customer_health', 'postgres_nps', 'postgres_csat'),
        postgres_customer_health: { maxOrganizations: 1 },
        postgres_nps: { windowDays: 1 },
        postgres_csat: { windowDays: 1 },
      },
    });
    cohorts = await run(cohortDb.url, { collectors: onlyCollectors('postgres_cohort_retention') });
    const after = (await db.sql("SELECT (now() AT TIME ZONE 'UTC')::date::text AS d")).rows[0].d;
    return after === today;
  }
  const appCollectors = [
    'postgres_active_users',
    'postgres_marketing_spend',
    'postgres_customer_health',
    'postgres_nps',
    'postgres_csat',
    'postgres_engagement',
    'postgres_feature_adoption',
    'postgres_support_tickets',
    'postgres_time_to_value',
    'postgres_referrals',
    'postgres_email_campaigns',
    'analytics_event_counters',
  ];

  beforeAll(async () => {
    // The data is dated from today: should UTC midnight pass while it is built and read, again.
    if (await build()) return;
    await Promise.all(closers.splice(0).map((close) => close()));
    await Promise.all([db.drop(), cohortDb.drop()]);
    expect(await build()).toBe(true);
  });
  afterAll(async () => {
    await Promise.all(closers.map((close) => close()));
    await db.drop();
    await cohortDb.drop();
  });

  it('counts active users over the trailing 24 hours, 7 days and 30 days', () => {
    // 24 h: 9001 (5 min inside); 9002 is 5 min outside, every other session is at least a day and an hour old.
    expect(sampleValue(samples, 'chom_users_active_daily')).toBe(1);
    // 7 days: 9001, 9002, 9003 + 1001 + 2001-2004 + 3001 + 4001, 4002 + 5001 (deleted users count) + 8001.
    expect(sampleValue(samples, 'chom_users_active_weekly')).toBe(3 + 1 + 4 + 1 + 2 + 1 + 1);
    // 30 days: + 9004 (7 days and 5 min) and 9005 (5 min inside); 9006 and 3002 are 5 min outside.
    expect(sampleValue(samples, 'chom_users_active_monthly')).toBe(13 + 2);
    // Registered, not deleted: 125 + 5 + 5 + 5 + 8001 + 9001-9007 + 7001-7004 (5001 and 7005 deleted).
    expect(sampleValue(samples, 'chom_users')).toBe(125 + 15 + 1 + 7 + 4);
  });

  it('counts events exactly, labelled from their properties', () => {
    expect(sampleValue(samples, 'chom_funnel_signups_total')).toBe(6);
    // "Paid " matches paid; tiktok, a missing channel and a JSON null are other.
    expect(seriesOf(samples, 'chom_users_signups_total')).toEqual({
      '{"channel":"organic"}': 2,
      '{"channel":"paid"}': 1,
      '{"channel":"referral"}': 0,
      '{"channel":"direct"}': 0,
      '{"channel":"social"}': 0,
      '{"channel":"email"}': 0,
      '{"channel":"content"}': 0,
      '{"channel":"other"}': 3,
    });
    expect(sampleValue(samples, 'chom_funnel_activated_total')).toBe(2);
    expect(sampleValue(samples, 'chom_users_activated_total')).toBe(2);
    expect(sampleValue(samples, 'chom_funnel_trial_started_total')).toBe(1);
    expect(sampleValue(samples, 'chom_funnel_paid_total')).toBe(1);
    expect(sampleValue(samples, 'chom_user_logins_total')).toBe(3);
    const features = seriesOf(samples, 'chom_feature_usage_total');
    // Team-Invites is team_invites; "x" and the number 5 are other.
    expect(features['{"feature":"dashboards"}']).toBe(2);
    expect(features['{"feature":"team_invites"}']).toBe(1);
    expect(features['{"feature":"other"}']).toBe(2);
    expect(sum(features)).toBe(5);
    const visits = seriesOf(samples, 'chom_landing_page_visits_total');
    expect([visits['{"page":"home"}'], visits['{"page":"pricing"}']]).toEqual([2, 1]);
    expect(visits['{"page":"other"}']).toBe(1);
    expect(sum(seriesOf(samples, 'chom_landing_page_conversions_total'))).toBe(1);
  });

  it('sums marketing spend over 7 and 30 business days and 30 calendar days', () => {
    expect(seriesOf(samples, 'chom_marketing_spend')).toEqual({
      // today 100 + the 7th business day back 10 + a weekend day inside the span 20; the day before is out.
      '{"channel":"paid","currency":"USD","window":"7bd"}': 100 + 10 + 20,
      // 30 business days reach 6 weeks back: the day before the 7th business day (1000) is in.
      '{"channel":"paid","currency":"USD","window":"30bd"}': 100 + 10 + 20 + 1000,
      '{"channel":"paid","currency":"USD","window":"30d"}': 100 + 10 + 20 + 1000,
      // The 30th business day back is in (5), the day before is out (500).
      '{"channel":"social","currency":"USD","window":"30bd"}': 5,
      // 29 calendar days ago is in the 30-day window, 30 days ago is out; both are within 30 business days.
      '{"channel":"email","currency":"USD","window":"30bd"}': 7 + 700,
      '{"channel":"email","currency":"USD","window":"30d"}': 7,
      // TV is not a tracked channel.
      '{"channel":"other","currency":"EUR","window":"7bd"}': 40,
      '{"channel":"other","currency":"EUR","window":"30bd"}': 40,
      '{"channel":"other","currency":"EUR","window":"30d"}': 40,
    });
  });

  it.each([
    // [today, days, business days?, first day, last day], counted on a calendar by hand.
    ['2026-11-30', 1, true, '2026-11-30', '2026-11-30'], // Monday: today is day 1
    ['2026-11-30', 7, true, '2026-11-20', '2026-11-30'], // Mon, Fri..Mon, Fri 20th
    ['2026-12-02', 7, true, '2026-11-24', '2026-12-02'], // Wednesday
    ['2026-12-04', 7, true, '2026-11-26', '2026-12-04'], // Friday
    ['2026-12-05', 1, true, '2026-12-04', '2026-12-05'], // Saturday: Friday plus the weekend so far
    ['2026-12-05', 7, true, '2026-11-26', '2026-12-05'],
    ['2026-12-06', 7, true, '2026-11-26', '2026-12-06'], // Sunday
    ['2026-12-05', 30, true, '2026-10-26', '2026-12-05'], // six weeks of business days
    ['2026-12-05', 30, false, '2026-11-06', '2026-12-05'], // 30 calendar days, today included
  ])(
    'on %s, %i days (business: %s) run from %s to %s',
    async (anchor, days, business, first, last) => {
      // Late in the UTC day: the window's days are those of the UTC date of the instant.
      const at = `${anchor}T23:59:59.999Z`;
      const result = await db.sql(windowBoundsSql(), [days, business, at]);
      expect(result.rows[0]).toEqual({ first_day: first, last_day: last });
    },
  );

  it('scores health per organization, with the band boundaries and organizations without users', () => {
    // 30*days/20 + 25*tracked/8 + 15*(1 - tickets/10) + 15*payment + 15*sessions/users/12:
    expect(seriesOf(samples, 'chom_customer_health_score')).toEqual({
      // 30*2/20 + 25*2/8 + 15 + 15 + 15*74/125/12 = 3 + 6.25 + 30 + 0.74
      '{"organization":"edge-39-99"}': expect.closeTo(39.99, 9),
      // 30*4/20 + 0 + 15 + 15 + 15*16/5/12 (the unfinished session counts) = 6 + 30 + 4
      '{"organization":"edge-40"}': expect.closeTo(40, 9),
      // 30*10/20 + 25*4/8 (8 untracked features and the one 30 days old do not count; "Team Invites" does) + 30 + 15*10/5/12
      '{"organization":"edge-60"}': expect.closeTo(60, 9),
      // 30 (20 days) + 25*4/8 + 15*(1 - 1/10) (the ticket 5 min outside does not count) + 15 + 15*36/5/12 = 30 + 12.5 + 13.5 + 15 + 9
      '{"organization":"edge-80"}': expect.closeTo(80, 9),
      // No users (its one user deleted): usage, breadth and engagement 0; 15*(1 - 2/10) + 15*0.5
      '{"organization":"ghost"}': expect.closeTo(12 + 7.5, 9),
      // No users, no tickets, delinquent: 15*1 + 0
      '{"organization":"empty-a"}': expect.closeTo(15, 9),
      '{"organization":"empty-b"}': expect.closeTo(15, 9),
    });
    // 39.99 is critical, 40 at risk, 60 healthy, 80 excellent.
    expect(seriesOf(samples, 'chom_customer_health_organizations')).toEqual({
      '{"band":"critical"}': 4,
      '{"band":"at_risk"}': 1,
      '{"band":"healthy"}': 1,
      '{"band":"excellent"}': 1,
    });
    expect(sampleValue(samples, 'chom_customer_health_score_mean')).toBeCloseTo(
      (39.99 + 40 + 60 + 80 + 19.5 + 15 + 15) / 7,
      9,
    );
    expect(sampleValue(samples, 'chom_customer_health_organizations_unlisted')).toBe(0);
  });

  it('lists the lowest scores up to the cap, ties by name, and counts every organization', () => {
    // empty-a and empty-b tie at 15: the name decides.
    expect(seriesOf(narrow, 'chom_customer_health_score')).toEqual({
      '{"organization":"empty-a"}': expect.closeTo(15, 9),
    });
    expect(sampleValue(narrow, 'chom_customer_health_organizations_unlisted')).toBe(7 - 1);
    expect(sum(seriesOf(narrow, 'chom_customer_health_organizations'))).toBe(7);
  });

  it('computes NPS and CSAT over 90 days, absent without responses', () => {
    // In: 10, 9, 9 (5 min inside) promoters; 8, 7 passives; 6, 0 detractors. The 0 five minutes outside is out.
    expect(seriesOf(samples, 'chom_nps_responses')).toEqual({
      '{"category":"promoter"}': 3,
      '{"category":"passive"}': 2,
      '{"category":"detractor"}': 2,
    });
    expect(sampleValue(samples, 'chom_nps_score')).toBeCloseTo((100 * (3 - 2)) / 7, 9);
    // (5 + 4 + 1 + 2) / 4; the 5 five minutes outside is out.
    expect(sampleValue(samples, 'chom_csat_score')).toBeCloseTo(12 / 4, 9);
    expect(sampleValue(samples, 'chom_csat_responses')).toBe(4);
    // Over 1 day there is no response: no score at all, zero responses.
    expect(sampleValue(narrow, 'chom_nps_score')).toBeUndefined();
    expect(sum(seriesOf(narrow, 'chom_nps_responses'))).toBe(0);
    expect(sampleValue(narrow, 'chom_csat_score')).toBeUndefined();
    expect(sampleValue(narrow, 'chom_csat_responses')).toBe(0);
  });

  it('averages engagement over the organizations with users', () => {
    // 100 * (0.5*min(sessions/users/12, 1) + 0.25*min(mean finished seconds/1800, 1) + 0.25*tracked/8)
    const edge3999 = 100 * (0.5 * (74 / 125 / 12) + 0.25 * 1 + 0.25 * (2 / 8));
    // Every session started counts for frequency (16), the 15 finished ones for length.
    const edge40 = 100 * (0.5 * (16 / 5 / 12) + 0.25 * 1 + 0);
    const edge60 = 100 * (0.5 * (10 / 5 / 12) + 0.25 * (900 / 1800) + 0.25 * (4 / 8));
    const edge80 = 100 * (0.5 * (36 / 5 / 12) + 0.25 * 1 + 0.25 * (4 / 8));
    // ghost and empty-* have no users; gone is deleted.
    expect(sampleValue(samples, 'chom_customer_engagement_score')).toBeCloseTo(
      (edge3999 + edge40 + edge60 + edge80) / 4,
      9,
    );
  });

  it('means session duration and actions over finished sessions of the last 30 days', () => {
    // Finished and in the window: 74 + 15 + 36 + 3 + 2 + 5 sessions of 30 min and 10 actions, 10 of 15 min and 4.
    expect(sampleValue(samples, 'chom_session_duration_seconds')).toBeCloseTo(
      (135 * 1800 + 10 * 900) / 145,
      9,
    );
    expect(sampleValue(samples, 'chom_actions_per_session')).toBeCloseTo(
      (135 * 10 + 10 * 4) / 145,
      9,
    );
  });

  it('counts distinct users per feature, other included, and adoption against active organizations', () => {
    // Usage dates from 29 days ago to today; api 30 days ago (3002) is out.
    expect(seriesOf(samples, 'chom_feature_users')).toEqual({
      // 1001, 3001, 4001 (dashboards and DASHBOARDS: once), 4002 ("Dashboards "), 5001
      '{"feature":"dashboards"}': 5,
      '{"feature":"reports"}': 3,
      '{"feature":"integrations"}': 2,
      '{"feature":"api"}': 1,
      '{"feature":"alerts"}': 0,
      '{"feature":"exports"}': 0,
      '{"feature":"team_invites"}': 1,
      '{"feature":"automation"}': 0,
      // 3001, user of 8 untracked features, once.
      '{"feature":"other"}': 1,
    });
    // Organizations with a session in 30 days: edge-39-99, edge-40, edge-60, edge-80, ghost, gone.
    const adoption = seriesOf(samples, 'chom_feature_adoption_ratio');
    expect(adoption['{"feature":"dashboards"}']).toBeCloseTo(4 / 6, 12);
    expect(adoption['{"feature":"reports"}']).toBeCloseTo(3 / 6, 12);
    expect(adoption['{"feature":"integrations"}']).toBeCloseTo(2 / 6, 12);
    expect(adoption['{"feature":"api"}']).toBeCloseTo(1 / 6, 12);
    expect(adoption['{"feature":"team_invites"}']).toBeCloseTo(1 / 6, 12);
    expect(adoption['{"feature":"other"}']).toBeCloseTo(1 / 6, 12);
    expect(adoption['{"feature":"alerts"}']).toBe(0);
  });

  it('reports tickets now by status and priority, and the created-ticket counter', () => {
    const tickets = seriesOf(samples, 'chom_support_tickets');
    expect(tickets['{"priority":"low","status":"open"}']).toBe(3);
    expect(tickets['{"priority":"high","status":"open"}']).toBe(2);
    expect(tickets['{"priority":"medium","status":"in_progress"}']).toBe(1);
    expect(tickets['{"priority":"critical","status":"resolved"}']).toBe(2);
    expect(tickets['{"priority":"high","status":"resolved"}']).toBe(2);
    expect(sum(tickets)).toBe(10);
    expect(seriesOf(samples, 'chom_support_tickets_created_total')).toEqual({
      '{"priority":"critical"}': 2,
      '{"priority":"high"}': 4,
      '{"priority":"medium"}': 1,
      '{"priority":"low"}': 3,
    });
  });

  it('means resolution and first-response times of tickets resolved (answered) in 30 days', () => {
    // Critical: 3 h and 5 h. High: T7, resolved 5 min inside, after a day and 5 min; T8 resolved 5 min outside.
    expect(seriesOf(samples, 'chom_support_resolution_time_seconds')).toEqual({
      '{"priority":"critical"}': expect.closeTo(4 * HOUR, 6),
      '{"priority":"high"}': expect.closeTo(DAY + 5 * 60, 6),
    });
    // Critical: 1 h and 3 h. High: T8, answered 5 min inside, after 2 days and 5 min (T7's answer is older).
    expect(seriesOf(samples, 'chom_support_first_response_time_seconds')).toEqual({
      '{"priority":"critical"}': expect.closeTo(2 * HOUR, 6),
      '{"priority":"high"}': expect.closeTo(2 * DAY + 5 * 60, 6),
      '{"priority":"medium"}': expect.closeTo(30 * 60, 6),
    });
  });

  it('measures time to first value of the last 90 days of signups', () => {
    // 7001 (2 days), 7002 (5 min inside, 4 days), 7003 (not yet); 7004 is 5 min outside, 7005 deleted.
    expect(sampleValue(samples, 'chom_time_to_first_value_seconds')).toBeCloseTo(3 * DAY, 6);
    expect(sampleValue(samples, 'chom_first_value_reached_ratio')).toBeCloseTo(2 / 3, 12);
  });

  it('counts referral invitations sent and completed', () => {
    expect(sampleValue(samples, 'chom_referrals_sent_total')).toBe(4);
    expect(sampleValue(samples, 'chom_referrals_completed_total')).toBe(2);
  });

  it('reports the funnel of the 20 most recently sent campaigns', () => {
    const sent = seriesOf(samples, 'chom_email_campaign_sent');
    // c01..c20; c21 and c22 are older, the draft was never sent.
    expect(Object.keys(sent).sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `{"campaign":"c${String(i + 1).padStart(2, '0')}"}`),
    );
    const c01 = { campaign: 'c01' };
    expect(sampleValue(samples, 'chom_email_campaign_sent', c01)).toBe(4);
    expect(sampleValue(samples, 'chom_email_campaign_opened', c01)).toBe(3);
    expect(sampleValue(samples, 'chom_email_campaign_clicked', c01)).toBe(2);
    expect(sampleValue(samples, 'chom_email_campaign_converted', c01)).toBe(1);
    expect(sampleValue(samples, 'chom_email_campaign_sent', { campaign: 'c20' })).toBe(1);
    expect(sum(sent)).toBe(5);
  });

  it('gives signup cohorts their retention by calendar month', () => {
    const month = (offset: number) => {
      const now = new Date(`${today}T00:00:00Z`);
      const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
      return at.toISOString().slice(0, 7);
    };
    // Cohort M-3: u1, u2, u3 (u4 deleted). Month 0: u1; month 1: u2 (u1's session at the last
    // minute of month 0 is month 0); month 2: u1 (its first minute); month 3 (now): nobody.
    // Cohort M-12: u5 alone, active in month 0. u6 signed up a minute too early.
    expect(seriesOf(cohorts, 'chom_cohort_size')).toEqual({
      [`{"cohort":"${month(-3)}"}`]: 3,
      [`{"cohort":"${month(-12)}"}`]: 1,
    });
    const ratio = (cohort: number, offset: number) =>
      sampleValue(cohorts, 'chom_cohort_retention_ratio', {
        cohort: month(cohort),
        month_offset: String(offset),
      });
    expect([0, 1, 2, 3].map((k) => ratio(-3, k))).toEqual([1 / 3, 1 / 3, 1 / 3, 0]);
    expect(ratio(-3, 4)).toBeUndefined();
    expect(Array.from({ length: 13 }, (_, k) => ratio(-12, k))).toEqual([1, ...Array(12).fill(0)]);
  });
});
