import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestExporter } from '../helpers/build-exporter.js';
import { runCollectorAt } from '../helpers/collect-at.js';
import { seriesOf } from '../helpers/exposition.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/** The instant the cohorts are computed as of: mid-March 2024. */
const at = new Date('2024-03-15T12:00:00.000Z');

describe('cohort retention', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql(`
      INSERT INTO organizations (id, slug, name, created_at) OVERRIDING SYSTEM VALUE
        VALUES (1, 'o', 'O', '2023-12-01T00:00:00Z');
      INSERT INTO users (id, organization_id, email, created_at) OVERRIDING SYSTEM VALUE VALUES
        (1, 1, 'a@o.test', '2024-01-02T00:00:00Z'),
        (2, 1, 'b@o.test', '2024-01-02T00:00:00Z'),
        (3, 1, 'c@o.test', '2024-02-02T00:00:00Z'),
        -- Signs up after the instant: in no cohort yet.
        (4, 1, 'd@o.test', '2024-03-20T00:00:00Z');
      INSERT INTO user_sessions (user_id, organization_id, started_at, ended_at) VALUES
        (1, 1, '2024-01-03T00:00:00Z', NULL),
        (1, 1, '2024-02-03T00:00:00Z', NULL),
        (1, 1, '2024-03-01T00:01:00Z', NULL),
        (2, 1, '2024-01-04T00:00:00Z', NULL),
        -- After the instant, in its month: does not count.
        (2, 1, '2024-03-20T00:00:00Z', NULL);
    `);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('exports one ratio per cohort and month offset, up to the month of the instant', async () => {
    const { config, exporter, close } = buildTestExporter(db.url);
    try {
      const samples = await runCollectorAt(
        config,
        exporter.sourceClients,
        'postgres_cohort_retention',
        at,
      );
      expect(seriesOf(samples, 'chom_cohort_retention_ratio')).toEqual({
        // a and b active in their signup month; only a afterwards.
        '{"cohort":"2024-01","month_offset":"0"}': 1,
        '{"cohort":"2024-01","month_offset":"1"}': 0.5,
        '{"cohort":"2024-01","month_offset":"2"}': 0.5,
        // c never had a session.
        '{"cohort":"2024-02","month_offset":"0"}': 0,
        '{"cohort":"2024-02","month_offset":"1"}': 0,
      });
      expect(seriesOf(samples, 'chom_cohort_size')).toEqual({
        '{"cohort":"2024-01"}': 2,
        '{"cohort":"2024-02"}': 1,
      });
    } finally {
      await close();
    }
  });
});
