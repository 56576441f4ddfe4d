import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestExporter } from '../helpers/build-exporter.js';
import { parseExposition, seriesOf } from '../helpers/exposition.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/** YYYY-MM of the UTC month `offset` months from now. */
function monthLabel(offset: number): string {
  const now = new Date();
  const date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
  return date.toISOString().slice(0, 7);
}

describe('cohort retention', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    // Times are anchored on month starts so the cohorts do not depend on the day the test runs.
    await db.sql(`
      INSERT INTO organizations (id, slug, name) OVERRIDING SYSTEM VALUE VALUES (1, 'o', 'O');
      INSERT INTO users (id, organization_id, email, created_at) OVERRIDING SYSTEM VALUE VALUES
        (1, 1, 'a@o.test', date_trunc('month', now()) - interval '2 months' + interval '1 day'),
        (2, 1, 'b@o.test', date_trunc('month', now()) - interval '2 months' + interval '1 day'),
        (3, 1, 'c@o.test', date_trunc('month', now()) - interval '1 month' + interval '1 day');
      INSERT INTO user_sessions (user_id, organization_id, started_at, ended_at) VALUES
        (1, 1, date_trunc('month', now()) - interval '2 months' + interval '2 days', NULL),
        (1, 1, date_trunc('month', now()) - interval '1 month' + interval '2 days', NULL),
        (1, 1, date_trunc('month', now()) + interval '1 minute', NULL),
        (2, 1, date_trunc('month', now()) - interval '2 months' + interval '3 days', NULL);
    `);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('exports one ratio per cohort and month offset, up to the current month', async () => {
    const { exporter, close } = buildTestExporter(db.url, {
      collectors: { analytics_event_counters: { enabled: false } },
    });
    try {
      await exporter.runOnce();
      const samples = parseExposition(await exporter.exposition());
      const older = monthLabel(-2);
      const newer = monthLabel(-1);
      expect(seriesOf(samples, 'chom_cohort_retention_ratio')).toEqual({
        // a and b active in their signup month; only a afterwards.
        [`{"cohort":"${older}","month_offset":"0"}`]: 1,
        [`{"cohort":"${older}","month_offset":"1"}`]: 0.5,
        [`{"cohort":"${older}","month_offset":"2"}`]: 0.5,
        // c never had a session.
        [`{"cohort":"${newer}","month_offset":"0"}`]: 0,
        [`{"cohort":"${newer}","month_offset":"1"}`]: 0,
      });
      expect(seriesOf(samples, 'chom_cohort_size')).toEqual({
        [`{"cohort":"${older}"}`]: 2,
        [`{"cohort":"${newer}"}`]: 1,
      });
    } finally {
      await close();
    }
  });
});
