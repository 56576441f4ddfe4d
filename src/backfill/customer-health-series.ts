/**
 * The `postgres_customer_health` collector over a step grid, its population
 * swept once for the range (population-sweep.ts) instead of read from the
 * whole users table at every step. At each step the collector's own scores
 * query runs with that population given as arrays in place of its population
 * CTE; the trailing windows (sessions, feature usage, tickets) are the
 * collector's text, read per step as before: they read only the window.
 *
 * The slug and payment status are not as of the step in the collector either
 * (they have no history: the query reads their current values), so they are
 * read once, for the organizations alive at some step of the range.
 */
import {
  type CustomerHealthOptions,
  customerHealthParams,
  customerHealthQueries,
  customerHealthSamples,
  customerHealthScoresSql,
} from '../collectors/postgres-customer-health.js';
import type { CollectorContext } from '../collectors/types.js';
import type { Sample } from '../metrics/spec.js';
import { queryWithContract } from '../sources/query-contract.js';
import { instantText } from './grid-buckets.js';
import { populationSweep } from './population-sweep.js';
import type { StepGrid, StepSeries } from './step-grid.js';

/**
 * The collector's queries this pass runs (its only one): when the user
 * replaced it, the pass declines and the backfill runs the override at every step.
 */
const replacedQueries = ['scores'] as const;

/**
 * The scores query with the swept population: $3 the organizations, $4 their
 * slugs, $5 their payment statuses, $6 their users (the query's own $1-$2
 * before them). Every organization alive, with or without users.
 */
const sweptScoresSql = customerHealthScoresSql(
  `SELECT id, slug, payment_status, users
  FROM unnest($3::bigint[], $4::text[], $5::text[], $6::bigint[]) AS p(id, slug, payment_status, users)`,
);

/** The organizations alive at some instant of [$1, $2] (a superset is fine: it is a lookup). */
const attributesSql = `SELECT id, slug, payment_status FROM organizations
WHERE created_at <= $2::timestamptz AND (deleted_at IS NULL OR deleted_at > $1::timestamptz)`;

/** Organizations by id ($1), when the population holds one not read above. */
const missingSql =
  'SELECT id, slug, payment_status FROM organizations WHERE id = ANY($1::bigint[])';

interface Attributes {
  readonly slug: string;
  readonly paymentStatus: string;
}

export async function customerHealthSeries(
  ctx: CollectorContext<CustomerHealthOptions, unknown>,
  grid: StepGrid,
): Promise<StepSeries | undefined> {
  const { sources, signal, options, reject, labelSets } = ctx;
  if (replacedQueries.some((name) => options.queries?.[name])) return undefined;
  const spec = { ...customerHealthQueries.scores, sql: sweptScoresSql };
  const params = customerHealthParams(labelSets);
  const populationAt = populationSweep(grid);

  const attributes = new Map<string, Attributes>();
  const remember = (rows: readonly Record<string, unknown>[]) => {
    for (const row of rows)
      attributes.set(String(row.id), {
        slug: String(row.slug),
        paymentStatus: String(row.payment_status),
      });
  };
  await sources.app.readOnly(signal, async (query) => {
    const all = await query(attributesSql, [
      instantText(grid, 0),
      instantText(grid, grid.count - 1),
    ]);
    remember(all.rows);
  });
  const attributesOf = (id: string): Attributes => {
    const found = attributes.get(id);
    if (!found) throw new Error(`customer health series: organization ${id} is gone`);
    return found;
  };

  return async (index): Promise<Sample[]> => {
    const at = new Date(grid.firstMs + index * grid.stepMs);
    return sources.app.readOnly(signal, async (query) => {
      const alive = await populationAt(query, index);
      // An organization inserted since the read above (with a past created_at) is looked up now.
      const missing = alive.filter((o) => !attributes.has(o.id)).map((o) => o.id);
      if (missing.length > 0) remember((await query(missingSql, [missing])).rows);
      const population = alive.map((o) => ({ ...o, ...attributesOf(o.id) }));
      const rows = await queryWithContract(
        query,
        'scores',
        spec,
        [
          ...params,
          population.map((o) => o.id),
          population.map((o) => o.slug),
          population.map((o) => o.paymentStatus),
          population.map((o) => o.users),
        ],
        reject,
        at,
      );
      return customerHealthSamples(rows, options.maxOrganizations);
    });
  };
}
