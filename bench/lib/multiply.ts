import pg from 'pg';

/**
 * Grows the demo data set to `factor` times its size by adding exact copies of
 * every customer-side row (organizations with their users, sessions, feature
 * use, tickets, survey answers, referrals, campaign deliveries, events and
 * subscriptions), each copy under new ids and unique keys, at the same
 * timestamps. Every count, sum and distinct count the collectors compute is
 * then exactly `factor` times the demo's (ratios, averages and percentiles
 * stay the same), which checks the results at scale for free, and the plans
 * the planner picks are those of a company `factor` times bigger with the same
 * habits. The catalogue (prices, landing pages, campaigns) is shared, as a
 * bigger company has more customers, not more plans.
 *
 * Copy k (1 .. factor-1) of a row with id n gets id n + k * offset, where
 * offset is the table's largest id in the demo; text keys get a `-c<k>` suffix.
 *
 * The copies are appended, one customer copy after the other, so each table
 * would end up as [the demo][copy 1][copy 2]...: every heap page holding rows
 * of every date, and a time-range scan that a real table (rows arriving in
 * time order) serves from a few pages touching all of them. Once copies are
 * added, each table with an arrival time is therefore rewritten in the order
 * of that time (ties broken by its key: deterministic), then vacuumed and
 * analysed, as an append-only table long past autovacuum would be. Growing
 * 10x then 100x gives the same data, in the same physical order, as 100x at once.
 */

/** The tables copied, parents before children; any other table must be in `shared`. */
const copied = [
  'organizations',
  'users',
  'user_sessions',
  'feature_usage',
  'support_tickets',
  'nps_responses',
  'csat_responses',
  'marketing_spend',
  'referrals',
  'email_campaign_deliveries',
  'analytics_events',
  'billing_subscriptions',
  'billing_subscription_items',
  'billing_discounts',
  'billing_invoices',
] as const;
const shared = new Set(['billing_prices', 'landing_pages', 'email_campaigns']);

/**
 * The order rows of each copied table arrive in, in an app database: its time
 * column, then a unique key to break the ties (every copy shares its original's
 * timestamps). Tables without a time of their own (subscription items and
 * discounts, written with their subscription) keep the order they were copied in.
 */
const arrivalOrder: Partial<Record<(typeof copied)[number], readonly string[]>> = {
  organizations: ['created_at', 'id'],
  users: ['created_at', 'id'],
  user_sessions: ['started_at', 'id'],
  feature_usage: ['usage_date', 'user_id', 'feature'],
  support_tickets: ['created_at', 'id'],
  nps_responses: ['responded_at', 'id'],
  csat_responses: ['responded_at', 'id'],
  marketing_spend: ['spend_date', 'id'],
  referrals: ['sent_at', 'id'],
  email_campaign_deliveries: ['sent_at', 'campaign_id', 'user_id'],
  analytics_events: ['occurred_at', 'id'],
  billing_subscriptions: ['started_at', 'id'],
  billing_invoices: ['created_at', 'id'],
};

/** Columns holding another copied table's bigint id without a foreign key (the events table has none). */
const implicitReferences: Record<string, string> = {
  user_id: 'users',
  organization_id: 'organizations',
};

interface Column {
  readonly name: string;
  readonly type: string;
  readonly identity: boolean;
  readonly references?: string;
  readonly unique: boolean;
}

async function columnsOf(client: pg.Client, table: string): Promise<Column[]> {
  const { rows } = await client.query<{
    name: string;
    type: string;
    identity: boolean;
    references: string | null;
    unique: boolean;
  }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
       a.attidentity <> '' AS identity,
       (SELECT c.confrelid::regclass::text FROM pg_constraint c
         WHERE c.conrelid = a.attrelid AND c.contype = 'f' AND c.conkey = ARRAY[a.attnum]) AS references,
       EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conrelid = a.attrelid
         AND c.contype IN ('p', 'u') AND c.conkey = ARRAY[a.attnum]) AS unique
     FROM pg_attribute a
     WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY a.attnum`,
    [table],
  );
  return rows.map(({ references, ...row }) => ({ ...row, ...(references ? { references } : {}) }));
}

/** The SQL expression of a column in copy `k` (a bound parameter). */
function copyExpression(table: string, column: Column, offsets: Map<string, number>): string {
  const quoted = `"${column.name}"`;
  const target =
    column.name === 'id' && column.type === 'bigint'
      ? table
      : (column.references ??
        (table === 'analytics_events' ? implicitReferences[column.name] : undefined));
  if (column.type === 'bigint' && target && offsets.has(target))
    return `${quoted} + $1::bigint * ${offsets.get(target)}`;
  // Text keys: the row's own id, keys pointing at a copied table's text id, unique names.
  const copiedTarget =
    column.references && (copied as readonly string[]).includes(column.references);
  if (column.type === 'text' && (column.unique || copiedTarget))
    return `${quoted} || '-c' || $1::int`;
  return quoted;
}

export async function multiplyDemo(url: string, factor: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`,
    );
    const unknown = tables
      .map((t) => t.name)
      .filter(
        (t) =>
          !(copied as readonly string[]).includes(t) && !shared.has(t) && !t.startsWith('chom_'),
      );
    if (unknown.length > 0)
      throw new Error(`multiplyDemo: tables neither copied nor shared: ${unknown.join(', ')}`);

    // The demo's own rows are those without a copy suffix / below the first offset; the
    // offsets are fixed by the demo (copies live above them), kept in a small table so
    // that growing in steps continues the numbering.
    await client.query(
      `CREATE TABLE IF NOT EXISTS chom_bench_copies (table_name text PRIMARY KEY, id_offset bigint NOT NULL, copies int NOT NULL)`,
    );
    const offsets = new Map<string, number>();
    let copies = 1;
    for (const table of copied) {
      const columns = await columnsOf(client, table);
      if (!columns.some((c) => c.name === 'id' && c.type === 'bigint')) continue;
      const { rows } = await client.query<{ id_offset: string; copies: number }>(
        'SELECT id_offset, copies FROM chom_bench_copies WHERE table_name = $1',
        [table],
      );
      if (rows[0]) {
        offsets.set(table, Number(rows[0].id_offset));
        copies = rows[0].copies;
      } else {
        const { rows: max } = await client.query<{ max: string | null }>(
          `SELECT max(id)::text AS max FROM ${table}`,
        );
        offsets.set(table, Number(max[0]?.max ?? 0) + 1);
      }
    }

    const added = factor > copies;
    for (let k = copies; k < factor; k += 1) {
      await client.query('BEGIN');
      for (const table of copied) {
        const columns = await columnsOf(client, table);
        const names = columns.map((c) => `"${c.name}"`).join(', ');
        const values = columns.map((c) => copyExpression(table, c, offsets)).join(', ');
        const identity = columns.some((c) => c.identity) ? ' OVERRIDING SYSTEM VALUE' : '';
        const original = offsets.has(table)
          ? `WHERE id < ${offsets.get(table)}`
          : table.startsWith('billing_')
            ? `WHERE subscription_id NOT LIKE '%-c%'`
            : `WHERE ${columns.some((c) => c.name === 'user_id') ? 'user_id' : 'organization_id'} < ${offsets.get(columns.some((c) => c.name === 'user_id') ? 'users' : 'organizations')}`;
        const where = table === 'billing_subscriptions' ? `WHERE id NOT LIKE '%-c%'` : original;
        await client.query(
          `INSERT INTO ${table} (${names})${identity} SELECT ${values} FROM ${table} ${where}`,
          [k],
        );
      }
      await client.query(
        `INSERT INTO chom_bench_copies SELECT t, o, $1 FROM unnest($2::text[], $3::bigint[]) AS x(t, o)
         ON CONFLICT (table_name) DO UPDATE SET copies = excluded.copies`,
        [k + 1, [...offsets.keys()], [...offsets.values()]],
      );
      await client.query('COMMIT');
    }
    // Identity sequences continue after the copies, so the live activity of a test can add rows.
    for (const table of offsets.keys())
      await client.query(
        `SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`,
      );
    if (added) await rewriteInArrivalOrder(client);
    else await client.query('ANALYZE');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

/**
 * Rewrites each table with an arrival time in that order (CLUSTER on a
 * temporary index of the order's columns: the ids, keys, constraints and
 * indexes stay as they are), then VACUUM ANALYZE: the visibility map set, so
 * that index-only scans skip the heap as they do on a table autovacuum keeps,
 * and the statistics (the time columns' correlation now near 1) fresh.
 */
async function rewriteInArrivalOrder(client: pg.Client): Promise<void> {
  for (const [table, columns] of Object.entries(arrivalOrder)) {
    const index = `chom_bench_${table}_arrival`;
    await client.query(`DROP INDEX IF EXISTS ${index}`);
    await client.query(
      `CREATE INDEX ${index} ON ${table} (${columns.map((c) => `"${c}"`).join(', ')})`,
    );
    await client.query(`CLUSTER ${table} USING ${index}`);
    await client.query(`DROP INDEX ${index}`);
  }
  await client.query('VACUUM ANALYZE');
}
