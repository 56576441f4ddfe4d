import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMirrorSnapshot, mirrorPages } from '../../src/billing/mirror-pages.js';
import type { BillingSnapshot } from '../../src/billing/types.js';
import { seedDemoData } from '../../src/demo/seed.js';
import type { Sample } from '../../src/metrics/spec.js';
import { createPostgresSource } from '../../src/sources/postgres.js';
import { QueryContractError } from '../../src/sources/query-contract.js';
import type { SqlSource } from '../../src/sources/sql-source.js';
import { billingFixtureSql } from '../fixtures/billing-fixture.js';
import { asOfForm, collectorUnderTest } from '../helpers/collector-under-test.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

const dayMs = 24 * 3_600_000;
const noRejections = () => {
  throw new Error('no row of the mirror should be rejected');
};

/** Samples as sortable text, values rounded where summing in another order may move the last bit. */
const asText = (samples: readonly Sample[]) =>
  samples
    .map((s) => `${s.metric}${JSON.stringify(s.labels)} ${Number(s.value.toPrecision(12))}`)
    .sort();

/**
 * billing_mrr reads the mirror a page of customers at a time; every figure is a
 * sum over customers, so any page size must give exactly what one page gives.
 * Checked on the billing fixture (customers with two subscriptions, movements
 * of every kind) and on the demo's mirror (about 250 subscriptions), at
 * instants in this month and in earlier ones (a backfill step).
 */
describe('billing mirror read in pages of customers', () => {
  const databases: TestDatabase[] = [];
  let app: SqlSource;
  afterAll(async () => {
    await app?.close();
    await Promise.all(databases.map((db) => db.drop()));
  });

  async function mirror(seed: (db: TestDatabase) => Promise<unknown>) {
    const db = await createTestDatabase();
    databases.push(db);
    await seed(db);
    return db;
  }

  let fixture: TestDatabase;
  let demo: TestDatabase;
  beforeAll(async () => {
    fixture = await mirror((db) => db.sql(billingFixtureSql));
    demo = await mirror((db) => seedDemoData(db.url));
    app = createPostgresSource({
      connectionString: fixture.url,
      poolSize: 1,
      statementTimeoutSeconds: 10,
      connectTimeoutSeconds: 5,
      applicationName: 'chom-test',
    });
  }, 120_000);

  const read = <T>(
    work: (query: Parameters<Parameters<SqlSource['readOnly']>[1]>[0]) => Promise<T>,
  ) => app.readOnly(new AbortController().signal, work);

  async function pagesOf(pageCustomers: number): Promise<BillingSnapshot[]> {
    return read(async (query) => {
      const pages: BillingSnapshot[] = [];
      for await (const page of mirrorPages(query, {}, noRejections, pageCustomers))
        pages.push(page);
      return pages;
    });
  }

  it('puts every subscription of a customer in one page, no customer in two, none left out', async () => {
    const whole = await read((query) => loadMirrorSnapshot(query, {}, noRejections));
    const ids = (subs: BillingSnapshot['subscriptions']) => subs.map((s) => s.id).sort();
    for (const size of [1, 2, 4]) {
      const pages = await pagesOf(size);
      const customersOf = pages.map((page) => new Set(page.subscriptions.map((s) => s.customerId)));
      for (const customers of customersOf) expect(customers.size).toBeLessThanOrEqual(size);
      const all = customersOf.flatMap((customers) => [...customers]);
      expect(new Set(all).size).toBe(all.length);
      expect(ids(pages.flatMap((page) => page.subscriptions))).toEqual(ids(whole.subscriptions));
      // Each page carries the channels of its own customers only.
      for (const [i, page] of pages.entries())
        expect(page.customers.map((c) => c.id).sort()).toEqual([...(customersOf[i] ?? [])].sort());
    }
    // Organization 1 has two subscriptions: read in the same page even one customer at a time.
    const one = await pagesOf(1);
    expect(
      one
        .find((page) => page.subscriptions.some((s) => s.id === 's1'))
        ?.subscriptions.map((s) => s.id)
        .sort(),
    ).toEqual(['s1', 's9']);
  });

  it('holds an override to its column contract before reading a page, naming the missing column', async () => {
    const reading = read((query) =>
      loadMirrorSnapshot(
        query,
        { customers: 'SELECT id::text AS customer_id FROM organizations' },
        noRejections,
      ),
    );
    await expect(reading).rejects.toBeInstanceOf(QueryContractError);
    await expect(reading).rejects.toThrow(
      'billing query "customers" is missing column(s) "channel": expected columns [customer_id, channel], got [customer_id]',
    );
  });

  it('reads an override ending in a semicolon as a subquery, filtered to each page', async () => {
    const shouting = `SELECT id::text AS customer_id, upper(acquisition_channel) AS channel FROM organizations;`;
    const snapshot = await read((query) =>
      loadMirrorSnapshot(query, { customers: shouting }, noRejections),
    );
    expect(Object.fromEntries(snapshot.customers.map((c) => [c.id, c.channel]))).toMatchObject({
      '1': 'ORGANIC',
      '2': 'PAID',
    });
  });

  const monthStartMs = (ms: number) => {
    const d = new Date(ms);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  };
  const nowMs = Date.now();
  const instants = [
    nowMs,
    monthStartMs(nowMs) + 3_600_000,
    monthStartMs(nowMs) - 10 * dayMs,
    nowMs - 75 * dayMs,
  ];

  for (const [name, database] of [
    ['the billing fixture', () => fixture],
    ['the demo mirror', () => demo],
  ] as const) {
    it(`gives every billing sample of one page, whatever the page size, on ${name}`, async () => {
      const collector = collectorUnderTest('billing_mrr', () => database().url);
      try {
        for (const at of instants) {
          const onePage = collector.setUp({ pageCustomers: 100_000 });
          const expected = asText(await asOfForm(onePage.enabled, at, onePage.deps));
          expect(expected.some((line) => line.startsWith('chom_revenue_mrr_movement'))).toBe(true);
          for (const size of [1, 3, 50]) {
            const paged = collector.setUp({ pageCustomers: size });
            expect(asText(await asOfForm(paged.enabled, at, paged.deps))).toEqual(expected);
          }
        }
      } finally {
        await collector.close();
      }
    }, 120_000);
  }
});
