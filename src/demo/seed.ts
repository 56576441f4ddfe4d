import { readFile } from 'node:fs/promises';
import pg from 'pg';

/**
 * Fills an empty reference-schema database with the deterministic demo data set
 * (src/demo/seed.sql, then src/demo/seed-billing.sql). Does nothing when organizations already exist, so a
 * persistent demo data folder is seeded once.
 */
export async function seedDemoData(connectionString: string): Promise<boolean> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM organizations');
    if (Number(rows[0]?.n ?? 0) > 0) return false;
    // The app data first, then the billing mirror that hangs off its organizations.
    await client.query('BEGIN');
    // Day boundaries in the data set are UTC whatever the server's default time zone.
    await client.query("SET LOCAL TIME ZONE 'UTC'");
    for (const file of ['./seed.sql', './seed-billing.sql']) {
      await client.query(await readFile(new URL(file, import.meta.url), 'utf8'));
    }
    await client.query('COMMIT');
    return true;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}
