import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildTestExporter, onlyCollectors } from '../helpers/build-exporter.js';
import {
  type ParsedSample,
  parseExposition,
  sampleValue,
  seriesOf,
} from '../helpers/exposition.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

const insertEvents = `
INSERT INTO analytics_events (occurred_at, event_name, user_id, properties)
SELECT now(), e.name, 1, e.props::jsonb FROM (VALUES
  ('signed_up', '{"channel":"organic"}'), ('signed_up', '{"channel":"paid"}'), ('signed_up', '{"channel":"TikTok"}'),
  ('activated', '{}'), ('activated', '{}'), ('trial_started', '{}'), ('converted_to_paid', '{}'),
  ('logged_in', '{}'), ('logged_in', '{}'), ('logged_in', '{}'), ('logged_in', '{}'),
  ('feature_used', '{"feature":"dashboards"}'), ('feature_used', '{"feature":"Dashboards "}'),
  ('feature_used', '{"feature":"x"}'), ('feature_used', '{}'),
  ('page_viewed', '{"page":"home"}'), ('page_viewed', '{"page":"home"}'), ('page_viewed', '{"page":"pricing"}'),
  ('landing_page_converted', '{"page":"pricing"}'), ('noise', '{"channel":"paid"}')
) AS e(name, props)`;

function counters(samples: ParsedSample[]) {
  return {
    signups: sampleValue(samples, 'chom_funnel_signups_total'),
    byChannel: seriesOf(samples, 'chom_users_signups_total'),
    activated: sampleValue(samples, 'chom_funnel_activated_total'),
    usersActivated: sampleValue(samples, 'chom_users_activated_total'),
    trials: sampleValue(samples, 'chom_funnel_trial_started_total'),
    paid: sampleValue(samples, 'chom_funnel_paid_total'),
    logins: sampleValue(samples, 'chom_user_logins_total'),
    features: seriesOf(samples, 'chom_feature_usage_total'),
    visits: seriesOf(samples, 'chom_landing_page_visits_total'),
    conversions: seriesOf(samples, 'chom_landing_page_conversions_total'),
  };
}

/** Counters derived from a separate events database, counted incrementally. */
describe('analytics event counters', () => {
  let app: TestDatabase;
  let events: TestDatabase;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    app = await createTestDatabase();
    events = await createTestDatabase();
    await events.sql(insertEvents);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await Promise.all(closers.splice(0).map((close) => close()));
  });
  afterAll(async () => {
    await app.drop();
    await events.drop();
  });

  function replica() {
    const collectors = onlyCollectors('analytics_event_counters');
    const built = buildTestExporter(app.url, {
      events: { url: events.url },
      collectors: { ...collectors, analytics_event_counters: { recountIntervalSeconds: 60 } },
    });
    closers.push(built.close);
    return built.exporter;
  }

  it('counts every event exactly, bounding property values', async () => {
    const exporter = replica();
    expect(await exporter.runOnce()).toBe(0);
    const c = counters(parseExposition(await exporter.exposition()));
    expect(c.signups).toBe(3);
    expect(c.byChannel).toEqual({
      '{"channel":"organic"}': 1,
      '{"channel":"paid"}': 1,
      '{"channel":"referral"}': 0,
      '{"channel":"direct"}': 0,
      '{"channel":"social"}': 0,
      '{"channel":"email"}': 0,
      '{"channel":"content"}': 0,
      '{"channel":"other"}': 1,
    });
    expect([c.activated, c.usersActivated, c.trials, c.paid, c.logins]).toEqual([2, 2, 1, 1, 4]);
    // "Dashboards " matches the vocabulary; "x" and a missing property are other.
    expect(c.features['{"feature":"dashboards"}']).toBe(2);
    expect(c.features['{"feature":"other"}']).toBe(2);
    expect(c.visits['{"page":"home"}']).toBe(2);
    expect(c.visits['{"page":"pricing"}']).toBe(1);
    expect(c.conversions['{"page":"pricing"}']).toBe(1);
    expect(c.conversions['{"page":"home"}']).toBe(0);
  });

  it('adds only new events, agrees across replicas, and catches late commits on recount', async () => {
    const first = replica();
    await first.runOnce();
    await events.sql(`INSERT INTO analytics_events (occurred_at, event_name, properties)
      VALUES (now(), 'signed_up', '{"channel":"paid"}'), (now(), 'signed_up', '{"channel":"paid"}'), (now(), 'logged_in', '{}')`);
    await first.runOnce();
    const afterNew = counters(parseExposition(await first.exposition()));

    // A replica (or a restart) counts the table from scratch and must agree.
    const second = replica();
    await second.runOnce();
    const fromScratch = counters(parseExposition(await second.exposition()));
    expect(fromScratch).toEqual(afterNew);

    // An event whose id is below the watermark (its transaction committed late)
    // is not seen by the incremental read...
    await events.sql(`INSERT INTO analytics_events (id, occurred_at, event_name, properties)
      OVERRIDING SYSTEM VALUE VALUES (-1, now(), 'logged_in', '{}')`);
    await first.runOnce();
    const beforeRecount = counters(parseExposition(await first.exposition()));
    expect(beforeRecount.logins).toBe(afterNew.logins);
    // ...and is added by the periodic full recount.
    const now = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(now + 61_000);
    await first.runOnce();
    const afterRecount = counters(parseExposition(await first.exposition()));
    expect(afterRecount.logins).toBe((afterNew.logins ?? 0) + 1);
    expect(afterRecount.signups).toBe(afterNew.signups);
  });

  it('never lowers a counter when old events are purged', async () => {
    const exporter = replica();
    await exporter.runOnce();
    const before = counters(parseExposition(await exporter.exposition()));
    await events.sql(`DELETE FROM analytics_events WHERE event_name = 'logged_in'`);
    vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 61_000);
    await exporter.runOnce();
    const after = counters(parseExposition(await exporter.exposition()));
    expect(after.logins).toBe(before.logins);
  });
});
