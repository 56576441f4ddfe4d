import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestExporter, onlyCollectors } from '../helpers/build-exporter.js';
import {
  type ParsedSample,
  parseExposition,
  sampleValue,
  seriesOf,
} from '../helpers/exposition.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

const MINUTE = 60;
const HOUR = 3600;

/**
 * [raw priority, the label it must be exported under, seconds to resolution,
 * seconds to first response (null: never answered)]. Several raw priorities
 * per label, with different ticket counts, so that the mean over the label's
 * tickets differs from a mean of the raw priorities' means.
 */
const tickets: [string | null, string, number, number | null][] = [
  ['high', 'high', 1 * HOUR, 10 * MINUTE],
  ['high', 'high', 3 * HOUR, 20 * MINUTE],
  ['HIGH', 'high', 11 * HOUR, 60 * MINUTE],
  [' High', 'high', 5 * HOUR, null],
  ['low', 'low', 2 * HOUR, 5 * MINUTE],
  ['urgent', 'other', 7 * HOUR, 30 * MINUTE],
  ['Blocker', 'other', 1 * HOUR, 50 * MINUTE],
  ['Blocker', 'other', 4 * HOUR, null],
  [null, 'other', 9 * HOUR, 2 * HOUR],
];

/** Mean of `pick` over the tickets exported under each label, as `seriesOf` keys them. */
function meansByLabel(pick: (ticket: (typeof tickets)[number]) => number | null) {
  const sums = new Map<string, { total: number; n: number }>();
  for (const ticket of tickets) {
    const seconds = pick(ticket);
    if (seconds === null) continue;
    const sum = sums.get(ticket[1]) ?? { total: 0, n: 0 };
    sums.set(ticket[1], { total: sum.total + seconds, n: sum.n + 1 });
  }
  return Object.fromEntries(
    [...sums].map(([priority, { total, n }]) => [
      JSON.stringify({ priority }),
      expect.closeTo(total / n, 6),
    ]),
  );
}

const rejected = (samples: ParsedSample[], reason: string) =>
  sampleValue(samples, 'chom_collector_rows_rejected_total', {
    collector: 'postgres_support_tickets',
    reason,
  }) ?? 0;

/**
 * Raw priorities that bound to one label (`high`, `HIGH`, ` High`; unknowns
 * and NULL → `other`) are one series: the mean over all their tickets, not
 * one sample per raw priority (the publisher kept one and dropped the others
 * as duplicates).
 */
describe('support ticket timings of raw priorities bounded to one label', () => {
  let db: TestDatabase;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql(`INSERT INTO organizations (slug, name) VALUES ('acme', 'Acme')`);
    await db.sql(`ALTER TABLE support_tickets
      DROP CONSTRAINT support_tickets_priority_check,
      ALTER COLUMN priority DROP NOT NULL`);
    // Resolved an hour ago (inside the 30 days), created and answered before that.
    await db.sql(
      `INSERT INTO support_tickets (organization_id, subject, status, priority, created_at, first_response_at, resolved_at)
       SELECT 1, 'ticket', 'resolved', r->>0, c.created,
         c.created + make_interval(secs => (r->>3)::float8), now() - interval '1 hour'
       FROM jsonb_array_elements($1::jsonb) AS r
       CROSS JOIN LATERAL (SELECT now() - interval '1 hour' - make_interval(secs => (r->>2)::float8) AS created) AS c`,
      [JSON.stringify(tickets)],
    );
  });
  afterAll(async () => {
    await Promise.all(closers.map((close) => close()));
    await db.drop();
  });

  async function run(raw: Record<string, unknown> = {}) {
    const built = buildTestExporter(db.url, {
      collectors: { ...onlyCollectors('postgres_support_tickets'), postgres_support_tickets: raw },
    });
    closers.push(built.close);
    expect(await built.exporter.runOnce()).toBe(0);
    return parseExposition(await built.exporter.exposition());
  }

  const resolution = meansByLabel(([, , resolved]) => resolved);
  const firstResponse = meansByLabel(([, , , responded]) => responded);

  it('exports one series per label, the mean over all its tickets, and no duplicate', async () => {
    const samples = await run();
    expect(seriesOf(samples, 'chom_support_resolution_time_seconds')).toEqual(resolution);
    expect(seriesOf(samples, 'chom_support_first_response_time_seconds')).toEqual(firstResponse);
    // Worked out by hand: high (1 + 3 + 11 + 5) / 4 = 5 h, not the raw priorities' 6 h.
    expect(resolution['{"priority":"high"}']).toEqual(expect.closeTo(5 * HOUR, 6));
    expect(rejected(samples, 'duplicate_series')).toBe(0);
  });

  it('still runs an override without tickets whose priorities do not collide', async () => {
    const samples = await run({
      queries: {
        resolution: `SELECT CASE WHEN lower(trim(priority)) IN ('critical', 'high', 'medium', 'low')
            THEN lower(trim(priority)) ELSE 'other' END AS priority,
          avg(extract(epoch FROM resolved_at - created_at))::float8 AS seconds
        FROM support_tickets
        WHERE resolved_at >= $at - make_interval(days => $1::int) AND resolved_at <= $at
        GROUP BY 1`,
      },
    });
    expect(seriesOf(samples, 'chom_support_resolution_time_seconds')).toEqual(resolution);
    expect(rejected(samples, 'duplicate_series')).toBe(0);
  });

  it('leaves out a label whose raw priorities an override without tickets cannot weight', async () => {
    const samples = await run({
      queries: {
        resolution: `SELECT priority, avg(extract(epoch FROM resolved_at - created_at))::float8 AS seconds
        FROM support_tickets
        WHERE resolved_at >= $at - make_interval(days => $1::int) AND resolved_at <= $at
        GROUP BY priority`,
      },
    });
    // low has one raw priority: its mean stands. high and other would need weights.
    expect(seriesOf(samples, 'chom_support_resolution_time_seconds')).toEqual({
      '{"priority":"low"}': resolution['{"priority":"low"}'],
    });
    // Their rows are counted: high, HIGH, " High"; urgent, Blocker, NULL. The default first_response merges.
    expect(rejected(samples, 'duplicate_series')).toBe(6);
    expect(seriesOf(samples, 'chom_support_first_response_time_seconds')).toEqual(firstResponse);
  });
});
