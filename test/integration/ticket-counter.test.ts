import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestExporter, onlyCollectors } from '../helpers/build-exporter.js';
import { parseExposition, seriesOf } from '../helpers/exposition.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/** Inserts one ticket per priority given, created `ago` before now (default: now). */
function open(db: TestDatabase, priorities: string[], ago = '0 seconds') {
  return db.sql(
    `INSERT INTO support_tickets (organization_id, subject, priority, created_at)
     SELECT 1, 'ticket', p, now() - $2::interval FROM unnest($1::text[]) AS p`,
    [priorities, ago],
  );
}

/** chom_support_tickets_created_total only rises while the process runs. */
describe('the created-ticket counter', () => {
  let db: TestDatabase;
  let built: ReturnType<typeof buildTestExporter>;
  const settings = { collectors: onlyCollectors('postgres_support_tickets') };

  const created = async () => {
    expect(await built.exporter.runOnce()).toBe(0);
    const samples = parseExposition(await built.exporter.exposition());
    return seriesOf(samples, 'chom_support_tickets_created_total');
  };
  const counts = (critical: number, high: number, medium: number, low: number) => ({
    '{"priority":"critical"}': critical,
    '{"priority":"high"}': high,
    '{"priority":"medium"}': medium,
    '{"priority":"low"}': low,
  });

  beforeEach(async () => {
    db = await createTestDatabase();
    await db.sql(`INSERT INTO organizations (slug, name) VALUES ('acme', 'Acme')`);
    built = buildTestExporter(db.url, settings);
  });
  afterEach(async () => {
    await built.close();
    await db.drop();
  });

  it('keeps deleted and reprioritised tickets where they were counted', async () => {
    await open(db, ['low', 'low', 'low', 'high', 'high']);
    expect(await created()).toEqual(counts(0, 2, 0, 3));
    // One low ticket deleted, another escalated to high: no series falls, none is counted twice.
    await db.sql(`DELETE FROM support_tickets WHERE id = 1`);
    await db.sql(`UPDATE support_tickets SET priority = 'high' WHERE id = 2`);
    await open(db, ['critical']);
    expect(await created()).toEqual(counts(1, 2, 0, 3));
  });

  it('counts a ticket that became visible after its creation time had passed, once', async () => {
    await open(db, ['medium']);
    expect(await created()).toEqual(counts(0, 0, 1, 0));
    // Created two minutes before the last round, committed after it: the overlap reads it.
    await open(db, ['medium'], '2 minutes');
    expect(await created()).toEqual(counts(0, 0, 2, 0));
    expect(await created()).toEqual(counts(0, 0, 2, 0));
  });

  it('keeps its counts across a reload', async () => {
    await open(db, ['low', 'low']);
    expect(await created()).toEqual(counts(0, 0, 0, 2));
    await db.sql('DELETE FROM support_tickets');
    await built.reload(settings);
    await open(db, ['low']);
    expect(await created()).toEqual(counts(0, 0, 0, 3));
  });
});
