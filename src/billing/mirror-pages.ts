import type { Reject } from '../shared/reject.js';
import { withoutTrailingSemicolons } from '../shared/sql-text.js';
import { requireColumns } from '../sources/query-contract.js';
import type { QueryFn } from '../sources/sql-source.js';
import { type MirrorQueryName, mirrorQueries, snapshotFromMirrorRows } from './mirror-source.js';
import type { BillingSnapshot } from './types.js';

/** Customers per page when the collector does not say: a few MiB of subscriptions at most. */
export const defaultMirrorPageCustomers = 2000;

type Overrides = Partial<Record<MirrorQueryName, string | undefined>>;

/** The query a name stands for, default or override, ready to be read as a subquery. */
const sqlOf = (name: MirrorQueryName, overrides: Overrides) =>
  withoutTrailingSemicolons(overrides[name] ?? mirrorQueries[name].sql);

/**
 * Holds every mirror query, default or override, to its column contract before
 * any page is read: an override missing a column fails the run naming it, not
 * halfway through with the database's own error on the paging filter.
 */
async function checkContracts(query: QueryFn, overrides: Overrides): Promise<void> {
  for (const name of Object.keys(mirrorQueries) as MirrorQueryName[]) {
    const spec = mirrorQueries[name];
    const result = await query(`SELECT * FROM (${sqlOf(name, overrides)}) q LIMIT 0`);
    requireColumns(
      name,
      spec.columns,
      result.columns,
      `: expected columns [${spec.columns.join(', ')}]`,
      'billing query',
    );
  }
}

/**
 * Reads the billing mirror a page of customers at a time, every subscription of
 * a customer in the same page, so the engine's per-customer figures can be
 * summed page by page and memory follows the page, not the table. Customers are
 * taken in byte order of their id (COLLATE "C": the same order whatever the
 * database's collation), each query the contract names wrapped as a subquery
 * and filtered to the page; all pages come from the caller's one read-only
 * snapshot, so they add up to what a single read would give.
 */
export async function* mirrorPages(
  query: QueryFn,
  overrides: Overrides,
  reject: Reject,
  pageCustomers = defaultMirrorPageCustomers,
): AsyncGenerator<BillingSnapshot> {
  await checkContracts(query, overrides);
  const subscriptions = sqlOf('subscriptions', overrides);
  let after: string | null = null;
  for (;;) {
    const keys = await query(
      `SELECT DISTINCT s.customer_id::text COLLATE "C" AS customer_id FROM (${subscriptions}) s
WHERE $1::text IS NULL OR s.customer_id::text COLLATE "C" > $1::text
ORDER BY 1 LIMIT $2`,
      [after, pageCustomers],
    );
    const customers = keys.rows.map((row) => String(row.customer_id));
    if (customers.length === 0) return;
    after = customers[customers.length - 1] ?? null;
    const page = await readPage(query, overrides, customers);
    yield snapshotFromMirrorRows(page, reject);
    if (customers.length < pageCustomers) return;
  }
}

/** The rows of every mirror query that concern `customers` and their subscriptions. */
async function readPage(
  query: QueryFn,
  overrides: Overrides,
  customers: readonly string[],
): Promise<Record<MirrorQueryName, Record<string, unknown>[]>> {
  const byCustomer = (name: MirrorQueryName) =>
    query(`SELECT * FROM (${sqlOf(name, overrides)}) q WHERE q.customer_id::text = ANY($1)`, [
      customers,
    ]);
  const subscriptionRows = (await byCustomer('subscriptions')).rows;
  const ids = subscriptionRows.map((row) => String(row.id));
  const bySubscription = async (name: MirrorQueryName) =>
    (
      await query(
        `SELECT * FROM (${sqlOf(name, overrides)}) q WHERE q.subscription_id::text = ANY($1)`,
        [ids],
      )
    ).rows;
  return {
    customers: (await byCustomer('customers')).rows,
    subscriptions: subscriptionRows,
    items: await bySubscription('items'),
    discounts: await bySubscription('discounts'),
    invoices: await bySubscription('invoices'),
  };
}

/** The whole mirror as one snapshot (the pages put together), for callers that need it whole. */
export async function loadMirrorSnapshot(
  query: QueryFn,
  overrides: Overrides,
  reject: Reject,
): Promise<BillingSnapshot> {
  const whole = {
    subscriptions: [] as BillingSnapshot['subscriptions'][number][],
    customers: [] as BillingSnapshot['customers'][number][],
  };
  for await (const page of mirrorPages(query, overrides, reject)) {
    whole.subscriptions.push(...page.subscriptions);
    whole.customers.push(...page.customers);
  }
  return whole;
}
