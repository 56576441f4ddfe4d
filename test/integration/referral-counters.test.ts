import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildTestExporter, onlyCollectors } from '../helpers/build-exporter.js';
import { parseExposition, sampleValue } from '../helpers/exposition.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/** Inserts `sent` invitations from user 1, the first `completed` of them already completed. */
function invite(db: TestDatabase, sent: number, completed: number) {
  return db.sql(
    `INSERT INTO referrals (referrer_user_id, referred_email, completed_at)
     SELECT 1, 'invitee-' || gen_random_uuid() || '@x.test', CASE WHEN i <= $2 THEN now() END
     FROM generate_series(1, $1) AS i`,
    [sent, completed],
  );
}

/** chom_referrals_*_total only rise while the process runs, whatever happens to the table's rows. */
describe('referral counters', () => {
  let db: TestDatabase;
  let built: ReturnType<typeof buildTestExporter>;
  const settings = {
    collectors: { ...onlyCollectors('postgres_referrals'), postgres_referrals: {} },
  };

  const totals = async () => {
    expect(await built.exporter.runOnce()).toBe(0);
    const samples = parseExposition(await built.exporter.exposition());
    return {
      sent: sampleValue(samples, 'chom_referrals_sent_total'),
      completed: sampleValue(samples, 'chom_referrals_completed_total'),
    };
  };

  beforeEach(async () => {
    db = await createTestDatabase();
    await db.sql(`INSERT INTO organizations (slug, name) VALUES ('acme', 'Acme');
      INSERT INTO users (organization_id, email) VALUES (1, 'u1@acme.test')`);
    built = buildTestExporter(db.url, settings);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await built.close();
    await db.drop();
  });

  it('counts invitations and completions once, and never lowers them when rows are deleted', async () => {
    await invite(db, 10, 4);
    expect(await totals()).toEqual({ sent: 10, completed: 4 });
    // Four rows go, two of them completed: the table now holds 6 sent, 2 completed.
    await db.sql('DELETE FROM referrals WHERE id IN (1, 2, 9, 10)');
    expect(await totals()).toEqual({ sent: 10, completed: 4 });
    // Three new invitations, one completed at once, and an older one completes now.
    await invite(db, 3, 1);
    await db.sql('UPDATE referrals SET completed_at = now() WHERE id = 7');
    expect(await totals()).toEqual({ sent: 13, completed: 6 });
    // The hourly recount finds fewer rows than counted: it raises nothing and lowers nothing.
    vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 3601_000);
    expect(await totals()).toEqual({ sent: 13, completed: 6 });
  });

  it('keeps its totals across a reload', async () => {
    await invite(db, 5, 2);
    expect(await totals()).toEqual({ sent: 5, completed: 2 });
    await db.sql('DELETE FROM referrals WHERE id <= 3');
    await built.reload(settings);
    await invite(db, 1, 0);
    expect(await totals()).toEqual({ sent: 6, completed: 2 });
  });

  it('counts a truncated table (ids restarted) on top of the totals so far', async () => {
    await invite(db, 5, 2);
    expect(await totals()).toEqual({ sent: 5, completed: 2 });
    await db.sql('TRUNCATE referrals RESTART IDENTITY');
    await invite(db, 2, 1);
    expect(await totals()).toEqual({ sent: 7, completed: 3 });
    await invite(db, 1, 1);
    expect(await totals()).toEqual({ sent: 8, completed: 4 });
  });
});
