import pg from 'pg';
import type { CustomerMrr } from './aggregate.js';

/** The recorded opening MRR of a month, and whether it was reconstructed after the fact. */
export interface MonthOpening {
  readonly month: string;
  readonly mrr: CustomerMrr;
  /** True when the opening was computed well after the month began, from the subscriptions' timestamps. */
  readonly reconstructed: boolean;
  /** Customers who had MRR at the opening of any earlier recorded month. */
  readonly paidInEarlierMonths: Set<string>;
}

export interface MonthStartStore {
  /**
   * Returns the month's recorded opening, recording `candidate` first if none
   * exists. The first writer wins, so replicas agree and restarts change nothing.
   */
  openingFor(
    month: string,
    candidate: () => { mrr: CustomerMrr; reconstructed: boolean },
  ): Promise<MonthOpening>;
  close(): Promise<void>;
}

const schemaSql = `
CREATE SCHEMA IF NOT EXISTS chom_exporter;
CREATE TABLE IF NOT EXISTS chom_exporter.billing_months (
  month          date PRIMARY KEY,
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  reconstructed  boolean NOT NULL
);
CREATE TABLE IF NOT EXISTS chom_exporter.billing_month_opening (
  month       date NOT NULL REFERENCES chom_exporter.billing_months (month) ON DELETE CASCADE,
  customer_id text NOT NULL,
  currency    text NOT NULL,
  mrr_minor   double precision NOT NULL,
  PRIMARY KEY (month, customer_id, currency)
)`;

/**
 * The store lives in a PostgreSQL database the exporter may write to (its own
 * schema `chom_exporter`), never in the read-only app database connection.
 */
export function createPostgresMonthStartStore(connectionString: string): MonthStartStore {
  const pool = new pg.Pool({ connectionString, max: 2, application_name: 'chom-exporter-state' });
  pool.on('error', () => {});
  let ready: Promise<unknown> | undefined;
  return {
    async openingFor(month, candidate) {
      ready ??= pool.query(schemaSql).catch((error) => {
        ready = undefined;
        throw error;
      });
      await ready;
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const inserted = await client.query(
          'INSERT INTO chom_exporter.billing_months (month, reconstructed) VALUES ($1, $2) ON CONFLICT DO NOTHING',
          [month, true],
        );
        if (inserted.rowCount === 1) {
          const { mrr, reconstructed } = candidate();
          await client.query(
            'UPDATE chom_exporter.billing_months SET reconstructed = $2 WHERE month = $1',
            [month, reconstructed],
          );
          const rows = [...mrr].flatMap(([customer, perCurrency]) =>
            [...perCurrency].map(([currency, amount]) => [customer, currency, amount] as const),
          );
          if (rows.length > 0) {
            await client.query(
              `INSERT INTO chom_exporter.billing_month_opening (month, customer_id, currency, mrr_minor)
               SELECT $1, * FROM unnest($2::text[], $3::text[], $4::float8[])`,
              [month, rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])],
            );
          }
        }
        await client.query('COMMIT');
        const meta = await client.query<{ reconstructed: boolean }>(
          'SELECT reconstructed FROM chom_exporter.billing_months WHERE month = $1',
          [month],
        );
        const opening = await client.query<{
          customer_id: string;
          currency: string;
          mrr_minor: number;
        }>(
          'SELECT customer_id, currency, mrr_minor FROM chom_exporter.billing_month_opening WHERE month = $1',
          [month],
        );
        const earlier = await client.query<{ customer_id: string }>(
          'SELECT DISTINCT customer_id FROM chom_exporter.billing_month_opening WHERE month < $1 AND mrr_minor > 0',
          [month],
        );
        const mrr: CustomerMrr = new Map();
        for (const row of opening.rows) {
          const perCurrency = mrr.get(row.customer_id) ?? new Map<string, number>();
          perCurrency.set(row.currency, row.mrr_minor);
          mrr.set(row.customer_id, perCurrency);
        }
        return {
          month,
          mrr,
          reconstructed: meta.rows[0]?.reconstructed ?? true,
          paidInEarlierMonths: new Set(earlier.rows.map((r) => r.customer_id)),
        };
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}

/** Without a store, every run reconstructs the opening and says so. */
export const reconstructingStore: MonthStartStore = {
  async openingFor(month, candidate) {
    return { month, mrr: candidate().mrr, reconstructed: true, paidInEarlierMonths: new Set() };
  },
  async close() {},
};
