import pg from 'pg';
import type { CustomerMrr } from './aggregate.js';
import { monthStartSchemaSql } from './month-start-schema.js';

/** The recorded opening MRR of a month, and whether it was reconstructed after the fact. */
export interface MonthOpening {
  readonly month: string;
  readonly mrr: CustomerMrr;
  /** True when the opening was computed well after the month began, from the subscriptions' timestamps. */
  readonly reconstructed: boolean;
  /** Customers who had MRR at the opening of any earlier recorded month. */
  readonly paidInEarlierMonths: Set<string>;
  /**
   * The billing source and policy the recorded opening was computed under
   * (`openingBasis`): an opening is comparable only with MRR computed the same way.
   */
  readonly basis: string;
}

export interface MonthStartStore {
  /**
   * Returns the month's recorded opening, recording `candidate` (computed under
   * `basis`) first if none exists. The first writer wins, so replicas agree and
   * restarts change nothing. A month recorded before bases were stored takes
   * `basis` as its own.
   */
  openingFor(
    month: string,
    basis: string,
    candidate: () => { mrr: CustomerMrr; reconstructed: boolean },
  ): Promise<MonthOpening>;
  close(): Promise<void>;
}

/**
 * The store lives in a PostgreSQL database the exporter may write to (its own
 * schema `chom_exporter`), never in the read-only app database connection.
 */
export function createPostgresMonthStartStore(connectionString: string): MonthStartStore {
  const pool = new pg.Pool({ connectionString, max: 2, application_name: 'chom-exporter-state' });
  pool.on('error', () => {});
  let ready: Promise<unknown> | undefined;
  return {
    async openingFor(month, basis, candidate) {
      ready ??= pool.query(monthStartSchemaSql).catch((error) => {
        ready = undefined;
        throw error;
      });
      await ready;
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const inserted = await client.query(
          'INSERT INTO chom_exporter.billing_months (month, reconstructed, basis) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
          [month, true, basis],
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
        } else {
          // Recorded by a version that did not store the basis: most likely under the
          // policy running now (an upgrade seldom changes the policy at the same time).
          await client.query(
            'UPDATE chom_exporter.billing_months SET basis = $2 WHERE month = $1 AND basis IS NULL',
            [month, basis],
          );
        }
        await client.query('COMMIT');
        const meta = await client.query<{ reconstructed: boolean; basis: string }>(
          'SELECT reconstructed, basis FROM chom_exporter.billing_months WHERE month = $1',
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
          basis: meta.rows[0]?.basis ?? basis,
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
