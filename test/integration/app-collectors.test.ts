import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectors } from '../../src/collectors/index.js';
import { appFixtureSql } from '../fixtures/app-fixture.js';
import { buildTestExporter } from '../helpers/build-exporter.js';
import {
  type ParsedSample,
  parseExposition,
  sampleValue,
  seriesOf,
} from '../helpers/exposition.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

const HOUR = 3600;
const DAY = 24 * HOUR;

/** Exact values of every app-database metric on the hand-checked fixture. */
describe('app database collectors on the fixture', () => {
  let db: TestDatabase;
  let samples: ParsedSample[];
  let close: () => Promise<void>;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql(appFixtureSql);
    const built = buildTestExporter(db.url, {
      collectors: { analytics_event_counters: { enabled: false } },
    });
    close = built.close;
    expect(await built.exporter.runOnce()).toBe(0);
    samples = parseExposition(await built.exporter.exposition());
  });

  afterAll(async () => {
    await close();
    await db.drop();
  });

  it('counts active users over trailing windows and registered users', () => {
    // u1 (two sessions an hour ago) | + u2 (3 days) | + u3 (10 days); u4's session is 40 days old.
    expect(sampleValue(samples, 'chom_users_active_daily')).toBe(1);
    expect(sampleValue(samples, 'chom_users_active_weekly')).toBe(2);
    expect(sampleValue(samples, 'chom_users_active_monthly')).toBe(3);
    // Five users, one deleted.
    expect(sampleValue(samples, 'chom_users')).toBe(4);
  });

  it('sums marketing spend by calendar-day window, channel and currency', () => {
    // Business-day windows depend on the weekday: test/integration/kpi-definitions.test.ts covers them.
    const calendar = Object.fromEntries(
      Object.entries(seriesOf(samples, 'chom_marketing_spend')).filter(([labels]) =>
        labels.includes('"window":"30d"'),
      ),
    );
    expect(calendar).toEqual({
      // today 100.50 + 6 days ago 50 + 7 days ago 25.
      '{"channel":"paid","currency":"USD","window":"30d"}': 175.5,
      // 29 days ago is in, 30 days ago is out.
      '{"channel":"social","currency":"USD","window":"30d"}': 10,
      // TV (eur) and Radio (EUR) are not in the channel vocabulary: both land on other/EUR.
      '{"channel":"other","currency":"EUR","window":"30d"}': 100,
    });
  });

  it('computes the health score per organization with the documented weights', () => {
    // acme: usage 0.30*2/20 + breadth 0.25*2/8 (the untracked "Secret Feature" does not count)
    //   + support 0.15*(1-3/10) + payment 0.15 + engagement 0.15*(3/2/12) = 36.625
    // globex: 0.30*1/20 + 0.25*1/8 + 0.15*(1-2/10) + 0.15*0.5 + 0.15*(1/12) = 25.375
    // initech: support 0.15 only = 15; umbrella is deleted.
    const scores = seriesOf(samples, 'chom_customer_health_score');
    expect(Object.keys(scores).sort()).toEqual([
      '{"organization":"acme"}',
      '{"organization":"globex"}',
      '{"organization":"initech"}',
    ]);
    expect(scores['{"organization":"acme"}']).toBeCloseTo(36.625, 8);
    expect(scores['{"organization":"globex"}']).toBeCloseTo(25.375, 8);
    expect(scores['{"organization":"initech"}']).toBeCloseTo(15, 8);
    expect(seriesOf(samples, 'chom_customer_health_organizations')).toEqual({
      '{"band":"critical"}': 3,
      '{"band":"at_risk"}': 0,
      '{"band":"healthy"}': 0,
      '{"band":"excellent"}': 0,
    });
    expect(sampleValue(samples, 'chom_customer_health_score_mean')).toBeCloseTo(
      (36.625 + 25.375 + 15) / 3,
      8,
    );
    expect(sampleValue(samples, 'chom_customer_health_organizations_unlisted')).toBe(0);
  });

  it('computes NPS and CSAT over their windows', () => {
    // 90 days: 10, 9 promoters; 8 passive; 3 detractor (the 0 is 100 days old).
    expect(seriesOf(samples, 'chom_nps_responses')).toEqual({
      '{"category":"promoter"}': 2,
      '{"category":"passive"}': 1,
      '{"category":"detractor"}': 1,
    });
    expect(sampleValue(samples, 'chom_nps_score')).toBe(25);
    // (5 + 4 + 2) / 3; the 1 is 200 days old.
    expect(sampleValue(samples, 'chom_csat_score')).toBeCloseTo(11 / 3, 10);
    expect(sampleValue(samples, 'chom_csat_responses')).toBe(3);
  });

  it('computes engagement, session duration and actions per session', () => {
    // Finished sessions in 30 days: 1800 s/10, 1200 s/20, 600 s/30.
    expect(sampleValue(samples, 'chom_session_duration_seconds')).toBeCloseTo(1200, 6);
    expect(sampleValue(samples, 'chom_actions_per_session')).toBe(20);
    // acme: frequency 0.5*(3 sessions, the unfinished one too, /2 users/12) + length 0.25*(1500/1800)
    //   + breadth 0.25*2/8 = 33.3333; globex 0.5*1/12 + 0.25*600/1800 + 0.25*1/8 = 15.625; initech 0.
    expect(sampleValue(samples, 'chom_customer_engagement_score')).toBeCloseTo(
      (100 / 3 + 15.625) / 3,
      8,
    );
  });

  it('counts feature users and adoption against active organizations', () => {
    const users = seriesOf(samples, 'chom_feature_users');
    expect(users['{"feature":"dashboards"}']).toBe(2);
    expect(users['{"feature":"reports"}']).toBe(1);
    expect(users['{"feature":"automation"}']).toBe(0);
    // "Secret Feature" is not tracked: u1 is its one user, acme its one organization.
    expect(users['{"feature":"other"}']).toBe(1);
    expect(Object.keys(users)).toHaveLength(9);
    const adoption = seriesOf(samples, 'chom_feature_adoption_ratio');
    expect(adoption['{"feature":"dashboards"}']).toBe(1);
    expect(adoption['{"feature":"reports"}']).toBe(0.5);
    expect(adoption['{"feature":"api"}']).toBe(0);
    expect(adoption['{"feature":"other"}']).toBe(0.5);
  });

  it('reports tickets by status and priority and the SLA timings', () => {
    const tickets = seriesOf(samples, 'chom_support_tickets');
    expect(Object.keys(tickets)).toHaveLength(12);
    expect(tickets['{"priority":"high","status":"open"}']).toBe(1);
    expect(tickets['{"priority":"critical","status":"resolved"}']).toBe(1);
    expect(tickets['{"priority":"high","status":"resolved"}']).toBe(2);
    expect(tickets['{"priority":"low","status":"in_progress"}']).toBe(1);
    expect(tickets['{"priority":"medium","status":"resolved"}']).toBe(1);
    expect(Object.values(tickets).reduce((a, b) => a + b, 0)).toBe(6);
    expect(seriesOf(samples, 'chom_support_tickets_created_total')).toEqual({
      '{"priority":"critical"}': 1,
      '{"priority":"high"}': 3,
      '{"priority":"medium"}': 1,
      '{"priority":"low"}': 1,
    });
    // Resolved in 30 days: critical 2 h; high (10 h + 6 h) / 2; medium was resolved 59 days ago.
    const resolution = seriesOf(samples, 'chom_support_resolution_time_seconds');
    expect(Object.keys(resolution).sort()).toEqual([
      '{"priority":"critical"}',
      '{"priority":"high"}',
    ]);
    expect(resolution['{"priority":"critical"}']).toBeCloseTo(2 * HOUR, 3);
    expect(resolution['{"priority":"high"}']).toBeCloseTo(8 * HOUR, 3);
    const response = seriesOf(samples, 'chom_support_first_response_time_seconds');
    expect(response['{"priority":"critical"}']).toBeCloseTo(HOUR, 3);
    expect(response['{"priority":"high"}']).toBeCloseTo(4500, 3);
    expect(response['{"priority":"low"}']).toBeCloseTo(HOUR, 3);
    expect(response['{"priority":"medium"}']).toBeUndefined();
  });

  it('measures time to first value for recent signups', () => {
    // Signed up in 90 days and not deleted: u1 (2 days to value), u2 (4 days), u3 (not yet).
    expect(sampleValue(samples, 'chom_time_to_first_value_seconds')).toBeCloseTo(3 * DAY, 3);
    expect(sampleValue(samples, 'chom_first_value_reached_ratio')).toBeCloseTo(2 / 3, 10);
  });

  it('reads referral and campaign tallies', () => {
    expect(sampleValue(samples, 'chom_referrals_sent_total')).toBe(3);
    expect(sampleValue(samples, 'chom_referrals_completed_total')).toBe(2);
    expect(seriesOf(samples, 'chom_email_campaign_sent')).toEqual({
      '{"campaign":"spring-launch"}': 3,
      '{"campaign":"old-news"}': 1,
    });
    expect(sampleValue(samples, 'chom_email_campaign_opened', { campaign: 'spring-launch' })).toBe(
      2,
    );
    expect(sampleValue(samples, 'chom_email_campaign_clicked', { campaign: 'spring-launch' })).toBe(
      1,
    );
    expect(
      sampleValue(samples, 'chom_email_campaign_converted', { campaign: 'spring-launch' }),
    ).toBe(1);
    expect(sampleValue(samples, 'chom_email_campaign_converted', { campaign: 'old-news' })).toBe(0);
  });

  it('marks every app collector successful', () => {
    const success = seriesOf(samples, 'chom_collector_success');
    // Every collector but the disabled event counters.
    expect(Object.keys(success)).toHaveLength(collectors.length - 1);
    expect(Object.values(success).every((v) => v === 1)).toBe(true);
  });
});
