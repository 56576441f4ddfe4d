import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildTestExporter, onlyCollectors } from '../helpers/build-exporter.js';
import { capturedLog } from '../helpers/captured-log.js';
import { parseExposition, sampleValue, seriesOf } from '../helpers/exposition.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/** Inserts `count` events named `name`, each with `properties`. */
function insert(db: TestDatabase, name: string, count: number, properties: object = {}) {
  return db.sql(
    `INSERT INTO analytics_events (occurred_at, event_name, properties)
     SELECT now(), $1, $2::jsonb FROM generate_series(1, $3)`,
    [name, JSON.stringify(properties), count],
  );
}

/** Counters never go backwards while the process runs: reloads, purges, table resets. */
describe('event counters across reloads and table resets', () => {
  let app: TestDatabase;
  let events: TestDatabase;
  let logs: ReturnType<typeof capturedLog>;
  let built: ReturnType<typeof buildTestExporter>;

  const settings = (counters: Record<string, unknown> = {}, labels?: Record<string, unknown>) => ({
    events: { url: events.url },
    ...(labels ? { labels } : {}),
    collectors: {
      ...onlyCollectors('analytics_event_counters'),
      analytics_event_counters: { recountIntervalSeconds: 60, ...counters },
    },
  });
  const scrape = async () => {
    expect(await built.exporter.runOnce()).toBe(0);
    return parseExposition(await built.exporter.exposition());
  };
  const messages = (text: string) => logs.lines().filter((line) => line.msg.includes(text));

  beforeEach(async () => {
    app = await createTestDatabase();
    events = await createTestDatabase();
    logs = capturedLog();
    built = buildTestExporter(app.url, settings(), logs.log);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await built.close();
    await app.drop();
    await events.drop();
  });

  it('keeps its counts across a reload that leaves the counting unchanged, without a rescan', async () => {
    await insert(events, 'signed_up', 5, { channel: 'organic' });
    await insert(events, 'logged_in', 4);
    expect(sampleValue(await scrape(), 'chom_funnel_signups_total')).toBe(5);
    // Retention purges old events: 3 signups and every login leave the table.
    await events.sql(
      `DELETE FROM analytics_events WHERE id IN (1, 2, 3) OR event_name = 'logged_in'`,
    );
    // Another recount interval is not part of the counting: the state carries over.
    await built.reload(settings({ recountIntervalSeconds: 120 }));
    await insert(events, 'signed_up', 2, { channel: 'paid' });
    const samples = await scrape();
    // 5 counted + 2 new; the table holds 4 signups now.
    expect(sampleValue(samples, 'chom_funnel_signups_total')).toBe(7);
    expect(sampleValue(samples, 'chom_user_logins_total')).toBe(4);
    expect(seriesOf(samples, 'chom_users_signups_total')['{"channel":"organic"}']).toBe(5);
    // Only the first run counted the whole table; the reloaded runner read the 2 new events.
    expect(messages('counted all events')).toHaveLength(1);
  });

  it('counts the table again, with a warning, when a reload changes what is counted', async () => {
    await insert(events, 'signed_up', 3);
    await insert(events, 'registered', 2);
    expect(sampleValue(await scrape(), 'chom_funnel_signups_total')).toBe(3);
    await built.reload(settings({ counters: { signups: { event: 'registered' } } }));
    const samples = await scrape();
    // The new definition counts its own events, from the table: 2.
    expect(sampleValue(samples, 'chom_funnel_signups_total')).toBe(2);
    expect(messages('counting the events table again')).toHaveLength(1);
  });

  it('counts a truncated table (ids restarted) on top of the totals so far, warning once', async () => {
    await insert(events, 'signed_up', 5);
    await insert(events, 'logged_in', 1);
    expect(sampleValue(await scrape(), 'chom_funnel_signups_total')).toBe(5);
    await events.sql('TRUNCATE analytics_events RESTART IDENTITY');
    await insert(events, 'signed_up', 3);
    // ids 1-3 now, below the 6 seen: 5 + 3.
    let samples = await scrape();
    expect(sampleValue(samples, 'chom_funnel_signups_total')).toBe(8);
    expect(sampleValue(samples, 'chom_user_logins_total')).toBe(1);
    await insert(events, 'signed_up', 1);
    samples = await scrape();
    expect(sampleValue(samples, 'chom_funnel_signups_total')).toBe(9);
    expect(messages('restarted its ids')).toHaveLength(1);
    // The hourly recount reads the new table only: nothing counted twice, nothing lost.
    vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 61_000);
    samples = await scrape();
    expect(sampleValue(samples, 'chom_funnel_signups_total')).toBe(9);
    expect(sampleValue(samples, 'chom_user_logins_total')).toBe(1);
  });

  it('counts a dropped and recreated table on top of the totals so far', async () => {
    await insert(events, 'signed_up', 4);
    expect(sampleValue(await scrape(), 'chom_funnel_signups_total')).toBe(4);
    await events.sql(`BEGIN;
      CREATE TABLE analytics_events_new (LIKE analytics_events INCLUDING ALL);
      DROP TABLE analytics_events;
      ALTER TABLE analytics_events_new RENAME TO analytics_events;
      COMMIT`);
    await insert(events, 'signed_up', 2);
    expect(sampleValue(await scrape(), 'chom_funnel_signups_total')).toBe(6);
    expect(messages('restarted its ids')).toHaveLength(1);
  });

  it('keeps counts under the labels they were counted with when a reload changes the vocabulary', async () => {
    await insert(events, 'signed_up', 2, { channel: 'organic' });
    await insert(events, 'signed_up', 3, { channel: 'TikTok' });
    await insert(events, 'signed_up', 1);
    const channels = ['organic', 'paid', 'referral', 'direct', 'social', 'email', 'content'];
    let bySignup = seriesOf(await scrape(), 'chom_users_signups_total');
    // TikTok and the event without a channel are other.
    expect(bySignup['{"channel":"other"}']).toBe(4);

    await built.reload(settings({}, { channels: [...channels, 'tiktok'] }));
    bySignup = seriesOf(await scrape(), 'chom_users_signups_total');
    // The 3 TikTok signups were counted as other and stay there; no series falls.
    expect(bySignup['{"channel":"other"}']).toBe(4);
    expect(bySignup['{"channel":"tiktok"}']).toBe(0);
    expect(bySignup['{"channel":"organic"}']).toBe(2);

    // Later events get the new vocabulary.
    await insert(events, 'signed_up', 2, { channel: 'tiktok' });
    await insert(events, 'signed_up', 1, { channel: 'myspace' });
    bySignup = seriesOf(await scrape(), 'chom_users_signups_total');
    expect(bySignup['{"channel":"tiktok"}']).toBe(2);
    expect(bySignup['{"channel":"other"}']).toBe(5);
    // The sum over channels is still every signup: 6 + 3.
    expect(Object.values(bySignup).reduce((a, b) => a + b, 0)).toBe(9);

    // The recount does not move the frozen counts to the new labels.
    vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 61_000);
    const recounted = seriesOf(await scrape(), 'chom_users_signups_total');
    expect(recounted).toEqual(bySignup);

    // A value dropped from the vocabulary keeps its series at its count; its new events are other.
    await built.reload(settings({}, { channels: channels.filter((c) => c !== 'organic') }));
    await insert(events, 'signed_up', 1, { channel: 'organic' });
    bySignup = seriesOf(await scrape(), 'chom_users_signups_total');
    expect(bySignup['{"channel":"organic"}']).toBe(2);
    expect(bySignup['{"channel":"other"}']).toBe(6);
    expect(Object.values(bySignup).reduce((a, b) => a + b, 0)).toBe(10);
  });
});
